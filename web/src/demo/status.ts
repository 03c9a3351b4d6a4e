/**
 * The living demo's status (GET /demo/status): the history written in the background and the
 * live simulation. Polled while the history is being written, then once in a while.
 */
import { useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../api/client';
import { useSession } from '../auth/session';

export interface DemoStatus {
  demo: boolean;
  history: {
    firstDay: string;
    days: number;
    daysDone: number;
    cases: number;
    expectedCases: number;
    finished: boolean;
    dataFrom: string | null;
  } | null;
  live: { running: boolean; onDuty: number; reports: number; actions: number } | null;
}

export function useDemoStatus() {
  const { can } = useSession();
  const allowed = can('evaluation.read') || can('audit.read');
  const q = useQuery({
    queryKey: ['demo', 'status'],
    queryFn: () => api<DemoStatus>('/demo/status'),
    enabled: allowed,
    refetchInterval: (query) =>
      query.state.data?.history && !query.state.data.history.finished ? 5000 : 60_000,
  });
  return { allowed, status: q.data, loaded: !allowed || q.isFetched };
}

/**
 * The month the evaluation pages open on: last month (a finished period), unless the demo
 * history has not reached back over it yet, then the current month (written first, so it has
 * figures within seconds of the first start).
 */
export function dataMonth(status: DemoStatus | undefined): Dayjs {
  const last = dayjs().subtract(1, 'month').startOf('month');
  const h = status?.history;
  if (!h || h.finished) return last;
  if (h.dataFrom && !dayjs(h.dataFrom).isAfter(last)) return last;
  return dayjs().startOf('month');
}
