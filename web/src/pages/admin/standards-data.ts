/** Shapes and queries of the category catalog and its standards versions. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export interface Category {
  id: number;
  kind: 'component' | 'event';
  level: 'major' | 'minor' | 'detail';
  code: string;
  name: string;
  active: boolean;
  children: Category[];
}

export interface Version {
  id: number;
  name: string;
  status: 'draft' | 'published';
  effectiveFrom: string | null;
  note: string | null;
  inForce: boolean;
}

export type LimitUnit = 'working_hours' | 'working_days' | 'calendar_hours' | 'minutes';
export interface TimeLimitRow {
  step: string;
  areaClass: 'A' | 'B' | 'C';
  amount: number;
  unit: LimitUnit;
}

export interface Standard {
  categoryId: number;
  filingConditions: string;
  closingConditions: string;
  defaultUrgency: 'normal' | 'urgent' | 'emergency';
  departmentCodes: string[];
  timeLimits: TimeLimitRow[];
  /** Set when the row was derived through the class mapping (not yet edited by people). */
  derivation: { zh: string; en: string } | null;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const AREA = ['A', 'B', 'C'] as const;
export const UNITS: LimitUnit[] = ['working_hours', 'working_days', 'calendar_hours', 'minutes'];

export function useCategories() {
  return useQuery({
    queryKey: ['admin', 'categories'],
    queryFn: () => api<{ items: Category[] }>('/catalog/categories'),
    staleTime: 5 * 60_000,
  });
}

export function useVersions() {
  return useQuery({
    queryKey: ['admin', 'versions'],
    queryFn: () => api<{ items: Version[] }>('/catalog/versions'),
  });
}

export function useStandards(versionId: number | undefined) {
  return useQuery({
    queryKey: ['admin', 'standards', versionId],
    enabled: versionId !== undefined,
    queryFn: async () => {
      const res = await api<{ items: Standard[] }>(`/catalog/versions/${versionId}/standards`);
      return new Map(res.items.map((s) => [s.categoryId, s]));
    },
  });
}
