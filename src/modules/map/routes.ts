import type { FastifyReply } from 'fastify';
import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { encoderFor } from './encode.js';
import { layerGeojson } from './geojson.js';
import { gridHeat } from './heat.js';
import { geojsonParams, geojsonQuery, heatQuery, locateBody, tileParams, tileQuery } from './schema.js';
import { locateMany, mapTile, type TileResult } from './service.js';

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

/** Answers a tile: 204 when empty, 304 when the client's tag matches, else the MVT bytes. */
export function sendTile(reply: FastifyReply, result: TileResult, cache: 'private' | 'public') {
  reply.header('cache-control', `${cache}, max-age=${result.maxAgeSeconds}`);
  if (result.status === 204) return reply.status(204).send();
  reply.header('etag', result.etag);
  if (result.status === 304) return reply.status(304).send();
  return reply.status(200).type(MVT_CONTENT_TYPE).send(Buffer.from(result.body));
}

/** HTTP routes of the map module (registered under /api/v1 in platform/http/app.ts). */
export async function mapRoutes(app: ApiApp, { store, config }: Deps): Promise<void> {
  const tags = ['map'];
  const encode = encoderFor(store.kind);
  app.get(
    '/map/tiles/:layer/:z/:x/:y.mvt',
    {
      schema: {
        tags,
        summary:
          'Vector tile (MVT) of a layer: grids, communities, streets, districts, components, cases (open cases, points clustered below z14; filters kind, categoryCode and areaCode prefixes, state, light, source lists; rev busts caches); the base map from the gazetteer: roads (name, class), places (name, category, rank), areas (parks, water) and labels (a point per district, street and community)',
        params: tileParams,
        querystring: tileQuery,
      },
    },
    async (request, reply) => {
      const inm = request.headers['if-none-match'];
      const result = await mapTile(
        ctxOf(store.db, request),
        encode,
        { ...request.params, ifNoneMatch: typeof inm === 'string' ? inm : undefined },
        { clusterBelowZoom: config.mapClusterBelowZoom },
        request.query,
      );
      // Tiles depend on who asks (data scope): private caches only, keyed by the credentials.
      reply.header('vary', 'Authorization, Cookie, X-API-Key');
      return sendTile(reply, result, 'private');
    },
  );
  app.get(
    '/map/layers/:layer.geojson',
    {
      schema: {
        tags,
        summary: 'A small layer as GeoJSON by bbox (districts, streets, communities; grids up to `limit`)',
        params: geojsonParams,
        querystring: geojsonQuery,
      },
    },
    async (request, reply) => {
      const body = await layerGeojson(ctxOf(store.db, request), request.params.layer, request.query);
      return reply.type('application/geo+json; charset=utf-8').send(JSON.stringify(body));
    },
  );
  app.get(
    '/map/heat/grids',
    {
      schema: {
        tags,
        summary:
          'Case counts per unit grid in my scope: open now, or reported in [from, to); same filters as the cases tiles',
        querystring: heatQuery,
      },
    },
    async (request) => gridHeat(ctxOf(store.db, request), request.query),
  );
  app.post(
    '/map/locate',
    {
      schema: {
        tags,
        summary:
          'Points (WGS84) → current unit grid codes in my scope, up to 1,000 at once (in-memory index)',
        body: locateBody,
      },
    },
    async (request) => locateMany(ctxOf(store.db, request), request.body.points),
  );
}
