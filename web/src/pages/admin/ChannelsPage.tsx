/**
 * 接口与推送: Open311 client systems, service attributes and the state → status table, and the
 * webhook subscriptions and the notice rules (case events → group robots / SMS) with their
 * deliveries, dead-letter lists and redelivery.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Form,
  Input,
  InputNumber,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
} from 'antd';
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
  delivered: { zh: '已投递', en: 'Delivered' },
  rules: { zh: '通知规则', en: 'Notice rules' },
  channels: { zh: '通知渠道', en: 'Channels' },
  addChannel: { zh: '添加渠道', en: 'Add channel' },
  kind: { zh: '类型', en: 'Kind' },
  phones: { zh: '手机号（逗号分隔）', en: 'Phones (comma separated)' },
  addRule: { zh: '新建规则', en: 'Add rule' },
  eventsPick: { zh: '事件类型（空为全部）', en: 'Event types (none: all)' },
  channel: { zh: '渠道', en: 'Channel' },
  urgencies: { zh: '紧急程度', en: 'Urgency' },
  sources: { zh: '来源', en: 'Sources' },
  recipients: { zh: '接收人手机（短信 / @提醒）', en: 'Recipients (SMS / @mention)' },
  maxAttempts: { zh: '最多尝试', en: 'Max attempts' },
};

const KINDS = [
  { value: 'wecom', label: '企业微信群机器人' },
  { value: 'dingtalk', label: '钉钉群机器人' },
  { value: 'sms', label: '短信' },
];
/** The case events a notice is usually for (any case action is accepted by the API). */
const NOTICE_EVENTS = [
  { value: 'report', label: '上报 / 工单接收 (report)' },
  { value: 'file', label: '立案 (file)' },
  { value: 'overdue', label: '超期 / 红灯 (overdue)' },
  { value: 'return_request', label: '申请回退 (return_request)' },
  { value: 'return_approve', label: '回退 (return_approve)' },
  { value: 'reopen', label: '重办 (reopen)' },
  { value: 'sensor_event', label: '物联感知 (sensor_event)' },
  { value: 'camera_event', label: '视频识别重复 (camera_event)' },
  { value: 'urge', label: '督办 (urge)' },
  { value: 'close', label: '结案 (close)' },
];
const URGENCY_OPTIONS = [
  { value: 'normal', label: '一般' },
  { value: 'urgent', label: '紧急' },
  { value: 'emergency', label: '特急' },
];
const SOURCE_OPTIONS = [
  { value: 'supervisor', label: '监督员' },
  { value: 'public', label: '公众' },
  { value: 'hotline_12345', label: '12345 热线' },
  { value: 'video_ai', label: '视频AI' },
  { value: 'iot', label: '物联感知' },
  { value: 'open311', label: 'Open311' },
];

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
interface NotifyChannel {
  id: number;
  name: string;
  kind: string;
  url: string | null;
  phones: string[];
}
interface Rule {
  id: number;
  name: string;
  channelName: string;
  channelKind: string;
  eventTypes: string[];
  urgencies: string[];
  sources: string[];
  recipients: string[];
  active: boolean;
  pending: number;
  delivered: number;
  dead: number;
}
type DeliveryState = 'delivered' | 'pending' | 'dead';

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

