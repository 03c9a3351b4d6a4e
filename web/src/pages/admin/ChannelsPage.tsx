/**
 * 接口与推送: Open311 client systems, service attributes and the state → status table, and the
 * webhook subscriptions with their dead-letter lists and redelivery.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Select, Space, Switch, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useShowError } from '../../components/errors';
import { pick } from '../../i18n';
import { AdminPage } from './shared';

const L = {
  clients: { zh: 'Open311 客户端', en: 'Open311 clients' },
  attributes: { zh: '服务属性', en: 'Service attributes' },
  statuses: { zh: '状态映射', en: 'Status table' },
  webhooks: { zh: 'Webhook 订阅', en: 'Webhooks' },
  register: { zh: '登记客户端', en: 'Register client' },
  apiKeyId: { zh: 'API 密钥编号', en: 'API key id' },
  name: { zh: '名称', en: 'Name' },
  rate: { zh: '每分钟限额', en: 'Per minute' },
  active: { zh: '启用', en: 'Active' },
  requests: { zh: '请求数', en: 'Requests' },
  service: { zh: '服务', en: 'Service' },
  save: { zh: '保存', en: 'Save' },
  saved: { zh: '已保存', en: 'Saved' },
  attributesJson: {
    zh: '属性列表（JSON：code、datatype、required、order、description、values）',
    en: 'Attributes (JSON: code, datatype, required, order, description, values)',
  },
  state: { zh: '案卷状态', en: 'Loop state' },
  status: { zh: 'Open311 状态', en: 'Open311 status' },
  extended: { zh: '扩展状态', en: 'Extended status' },
  notes: { zh: '说明', en: 'Notes' },
  subscribe: { zh: '新建订阅', en: 'Subscribe' },
  events: { zh: '事件类型（逗号分隔，空为全部）', en: 'Event types (comma separated, empty: all)' },
  districts: { zh: '区划（逗号分隔）', en: 'Districts (comma separated)' },
  pending: { zh: '待投递', en: 'Pending' },
  dead: { zh: '死信', en: 'Dead' },
  redeliver: { zh: '重新投递', en: 'Redeliver' },
  secret: { zh: '签名密钥（只显示这一次）', en: 'Signing secret (shown once)' },
  case: { zh: '案卷', en: 'Case' },
  attempts: { zh: '次数', en: 'Attempts' },
  error: { zh: '最后错误', en: 'Last error' },
};

const EXTENDED = [
  'OPEN',
  'CLOSED',
  'FIXED',
  'IN_PROGRESS',
  'ACTION_SCHEDULED',
  'INVESTIGATING',
  'DUPLICATE',
  'NOT_COUNCILS_RESPONSIBILITY',
  'NO_FURTHER_ACTION',
  'INTERNAL_REFERRAL',
];

interface Client {
  id: number;
  name: string;
  apiKeyId: number;
  keyPrefix: string;
  rateLimitPerMinute: number;
  active: boolean;
  requests: number;
}
interface StatusRow {
  state: string;
  status: 'open' | 'closed';
  extended: string;
  notes: string | null;
}
interface Subscription {
  id: number;
  name: string;
  url: string;
  eventTypes: string[];
  districtCodes: string[];
  active: boolean;
  pending: number;
  dead: number;
}
interface Delivery {
  id: string;
  caseNumber: string;
  event: string;
  attempts: number;
  lastError: string | null;
}

const csv = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function ClientsTab() {
  const qc = useQueryClient();
  const showError = useShowError();
  const clients = useQuery({
    queryKey: ['open311', 'clients'],
    queryFn: () => api<Client[]>('/open311/clients'),
  });
  const change = useMutation({
    mutationFn: (v: { id: number; body: Record<string, unknown> }) =>
      api(`/open311/clients/${v.id}`, { method: 'PATCH', body: v.body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['open311', 'clients'] }),
    onError: showError,
  });
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api('/open311/clients', { body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['open311', 'clients'] }),
    onError: showError,
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Form layout="inline" onFinish={(v) => create.mutate(v)}>
        <Form.Item name="apiKeyId" label={pick(L.apiKeyId)} rules={[{ required: true }]}>
          <InputNumber min={1} />
        </Form.Item>
        <Form.Item name="name" label={pick(L.name)} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="rateLimitPerMinute" label={pick(L.rate)} initialValue={120}>
          <InputNumber min={1} max={100000} />
        </Form.Item>
        <Button htmlType="submit" type="primary" loading={create.isPending}>
          {pick(L.register)}
        </Button>
      </Form>
      <Table<Client>
        rowKey="id"
        size="small"
        loading={clients.isLoading}
        dataSource={clients.data ?? []}
        pagination={false}
        columns={[
          { title: pick(L.name), dataIndex: 'name' },
          { title: pick(L.apiKeyId), render: (_, r) => `${r.apiKeyId} (${r.keyPrefix})` },
          {
            title: pick(L.rate),
            render: (_, r) => (
              <InputNumber
                min={1}
                max={100000}
                defaultValue={r.rateLimitPerMinute}
                onBlur={(e) =>
                  change.mutate({ id: r.id, body: { rateLimitPerMinute: Number(e.target.value) } })
                }
              />
            ),
          },
          { title: pick(L.requests), dataIndex: 'requests' },
          {
            title: pick(L.active),
            render: (_, r) => (
              <Switch
                checked={r.active}
                onChange={(active) => change.mutate({ id: r.id, body: { active } })}
              />
            ),
          },
        ]}
      />
    </Space>
  );
}

function AttributesTab() {
  const { message } = App.useApp();
  const showError = useShowError();
  const [code, setCode] = useState<string>();
  const [text, setText] = useState('');
  const services = useQuery({
    queryKey: ['open311', 'services'],
    queryFn: () =>
      api<Array<{ service_code: string; service_name: string; group: string }>>('/open311/services'),
  });
  const load = async (c: string) => {
    setCode(c);
    try {
      const s = await api<{ attributes: Array<Record<string, unknown>> }>(`/open311/services/${c}`);
      const list = s.attributes.map(({ datatype_description, ...a }) => ({
        ...a,
        datatypeDescription: datatype_description,
      }));
      setText(JSON.stringify(list, null, 2));
    } catch (err) {
      showError(err);
    }
  };
  const save = async () => {
    try {
      await api(`/open311/services/${code}/attributes`, { method: 'PUT', body: JSON.parse(text) });
      message.success(pick(L.saved));
    } catch (err) {
      showError(err);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        showSearch
        style={{ width: 420 }}
        placeholder={pick(L.service)}
        optionFilterProp="label"
        value={code}
        onChange={load}
        options={(services.data ?? []).map((s) => ({
          value: s.service_code,
          label: `${s.service_code} ${s.group} / ${s.service_name}`,
        }))}
      />
      {code && (
        <>
          <div>{pick(L.attributesJson)}</div>
          <Input.TextArea rows={16} value={text} onChange={(e) => setText(e.target.value)} />
          <Button type="primary" onClick={save}>
            {pick(L.save)}
          </Button>
        </>
      )}
    </Space>
  );
}

function StatusTab() {
  const qc = useQueryClient();
  const showError = useShowError();
  const { t } = useTranslation('cases');
  const rows = useQuery({
    queryKey: ['open311', 'status'],
    queryFn: () => api<StatusRow[]>('/open311/status-map'),
  });
  const change = useMutation({
    mutationFn: (r: StatusRow) =>
      api(`/open311/status-map/${r.state}`, {
        method: 'PUT',
        body: { status: r.status, extended: r.extended, notes: r.notes },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['open311', 'status'] }),
    onError: showError,
  });
  return (
    <Table<StatusRow>
      rowKey="state"
      size="small"
      pagination={false}
      loading={rows.isLoading}
      dataSource={rows.data ?? []}
      columns={[
        {
          title: pick(L.state),
          render: (_, r) => `${t(`state.${r.state}`, { defaultValue: r.state })} (${r.state})`,
        },
        {
          title: pick(L.status),
          render: (_, r) => (
            <Select
              value={r.status}
              style={{ width: 100 }}
              onChange={(status) => change.mutate({ ...r, status })}
              options={[
                { value: 'open', label: 'open' },
                { value: 'closed', label: 'closed' },
              ]}
            />
          ),
        },
        {
          title: pick(L.extended),
          render: (_, r) => (
            <Select
              value={r.extended}
              style={{ width: 260 }}
              onChange={(extended) => change.mutate({ ...r, extended })}
              options={EXTENDED.map((e) => ({ value: e, label: e }))}
            />
          ),
        },
        {
          title: pick(L.notes),
          render: (_, r) => (
            <Input
              defaultValue={r.notes ?? ''}
              onBlur={(e) => change.mutate({ ...r, notes: e.target.value.trim() || null })}
            />
          ),
        },
      ]}
    />
  );
}

function DeadLetters({ id }: { id: number }) {
  const qc = useQueryClient();
  const showError = useShowError();
  const dead = useQuery({
    queryKey: ['webhooks', id, 'dead'],
    queryFn: () => api<Delivery[]>(`/webhooks/${id}/deliveries`, { query: { state: 'dead' } }),
  });
  const redeliver = useMutation({
    mutationFn: (ids: string[]) => api('/webhooks/redeliver', { body: { ids } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['webhooks'] }),
    onError: showError,
  });
  const rows = dead.data ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button disabled={rows.length === 0} onClick={() => redeliver.mutate(rows.map((r) => r.id))}>
        {pick(L.redeliver)} ({rows.length})
      </Button>
      <Table<Delivery>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: pick(L.case), dataIndex: 'caseNumber' },
          { title: 'event', dataIndex: 'event' },
          { title: pick(L.attempts), dataIndex: 'attempts' },
          { title: pick(L.error), dataIndex: 'lastError' },
          {
            title: '',
            render: (_, r) => (
              <Button size="small" onClick={() => redeliver.mutate([r.id])}>
                {pick(L.redeliver)}
              </Button>
            ),
          },
        ]}
      />
    </Space>
  );
}

function WebhooksTab() {
  const qc = useQueryClient();
  const showError = useShowError();
  const { modal } = App.useApp();
  const subs = useQuery({ queryKey: ['webhooks'], queryFn: () => api<Subscription[]>('/webhooks') });
  const create = useMutation({
    mutationFn: (v: { name: string; url: string; events?: string; districts?: string }) =>
      api<{ secret: string }>('/webhooks', {
        body: { name: v.name, url: v.url, eventTypes: csv(v.events), districtCodes: csv(v.districts) },
      }),
    onSuccess: (r) => {
      modal.info({ title: pick(L.secret), content: <code>{r.secret}</code> });
      qc.invalidateQueries({ queryKey: ['webhooks'] });
    },
    onError: showError,
  });
  const toggle = useMutation({
    mutationFn: (v: { id: number; active: boolean }) =>
      api(`/webhooks/${v.id}`, { method: 'PATCH', body: { active: v.active } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['webhooks'] }),
    onError: showError,
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Form layout="inline" onFinish={(v) => create.mutate(v)}>
        <Form.Item name="name" label={pick(L.name)} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="url" label="URL" rules={[{ required: true }]}>
          <Input style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="events" label={pick(L.events)}>
          <Input />
        </Form.Item>
        <Form.Item name="districts" label={pick(L.districts)}>
          <Input />
        </Form.Item>
        <Button htmlType="submit" type="primary" loading={create.isPending}>
          {pick(L.subscribe)}
        </Button>
      </Form>
      <Table<Subscription>
        rowKey="id"
        size="small"
        pagination={false}
        loading={subs.isLoading}
        dataSource={subs.data ?? []}
        expandable={{ expandedRowRender: (r) => <DeadLetters id={r.id} />, rowExpandable: (r) => r.dead > 0 }}
        columns={[
          { title: pick(L.name), dataIndex: 'name' },
          { title: 'URL', dataIndex: 'url' },
          { title: pick(L.events), render: (_, r) => r.eventTypes.join(', ') || '*' },
          { title: pick(L.pending), dataIndex: 'pending' },
          {
            title: pick(L.dead),
            render: (_, r) => (r.dead > 0 ? <Tag color="red">{r.dead}</Tag> : 0),
          },
          {
            title: pick(L.active),
            render: (_, r) => (
              <Switch checked={r.active} onChange={(active) => toggle.mutate({ id: r.id, active })} />
            ),
          },
        ]}
      />
    </Space>
  );
}

export function ChannelsPage() {
  const { t } = useTranslation('admin');
  return (
    <AdminPage title={t('menu.channels')}>
      <Tabs
        items={[
          { key: 'clients', label: pick(L.clients), children: <ClientsTab /> },
          { key: 'attributes', label: pick(L.attributes), children: <AttributesTab /> },
          { key: 'statuses', label: pick(L.statuses), children: <StatusTab /> },
          { key: 'webhooks', label: pick(L.webhooks), children: <WebhooksTab /> },
        ]}
      />
    </AdminPage>
  );
}
