/** 单元网格: grids by community or code, each with its split/merge history; and grid import. */
import { useQuery } from '@tanstack/react-query';
import { Descriptions, Input, Modal, Select, Space, Table, Tabs, Tag } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiAllPages } from '../../api/client';
import { useShowError } from '../../components/errors';
import { GridImport } from './GridImport';
import { CommunityGridMap, type GridFeature } from './GridMaps';
import { useDivisions } from './org-data';
import { AdminPage } from './shared';

interface GridProps {
  code: string;
  communityCode: string;
  seq: number;
  areaClass: 'A' | 'B' | 'C';
  areaM2: number;
  validFrom: string;
  validTo: string | null;
}

interface History {
  code: string;
  validFrom: string;
  validTo: string | null;
  current: boolean;
  predecessors: Array<{ code: string }>;
  successors: Array<{ code: string }>;
  changes: Array<{
    id: number;
    kind: string;
    effectiveOn: string;
    at: string;
    actorName: string | null;
    reason: string | null;
    role: string;
  }>;
}

function GridHistory({
  code,
  onClose,
  onOpen,
}: {
  code: string | null;
  onClose: () => void;
  onOpen: (c: string) => void;
}) {
  const { t } = useTranslation('admin');
  const history = useQuery({
    queryKey: ['admin', 'grid-history', code],
    enabled: !!code,
    queryFn: () => api<History>(`/grids/${code}/history`),
  });
  const h = history.data;
  const links = (xs: Array<{ code: string }>) =>
    xs.map((x) => (
      <Tag key={x.code} style={{ cursor: 'pointer' }} onClick={() => onOpen(x.code)}>
        {x.code}
      </Tag>
    ));
  return (
    <Modal
      open={!!code}
      title={`${t('grids.history')} · ${code}`}
      onCancel={onClose}
      footer={null}
      width={760}
    >
      {h ? (
        <div data-testid="grid-history">
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('grids.validFrom')}>{h.validFrom}</Descriptions.Item>
            <Descriptions.Item label={t('grids.validTo')}>
              {h.current ? <Tag color="green">{t('grids.current')}</Tag> : h.validTo}
            </Descriptions.Item>
            <Descriptions.Item label={t('grids.predecessors')}>{links(h.predecessors)}</Descriptions.Item>
            <Descriptions.Item label={t('grids.successors')}>{links(h.successors)}</Descriptions.Item>
          </Descriptions>
          <Table
            style={{ marginTop: 12 }}
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={h.changes}
            columns={[
              { title: t('grids.changes'), dataIndex: 'kind', width: 90 },
              { title: t('grids.validFrom'), dataIndex: 'effectiveOn', width: 110 },
              { title: t('audit.at'), width: 150, render: (_, c) => dayjs(c.at).format('YYYY-MM-DD HH:mm') },
              { title: t('audit.actor'), dataIndex: 'actorName', width: 100 },
              { title: t('responsibility.note'), dataIndex: 'reason' },
            ]}
          />
        </div>
      ) : null}
    </Modal>
  );
}

function GridList() {
  const { t } = useTranslation('admin');
  const showError = useShowError();
  const divisions = useDivisions();
  const communities = useMemo(
    () => (divisions.data ?? []).filter((d) => d.level === 'community'),
    [divisions.data],
  );
  const [community, setCommunity] = useState<string | undefined>();
  const [open, setOpen] = useState<string | null>(null);
  const selected = community ?? communities[0]?.code;
  const grids = useQuery({
    queryKey: ['admin', 'grids', selected],
    enabled: !!selected,
    // Every grid of the community, however many pages that takes.
    queryFn: async () => ({
      features: await apiAllPages<{ properties: GridProps } & Pick<GridFeature, 'geometry'>, 'features'>(
        '/grids',
        { communityCode: selected, limit: 500 },
        'features',
      ),
    }),
  });
  const find = async (code: string) => {
    const c = code.trim();
    if (!c) return;
    try {
      const g = await api<{ properties: GridProps }>(`/grids/${c}`);
      setCommunity(g.properties.communityCode);
      setOpen(g.properties.code);
    } catch (err) {
      showError(err);
    }
  };
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          data-testid="grid-community"
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('grids.pickCommunity')}
          style={{ width: 260 }}
          value={selected}
          onChange={setCommunity}
          options={communities.map((c) => ({ value: c.code, label: `${c.name} ${c.code}` }))}
        />
        <Input.Search
          data-testid="grid-search"
          placeholder={t('grids.searchCode')}
          style={{ width: 240 }}
          onSearch={(v) => void find(v)}
        />
      </Space>
      <div style={{ display: 'flex', gap: 12, alignItems: 'stretch', flexWrap: 'wrap' }}>
        <div style={{ flex: '1 1 560px', minWidth: 0 }}>
          <Table<GridProps>
            data-testid="grid-table"
            size="small"
            rowKey="code"
            loading={grids.isFetching}
            dataSource={grids.data?.features.map((f) => f.properties)}
            pagination={{
              pageSize: 50,
              showSizeChanger: false,
              showTotal: (n) => t('common:total', { count: n }),
            }}
            scroll={{ y: 'calc(100vh - 330px)' }}
            onRow={(g) => ({ onClick: () => setOpen(g.code), style: { cursor: 'pointer' } })}
            columns={[
              { title: t('grids.code'), dataIndex: 'code', width: 170 },
              { title: t('grids.areaClass'), dataIndex: 'areaClass', width: 90 },
              { title: t('grids.area'), width: 110, render: (_, g) => g.areaM2.toFixed(1) },
              { title: t('grids.validFrom'), dataIndex: 'validFrom', width: 110 },
              {
                title: t('common.status'),
                render: (_, g) =>
                  g.validTo ? <Tag>{t('grids.ended')}</Tag> : <Tag color="green">{t('grids.current')}</Tag>,
              },
            ]}
          />
        </div>
        <div style={{ flex: '1 1 420px', minHeight: 420, height: 'calc(100vh - 300px)' }}>
          <CommunityGridMap
            grids={(grids.data?.features ?? []) as GridFeature[]}
            selected={open}
            onPick={setOpen}
          />
        </div>
      </div>
      <GridHistory code={open} onClose={() => setOpen(null)} onOpen={setOpen} />
    </>
  );
}

export function GridsPage() {
  const { t } = useTranslation('admin');
  return (
    <AdminPage title={t('menu.grids')}>
      <Tabs
        size="small"
        destroyOnHidden
        items={[
          { key: 'list', label: t('grids.list'), children: <GridList /> },
          {
            key: 'import',
            label: <span data-testid="tab-import">{t('grids.import')}</span>,
            children: <GridImport />,
          },
        ]}
      />
    </AdminPage>
  );
}
