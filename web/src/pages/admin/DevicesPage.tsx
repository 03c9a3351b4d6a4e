/** 物联设备: the device registry on components, thresholds per type, alarms, rejected messages. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Modal, Select, Space, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ALARM_LABELS, type AlarmKind } from '../../../../src/domain/iot/readings';
import { api } from '../../api/client';
import { AdminPage } from './shared';

interface Device {
  id: string;
  typeCode: string;
  typeName: string;
  model: string | null;
  componentId: string;
  componentName: string;
  installedOn: string | null;
  reportPeriodSeconds: number;
  batteryPct: number | null;
  online: boolean;
  lastSeenAt: string | null;
}
interface DeviceType {
  code: string;
  name: string;
  thresholds: Record<string, number>;
}
interface Alarm {
  id: number;
  deviceId: string;
  componentId: string;
  kind: AlarmKind;
  value: number | null;
  raisedAt: string;
  restoredAt: string | null;
  caseNumber: string | null;
}
interface Raw {
  id: number;
  receivedAt: string;
  topic: string;
  payloadHex: string;
  reason: string | null;
}

const THRESHOLD_KEYS = ['tiltDeg', 'waterLevelCm', 'gasLel', 'temperatureC', 'batteryPct'] as const;
const time = (s: string | null) => (s ? new Date(s).toLocaleString() : '—');

function TypesTab() {
  const { t } = useTranslation('admin');
  const { message } = App.useApp();
  const client = useQueryClient();
  const types = useQuery({
    queryKey: ['iot', 'types'],
    queryFn: () => api<DeviceType[]>('/iot/device-types'),
  });
  const save = useMutation({
    mutationFn: (v: { code: string; thresholds: Record<string, number | null> }) =>
      api(`/iot/device-types/${v.code}`, {
        method: 'PATCH',
        body: {
          thresholds: Object.fromEntries(
            Object.entries(v.thresholds).filter(([, x]) => x !== null && x !== undefined),
          ),
        },
      }),
    onSuccess: () => {
      void message.success(t('iot.saved'));
      void client.invalidateQueries({ queryKey: ['iot', 'types'] });
    },
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {(types.data ?? []).map((type) => (
        <Form
          key={type.code}
          layout="inline"
          initialValues={type.thresholds}
          onFinish={(values) => save.mutate({ code: type.code, thresholds: values })}
          data-testid={`iot-type-${type.code}`}
        >
          <Form.Item label={type.name} />
          {THRESHOLD_KEYS.map((k) => (
            <Form.Item key={k} name={k} label={k}>
              <InputNumber size="small" min={0} style={{ width: 90 }} />
            </Form.Item>
          ))}
          <Button size="small" type="primary" htmlType="submit" loading={save.isPending}>
            {t('iot.save')}
          </Button>
        </Form>
      ))}
    </Space>
  );
}

function RegisterModal({
  open,
  onClose,
  types,
}: {
  open: boolean;
  onClose: () => void;
  types: DeviceType[];
}) {
  const { t } = useTranslation('admin');
  const client = useQueryClient();
  const [form] = Form.useForm();
  const create = useMutation({
    mutationFn: (body: object) => api('/iot/devices', { method: 'POST', body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['iot', 'devices'] });
      form.resetFields();
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title={t('iot.register')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
    >
      <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
        <Form.Item
          name="id"
          label={t('iot.id')}
          rules={[{ required: true, pattern: /^[A-Za-z0-9_.:-]{1,64}$/ }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="typeCode" label={t('iot.type')} rules={[{ required: true }]}>
          <Select options={types.map((x) => ({ value: x.code, label: x.name }))} />
        </Form.Item>
        <Form.Item
          name="componentId"
          label={t('iot.component')}
          rules={[{ required: true, pattern: /^\d{16,17}$/ }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="model" label={t('iot.model')}>
          <Input />
        </Form.Item>
        <Form.Item name="reportPeriodSeconds" label={t('iot.period')} initialValue={300}>
          <InputNumber min={10} max={604800} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function DevicesPage() {
  const { t, i18n } = useTranslation('admin');
  const lang = i18n.language.startsWith('en') ? 'en' : 'zh';
  const [registering, setRegistering] = useState(false);
  const devices = useQuery({
    queryKey: ['iot', 'devices'],
    queryFn: () => api<{ items: Device[] }>('/iot/devices', { query: { limit: 1000 } }),
  });
  const types = useQuery({
    queryKey: ['iot', 'types'],
    queryFn: () => api<DeviceType[]>('/iot/device-types'),
  });
  const alarms = useQuery({
    queryKey: ['iot', 'alarms'],
    queryFn: () => api<{ items: Alarm[] }>('/iot/alarms', { query: { limit: 500 } }),
    refetchInterval: 10_000,
  });
  const rejected = useQuery({
    queryKey: ['iot', 'rejected'],
    queryFn: () => api<{ items: Raw[] }>('/iot/raw-messages', { query: { status: 'rejected', limit: 200 } }),
  });
  return (
    <AdminPage
      title={t('menu.devices')}
      extra={
        <Button type="primary" onClick={() => setRegistering(true)}>
          {t('iot.register')}
        </Button>
      }
    >
      <Tabs
        items={[
          {
            key: 'devices',
            label: t('iot.devices'),
            children: (
              <Table<Device>
                rowKey="id"
                size="small"
                loading={devices.isLoading}
                dataSource={devices.data?.items ?? []}
                columns={[
                  { title: t('iot.id'), dataIndex: 'id' },
                  { title: t('iot.type'), dataIndex: 'typeName' },
                  { title: t('iot.model'), dataIndex: 'model' },
                  { title: t('iot.component'), render: (_, d) => `${d.componentName} ${d.componentId}` },
                  { title: t('iot.installedOn'), dataIndex: 'installedOn' },
                  { title: t('iot.period'), dataIndex: 'reportPeriodSeconds' },
                  {
                    title: t('iot.battery'),
                    render: (_, d) => (d.batteryPct === null ? '—' : `${d.batteryPct}%`),
                  },
                  {
                    title: t('iot.online'),
                    render: (_, d) => (
                      <Tag color={d.online ? 'green' : 'red'}>
                        {d.online ? t('iot.online') : t('iot.offline')}
                      </Tag>
                    ),
                  },
                  { title: t('iot.lastSeen'), render: (_, d) => time(d.lastSeenAt) },
                ]}
              />
            ),
          },
          { key: 'types', label: t('iot.types'), children: <TypesTab /> },
          {
            key: 'alarms',
            label: t('iot.alarms'),
            children: (
              <Table<Alarm>
                rowKey="id"
                size="small"
                dataSource={alarms.data?.items ?? []}
                columns={[
                  {
                    title: t('iot.kind'),
                    render: (_, a) => (
                      <Tag color={a.restoredAt ? 'default' : 'red'}>{ALARM_LABELS[a.kind][lang]}</Tag>
                    ),
                  },
                  { title: t('iot.id'), dataIndex: 'deviceId' },
                  { title: t('iot.component'), dataIndex: 'componentId' },
                  { title: t('iot.value'), dataIndex: 'value' },
                  { title: t('iot.raisedAt'), render: (_, a) => time(a.raisedAt) },
                  { title: t('iot.restoredAt'), render: (_, a) => time(a.restoredAt) },
                  { title: t('iot.case'), dataIndex: 'caseNumber' },
                ]}
              />
            ),
          },
          {
            key: 'rejected',
            label: t('iot.rejected'),
            children: (
              <Table<Raw>
                rowKey="id"
                size="small"
                dataSource={rejected.data?.items ?? []}
                columns={[
                  { title: t('iot.receivedAt'), render: (_, r) => time(r.receivedAt) },
                  { title: t('iot.topic'), dataIndex: 'topic' },
                  { title: t('iot.reason'), dataIndex: 'reason' },
                  {
                    title: t('iot.payload'),
                    render: (_, r) => <code>{r.payloadHex.slice(0, 80)}</code>,
                  },
                ]}
              />
            ),
          },
        ]}
      />
      <RegisterModal open={registering} onClose={() => setRegistering(false)} types={types.data ?? []} />
    </AdminPage>
  );
}
