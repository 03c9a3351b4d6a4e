/**
 * Background jobs (GET /api/v1/jobs/{id}): the console starts one (an evaluation, an export),
 * follows its progress, can cancel it, and reads its result when done. The job of a given
 * question is remembered in this browser, so the asker who leaves and comes back (or reloads)
 * finds the same job — running or done — instead of starting the work again.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { ApiError, api } from './client';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobView {
  id: string;
  kind: string;
  state: JobState;
  progress: number;
  message: string | null;
  cancelRequested: boolean;
  error: { code: string; messages: { zh: string; en: string } } | null;
  file: { name: string; type: string; bytes: number } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const isOver = (v: JobView | undefined) =>
  v !== undefined && (v.state === 'succeeded' || v.state === 'failed' || v.state === 'cancelled');

const STORE = 'cityloop.jobs';
/** A finished answer is reused this long by default; after that the question is asked again. */
const REUSE_MS = 30 * 60_000;

function remembered(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(STORE) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

export function rememberJob(key: string, id: string | null) {
  const all = remembered();
  if (id) all[key] = id;
  else delete all[key];
  // Only the latest few questions are kept.
  const entries = Object.entries(all).slice(-30);
  localStorage.setItem(STORE, JSON.stringify(Object.fromEntries(entries)));
}

export const rememberedJob = (key: string): string | null => remembered()[key] ?? null;

/** A remembered job still worth showing: running, or done a short while ago. */
async function reusable(id: string, reuseMs: number): Promise<JobView | null> {
  try {
    const v = await api<JobView>(`/jobs/${id}`);
    if (v.state === 'failed' || v.state === 'cancelled') return null;
    if (v.finishedAt && Date.now() - Date.parse(v.finishedAt) > reuseMs) return null;
    return v;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) return null;
    throw err;
  }
}

/**
 * The job answering `key` (null: none wanted yet): the remembered one if still good, else one
 * started with `start`. Polls its progress until it ends, then loads its JSON result.
 */
export function useJob<T>(
  key: string | null,
  start: () => Promise<JobView>,
  options: { result?: boolean; reuseMs?: number } = {},
) {
  const client = useQueryClient();
  const begun = useQuery({
    queryKey: ['job-start', key],
    enabled: key !== null,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
    queryFn: async () => {
      const known = key ? rememberedJob(key) : null;
      const again = known ? await reusable(known, options.reuseMs ?? REUSE_MS) : null;
      if (again) return again;
      const v = await start();
      if (key) rememberJob(key, v.id);
      return v;
    },
  });
  const id = begun.data?.id ?? null;
  const job = useQuery({
    queryKey: ['job', id],
    enabled: id !== null,
    queryFn: () => api<JobView>(`/jobs/${id}`),
    initialData: begun.data,
    refetchInterval: (q) => (isOver(q.state.data) ? false : 400),
  });
  const view = job.data ?? begun.data;
  const result = useQuery({
    queryKey: ['job-result', id],
    enabled: options.result !== false && view?.state === 'succeeded',
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: () => api<T>(`/jobs/${id}/result`),
  });
  const cancel = useCallback(async () => {
    if (!id) return;
    await api(`/jobs/${id}`, { method: 'DELETE' }).catch(() => {});
    await client.invalidateQueries({ queryKey: ['job', id] });
  }, [client, id]);
  const restart = useCallback(async () => {
    if (key) rememberJob(key, null);
    await client.resetQueries({ queryKey: ['job-start', key] });
  }, [client, key]);
  return {
    view,
    result: result.data,
    error: begun.error ?? job.error ?? result.error,
    cancel,
    restart,
  };
}

/**
 * Follows a job started by an upload (an import answers 202 with it) until it ends, telling
 * `onView` each state for the progress bar. Succeeded: its result; failed: its error thrown as
 * the synchronous request would have (with its report in `details`); cancelled: null.
 */
export async function followJob<T>(started: JobView, onView: (v: JobView) => void): Promise<T | null> {
  let v = started;
  onView(v);
  while (!isOver(v)) {
    await new Promise((r) => setTimeout(r, 400));
    v = await api<JobView>(`/jobs/${v.id}`);
    onView(v);
  }
  if (v.state === 'succeeded') return api<T>(`/jobs/${v.id}/result`);
  if (v.state === 'failed' && v.error) {
    const e = v.error as JobView['error'] & { details?: unknown };
    throw new ApiError(422, e?.code ?? 'INTERNAL', e?.messages ?? { zh: '', en: '' }, e?.details ?? null);
  }
  return null;
}

/** Asks a running job to stop (a queued one stops at once). */
export const cancelJob = (id: string) => api<JobView>(`/jobs/${id}`, { method: 'DELETE' });
