import { z } from 'zod';
import { ctxOf } from '../../platform/http/auth-hook.js';
import { idParam } from '../../platform/http/ids.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { disputeQuery } from './schema.js';
import { caseDisputes, listDisputes } from './service.js';

/**
 * The city collaboration platform (权属确认). Sending, claiming, declining and settling are
 * workflow actions (POST /cases/:id/actions/…); these routes read the disputes. Registered from caseRoutes.
 */
export async function collabRoutes(app: ApiApp, { store }: Deps): Promise<void> {
  const tags = ['collab'];
  app.get(
    '/ownership-disputes',
    {
      schema: {
        tags,
        summary:
          'Ownership disputes with candidates, answers and claim deadlines (coordinators: 待权属确认; departments: 待权属认领)',
        querystring: disputeQuery,
      },
    },
    async (request) => listDisputes(ctxOf(store.db, request), request.query),
  );
  app.get(
    '/cases/:id/ownership',
    {
      schema: {
        tags,
        summary: 'The ownership disputes of one case',
        params: z.strictObject({
          id: idParam,
        }),
        querystring: z.strictObject({}),
      },
    },
    async (request) => caseDisputes(ctxOf(store.db, request), request.params.id),
  );
}
