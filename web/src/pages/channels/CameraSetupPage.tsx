/** 摄像机与事件映射: the camera registry and the vendor event code → category mapping (admin). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useShowError } from '../../components/errors';

interface Camera {
  deviceId: string;
  name: string;
  lng: number;
  lat: number;
  view: string | null;
  districtCode: string;
  active: boolean;
}

interface Mapping {
  id: number;
  vendor: string;
  eventCode: string;
  label: string;
  category: { kind: 'component' | 'event'; code: string; name: string };
  minConfidence: number;
  mergeRadiusM: number;
  active: boolean;
}

function useSave(key: string) {
  const { t } = useTranslation('channels');
  const { message } = App.useApp();
  const showError = useShowError();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ path, body }: { path: string; body: unknown }) => api(path, { method: 'PUT', body }),
    onSuccess: () => {
      void message.success(t('cameras.saved'));
      void client.invalidateQueries({ queryKey: ['camera', key] });
    },
    onError: showError,
  });
}

function Registry() {
  const { t } = useTranslation('channels');
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const cameras = useQuery({
    queryKey: ['camera', 'cameras'],
    queryFn: () => api<{ items: Camera[] }>('/camera/cameras'),
  });
  const save = useSave('cameras');
  const edit = (c?: Camera) => {
    form.setFieldsValue(c ?? { deviceId: '', name: '', view: '', districtCode: '' });
    setOpen(true);
  };
  return (
    <>
      <Button size="small" type="primary" style={{ marginBottom: 8 }} onClick={() => edit()}>
        {t('cameras.add')}
      </Button>
      <Table<Camera>
        rowKey="deviceId"
        size="small"
        loading={cameras.isLoading}
        dataSource={cameras.data?.items ?? []}
        onRow={(c) => ({ onDoubleClick: () => edit(c) })}
        columns={[
          { title: t('cameras.deviceId'), dataIndex: 'deviceId' },
          { title: t('cameras.name'), dataIndex: 'name' },
          { title: t('cameras.view'), dataIndex: 'view' },
          {
            title: t('cameras.position'),
            key: 'pos',
            render: (_, c) => `${c.lng.toFixed(5)}, ${c.lat.toFixed(5)}`,
          },
          { title: t('cameras.district'), dataIndex: 'districtCode' },
        ]}
      />
      <Modal
        open={open}
        title={t('cameras.add')}
        onCancel={() => setOpen(false)}
        confirmLoading={save.isPending}
        onOk={() =>
          void form
            .validateFields()
            .then(({ deviceId, view, ...rest }) =>
              save.mutate(
                { path: `/camera/cameras/${deviceId}`, body: { ...rest, ...(view ? { view } : {}) } },
                { onSuccess: () => setOpen(false) },
              ),
            )
        }
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="deviceId"
            label={t('cameras.deviceId')}
            rules={[{ required: true, pattern: /^[0-9]{20}$/ }]}
          >
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item name="name" label={t('cameras.name')} rules={[{ required: true }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="view" label={t('cameras.view')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="lng" label="lng" rules={[{ required: true }]}>
            <InputNumber min={-180} max={180} step={0.00001} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="lat" label="lat" rules={[{ required: true }]}>
            <InputNumber min={-90} max={90} step={0.00001} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="districtCode"
            label={t('cameras.district')}
            rules={[{ required: true, pattern: /^[0-9]{6}$/ }]}
          >
            <Input maxLength={6} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function MappingTable() {
  const { t } = useTranslation('channels');
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const mappings = useQuery({
    queryKey: ['camera', 'mappings'],
    queryFn: () => api<{ items: Mapping[] }>('/camera/mappings'),
  });
  const save = useSave('mappings');
  const edit = (m?: Mapping) => {
    form.setFieldsValue(
      m
        ? { ...m, kind: m.category.kind, code: m.category.code }
        : { vendor: '*', kind: 'event', minConfidence: 0.8, mergeRadiusM: 30 },
    );
    setOpen(true);
  };
  return (
    <>
      <Button size="small" type="primary" style={{ marginBottom: 8 }} onClick={() => edit()}>
        {t('cameras.addMapping')}
      </Button>
      <Table<Mapping>
        rowKey="id"
        size="small"
        loading={mappings.isLoading}
        dataSource={mappings.data?.items ?? []}
        onRow={(m) => ({ onDoubleClick: () => edit(m) })}
        columns={[
          { title: t('cameras.vendor'), dataIndex: 'vendor' },
          { title: t('cameras.eventCode'), dataIndex: 'eventCode' },
          { title: t('cameras.label'), dataIndex: 'label' },
          {
            title: t('cameras.category'),
            key: 'category',
            render: (_, m) => (
              <>
                <Tag>{m.category.code}</Tag>
                {m.category.name}
              </>
            ),
          },
          { title: t('cameras.minConfidence'), dataIndex: 'minConfidence' },
          { title: t('cameras.mergeRadius'), dataIndex: 'mergeRadiusM' },
        ]}
      />
      <Modal
        open={open}
        title={t('cameras.addMapping')}
        onCancel={() => setOpen(false)}
        confirmLoading={save.isPending}
        onOk={() =>
          void form
            .validateFields()
            .then(({ kind, code, ...rest }) =>
              save.mutate(
                { path: '/camera/mappings', body: { ...rest, category: { kind, code } } },
                { onSuccess: () => setOpen(false) },
              ),
            )
        }
      >
        <Form form={form} layout="vertical">
          <Form.Item name="vendor" label={t('cameras.vendor')} rules={[{ required: true }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="eventCode" label={t('cameras.eventCode')} rules={[{ required: true }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="label" label={t('cameras.label')} rules={[{ required: true }]}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="kind" label={t('cameras.kind')} rules={[{ required: true }]}>
            <Select options={[{ value: 'event' }, { value: 'component' }]} />
          </Form.Item>
          <Form.Item
            name="code"
            label={t('cameras.category')}
            rules={[{ required: true, pattern: /^[0-9]{4,7}$/ }]}
          >
            <Input maxLength={7} />
          </Form.Item>
          <Form.Item name="minConfidence" label={t('cameras.minConfidence')} rules={[{ required: true }]}>
            <InputNumber min={0} max={1} step={0.05} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="mergeRadiusM" label={t('cameras.mergeRadius')} rules={[{ required: true }]}>
            <InputNumber min={1} max={1000} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export function CameraSetupPage() {
  const { t } = useTranslation('channels');
  return (
    <Card size="small" title={t('menu.cameras')}>
      <Tabs
        items={[
          { key: 'registry', label: t('cameras.registry'), children: <Registry /> },
          { key: 'mapping', label: t('cameras.mapping'), children: <MappingTable /> },
        ]}
      />
    </Card>
  );
}
