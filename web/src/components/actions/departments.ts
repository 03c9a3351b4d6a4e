/** The departments the user may choose from (GET /departments) as a tree, and dispatch suggestions. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Label } from '../../api/types';

export interface Department {
  id: number;
  code: string;
  name: string;
  parentId: number | null;
  divisionCode: string;
  active: boolean;
}

export interface TreeNode {
  value: string;
  title: string;
  children: TreeNode[];
}

/** Active departments nested under their parents (a parent outside my scope makes a root). */
export function departmentTree(items: readonly Department[]): TreeNode[] {
  const active = items.filter((d) => d.active);
  const byId = new Map(
    active.map((d) => [d.id, { value: d.code, title: `${d.name}（${d.code}）`, children: [] as TreeNode[] }]),
  );
  const roots: TreeNode[] = [];
  for (const d of active) {
    const node = byId.get(d.id);
    if (!node) continue;
    const parent = d.parentId === null ? undefined : byId.get(d.parentId);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

export function useDepartments() {
  return useQuery({
    queryKey: ['work', 'departments'],
    queryFn: () => api<{ items: Department[] }>('/departments'),
    staleTime: 5 * 60_000,
    select: (r) => r.items,
  });
}

export interface Suggestion {
  rank: number;
  department: { code: string; name: string };
  source: 'component' | 'rule';
  reason: Label;
}

export function useDispatchSuggestions(caseId: number) {
  return useQuery({
    queryKey: ['work', 'dispatch-suggestions', caseId],
    queryFn: () => api<{ items: Suggestion[] }>(`/cases/${caseId}/dispatch-suggestions`),
    select: (r) => r.items,
  });
}
