import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type Query } from '../../api/client';
import type { CaseView } from '../../api/types';

export interface CaseList {
  items: CaseView[];
  nextCursor: string | null;
  total: number;
}

/** One page of GET /cases with the given filters (numbered pages: offset = (page − 1) × size). */
export function useCaseList(
  filters: Query,
  page: { current: number; pageSize: number },
  options: { refetchInterval?: number; enabled?: boolean } = {},
) {
  const query = { ...filters, limit: page.pageSize, offset: (page.current - 1) * page.pageSize };
  return useQuery({
    queryKey: ['cases', 'list', query],
    queryFn: () => api<CaseList>('/cases', { query }),
    placeholderData: keepPreviousData,
    refetchInterval: options.refetchInterval,
    enabled: options.enabled,
  });
}
