/**
 * Work lists of the field roles from the server's queues (scoped to the user's grids or
 * department), sorted by deadline, polled so a new task is noticed within half a minute.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../../src/api/client';
import type { CaseView } from '../../../src/api/types';

const POLL_MS = 30_000;
const SEEN_KEY = 'cityloop.m.seenTasks';

export function useTasks(queues: readonly string[]) {
  return useQuery({
    queryKey: ['tasks', ...queues],
    queryFn: async () => {
      const lists = await Promise.all(
        queues.map((queue) => api<{ items: CaseView[] }>('/cases', { query: { queue, limit: 100 } })),
      );
      const deadline = (c: CaseView) =>
        c.clock?.deadline ? Date.parse(c.clock.deadline) : Number.POSITIVE_INFINITY;
      return lists.flatMap((l) => l.items).sort((a, b) => deadline(a) - deadline(b) || a.id - b.id);
    },
    refetchInterval: POLL_MS,
  });
}

function seen(): Set<number> {
  try {
    return new Set(JSON.parse(localStorage.getItem(SEEN_KEY) ?? '[]') as number[]);
  } catch {
    return new Set();
  }
}

/** Marks the current tasks as seen (the list was looked at). */
export function markSeen(ids: number[]): void {
  localStorage.setItem(SEEN_KEY, JSON.stringify(ids.slice(-500)));
  window.dispatchEvent(new Event('cityloop:tasks-seen'));
}

/** How many tasks arrived since the list was last looked at. */
export function useNewTaskCount(queues: readonly string[]): number {
  const tasks = useTasks(queues);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const on = () => setTick((n) => n + 1);
    window.addEventListener('cityloop:tasks-seen', on);
    return () => window.removeEventListener('cityloop:tasks-seen', on);
  }, []);
  void tick;
  const known = seen();
  return (tasks.data ?? []).filter((c) => !known.has(c.id)).length;
}
