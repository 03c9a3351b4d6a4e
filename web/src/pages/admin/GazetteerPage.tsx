/** 地名地址: door addresses, places and roads; search, add/edit points, import GeoJSON. */
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Modal, Space, Table, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useShowError } from '../../components/errors';
import { AdminPage, FilePick, type ImportError, ImportErrorTable, importErrorsOf } from './shared';

type Kind = 'addresses' | 'pois' | 'roads';
type Props = Record<string, unknown> & { id: number };
interface Feature {
  id: number;
  geometry: { type: string; coordinates: unknown };
  properties: Props;
}
interface EntryForm {
  name?: string;
  category?: string;
  address?: string;
  aliases?: string;
  roadId?: number;
  number?: string;
  lng: number;
  lat: number;
}

const PAGE = 50;
const placeName = (p: Props) => (p.district as { name: string } | null)?.name ?? '';

function EntryModal({
  kind,
  editing,
  onClose,
}: {
  kind: Kind;
  editing: Feature | 'new' | null;
  onClose: () => void;
}) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const [form] = Form.useForm<EntryForm>();
  const isNew = editing === 'new';
  const save = useMutation({
    mutationFn: (v: EntryForm) => {
      const properties =
        kind === 'pois'
          ? {
              name: v.name,
              category: v.category,
              ...(v.address ? { address: v.address } : {}),
              aliases: (v.aliases ?? '')
                .split(/[,，、]/)
                .map((a) => a.trim())
                .filter(Boolean),
            }
          : { roadId: v.roadId, number: v.number };
      const geometry = { type: 'Point', coordinates: [v.lng, v.lat] };
      return isNew
        ? api(`/gazetteer/${kind}`, { body: { type: 'Feature', geometry, properties } })
        : api(`/gazetteer/${kind}/${(editing as Feature).id}`, {
            method: 'PATCH',
            body: { geometry, properties },
          });
    },
    onSuccess: async () => {
      void message.success(tc('state.saved'));
      await qc.invalidateQueries({ queryKey: ['admin', 'gazetteer', kind] });
      onClose();
    },
    onError: showError,
  });
  const initial: Partial<EntryForm> = {};
  if (editing && editing !== 'new') {
    const p = editing.properties;
    const [lng, lat] = editing.geometry.coordinates as [number, number];
    Object.assign(initial, {
      lng,
      lat,
      name: p.name,
      category: p.category,
      address: p.address ?? '',
      aliases: ((p.aliases as string[] | undefined) ?? []).join('、'),
      roadId: p.roadId,
      number: p.number,
    });
  }
  return (
    <Modal
      open={editing !== null}
      title={isNew ? t('gazetteer.newEntry') : t('gazetteer.editEntry')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => save.mutate(v)}
        data-testid="gazetteer-form"
      >
        {kind === 'pois' ? (
          <>
            <Form.Item name="name" label={t('gazetteer.poiName')} rules={[{ required: true, max: 80 }]}>
              <Input autoFocus />
            </Form.Item>
            <Form.Item name="category" label={t('gazetteer.category')} rules={[{ required: true, max: 20 }]}>
              <Input />
            </Form.Item>
            <Form.Item name="address" label={t('gazetteer.address')} rules={[{ max: 120 }]}>
              <Input />
            </Form.Item>
            <Form.Item name="aliases" label={t('gazetteer.aliases')}>
              <Input />
            </Form.Item>
          </>
        ) : (
          <Space>
            <Form.Item name="roadId" label={t('gazetteer.roadId')} rules={[{ required: true }]}>
              <InputNumber min={1} autoFocus />
            </Form.Item>
            <Form.Item name="number" label={t('gazetteer.number')} rules={[{ required: true, max: 20 }]}>
              <Input placeholder="88号" />
            </Form.Item>
          </Space>
        )}
        <Space>
          <Form.Item name="lng" label={t('gazetteer.lng')} rules={[{ required: true }]}>
            <InputNumber min={-180} max={180} step={0.0001} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="lat" label={t('gazetteer.lat')} rules={[{ required: true }]}>
            <InputNumber
              min={-90}
              max={90}
              step={0.0001}
              style={{ width: 160 }}
              onPressEnter={() => form.submit()}
            />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

function EntryList({ kind }: { kind: Kind }) {
  const { t } = useTranslation('admin');
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const [q, setQ] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Feature | 'new' | null>(null);
  const [importErrors, setImportErrors] = useState<ImportError[] | null>(null);
  const list = useQuery({
    queryKey: ['admin', 'gazetteer', kind, q, page],
    queryFn: () =>
      api<{ features: Feature[]; nextOffset?: number | null }>(`/gazetteer/${kind}`, {
        query: { q, limit: PAGE, offset: (page - 1) * PAGE },
      }),
    placeholderData: keepPreviousData,
  });
  const importFile = useMutation({
    mutationFn: async (file: File) =>
      api<{ created: number }>('/gazetteer/import', {
        query: { kind },
        body: JSON.parse(await file.text()) as unknown,
      }),
    onSuccess: async (r) => {
      void message.success(t('common.importOk', { count: r.created }));
      await qc.invalidateQueries({ queryKey: ['admin', 'gazetteer', kind] });
    },
    onError: (err) => {
      const rows = importErrorsOf(err);
      if (rows) setImportErrors(rows);
      else showError(err);
    },
  });
  const rows = list.data?.features ?? [];
  const total = (page - 1) * PAGE + rows.length + (list.data?.nextOffset ? 1 : 0);
  const columns =
    kind === 'addresses'
      ? [
          { title: t('gazetteer.label'), render: (_: unknown, f: Feature) => String(f.properties.label) },
          { title: t('gazetteer.road'), render: (_: unknown, f: Feature) => String(f.properties.road) },
        ]
      : kind === 'pois'
        ? [
            { title: t('gazetteer.poiName'), render: (_: unknown, f: Feature) => String(f.properties.name) },
            {
              title: t('gazetteer.category'),
              width: 100,
              render: (_: unknown, f: Feature) => String(f.properties.category),
            },
            {
              title: t('gazetteer.address'),
              render: (_: unknown, f: Feature) => String(f.properties.address ?? ''),
            },
          ]
        : [
            { title: t('gazetteer.road'), render: (_: unknown, f: Feature) => String(f.properties.name) },
            {
              title: t('gazetteer.length'),
              width: 110,
              render: (_: unknown, f: Feature) => String(f.properties.lengthM),
            },
          ];
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          data-testid="gazetteer-search"
          allowClear
          placeholder={t('common.filterText')}
          style={{ width: 240 }}
          onSearch={(v) => {
            setQ(v.trim() || undefined);
            setPage(1);
          }}
        />
        {kind !== 'roads' ? (
          <Button
            size="small"
            type="primary"
            icon={<PlusOutlined />}
            data-testid="action-new-entry"
            onClick={() => setEditing('new')}
          >
            {t('gazetteer.newEntry')}
          </Button>
        ) : null}
        <FilePick
          accept=".geojson,.json"
          testId="action-import"
          loading={importFile.isPending}
          onFile={(f) => importFile.mutate(f)}
        >
          {t('common.importFile')}
        </FilePick>
        <span style={{ color: '#8c8c8c' }}>{t('gazetteer.importHint')}</span>
      </Space>
      <Table<Feature>
        data-testid="gazetteer-table"
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={rows}
        scroll={{ y: 'calc(100vh - 330px)' }}
        pagination={{ current: page, pageSize: PAGE, total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: 'ID', width: 70, dataIndex: 'id' },
          ...columns,
          {
            title: t('common.district'),
            width: 90,
            render: (_: unknown, f: Feature) => placeName(f.properties),
          },
          ...(kind !== 'roads'
            ? [
                {
                  title: t('common.grid'),
                  width: 150,
                  render: (_: unknown, f: Feature) => String(f.properties.gridCode ?? ''),
                },
                {
                  title: t('common.actions'),
                  width: 70,
                  render: (_: unknown, f: Feature) => (
                    <Button size="small" type="link" data-testid="action-edit" onClick={() => setEditing(f)}>
                      {t('common:action.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <EntryModal kind={kind} editing={editing} onClose={() => setEditing(null)} />
      <Modal
        open={!!importErrors}
        width={820}
        title={t('common.importErrors', { count: importErrors?.length ?? 0 })}
        onCancel={() => setImportErrors(null)}
        footer={null}
      >
        {importErrors ? <ImportErrorTable errors={importErrors} /> : null}
      </Modal>
    </>
  );
}

export function GazetteerPage() {
  const { t } = useTranslation('admin');
  return (
    <AdminPage title={t('menu.gazetteer')}>
      <Tabs
        size="small"
        destroyOnHidden
        items={(['addresses', 'pois', 'roads'] as const).map((k) => ({
          key: k,
          label: t(`gazetteer.kinds.${k}`),
          children: <EntryList kind={k} />,
        }))}
      />
    </AdminPage>
  );
}
