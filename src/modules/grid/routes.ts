import { z } from 'zod';
import { ctxOf } from '../../platform/http/auth-hook.js';
import { queryInt } from '../../platform/http/ids.js';
import type { ApiApp, ModuleDeps } from '../../platform/http/types.js';
import { gridHistoryRoutes } from './history-routes.js';
import { gridImportRoutes } from './import-routes.js';
import { DECIMAL, isoDate, lat, lng, polygon, queryNumber } from './schema.js';
import { createGrid, getGrid, listGrids, locate } from './service.js';

export async function gridRoutes(app: ApiApp, { store, jobs }: ModuleDeps) {
  const tags = ['grid'];
  app.get(
    '/grids/locate',
    {
      schema: {
        tags,
        summary:
          'Point (WGS84) → unit grid, community, street, district (the current grid, or the one in force on `at`)',
        querystring: z.strictObject({ lng: queryNumber(lng), lat: queryNumber(lat), at: isoDate.optional() }),
      },
    },
    async (request) =>
      locate(ctxOf(store.db, request), request.query.lng, request.query.lat, request.query.at),
  );
  app.get(
    '/grids',
    {
      schema: {
        tags,
        summary: 'Current unit grids in my scope as GeoJSON (by community or bbox)',
        querystring: z.strictObject({
          communityCode: z
            .string()
            .regex(/^[0-9]{12}$/)
            .optional(),
          bbox: z
            .string()
            .regex(new RegExp(`^${DECIMAL},${DECIMAL},${DECIMAL},${DECIMAL}$`), 'west,south,east,north')
            .transform((s) => s.split(',').map(Number) as [number, number, number, number])
            .refine(
              ([w, s, e, n]) => w >= -180 && e <= 180 && s >= -90 && n <= 90 && w <= e && s <= n,
              'west ≤ east and south ≤ north, in WGS84 degrees',
            )
            .optional(),
          limit: queryInt(1, 5000).default(500),
          offset: queryInt(0).default(0),
        }),
      },
    },
    async (request) => listGrids(ctxOf(store.db, request), request.query),
  );
  app.get(
    '/grids/:code',
    {
      schema: {
        tags,
        summary: 'One unit grid as a GeoJSON Feature',
        params: z.strictObject({ code: z.string().max(20) }),
      },
    },
    async (request) => getGrid(ctxOf(store.db, request), request.params.code),
  );
  app.post(
    '/grids',
    {
      schema: {
        tags,
        summary: 'Create a unit grid (admin); the code must start with its community code',
        body: z.strictObject({
          code: z.string().max(20),
          communityCode: z.string().regex(/^[0-9]{12}$/),
          areaClass: z.enum(['A', 'B', 'C']).default('B'),
          geometry: polygon,
        }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createGrid(ctxOf(store.db, request), request.body)),
  );
  await gridImportRoutes(app, store, jobs);
  await gridHistoryRoutes(app, store);
}
