/** 责任分解表: which department handles a class in an area, editable by admins. */
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useShowError } from '../../components/errors';
import { useDepartments, useDivisions } from './org-data';
import { AdminPage } from './shared';

interface Rule {
  id: number;
  category: { id: number; code: string; name: string; kind: 'component' | 'event' };
  area: { code: string; name: string; level: string };
  areaClass: 'A' | 'B' | 'C' | null;
  departments: Array<{ code: string; name: string | null }>;
  note: string | null;
  validFrom: string | null;
  validTo: string | null;
}

interface RuleForm {
  kind: 'component' | 'event';
  categoryCode: string;
  areaCode: string;
  areaClass?: 'A' | 'B' | 'C';
  departmentCodes: string[];
  note?: string;
  validFrom?: string;
  validTo?: string;
}

const PAGE = 50;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function RuleModal({ editing, onClose }: { editing: Rule | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const [form] = Form.useForm<RuleForm>();
  const departments = useDepartments();
  const divisions = useDivisions();
  const isNew = editing === 'new';
  const save = useMutation({
    mutationFn: (v: RuleForm) => {
      const common = {
        departmentCodes: v.departmentCodes,
        note: v.note?.trim() || null,
        validFrom: v.validFrom || null,
        validTo: v.validTo || null,
      };
      return isNew
        ? api('/responsibility-rules', {
            body: {
              kind: v.kind,
              categoryCode: v.categoryCode,
              areaCode: v.areaCode,
              areaClass: v.areaClass ?? null,
              ...common,
            },
          })
        : api(`/responsibility-rules/${(editing as Rule).id}`, { method: 'PATCH', body: common });
    },
    onSuccess: async () => {
      void message.success(tc('state.saved'));
      await qc.invalidateQueries({ queryKey: ['admin', 'rules'] });
      onClose();
    },
    onError: showError,
  });
  const initial: Partial<RuleForm> =
    editing && editing !== 'new'
      ? {
          kind: editing.category.kind,
          categoryCode: editing.category.code,
          areaCode: editing.area.code,
          ...(editing.areaClass ? { areaClass: editing.areaClass } : {}),
          departmentCodes: editing.departments.map((d) => d.code),
          note: editing.note ?? '',
          validFrom: editing.validFrom ?? '',
          validTo: editing.validTo ?? '',
        }
      : { kind: 'event' };
  return (
    <Modal
      open={editing !== null}
      title={isNew ? t('responsibility.newRule') : t('responsibility.editRule')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={600}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => save.mutate(v)}
        data-testid="rule-form"
      >
        <Space.Compact block>
          <Form.Item name="kind" label={t('standards.categories')} style={{ width: 120 }}>
            <Select
              disabled={!isNew}
              options={(['event', 'component'] as const).map((k) => ({
                value: k,
                label: t(`standards.kind.${k}`),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="categoryCode"
            label={t('responsibility.categoryCode')}
            rules={[{ required: true, pattern: /^[0-9]{4,7}$/ }]}
            style={{ flex: 1 }}
          >
            <Input disabled={!isNew} autoFocus={isNew} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="areaCode" label={t('responsibility.area')} rules={[{ required: true }]}>
          <Select
            disabled={!isNew}
            showSearch={{ optionFilterProp: 'label' }}
            options={(divisions.data ?? []).map((d) => ({ value: d.code, label: `${d.name} ${d.code}` }))}
          />
        </Form.Item>
        <Form.Item name="areaClass" label={t('responsibility.areaClass')}>
          <Select
            allowClear
            disabled={!isNew}
            placeholder={t('responsibility.anyClass')}
            options={['A', 'B', 'C'].map((c) => ({ value: c, label: c }))}
          />
        </Form.Item>
        <Form.Item
          name="departmentCodes"
          label={t('responsibility.departments')}
          rules={[{ required: true }]}
        >
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            options={(departments.data ?? []).map((d) => ({ value: d.code, label: `${d.name} ${d.code}` }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('responsibility.note')} rules={[{ max: 500 }]}>
          <Input />
        </Form.Item>
        <Space>
          <Form.Item
            name="validFrom"
            label={t('responsibility.validFrom')}
            rules={[{ pattern: DATE, message: 'YYYY-MM-DD' }]}
          >
            <Input placeholder="YYYY-MM-DD" />
          </Form.Item>
          <Form.Item
            name="validTo"
            label={t('responsibility.validTo')}
            rules={[{ pattern: DATE, message: 'YYYY-MM-DD' }]}
          >
            <Input placeholder="YYYY-MM-DD" onPressEnter={() => form.submit()} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

export function ResponsibilityPage() {
  const { t } = useTranslation('admin');
  const showError = useShowError();
  const qc = useQueryClient();
  const departments = useDepartments();
  const [kind, setKind] = useState<'component' | 'event' | undefined>();
  const [categoryCode, setCategoryCode] = useState<string | undefined>();
  const [departmentCode, setDepartmentCode] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const filters = { kind, categoryCode, departmentCode };
  const rules = useQuery({
    queryKey: ['admin', 'rules', filters, page],
    queryFn: () =>
      api<{ items: Rule[]; total: number }>('/responsibility-rules', {
        query: { ...filters, limit: PAGE, offset: (page - 1) * PAGE },
      }),
    placeholderData: keepPreviousData,
  });
  const remove = useMutation({
    mutationFn: (id: number) => api(`/responsibility-rules/${id}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'rules'] }),
    onError: showError,
  });
  const items = rules.data?.items ?? [];
  const total = rules.data?.total ?? 0;
  return (
    <AdminPage
      title={t('menu.responsibility')}
      extra={
        <Button
          size="small"
          type="primary"
          icon={<PlusOutlined />}
          data-testid="action-new-rule"
          onClick={() => setEditing('new')}
        >
          {t('responsibility.newRule')}
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('standards.categories')}
          style={{ width: 110 }}
          value={kind}
          onChange={(v) => {
            setKind(v);
            setPage(1);
          }}
          options={(['event', 'component'] as const).map((k) => ({
            value: k,
            label: t(`standards.kind.${k}`),
          }))}
        />
        <Input.Search
          allowClear
          placeholder={t('responsibility.categoryCode')}
          style={{ width: 170 }}
          onSearch={(v) => {
            setCategoryCode(/^[0-9]{4,7}$/.test(v.trim()) ? v.trim() : undefined);
            setPage(1);
          }}
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('responsibility.departments')}
          style={{ width: 220 }}
          value={departmentCode}
          onChange={(v) => {
            setDepartmentCode(v);
            setPage(1);
          }}
          options={(departments.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
        />
      </Space>
      <Table<Rule>
        data-testid="rule-table"
        size="small"
        rowKey="id"
        loading={rules.isFetching}
        dataSource={items}
        pagination={{ current: page, pageSize: PAGE, total, onChange: setPage, showSizeChanger: false }}
        scroll={{ y: 'calc(100vh - 300px)' }}
        columns={[
          {
            title: t('responsibility.category'),
            width: 200,
            render: (_, r) =>
              `${t(`standards.kind.${r.category.kind}`)} ${r.category.code} ${r.category.name}`,
          },
          { title: t('responsibility.area'), width: 120, render: (_, r) => r.area.name },
          {
            title: t('responsibility.areaClass'),
            width: 80,
            render: (_, r) => r.areaClass ?? t('responsibility.anyClass'),
          },
          {
            title: t('responsibility.departments'),
            render: (_, r) => r.departments.map((d) => d.name ?? d.code).join(' → '),
          },
          { title: t('responsibility.validFrom'), width: 100, dataIndex: 'validFrom' },
          { title: t('responsibility.validTo'), width: 100, dataIndex: 'validTo' },
          {
            title: t('common.actions'),
            width: 120,
            render: (_, r) => (
              <Space size={0}>
                <Button size="small" type="link" data-testid="action-edit" onClick={() => setEditing(r)}>
                  {t('common:action.edit')}
                </Button>
                <Popconfirm title={t('responsibility.deleteConfirm')} onConfirm={() => remove.mutate(r.id)}>
                  <Button size="small" type="link" danger data-testid="action-delete">
                    {t('common:action.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <RuleModal editing={editing} onClose={() => setEditing(null)} />
    </AdminPage>
  );
}