/** A subscription's or a rule's deliveries in one state; the dead ones can be sent again. */
function Deliveries({ path, queryKey, dead }: { path: string; queryKey: unknown[]; dead: number }) {
  const qc = useQueryClient();
  const showError = useShowError();
  const [state, setState] = useState<DeliveryState>(dead > 0 ? 'dead' : 'delivered');
  const list = useQuery({
    queryKey: [...queryKey, 'deliveries', state],
    queryFn: () => api<Delivery[]>(path, { query: { state } }),
    refetchInterval: 2000,
  });
  const redeliver = useMutation({
    mutationFn: (ids: string[]) => api('/webhooks/redeliver', { body: { ids } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: [queryKey[0]] }),
    onError: showError,
  });
  const rows = list.data ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid={`deliveries-${path}`}>
      <Space>
        <Segmented<DeliveryState>
          value={state}
          onChange={setState}
          options={[
            { value: 'delivered', label: pick(L.delivered) },
            { value: 'pending', label: pick(L.pending) },
            { value: 'dead', label: pick(L.dead) },
          ]}
        />
        {state === 'dead' && (
          <Button disabled={rows.length === 0} onClick={() => redeliver.mutate(rows.map((r) => r.id))}>
            {pick(L.redeliver)} ({rows.length})
          </Button>
        )}
      </Space>
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
          ...(state === 'dead'
            ? [
                {
                  title: '',
                  render: (_: unknown, r: Delivery) => (
                    <Button size="small" onClick={() => redeliver.mutate([r.id])}>
                      {pick(L.redeliver)}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}

function WebhooksTab() {
  const qc = useQueryClient();
  const showError = useShowError();
  const { modal } = App.useApp();
  const subs = useQuery({
    queryKey: ['webhooks'],
    queryFn: () => api<Subscription[]>('/webhooks'),
    refetchInterval: 2000,
  });
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
      <Form name="webhook" layout="inline" onFinish={(v) => create.mutate(v)}>
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
        expandable={{
          expandedRowRender: (r) => (
            <Deliveries path={`/webhooks/${r.id}/deliveries`} queryKey={['webhooks', r.id]} dead={r.dead} />
          ),
        }}
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

function RulesTab() {
  const qc = useQueryClient();
  const showError = useShowError();
  const channels = useQuery({
    queryKey: ['notify', 'channels'],
    queryFn: () => api<NotifyChannel[]>('/notify/channels'),
  });
  const rules = useQuery({
    queryKey: ['notify-rules'],
    queryFn: () => api<Rule[]>('/notify/rules'),
    refetchInterval: 2000,
  });
  const addChannel = useMutation({
    mutationFn: (v: { name: string; kind: string; url?: string; phones?: string }) =>
      api('/notify/channels', {
        body: {
          name: v.name,
          kind: v.kind,
          url: v.kind === 'sms' ? null : (v.url ?? null),
          phones: csv(v.phones),
        },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['notify', 'channels'] }),
    onError: showError,
  });
  const addRule = useMutation({
    mutationFn: (v: {
      name: string;
      channelId: number;
      eventTypes?: string[];
      urgencies?: string[];
      sources?: string[];
      districts?: string;
      recipients?: string;
      maxAttempts?: number;
    }) =>
      api('/notify/rules', {
        body: {
          name: v.name,
          channelId: v.channelId,
          eventTypes: v.eventTypes ?? [],
          urgencies: v.urgencies ?? [],
          sources: v.sources ?? [],
          districtCodes: csv(v.districts),
          recipients: csv(v.recipients),
          maxAttempts: v.maxAttempts ?? 8,
        },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['notify-rules'] }),
    onError: showError,
  });
  const toggle = useMutation({
    mutationFn: (v: { id: number; active: boolean }) =>
      api(`/notify/rules/${v.id}`, { method: 'PATCH', body: { active: v.active } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['notify-rules'] }),
    onError: showError,
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <b>{pick(L.channels)}</b>
      <Form name="channel" layout="inline" onFinish={(v) => addChannel.mutate(v)} data-testid="channel-form">
        <Form.Item name="name" label={pick(L.name)} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label={pick(L.kind)} rules={[{ required: true }]}>
          <Select style={{ width: 170 }} options={KINDS} />
        </Form.Item>
        <Form.Item name="url" label="URL">
          <Input style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="phones" label={pick(L.phones)}>
          <Input />
        </Form.Item>
        <Button htmlType="submit" loading={addChannel.isPending}>
          {pick(L.addChannel)}
        </Button>
      </Form>
      <Table<NotifyChannel>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={channels.data ?? []}
        columns={[
          { title: pick(L.name), dataIndex: 'name' },
          { title: pick(L.kind), render: (_, r) => KINDS.find((k) => k.value === r.kind)?.label ?? r.kind },
          { title: `URL / ${pick(L.phones)}`, render: (_, r) => r.url ?? r.phones.join(', ') },
        ]}
      />
      <b>{pick(L.rules)}</b>
      <Form name="rule" layout="inline" onFinish={(v) => addRule.mutate(v)} data-testid="rule-form">
        <Form.Item name="name" label={pick(L.name)} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="channelId" label={pick(L.channel)} rules={[{ required: true }]}>
          <Select
            style={{ width: 200 }}
            options={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item name="eventTypes" label={pick(L.eventsPick)}>
          <Select mode="multiple" style={{ minWidth: 220 }} options={NOTICE_EVENTS} />
        </Form.Item>
        <Form.Item name="urgencies" label={pick(L.urgencies)}>
          <Select mode="multiple" style={{ minWidth: 140 }} options={URGENCY_OPTIONS} />
        </Form.Item>
        <Form.Item name="sources" label={pick(L.sources)}>
          <Select mode="multiple" style={{ minWidth: 140 }} options={SOURCE_OPTIONS} />
        </Form.Item>
        <Form.Item name="districts" label={pick(L.districts)}>
          <Input style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="recipients" label={pick(L.recipients)}>
          <Input />
        </Form.Item>
        <Form.Item name="maxAttempts" label={pick(L.maxAttempts)} initialValue={8}>
          <InputNumber min={1} max={50} />
        </Form.Item>
        <Button htmlType="submit" type="primary" loading={addRule.isPending}>
          {pick(L.addRule)}
        </Button>
      </Form>
      <Table<Rule>
        rowKey="id"
        size="small"
        pagination={false}
        loading={rules.isLoading}
        dataSource={rules.data ?? []}
        expandable={{
          expandedRowRender: (r) => (
            <Deliveries
              path={`/notify/rules/${r.id}/deliveries`}
              queryKey={['notify-rules', r.id]}
              dead={r.dead}
            />
          ),
        }}
        columns={[
          { title: pick(L.name), dataIndex: 'name' },
          { title: pick(L.channel), dataIndex: 'channelName' },
          { title: pick(L.events), render: (_, r) => r.eventTypes.join(', ') || '*' },
          {
            title: pick(L.urgencies),
            render: (_, r) =>
              r.urgencies.map((u) => URGENCY_OPTIONS.find((o) => o.value === u)?.label ?? u).join(', ') ||
              '*',
          },
          { title: pick(L.recipients), render: (_, r) => r.recipients.join(', ') },
          { title: pick(L.delivered), dataIndex: 'delivered' },
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
          { key: 'rules', label: pick(L.rules), children: <RulesTab /> },
        ]}
      />
    </AdminPage>
  );
}
