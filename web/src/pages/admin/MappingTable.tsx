/** 类别对应关系: every GB/T 30428.2 class with its GB/T 47678.5 counterparts; admins add and remove pairs and mark "no counterpart". */
import { CloseOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  type ButtonProps,
  Form,
  Input,
  Modal,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useShowError } from '../../components/errors';
import {
  type ClassMapping,
  type Kind,
  type MappingStatus,
  useMappings,
  useSchemeClasses,
} from './mapping-data';

const STATUS_COLOR: Record<MappingStatus, string> = {
  one: 'green',
  split: 'blue',
  none: 'default',
  open: 'orange',
};

type Editing = { row: ClassMapping; what: 'add' | 'none' } | null;

function EditModal({ editing, onClose }: { editing: Editing; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ toId?: number; note?: string }>();
  const targets = useSchemeClasses('gbt47678');
  const row = editing?.row;
  const save = useMutation({
    mutationFn: (v: { toId?: number; note?: string }) =>
      editing?.what === 'add'
        ? api('/catalog/mappings', {
            method: 'PUT',
            body: { fromId: row?.from.id, toId: v.toId, ...(v.note?.trim() ? { note: v.note.trim() } : {}) },
          })
        : api(`/catalog/mappings/unmapped/${row?.from.id}`, { method: 'PUT', body: { note: v.note ?? '' } }),
    onSuccess: async () => {
      void message.success(tc('state.saved'));
      await qc.invalidateQueries({ queryKey: ['admin', 'mappings'] });
      onClose();
    },
    onError: showError,
  });
  const options = (targets.data ?? [])
    .filter((c) => c.kind === row?.kind && c.level === row?.level && !row?.to.some((x) => x.id === c.id))
    .map((c) => ({ value: c.id, label: `${c.code} ${c.name}` }));
  return (
    <Modal
      open={!!editing}
      destroyOnHidden
      title={
        row
          ? `${row.from.code} ${row.from.name} · ${t(editing?.what === 'add' ? 'mapping.add' : 'mapping.markNone')}`
          : ''
      }
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'mapping-save' } as ButtonProps}
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} preserve={false}>
        {editing?.what === 'add' ? (
          <Form.Item name="toId" label={t('mapping.target')} rules={[{ required: true }]}>
            <Select
              showSearch
              data-testid="mapping-target"
              optionFilterProp="label"
              options={options}
              placeholder={t('mapping.targetPlaceholder')}
            />
          </Form.Item>
        ) : null}
        <Form.Item
          name="note"
          label={t('mapping.note')}
          rules={editing?.what === 'none' ? [{ required: true, whitespace: true, max: 500 }] : [{ max: 500 }]}
        >
          <Input.TextArea rows={3} data-testid="mapping-note" maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function MappingTable() {
  const { t } = useTranslation('admin');
  const showError = useShowError();
  const qc = useQueryClient();
  const mappings = useMappings();
  const [kind, setKind] = useState<Kind>('event');
  const [status, setStatus] = useState<MappingStatus | 'all'>('all');
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<Editing>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['admin', 'mappings'] });
  const remove = useMutation({
    mutationFn: ({ fromId, toId }: { fromId: number; toId: number }) =>
      api(`/catalog/mappings/${fromId}/${toId}`, { method: 'DELETE' }),
    onSuccess: refresh,
    onError: showError,
  });
  const unmark = useMutation({
    mutationFn: (id: number) => api(`/catalog/mappings/unmapped/${id}`, { method: 'DELETE' }),
    onSuccess: refresh,
    onError: showError,
  });
  const rows = useMemo(() => {
    const needle = q.trim();
    return (mappings.data?.items ?? []).filter(
      (r) =>
        r.kind === kind &&
        (status === 'all' || r.status === status) &&
        (!needle ||
          r.from.code.startsWith(needle) ||
          r.from.name.includes(needle) ||
          r.to.some((x) => x.code.startsWith(needle) || x.name.includes(needle))),
    );
  }, [mappings.data, kind, status, q]);
  // Counts of the kind on screen (the API's summary covers both kinds).
  const s = useMemo(() => {
    const ofKind = (mappings.data?.items ?? []).filter((r) => r.kind === kind);
    return Object.fromEntries(
      (['one', 'split', 'none', 'open'] as const).map((v) => [
        v,
        ofKind.filter((r) => r.status === v).length,
      ]),
    ) as Record<MappingStatus, number>;
  }, [mappings.data, kind]);
  return (
    <>
      <Space wrap style={{ marginBottom: 8 }}>
        <Segmented
          value={kind}
          onChange={(v) => setKind(v as Kind)}
          options={[
            { value: 'event', label: t('standards.kind.event') },
            { value: 'component', label: t('standards.kind.component') },
          ]}
        />
        <Select
          style={{ width: 160 }}
          value={status}
          onChange={setStatus}
          data-testid="mapping-status-filter"
          options={(['all', 'one', 'split', 'none', 'open'] as const).map((v) => ({
            value: v,
            label: v === 'all' ? t('mapping.allStatus') : `${t(`mapping.status.${v}`)} (${s[v]})`,
          }))}
        />
        <Input.Search
          allowClear
          style={{ width: 220 }}
          placeholder={t('common.filterText')}
          onChange={(e) => setQ(e.target.value)}
          data-testid="mapping-search"
        />
        <Typography.Text type="secondary">{t('mapping.hint')}</Typography.Text>
      </Space>
      <Table<ClassMapping>
        size="small"
        rowKey={(r) => r.from.id}
        loading={mappings.isLoading}
        dataSource={rows}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        data-testid="mapping-table"
        columns={[
          {
            title: t('mapping.from'),
            width: 200,
            render: (_, r) => (
              <span data-testid={`from-${r.from.code}`}>
                {r.from.code} {r.from.name}
              </span>
            ),
          },
          {
            title: t('common.status'),
            width: 90,
            render: (_, r) => <Tag color={STATUS_COLOR[r.status]}>{t(`mapping.status.${r.status}`)}</Tag>,
          },
          {
            title: t('mapping.to'),
            render: (_, r) =>
              r.to.length > 0 ? (
                <Space direction="vertical" size={2}>
                  {r.to.map((x) => (
                    <Space key={x.id} size={4} data-testid={`to-${r.from.code}-${x.code}`}>
                      <span>
                        {x.code} {x.name}
                      </span>
                      <Tag bordered={false} color={x.basis === 'name' ? 'default' : 'purple'}>
                        {t(`mapping.basis.${x.basis}`)}
                      </Tag>
                      {x.note ? <Typography.Text type="secondary">{x.note}</Typography.Text> : null}
                      <Popconfirm
                        title={t('mapping.removeConfirm', { from: r.from.code, to: x.code })}
                        onConfirm={() => remove.mutate({ fromId: r.from.id, toId: x.id })}
                      >
                        <Button
                          size="small"
                          type="text"
                          icon={<CloseOutlined />}
                          aria-label={t('mapping.remove')}
                        />
                      </Popconfirm>
                    </Space>
                  ))}
                </Space>
              ) : r.noCounterpart ? (
                <Typography.Text type="secondary" data-testid={`none-${r.from.code}`}>
                  {r.noCounterpart.note}
                </Typography.Text>
              ) : (
                <Typography.Text type="warning">{t('mapping.undecided')}</Typography.Text>
              ),
          },
          {
            title: t('common.actions'),
            width: 200,
            render: (_, r) => (
              <Space size={4}>
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  data-testid={`add-${r.from.code}`}
                  onClick={() => setEditing({ row: r, what: 'add' })}
                >
                  {t('mapping.add')}
                </Button>
                {r.noCounterpart ? (
                  <Button size="small" onClick={() => unmark.mutate(r.from.id)}>
                    {t('mapping.unmarkNone')}
                  </Button>
                ) : r.to.length === 0 ? (
                  <Button
                    size="small"
                    icon={<StopOutlined />}
                    data-testid={`mark-${r.from.code}`}
                    onClick={() => setEditing({ row: r, what: 'none' })}
                  >
                    {t('mapping.markNone')}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <EditModal editing={editing} onClose={() => setEditing(null)} />
    </>
  );
}
