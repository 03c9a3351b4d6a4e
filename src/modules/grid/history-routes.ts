import { z } from 'zod';
import type { Store } from '../../platform/db/store.js';
import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp } from '../../platform/http/types.js';
import { gridHistory, mergeGrids, splitGrid } from './history.js';
import { polygon } from './schema.js';

const areaClass = z.enum(['A', 'B', 'C']);
const gridCode = z.string().regex(/^[0-9]{15}$/, '15 digits');
const reason = z.string().trim().min(1).max(500).optional();

export async function gridHistoryRoutes(app: ApiApp, store: Store) {
  const tags = ['grid'];
  app.post(
    '/grids/:code/split',
    {
      schema: {
        tags,
        summary: 'Split a current grid into parts that tile it exactly; the old grid is ended, not deleted',
        params: z.strictObject({ code: gridCode }),
        body: z.strictObject({
          parts: z
            .array(
              z.strictObject({
                code: gridCode.optional(),
                areaClass: areaClass.optional(),
                geometry: polygon,
              }),
            )
            .min(2)
            .max(50),
          reason,
        }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await splitGrid(ctxOf(store.db, request), request.params.code, request.body)),
  );
  app.post(
    '/grids/merge',
    {
      schema: {
        tags,
        summary: 'Merge adjacent current grids of one community into one; the old grids are ended',
        body: z.strictObject({
          codes: z.array(gridCode).min(2).max(50),
          code: gridCode.optional(),
          areaClass: areaClass.optional(),
          reason,
        }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await mergeGrids(ctxOf(store.db, request), request.body)),
  );
  app.get(
    '/grids/:code/history',
    {
      schema: {
        tags,
        summary:
          'What happened to a grid: validity, predecessors, successors and the changes that touched it',
        params: z.strictObject({ code: z.string().max(20) }),
      },
    },
    async (request) => gridHistory(ctxOf(store.db, request), request.params.code),
  );
}
