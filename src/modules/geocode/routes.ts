import { z } from 'zod';
import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { createEntry, deleteGazetteerEntry, getEntry, listEntries, updateEntry } from './gazetteer.js';
import { importFeatures } from './import.js';
import { reverseGeocode, searchAddress } from './lookup.js';
import {
  entryBody,
  idParams,
  importBody,
  importQuery,
  kindParam,
  listQuery,
  patchBody,
  reverseQuery,
  searchQuery,
} from './schema.js';

/** HTTP routes of the geocode module (registered under /api/v1 in platform/http/app.ts). */
export async function geocodeRoutes(app: ApiApp, { store }: Deps): Promise<void> {
  const tags = ['geocode'];
  const kindOnly = z.strictObject({ kind: kindParam });
  app.get(
    '/geocode/reverse',
    {
      schema: {
        tags,
        summary: 'Point → district, street, community, grid, nearest road, door and places',
        querystring: reverseQuery,
      },
    },
    async (request) => reverseGeocode(ctxOf(store.db, request), request.query),
  );
  app.get(
    '/geocode/search',
    {
      schema: {
        tags,
        summary: 'Address text (Chinese, partial) → ranked candidates with score and explanation',
        querystring: searchQuery,
      },
    },
    async (request) => searchAddress(ctxOf(store.db, request), request.query),
  );
  app.post(
    '/gazetteer/import',
    {
      schema: {
        tags,
        summary: 'Import a GeoJSON FeatureCollection of roads, addresses or pois (admin); all or nothing',
        querystring: importQuery,
        body: importBody,
      },
    },
    async (request, reply) => {
      const result = await importFeatures(ctxOf(store.db, request), request.query, request.body.features);
      return reply.status(result.dryRun ? 200 : 201).send(result);
    },
  );
  app.get(
    '/gazetteer/:kind',
    {
      schema: {
        tags,
        summary: 'Gazetteer entries as GeoJSON (paged, by bbox or name)',
        params: kindOnly,
        querystring: listQuery,
      },
    },
    async (request) => listEntries(ctxOf(store.db, request), request.params.kind, request.query),
  );
  app.get(
    '/gazetteer/:kind/:id',
    { schema: { tags, summary: 'One gazetteer entry as a GeoJSON Feature', params: idParams } },
    async (request) => getEntry(ctxOf(store.db, request), request.params.kind, request.params.id),
  );
  app.post(
    '/gazetteer/:kind',
    {
      schema: {
        tags,
        summary: 'Create one road, door address or place (admin)',
        params: kindOnly,
        body: entryBody,
      },
    },
    async (request, reply) => {
      const { crs, ...feature } = request.body;
      return reply
        .status(201)
        .send(await createEntry(ctxOf(store.db, request), request.params.kind, feature, crs));
    },
  );
  app.patch(
    '/gazetteer/:kind/:id',
    {
      schema: {
        tags,
        summary: 'Change properties and/or geometry of one entry (admin)',
        params: idParams,
        body: patchBody,
      },
    },
    async (request) => {
      const { crs, ...patch } = request.body;
      return updateEntry(ctxOf(store.db, request), request.params.kind, request.params.id, patch, crs);
    },
  );
  app.delete(
    '/gazetteer/:kind/:id',
    {
      schema: {
        tags,
        summary: 'Delete one entry (admin); a road with doors cannot be deleted',
        params: idParams,
      },
    },
    async (request, reply) => {
      await deleteGazetteerEntry(ctxOf(store.db, request), request.params.kind, request.params.id);
      return reply.status(204).send();
    },
  );
}
