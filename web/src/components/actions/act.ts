/** Sending one workflow action (POST /cases/:id/actions/:action) with the version the user saw. */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { ApiError, api } from '../../api/client';
import type { CaseView } from '../../api/types';

export type ActionBody = Record<string, unknown>;

/** The case changed since the user loaded it (409 CASE_VERSION_CONFLICT). */
export const isVersionConflict = (err: unknown) =>
  err instanceof ApiError && err.code === 'CASE_VERSION_CONFLICT';

export function useActOnCase() {
  const qc = useQueryClient();
  return useCallback(
    async (caseId: number, action: string, version: number, body: ActionBody = {}) => {
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
