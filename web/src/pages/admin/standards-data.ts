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
export type Urgency = 'normal' | 'urgent' | 'emergency';
export const URGENCY_LEVELS: Urgency[] = ['normal', 'urgent', 'emergency'];
export interface TimeLimitRow {
  step: string;
  areaClass: 'A' | 'B' | 'C';
  /** 'normal' = the class's own limit; 紧急 / 特急 fall back to the less urgent levels. */
  urgency: Urgency;
  amount: number;
  unit: LimitUnit;
}

export interface Standard {
  categoryId: number;
  filingConditions: string;
  closingConditions: string;
  defaultUrgency: 'normal' | 'urgent' | 'emergency';
  departmentCodes: string[];
  /** 核查须拍照: the supervisor's 核查 must carry photos. */
  checkPhotos: boolean;
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

/** The limit a case of `urgency` runs on: its level's, else 紧急, else the class's own. */
export function effectiveLimit(
  limits: TimeLimitRow[],
  step: string,
  area: string,
  urgency: Urgency,
): TimeLimitRow | undefined {
  const order = URGENCY_LEVELS.slice(0, URGENCY_LEVELS.indexOf(urgency) + 1).reverse();
  for (const level of order) {
    const hit = limits.find((l) => l.step === step && l.areaClass === area && l.urgency === level);
    if (hit) return hit;
  }
  return undefined;
}
