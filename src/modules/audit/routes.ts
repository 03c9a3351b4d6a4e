import { z } from 'zod';
import { ctxOf } from '../../platform/http/auth-hook.js';
import { bigIdParam, idParam, queryInt } from '../../platform/http/ids.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { readAuditLog } from './service.js';

export async function auditRoutes(app: ApiApp, { store }: Deps) {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary:
          'Read the append-only audit log (admin), newest first; page with beforeId; total counts every match',
        querystring: z.strictObject({
          actorId: idParam.optional(),
          action: z
            .string()
            .regex(/^[a-z_]+\.?[a-z_.]*$/)
            .max(60)
            .optional(),
          target: z.string().max(100).optional(),
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          beforeId: bigIdParam.optional(),
          limit: queryInt(1, 500).default(100),
        }),
      },
    },
    async (request) => {
      const q = request.query;
      return readAuditLog(ctxOf(store.db, request), {
        ...q,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      });
    },
  );
}
