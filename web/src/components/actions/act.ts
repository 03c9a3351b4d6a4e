/** Sending one workflow action (POST /cases/:id/actions/:action) with the version the user saw. */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { ApiError, api } from '../../api/client';
import type { CaseView } from '../../api/types';

export type ActionBody = Record<string, unknown>;

/** The case changed since the user loaded it (409 CASE_VERSION_CONFLICT). */
export const isVersionConflict = (err: unknown) =>
  err instanceof ApiError && err.code === 'CASE_VERSION_CONFLICT';

/**
 * Cases this browser acted on in the last minute: the live stream echoes one's own actions, and
 * a "new task" alert about a case one has just moved would be noise.
 */
const actedByMe = new Map<number, number>();
const ECHO_MS = 60_000;
export function actedOnRecently(caseId: number, now = Date.now()): boolean {
  const at = actedByMe.get(caseId);
  return at !== undefined && now - at < ECHO_MS;
}

export function useActOnCase() {
  const qc = useQueryClient();
  return useCallback(
    async (caseId: number, action: string, version: number, body: ActionBody = {}) => {
      actedByMe.set(caseId, Date.now());
      try {
        return await api<CaseView>(`/cases/${caseId}/actions/${action}`, { body: { ...body, version } });
      } finally {
        // Success or refusal, what this area shows about the case may have moved on.
        await qc.invalidateQueries({ queryKey: ['work'] });
      }
    },
    [qc],
  );
}
