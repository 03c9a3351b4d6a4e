/** 审计日志: the append-only log, newest first, filtered by user, action and time. */
import { DownloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { AdminPage, useExportXlsx } from './shared';

interface AuditItem {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string | null;
  action: string;
  target: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  ip: string | null;
  details: Record<string, unknown>;
}

const PAGE = 50;
const OUTCOME_COLOR = { ok: 'green', denied: 'orange', failed: 'red' } as const;

export function AuditPage() {
  const { t } = useTranslation('admin');
  const exportXlsx = useExportXlsx();
  const [actorId, setActorId] = useState<number | undefined>();
  const [action, setAction] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const users = useQuery({
    queryKey: ['admin', 'users', 'all-for-audit'],
    queryFn: () =>
      api<{ items: Array<{ id: number; username: string; displayName: string }> }>('/users', {
        query: { limit: 200 },
      }),
  });
  const filters = {
    actorId,
    action: action || undefined,
    from: range?.[0]?.startOf('day').toISOString(),
    to: range?.[1]?.endOf('day').toISOString(),
  };
  const log = useInfiniteQuery({
    queryKey: ['admin', 'audit', filters],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) =>
      api<{ items: AuditItem[]; total: number; nextBeforeId?: number }>('/audit', {
        query: { ...filters, beforeId: pageParam, limit: PAGE },
      }),
    getNextPageParam: (last) => last.nextBeforeId,
  });
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const time = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm:ss');

  return (
    <AdminPage
      title={t('menu.audit')}
      extra={
        <Button
          size="small"
          icon={<DownloadOutlined />}
          data-testid="action-export"
          disabled={!rows.length}
          onClick={() =>
            void exportXlsx(
              t('audit.exportTitle'),
              ['at', 'actorName', 'action', 'target', 'outcome', 'ip', 'details'].map((key) => ({
                key,
                title: t(`audit.${key === 'actorName' ? 'actor' : key}`),
              })),
              rows.map((r) => ({
                ...r,
                at: time(r.at),
                outcome: t(`audit.outcomes.${r.outcome}`),
                details: JSON.stringify(r.details),
              })),
            )
          }
        >
          {t('common:action.export')}
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          data-testid="filter-actor"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('audit.actorPick')}
          style={{ width: 200 }}
          value={actorId}
          onChange={setActorId}
          options={(users.data?.items ?? []).map((u) => ({
            value: u.id,
            label: `${u.displayName}（${u.username}）`,
          }))}
        />
        <Input.Search
          data-testid="filter-action"
          allowClear
          placeholder={t('audit.actionPlaceholder')}
          style={{ width: 260 }}
          onSearch={(v) => setAction(v.trim())}
        />
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} data-testid="filter-range" />
      </Space>
      <Table<AuditItem>
        data-testid="audit-table"
        size="small"
        rowKey="id"
        loading={log.isFetching}
        dataSource={rows}
        pagination={false}
        scroll={{ y: 'calc(100vh - 290px)' }}
        columns={[
          { title: t('audit.at'), width: 160, render: (_, r) => time(r.at) },
          { title: t('audit.actor'), width: 110, dataIndex: 'actorName' },
          {
            title: t('audit.action'),
            width: 190,
            render: (_, r) => <Typography.Text code>{r.action}</Typography.Text>,
          },
          { title: t('audit.target'), width: 150, dataIndex: 'target' },
          {
            title: t('audit.outcome'),
            width: 70,
            render: (_, r) => <Tag color={OUTCOME_COLOR[r.outcome]}>{t(`audit.outcomes.${r.outcome}`)}</Tag>,
          },
          { title: t('audit.ip'), width: 110, dataIndex: 'ip' },
          {
            title: t('audit.details'),
            render: (_, r) => (
              <Typography.Text
                type="secondary"
                ellipsis={{ tooltip: JSON.stringify(r.details) }}
                style={{ maxWidth: 380 }}
              >
                {JSON.stringify(r.details)}
              </Typography.Text>
            ),
          },
        ]}
      />
      <div style={{ textAlign: 'center', marginTop: 8 }}>
        {log.data ? (
          <Typography.Text type="secondary" data-testid="audit-shown" style={{ marginRight: 12 }}>
            {t('audit.shown', { n: rows.length, total: log.data.pages[0]?.total ?? rows.length })}
          </Typography.Text>
        ) : null}
        {log.hasNextPage ? (
          <Button
            size="small"
            loading={log.isFetchingNextPage}
            onClick={() => void log.fetchNextPage()}
            data-testid="action-more"
          >
            {t('audit.more')}
          </Button>
        ) : null}
      </div>
    </AdminPage>
  );
}
