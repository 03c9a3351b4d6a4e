import { z } from 'zod';
import { requirePermission } from '../../platform/auth/actor.js';
import type { Store } from '../../platform/db/store.js';
import { AppError } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/auth-hook.js';
import { parseJsonBody } from '../../platform/http/input-guard.js';
import type { ApiApp } from '../../platform/http/types.js';
import { defineImportJob } from '../../platform/jobs/import-job.js';
import type { JobQueue } from '../../platform/jobs/port.js';
import {
  checkDeclaredCrs,
  checkFeatureCount,
  type ImportInput,
  type ImportOptions,
  importGrids,
  MAX_IMPORT_FEATURES,
  readGridFile,
} from './import.js';

export const GRID_IMPORT = 'grids.import';

/** What the job keeps besides the file: the query, and whether the file is a zip or GeoJSON. */
type GridImportParams = ImportOptions & { format: 'shapefile' | 'geojson' };

/** A city's grids as GeoJSON or a zipped shapefile stay well below this. */
export const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

const ZIP_TYPES = ['application/zip', 'application/x-zip-compressed'];

const flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .default(false);

// GIS tools add foreign members (name, bbox …) to a FeatureCollection: they are legal GeoJSON.
const featureCollection = z.looseObject({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()).max(MAX_IMPORT_FEATURES),
  crs: z.unknown().optional(),
});

function inputOf(body: unknown): ImportInput {
  if (Buffer.isBuffer(body)) return { kind: 'shapefile', zip: new Uint8Array(body) };
  const parsed = featureCollection.safeParse(body);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', {
      details: {
        in: 'body',
        issues: parsed.error.issues.map((i) => ({
          path: i.path.map(String),
          message: i.message,
          code: i.code,
        })),
      },
      message: {
        zh: '请求体应为 GeoJSON FeatureCollection（application/json）或 ZIP 压缩的 Shapefile（application/zip）',
        en: 'The body must be a GeoJSON FeatureCollection (application/json) or a zipped shapefile (application/zip)',
      },
    });
  }
  return { kind: 'geojson', collection: parsed.data };
}

export function defineGridImportJob(jobs: JobQueue, store: Store): void {
  defineImportJob<GridImportParams, Awaited<ReturnType<typeof readGridFile>>>(jobs, store, {
    kind: GRID_IMPORT,
    permission: 'grid.write',
    async read(input, params, step, signal) {
      await step(5, '读取文件 · reading the file');
      const body = input ?? Buffer.alloc(0);
      const file: ImportInput =
        params.format === 'shapefile'
          ? { kind: 'shapefile', zip: new Uint8Array(body) }
          : { kind: 'geojson', collection: JSON.parse(body.toString('utf8')) };
      return readGridFile(file, params.encoding, signal);
    },
    write: (ctx, file, params, step) => importGrids(ctx, file, params, step),
  });
}

export async function gridImportRoutes(app: ApiApp, store: Store, jobs: JobQueue) {
  defineGridImportJob(jobs, store);
  // Own encapsulated scope: the zip and geo+json parsers exist for this route only.
  await app.register(async (scope) => {
    const api = scope as ApiApp;
    api.addContentTypeParser(
      ZIP_TYPES,
      { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    api.addContentTypeParser(
      'application/geo+json',
      { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT },
      (_req, body, done) => {
        try {
          done(null, parseJsonBody(body as string));
        } catch (e) {
          done(e as Error, undefined);
        }
      },
    );
    api.post(
      '/grids/import',
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags: ['grid'],
          summary:
            'Import unit grids from GeoJSON or a zipped shapefile as a background job: 202 with the job; its result (GET /jobs/{id}/result) is the validation report (dryRun writes nothing); a file with problems fails the job with the report in its error, nothing written',
          description:
            'Body: a GeoJSON FeatureCollection (application/json or application/geo+json) or a zipped shapefile ' +
            '(application/zip: .shp + .dbf, optional .prj and .cpg) with the properties code, community (optional) ' +
            'and areaClass (A/B/C, default B). Applying replaces the grids of every community in the file; replaced ' +
            'grids are ended, not deleted. crs: EPSG code when the file does not say (default EPSG:4326). ' +
            'encoding: DBF text encoding (utf-8 or gbk) when there is no .cpg. redrawBoundary: the file may move ' +
            "the communities' outlines (otherwise it must tile them exactly).",
          querystring: z.strictObject({
            dryRun: flag,
            crs: z.string().min(1).max(80).optional(),
            encoding: z.enum(['utf-8', 'gbk']).optional(),
            redrawBoundary: flag,
          }),
        },
      },
      async (request, reply) => {
        const ctx = ctxOf(store.db, request);
        requirePermission(ctx.actor, 'grid.write');
        // Cheap checks now (a 400 changes nothing); the file itself is read by the job.
        const input = inputOf(request.body);
        checkDeclaredCrs(request.query.crs);
        if (input.kind === 'geojson') checkFeatureCount(input.collection.features.length);
        const { format, body } =
          input.kind === 'shapefile'
            ? { format: 'shapefile' as const, body: Buffer.from(input.zip) }
            : { format: 'geojson' as const, body: Buffer.from(JSON.stringify(input.collection)) };
        const job = await jobs.enqueue(ctx.db, GRID_IMPORT, ctx.actor, { ...request.query, format }, body);
        return reply.status(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
      },
    );
  });
}
