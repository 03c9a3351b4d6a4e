import { z } from 'zod';
import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { createGrid, getGrid, listGrids, locate } from './service.js';

const lng = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
/** A decimal number in a query string; an empty value is missing, not 0. */
const DECIMAL = '-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)';
const queryNumber = (schema: z.ZodNumber) =>
  z
    .string()
    .regex(new RegExp(`^${DECIMAL}$`), 'a decimal number')
    .transform(Number)
    .pipe(schema);
// Body coordinates are JSON numbers: coercion would turn null or "" into 0.
const position = z.tuple([lng, lat]);
const polygon = z.strictObject({
  type: z.literal('Polygon'),
  coordinates: z.array(z.array(position).min(4)).min(1).max(50),
});

export async function gridRoutes(app: ApiApp, { store }: Deps) {
  const tags = ['grid'];
  app.get(
    '/grids/locate',
    {
      schema: {
        tags,
        summary: 'Point (WGS84) → unit grid, community, street, district',
        querystring: z.strictObject({ lng: queryNumber(lng), lat: queryNumber(lat) }),
      },
    },
    async (request) => locate(ctxOf(store.db, request), request.query.lng, request.query.lat),
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
          limit: z.coerce.number().int().min(1).max(5000).default(500),
          offset: z.coerce.number().int().min(0).default(0),
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
}
