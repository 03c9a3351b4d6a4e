/** Shapes and queries of the GB/T 30428.2 ↔ GB/T 47678.5 mapping and the case move. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Category } from './standards-data';

export type Kind = 'component' | 'event';
export type MappingStatus = 'one' | 'split' | 'none' | 'open';

export interface MappingTarget {
  id: number;
  code: string;
  name: string;
  active: boolean;
  basis: 'name' | 'reviewed' | 'admin' | 'provisional';
  note: string | null;
}

export interface ClassMapping {
  kind: Kind;
  level: 'minor' | 'detail';
  from: { id: number; code: string; name: string; active: boolean };
  status: MappingStatus;
  to: MappingTarget[];
  noCounterpart: { note: string; basis: 'reviewed' | 'admin' } | null;
}

export interface MappingList {
  summary: { classes: number; one: number; split: number; none: number; open: number };
  items: ClassMapping[];
}

export interface ClassRef {
  id: number;
  scheme: string;
  kind: Kind;
  level: string;
  code: string;
  name: string;
}

export interface MovePreview {
  to: 'gbt30428' | 'gbt47678';
  scope: 'open' | 'all';
  summary: { classes: number; cases: number; mapped: number; ambiguous: number; unmapped: number };
  items: Array<{
    category: ClassRef;
    cases: number;
    status: 'mapped' | 'ambiguous' | 'unmapped';
    targets: ClassRef[];
    via: ClassRef | null;
    note: string | null;
  }>;
}

export function useMappings() {
  return useQuery({
    queryKey: ['admin', 'mappings'],
    queryFn: () => api<MappingList>('/catalog/mappings'),
  });
}

/** 小类 / 细类 of a scheme, flat, for pickers. */
export function useSchemeClasses(scheme: 'gbt30428' | 'gbt47678') {
  return useQuery({
    queryKey: ['admin', 'categories', scheme],
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const res = await api<{ items: Category[] }>('/catalog/categories', { query: { scheme } });
      const out: Category[] = [];
      const walk = (c: Category) => {
        if (c.level !== 'major') out.push(c);
        c.children.forEach(walk);
      };
      res.items.forEach(walk);
      return out;
    },
  });
}
