import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Empty, Space, Tabs, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Queue } from '../../../../src/domain/workflow/queues';
import { api, download } from '../../api/client';
import { useSession } from '../../auth/session';
import { useShowError } from '../errors';
import { CaseTable } from './CaseTable';
import { useCaseList } from './useCaseList';

// The queue names are the workflow's own (pure domain code, bundled with the console).
export type { Queue };

/** Operators leave a workspace open all day: new cases appear without a reload. */
const REFRESH_MS = 15_000;

export interface QueueWorkspaceProps {
  title: string;
  /** The queues this role works, in the order of its day. */
  queues: readonly Queue[];
  /** Buttons next to the title (e.g. 受理登记). */
  extra?: ReactNode;
  testId?: string;
}

/** Queue tabs with live counts and the selected queue's cases (GET /cases/queues, /cases?queue=). */
export function QueueWorkspace({ title, queues, extra, testId }: QueueWorkspaceProps) {
  const { t } = useTranslation('cases');
  const { t: tc } = useTranslation();
  const { can } = useSession();
  const showError = useShowError();
  const [params, setParams] = useSearchParams();
  const selected = (queues as readonly string[]).includes(params.get('queue') ?? '')
    ? (params.get('queue') as Queue)
    : queues[0];
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const counts = useQuery({
    queryKey: ['cases', 'queues'],
    queryFn: () => api<{ counts: Partial<Record<Queue, number>> }>('/cases/queues'),
    refetchInterval: REFRESH_MS,
  });
  const list = useCaseList({ queue: selected }, page, { refetchInterval: REFRESH_MS, enabled: !!selected });
  const [exporting, setExporting] = useState(false);

  if (!selected) return <Empty description={t('workspace.noQueues')} />;

  const exportXlsx = async () => {
    setExporting(true);
    try {
      await download('/cases/export', { query: { queue: selected } });
    } catch (err) {
      showError(err);
    } finally {
      setExporting(false);
    }
  };

  return (
    <Card
      size="small"
      data-testid={testId ?? 'queue-workspace'}
      title={
        <Space>
          <Typography.Text strong>{title}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            {t('workspace.refreshed')}
          </Typography.Text>
        </Space>
      }
      extra={
        <Space>
          {extra}
          <Button
            icon={<ReloadOutlined />}
            onClick={() => {
              void counts.refetch();
              void list.refetch();
            }}
            loading={list.isFetching}
          >
            {tc('action.refresh')}
          </Button>
          {can('export.xlsx') ? (
            <Button icon={<DownloadOutlined />} onClick={exportXlsx} loading={exporting} data-testid="export">
              {tc('action.export')}
            </Button>
          ) : null}
        </Space>
      }
    >
      <Tabs
        size="small"
        activeKey={selected}
        onChange={(key) => {
          setPage((p) => ({ ...p, current: 1 }));
          setParams({ queue: key }, { replace: true });
        }}
        items={queues.map((q) => ({
          key: q,
          label: (
            <span data-testid={`queue-${q}`}>
              {t(`queue.${q}`)}{' '}
              <Badge
                count={counts.data?.counts[q] ?? 0}
                showZero
                overflowCount={9999}
                color={counts.data?.counts[q] ? '#1677ff' : '#d9d9d9'}
                size="small"
              />
            </span>
          ),
        }))}
      />
      <CaseTable
        items={list.data?.items}
        loading={list.isLoading}
        now={list.dataUpdatedAt || undefined}
        pagination={{
          ...page,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          size: 'small',
          showTotal: (n) => tc('total', { count: n }),
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
      />
    </Card>
  );
}
