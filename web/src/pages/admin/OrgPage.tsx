/** 组织机构: the division tree and the department tree, with department create/edit. */

import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ButtonProps } from 'antd';
import { App, Button, Col, Form, Input, Modal, Row, Select, Switch, Table, Tag, Tree } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useShowError } from '../../components/errors';
import { type Department, type Division, useDepartments, useDivisions } from './org-data';
import { AdminPage } from './shared';

interface TreeNode {
  key: string;
  title: string;
  children: TreeNode[];
}

function divisionTree(items: Division[], levelName: (l: string) => string): TreeNode[] {
  const nodes = new Map<string, TreeNode>();
  for (const d of items)
    nodes.set(d.code, { key: d.code, title: `${d.name}（${levelName(d.level)} ${d.code}）`, children: [] });
  const roots: TreeNode[] = [];
  for (const d of items) {
    const node = nodes.get(d.code) as TreeNode;
    const parent = d.parentCode ? nodes.get(d.parentCode) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

type DeptRow = Department & { children?: DeptRow[] };

function departmentTree(items: Department[]): DeptRow[] {
  const rows = new Map<number, DeptRow>(items.map((d) => [d.id, { ...d }]));
  const roots: DeptRow[] = [];
  for (const d of items) {
    const row = rows.get(d.id) as DeptRow;
    const parent = d.parentId !== null ? rows.get(d.parentId) : undefined;
    if (parent) parent.children = [...(parent.children ?? []), row];
    else roots.push(row);
  }
  return roots;
}

interface DeptForm {
  code: string;
  name: string;
  parentCode?: string;
  divisionCode: string;
  active: boolean;
}

function DepartmentModal({ editing, onClose }: { editing: Department | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const [form] = Form.useForm<DeptForm>();
  const divisions = useDivisions();
  const departments = useDepartments();
  const isNew = editing === 'new';
  const save = useMutation({
    mutationFn: (v: DeptForm) =>
      isNew
        ? api('/departments', {
            body: { code: v.code, name: v.name, parentCode: v.parentCode, divisionCode: v.divisionCode },
          })
        : api(`/departments/${(editing as Department).id}`, {
            method: 'PATCH',
            body: { name: v.name, active: v.active },
          }),
    onSuccess: async () => {
      void message.success(tc('state.saved'));
      await qc.invalidateQueries({ queryKey: ['admin', 'departments'] });
      onClose();
    },
    onError: showError,
  });
  const initial: Partial<DeptForm> =
    editing && editing !== 'new'
      ? { code: editing.code, name: editing.name, divisionCode: editing.divisionCode, active: editing.active }
      : { active: true };
  return (
    <Modal
      open={editing !== null}
      title={isNew ? t('org.newDepartment') : t('org.editDepartment')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'department-save' } as ButtonProps}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => save.mutate(v)}
        data-testid="department-form"
      >
        <Form.Item
          name="code"
          label={t('common.code')}
          extra={isNew ? t('org.codeHint') : undefined}
          rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/ }]}
        >
          <Input disabled={!isNew} autoFocus={isNew} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('common.name')}
          rules={[{ required: true, whitespace: true, max: 100 }]}
        >
          <Input autoFocus={!isNew} onPressEnter={() => form.submit()} />
        </Form.Item>
        <Form.Item name="divisionCode" label={t('org.division')} rules={[{ required: true }]}>
          <Select
            disabled={!isNew}
            showSearch={{ optionFilterProp: 'label' }}
            options={(divisions.data ?? [])
              .filter((d) => d.level !== 'community')
              .map((d) => ({ value: d.code, label: `${d.name} ${d.code}` }))}
          />
        </Form.Item>
        {isNew ? (
          <Form.Item name="parentCode" label={t('org.parent')}>
            <Select
              allowClear
              placeholder={t('org.parentNone')}
              showSearch={{ optionFilterProp: 'label' }}
              options={(departments.data ?? []).map((d) => ({ value: d.code, label: `${d.name} ${d.code}` }))}
            />
          </Form.Item>
        ) : (
          <Form.Item name="active" label={t('common.status')} valuePropName="checked">
            <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export function OrgPage() {
  const { t } = useTranslation('admin');
  const divisions = useDivisions();
  const departments = useDepartments();
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const tree = useMemo(
    () => divisionTree(divisions.data ?? [], (l) => t(`org.level.${l}`)),
    [divisions.data, t],
  );
  const deptRows = useMemo(() => departmentTree(departments.data ?? []), [departments.data]);
  const divisionName = useMemo(
    () => new Map((divisions.data ?? []).map((d) => [d.code, d.name])),
    [divisions.data],
  );
  return (
    <Row gutter={12}>
      <Col span={9}>
        <AdminPage title={t('org.divisions')}>
          <div data-testid="division-tree" style={{ maxHeight: 'calc(100vh - 170px)', overflow: 'auto' }}>
            {tree.length ? (
              <Tree treeData={tree} defaultExpandedKeys={tree.map((n) => n.key)} blockNode />
            ) : null}
          </div>
        </AdminPage>
      </Col>
      <Col span={15}>
        <AdminPage
          title={t('org.departments')}
          extra={
            <Button
              type="primary"
              size="small"
              icon={<PlusOutlined />}
              data-testid="action-new-department"
              onClick={() => setEditing('new')}
            >
              {t('org.newDepartment')}
            </Button>
          }
        >
          <Table<DeptRow>
            data-testid="department-table"
            size="small"
            rowKey="id"
            loading={departments.isLoading}
            dataSource={deptRows}
            pagination={false}
            scroll={{ y: 'calc(100vh - 220px)' }}
            columns={[
              { title: t('common.name'), dataIndex: 'name' },
              { title: t('common.code'), dataIndex: 'code', width: 150 },
              {
                title: t('org.division'),
                width: 130,
                render: (_, d) => divisionName.get(d.divisionCode) ?? d.divisionCode,
              },
              {
                title: t('common.status'),
                width: 70,
                render: (_, d) =>
                  d.active ? (
                    <Tag color="green">{t('common.active')}</Tag>
                  ) : (
                    <Tag>{t('common.inactive')}</Tag>
                  ),
              },
              {
                title: t('common.actions'),
                width: 60,
                render: (_, d) => (
                  <Button
                    size="small"
                    type="link"
                    icon={<EditOutlined />}
                    data-testid="action-edit"
                    onClick={() => setEditing(d)}
                  />
                ),
              },
            ]}
          />
        </AdminPage>
      </Col>
      <DepartmentModal editing={editing} onClose={() => setEditing(null)} />
    </Row>
  );
}
