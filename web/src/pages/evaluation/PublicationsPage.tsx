/** 发布: frozen publications, newest first; publish a finished period; read one and export it. */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Drawer, Empty, Space, Table, Tabs, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiAllPages, download } from '../../api/client';
import { useSession } from '../../auth/session';
import { useShowError } from '../../components/errors';
import { PublishModal } from './PublishModal';
import { type ResultRow, SUBJECT_TYPES, score } from './shared';

interface PublicationHead {
  id: number;
  title: string;
  period: { kind: string; from: string; to: string };
  schemes: Record<string, { schemeId: string; version: number }>;
  publishedAt: string;
}
interface Publication extends PublicationHead {
  tables: Record<string, ResultRow[]>;
}

/** The period as local days: `to` is exclusive, so its last day is the day before. */
const days = (p: { from: string; to: string }) =>
  `${dayjs(p.from).format('YYYY-MM-DD')} – ${dayjs(p.to).subtract(1, 'ms').format('YYYY-MM-DD')}`;

export function PublicationsPage() {
  const { t } = useTranslation('evaluation');
  const { can } = useSession();
  const showError = useShowError();
  const [publishing, setPublishing] = useState(false);
  const [viewing, setViewing] = useState<number | null>(null);
  const list = useQuery({
    queryKey: ['evaluation', 'publications'],
    queryFn: async () => ({
      items: await apiAllPages<PublicationHead>('/evaluation/publications', { limit: 500 }),
    }),
  });
  return (
    <Card
      size="small"
      title={t('pub.title')}
      extra={
        can('evaluation.publish') ? (
          <Button type="primary" data-testid="action-publish" onClick={() => setPublishing(true)}>
            {t('pub.new')}
          </Button>
        ) : null
      }
    >
      <Table<PublicationHead>
        data-testid="publications-table"
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t('pub.none')} /> }}
        columns={[
          { title: t('pub.titleField'), dataIndex: 'title' },
          { title: t('pub.kind'), render: (_, p) => t(`period.${p.period.kind}`), width: 80 },
          { title: t('pub.period'), render: (_, p) => days(p.period), width: 220 },
          {
            title: t('pub.publishedAt'),
            dataIndex: 'publishedAt',
            width: 150,
            render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
          },
          {
            title: '',
            width: 160,
            render: (_, p) => (
              <Space>
                <Button size="small" data-testid={`action-view-${p.id}`} onClick={() => setViewing(p.id)}>
                  {t('pub.view')}
                </Button>
                <Button
                  size="small"
                  data-testid={`action-export-${p.id}`}
                  onClick={() => download(`/evaluation/publications/${p.id}/export`).catch(showError)}
                >
                  {t('pub.export')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <PublishModal
        open={publishing}
        onClose={() => setPublishing(false)}
        onDone={(id) => {
          setPublishing(false);
          setViewing(id);
        }}
      />
      <PublicationDrawer id={viewing} onClose={() => setViewing(null)} />
    </Card>
  );
}

function PublicationDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation('evaluation');
  const showError = useShowError();
  const q = useQuery({
    queryKey: ['evaluation', 'publication', id],
    enabled: id !== null,
    queryFn: ({ signal }) => api<Publication>(`/evaluation/publications/${id}`, { signal }),
  });
  const p = q.data;
  const types = SUBJECT_TYPES.filter((type) => p?.tables[type] !== undefined);
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size="large"
      title={p?.title ?? t('drill.loading')}
      loading={q.isLoading}
      extra={
        id !== null ? (
          <Button
            data-testid="action-export"
            onClick={() => download(`/evaluation/publications/${id}/export`).catch(showError)}
          >
            {t('pub.export')}
          </Button>
        ) : null
      }
    >
      {p ? (
        <div data-testid="publication-view">
          <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('pub.period')}>{days(p.period)}</Descriptions.Item>
            <Descriptions.Item label={t('pub.publishedAt')}>
              {dayjs(p.publishedAt).format('YYYY-MM-DD HH:mm')}
            </Descriptions.Item>
          </Descriptions>
          <Tabs
            size="small"
            items={types.map((type) => ({
              key: type,
              label: (
                <span>
                  {t(`subject.${type}`)} <Tag>{p.tables[type]?.length ?? 0}</Tag>
                </span>
              ),
              children: (
                <Table<ResultRow>
                  data-testid={`publication-table-${type}`}
                  size="small"
                  rowKey="subjectId"
                  dataSource={p.tables[type] ?? []}
                  pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
                  columns={[
                    {
                      title: t('col.rank'),
                      dataIndex: 'rank',
                      width: 64,
                      render: (r: number | null) => r ?? '—',
                    },
                    { title: t('col.subject'), dataIndex: 'subjectName' },
                    { title: t('col.score'), dataIndex: 'composite', width: 90, render: score },
                    {
                      title: t('col.grade'),
                      dataIndex: 'grade',
                      width: 64,
                      render: (g: string | null) => g ?? '—',
                    },
                    {
                      title: t('pub.scheme'),
                      width: 160,
                      render: () => {
                        const s = p.schemes[type];
                        return s ? `${s.schemeId} v${s.version}` : '—';
                      },
                    },
                  ]}
                />
              ),
            }))}
          />
        </div>
      ) : null}
    </Drawer>
  );
}
