import { ReloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Card, Empty, Space, Tabs, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Queue } from '../../../../src/domain/workflow/queues';
import { api } from '../../api/client';
import type { CaseView } from '../../api/types';
import { useSession } from '../../auth/session';
import { ActionLauncher } from '../actions/ActionLauncher';
import { actionLabel, type CaseAction } from '../actions/specs';
import { ExportJobButton } from '../job/ExportJobButton';
import { BatchAction } from './BatchAction';
import { CaseTable } from './CaseTable';
import { BATCH_OF, QUEUE_ACTION } from './queue-actions';
import { useCaseList } from './useCaseList';
import { useQueueAlerts } from './useQueueAlerts';

// The queue names are the workflow's own (pure domain code, bundled with the console).
export type { Queue };

/**
 * Operators leave a workspace open all day: new cases arrive over the live stream; polling is
 * the fallback while the stream is down, and a slow safety net while it is up.
 */
const REFRESH_MS = 15_000;
const LIVE_REFRESH_MS = 120_000;

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
  const { t, i18n } = useTranslation('cases');
  const { t: tc } = useTranslation();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const selected = (queues as readonly string[]).includes(params.get('queue') ?? '')
    ? (params.get('queue') as Queue)
    : queues[0];
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [selectedRows, setSelectedRows] = useState<CaseView[]>([]);
  const [acting, setActing] = useState<{ caseId: number; action: CaseAction } | null>(null);
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['cases'] });
  };
  const { live } = useQueueAlerts(queues, refresh);
  const every = live ? LIVE_REFRESH_MS : REFRESH_MS;
  const counts = useQuery({
    queryKey: ['cases', 'queues'],
    queryFn: () => api<{ counts: Partial<Record<Queue, number>> }>('/cases/queues'),
    refetchInterval: every,
  });
  const list = useCaseList({ queue: selected }, page, { refetchInterval: every, enabled: !!selected });
  const quick = selected ? QUEUE_ACTION[selected] : undefined;
  const batch = selected ? BATCH_OF[selected] : undefined;

  if (!selected) return <Empty description={t('workspace.noQueues')} />;

  return (
    <Card
      size="small"
      data-testid={testId ?? 'queue-workspace'}
      title={
        <Space>
          <Typography.Text strong>{title}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            {live ? t('workspace.live') : t('workspace.refreshed')}
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
          {can('export.xlsx') ? <ExportJobButton filters={{ queue: selected }} /> : null}
        </Space>
      }
    >
      <Tabs
        size="small"
        activeKey={selected}
        onChange={(key) => {
          setPage((p) => ({ ...p, current: 1 }));
          setSelectedRows([]);
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
      {batch ? (
        <Space style={{ marginBottom: 8 }}>
          <BatchAction
            kind={batch}
            selected={selectedRows}
            onDone={() => {
              setSelectedRows([]);
              refresh();
            }}
          />
          <Typography.Text type="secondary">{t(`batch.${batch}Hint`)}</Typography.Text>
        </Space>
      ) : null}
      <CaseTable
        rowSelection={
          batch
            ? {
                selectedRowKeys: selectedRows.map((c) => c.id),
                onChange: (_, rows) => setSelectedRows(rows),
              }
            : undefined
        }
        actionColumn={
          quick
            ? {
                title: t('workspace.quick'),
                key: 'quick',
                width: 110,
                fixed: 'right',
                render: (_, c) => (
                  <Button
                    size="small"
                    type="link"
                    data-testid="quick-action"
                    onClick={() => setActing({ caseId: c.id, action: quick })}
                  >
                    {actionLabel(quick, i18n.language)}
                  </Button>
                ),
              }
            : undefined
        }
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
      {/* The same form as on the case page; afterwards the operator stays on the queue. */}
      <ActionLauncher
        caseId={acting?.caseId ?? null}
        action={acting?.action ?? 'file'}
        onClose={() => setActing(null)}
        onDone={refresh}
      />
    </Card>
  );
}
