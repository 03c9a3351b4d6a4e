import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, CapsuleTabs, Empty, List, NoticeBar, PullToRefresh, Tag } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../../../src/api/client';
import type { CaseView } from '../../../../src/api/types';
import { DeadlineTag } from '../../components/TaskList';
import { useSession } from '../../lib/session';
import { fmtTime, useErrorText, usePick } from '../../lib/text';
import { useOutbox } from '../../outbox/useOutbox';

const PAGE = 30;
/** Which of my reports: still in the loop, ended (结案, 不予立案, 作废, 合并), or all. */
const FILTERS = {
  open: { state: 'open' },
  closed: { stateIn: 'closed,rejected,voided,merged' },
  all: { state: 'all' },
} as const;
type Filter = keyof typeof FILTERS;

const ENDED_COLOR: Record<string, 'success' | 'default'> = { closed: 'success' };

/**
 * 我的上报: the cases this supervisor reported and where each one stands, newest deadline
 * first, with the ones still waiting in the phone's outbox counted above the list.
 */
export function MyReportsPage() {
  const { t, i18n } = useTranslation('mobile');
  const pick = usePick();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const { session } = useSession();
  const outbox = useOutbox(session?.user.username ?? '');
  const waiting =
    outbox?.filter((i) => i.status !== 'sent' && (i.kind === 'case' || i.kind === 'self_handle')).length ?? 0;
  const [filter, setFilter] = useState<Filter>('open');
  const reports = useInfiniteQuery({
    queryKey: ['my-reports', filter],
    initialPageParam: 0,
    queryFn: ({ pageParam }) =>
      api<{ items: CaseView[]; total: number }>('/cases', {
        query: { reportedBy: 'me', limit: PAGE, offset: pageParam, ...FILTERS[filter] },
      }),
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, p) => n + p.items.length, 0);
      return loaded < last.total ? loaded : undefined;
    },
  });
  const items = reports.data?.pages.flatMap((p) => p.items) ?? [];
  const total = reports.data?.pages[0]?.total;
  return (
    <PullToRefresh onRefresh={async () => void (await reports.refetch())}>
      <CapsuleTabs activeKey={filter} onChange={(k) => setFilter(k as Filter)}>
        {(Object.keys(FILTERS) as Filter[]).map((k) => (
          <CapsuleTabs.Tab key={k} title={t(`mine.${k}`)} />
        ))}
      </CapsuleTabs>
      {waiting > 0 && (
        <NoticeBar
          content={t('mine.waiting', { n: waiting })}
          color="alert"
          data-testid="mine-waiting"
          onClick={() => navigate('/s/outbox')}
        />
      )}
      {reports.isError && <NoticeBar content={errorText(reports.error)} color="alert" />}
      {total !== undefined && (
        <div className="list-caption" data-testid="mine-total">
          {t('mine.total', { n: total })}
        </div>
      )}
      {reports.data && items.length === 0 && <Empty description={t('mine.none')} />}
      <List data-testid="mine-list">
        {items.map((c) => (
          <List.Item
            key={c.id}
            data-testid="mine-item"
            data-case={c.id}
            data-state={c.state}
            onClick={() => navigate(`/case/${c.id}`)}
            description={
              <>
                <div>
                  {c.number} · {t('mine.reportedAt', { at: fmtTime(c.reportedAt, i18n.language) })}
                </div>
                <div className="clamp">{c.address}</div>
              </>
            }
            extra={c.state === 'closed' || !c.clock?.deadline ? null : <DeadlineTag c={c} />}
          >
            <Tag color={ENDED_COLOR[c.state] ?? 'primary'} fill="outline">
              {pick(c.stateLabel)}
            </Tag>{' '}
            {c.category.name}
          </List.Item>
        ))}
      </List>
      {reports.hasNextPage && (
        <div style={{ padding: 12 }}>
          <Button block loading={reports.isFetchingNextPage} onClick={() => void reports.fetchNextPage()}>
            {t('mine.more')}
          </Button>
        </div>
      )}
    </PullToRefresh>
  );
}
