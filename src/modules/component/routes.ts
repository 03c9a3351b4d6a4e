import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseComponentRecord } from '../../domain/component/record.js';
import { requirePermission } from '../../platform/auth/actor.js';
import { ctxOf } from '../../platform/http/auth-hook.js';
import { parseJsonBody } from '../../platform/http/input-guard.js';
import type { ApiApp, ModuleDeps } from '../../platform/http/types.js';
import { defineImportJob } from '../../platform/jobs/import-job.js';
import { parseOffThread } from '../../platform/workers/run.js';
import {
  componentId,
  createBody,
  exportQuery,
  importQuery,
  listQuery,
  nearestQuery,
  patchBody,
} from './schema.js';
import {
  createComponent,
  getComponent,
  listComponents,
  nearestComponents,
  rowErrorToAppError,
  updateComponent,
} from './service.js';
import {
  type ComponentFile,
  exportComponents,
  type ImportFormat,
  importBodyOf,
  importComponents,
  readComponentFile,
} from './transfer.js';

export const COMPONENT_IMPORT = 'components.import';

/** Largest import file (a 50,000-row CSV of components is ≈ 10 MB). */
export const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function importFormat(request: FastifyRequest): ImportFormat {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === XLSX) return 'xlsx';
  return 'geojson';
}

/** HTTP routes of the component module (registered under /api/v1 in platform/http/app.ts). */
export async function componentRoutes(app: ApiApp, { store, jobs }: ModuleDeps): Promise<void> {
  const tags = ['component'];
  // The import as a job: the file is read in a worker thread (exceljs, CSV decoding), the rows
  // checked and written in the job's one unit of work.
  defineImportJob<{ format: ImportFormat; dryRun: boolean }, ComponentFile>(jobs, store, {
    kind: COMPONENT_IMPORT,
    permission: 'component.write',
    async read(input, params, step, signal) {
      await step(5, '读取文件 · reading the file');
      return parseOffThread(
        input?.byteLength ?? 0,
        () => readComponentFile(params.format, input),
        new URL('./transfer.ts', import.meta.url),
        'readComponentFile',
        [params.format, input],
        signal,
      );
    },
    async write(c, file, params, step) {
      await step(50, `检查 ${file.records.length} 行 · checking ${file.records.length} rows`);
      return importComponents(c, params.format, file, params.dryRun);
    },
  });
  const ctx = (r: FastifyRequest) => ctxOf(store.db, r);

  app.get(
    '/components',
    {
      schema: {
        tags,
        summary: 'Components (部件) in my scope: search by id (exact or prefix) and filter',
        querystring: listQuery,
      },
    },
    async (request) => listComponents(ctx(request), request.query),
  );
  app.get(
    '/components/nearest',
    {
      schema: {
        tags,
        summary: 'The components nearest to a point (WGS84), with their distance in metres',
        querystring: nearestQuery,
      },
    },
    async (request) => nearestComponents(ctx(request), request.query),
  );
  app.get(
    '/components/export',
    {
      schema: {
        tags,
        summary: 'Export the filtered components as CSV, xlsx or GeoJSON (importable again)',
        querystring: exportQuery,
      },
    },
    async (request, reply) => {
      const { format, ...filters } = request.query;
      const file = await exportComponents(ctx(request), format, filters);
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .send(file.body);
    },
  );
  app.get(
    '/components/:id',
    { schema: { tags, summary: 'One component', params: z.strictObject({ id: componentId }) } },
    async (request) => getComponent(ctx(request), request.params.id),
  );
  app.post(
    '/components',
    {
      schema: {
        tags,
        summary: 'Register a component; without an id the next free one of its district and class is given',
        body: createBody,
      },
    },
    async (request, reply) => {
      const b = request.body;
      const parsed = parseComponentRecord(1, {
        id: b.id,
        category: b.categoryCode,
        division: b.divisionCode,
        name: b.name,
        lng: b.location.lng,
        lat: b.location.lat,
        grid: b.gridCode,
        state: b.state,
        managing: b.managingDepartment,
        owning: b.owningDepartment,
        maintaining: b.maintainingDepartment,
        startDate: b.startDate,
        changeDate: b.changeDate,
        dataSource: b.dataSource,
        accuracy: b.accuracyClass,
        note: b.note,
      });
      if (!parsed.input) throw rowErrorToAppError(parsed.errors);
      return reply.status(201).send(await createComponent(ctx(request), parsed.input));
    },
  );
  app.patch(
    '/components/:id',
    {
      schema: {
        tags,
        summary: 'Change attributes of a component (a state change records the change date)',
        params: z.strictObject({ id: componentId }),
        body: patchBody,
      },
    },
    async (request) => updateComponent(ctx(request), request.params.id, request.body),
  );

  // Import takes CSV and xlsx bodies as well as JSON: parsers scoped to this route's plugin.
  await app.register(async (scoped: ApiApp) => {
    scoped.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scoped.addContentTypeParser(XLSX, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scoped.addContentTypeParser('application/geo+json', { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, parseJsonBody(body as string));
      } catch (e) {
        done(e as Error, undefined);
      }
    });
    scoped.post(
      '/components/import',
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags,
          summary:
            "Bulk import as a background job (202 with the job; its result at GET /jobs/{id}/result): GeoJSON (application/json), CSV (text/csv) or xlsx; all rows are checked and nothing is written unless all are valid (the row errors are the failed job's error details)",
          querystring: importQuery,
        },
      },
      async (request, reply) => {
        const c = ctx(request);
        requirePermission(c.actor, 'component.write');
        const format = importFormat(request);
        const body = importBodyOf(format, request.body);
        const job = await jobs.enqueue(
          c.db,
          COMPONENT_IMPORT,
          c.actor,
          { format, dryRun: request.query.dryRun },
          body,
        );
        return reply.status(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
      },
    );
  });
}
