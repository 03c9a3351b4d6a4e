import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Scheme } from '../../domain/catalog/codes.js';
import type { Cell } from '../../domain/catalog/index.js';
import { requirePermission } from '../../platform/auth/actor.js';
import type { Store } from '../../platform/db/store.js';
import { AppError } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, ModuleDeps } from '../../platform/http/types.js';
import { looksLikeZip } from '../../platform/http/zip-check.js';
import { defineImportJob } from '../../platform/jobs/import-job.js';
import type { JobQueue } from '../../platform/jobs/port.js';
import { parseOffThread } from '../../platform/workers/run.js';
import { importClasses } from './class-import.js';
import { effectiveVersion, timeLimitFor } from './lookup.js';
import { addMapping, deleteMapping, listMappings, markUnmapped, unmarkUnmapped } from './mapping.js';
import { applyMove, previewMove } from './move.js';
import * as s from './schema.js';
import { categoryTree, createCategory, getCategory, listSchemes, updateCategory } from './service.js';
import { checkImportTarget, exportVersion, importVersion } from './transfer.js';
import {
  createDraft,
  deleteDraft,
  getStandard,
  getVersion,
  listStandards,
  listVersions,
  patchStandard,
  publishVersion,
  updateDraft,
} from './versions.js';
import { readStandardsWorkbook, XLSX_TYPE } from './xlsx.js';

export const XLSX_BODY_LIMIT = 10 * 1024 * 1024;

/** The uploaded workbook; anything but the xlsx content type is refused before any work. */
function xlsxBody(request: FastifyRequest): Buffer {
  if (!Buffer.isBuffer(request.body)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { details: { expected: XLSX_TYPE } });
  }
  // Refused now rather than queued: an .xlsx workbook is a ZIP archive.
  if (!looksLikeZip(request.body)) throw new AppError('CATALOG_FILE_UNREADABLE');
  return request.body;
}

const xlsxUpload = z
  .any()
  .meta({ type: 'string', format: 'binary', description: 'The .xlsx file as the raw body' });

export const CATALOG_VERSION_IMPORT = 'catalog.versions.import';
export const CATALOG_CLASS_IMPORT = 'catalog.categories.import';

type VersionImport = {
  versionId?: number | undefined;
  scheme?: Scheme | undefined;
  name?: string | undefined;
};

/**
 * The two workbook imports as jobs: the workbook is read in a worker thread (exceljs), then
 * checked and written in the job's unit of work; the result is what the request used to answer.
 */
function defineCatalogImportJobs(jobs: JobQueue, store: Store): void {
  const read = async (
    input: Buffer | null,
    step: (p: number, m: string) => Promise<void>,
    signal: AbortSignal,
  ) => {
    await step(5, '读取工作簿 · reading the workbook');
    const body = input ?? Buffer.alloc(0);
    return parseOffThread<Cell[][]>(
      body.byteLength,
      () => readStandardsWorkbook(body),
      new URL('./xlsx.ts', import.meta.url),
      'readStandardsWorkbook',
      [body],
      signal,
    );
  };
  defineImportJob<VersionImport, Cell[][]>(jobs, store, {
    kind: CATALOG_VERSION_IMPORT,
    permission: 'catalog.write',
    read: (input, _p, step, signal) => read(input, step, signal),
    async write(c, cells, params, step) {
      await step(50, `检查 ${cells.length} 行 · checking ${cells.length} rows`);
      return importVersion(c, cells, params);
    },
  });
  defineImportJob<{ scheme: Scheme }, Cell[][]>(jobs, store, {
    kind: CATALOG_CLASS_IMPORT,
    permission: 'catalog.write',
    read: (input, _p, step, signal) => read(input, step, signal),
    async write(c, cells, params, step) {
      await step(50, `检查 ${cells.length} 行 · checking ${cells.length} rows`);
      return importClasses(c, cells, params.scheme);
    },
  });
}

/** HTTP routes of the catalog module (registered under /api/v1 in platform/http/app.ts). */
export async function catalogRoutes(app: ApiApp, { store, jobs }: ModuleDeps): Promise<void> {
  defineCatalogImportJobs(jobs, store);
  const tags = ['catalog'];
  const ctx = (request: FastifyRequest) => ctxOf(store.db, request);

  app.get(
    '/catalog/schemes',
    { schema: { tags, summary: 'Code schemes and the active one', querystring: s.noQuery } },
    async (r) => listSchemes(ctx(r)),
  );
  app.get(
    '/catalog/categories',
    {
      schema: {
        tags,
        summary: 'Category tree 大类 → 小类 → 细类 (filter by kind, level; search name or code)',
        querystring: s.treeQuery,
      },
    },
    async (r) => categoryTree(ctx(r), r.query),
  );
  app.get(
    '/catalog/categories/:id',
    {
      schema: { tags, summary: 'One category with its counterpart in the other scheme', params: s.idParams },
    },
    async (r) => getCategory(ctx(r), r.params.id),
  );
  app.post(
    '/catalog/categories',
    {
      schema: {
        tags,
        summary: "Create a city's own category (07+ major, extra 小类, 细类)",
        body: s.createCategoryBody,
      },
    },
    async (r, reply) => reply.status(201).send(await createCategory(ctx(r), r.body)),
  );
  app.patch(
    '/catalog/categories/:id',
    {
      schema: {
        tags,
        summary: 'Rename or (de)activate a local category',
        params: s.idParams,
        body: s.updateCategoryBody,
      },
    },
    async (r) => updateCategory(ctx(r), r.params.id, r.body),
  );
  app.get(
    '/catalog/mappings',
    {
      schema: {
        tags,
        summary: 'GB/T 30428.2 → GB/T 47678.5 mapping per 30428.2 class (many-to-many; no-counterpart marks)',
        querystring: s.mappingQuery,
      },
    },
    async (r) => listMappings(ctx(r), r.query.kind),
  );
  app.put(
    '/catalog/mappings',
    {
      schema: {
        tags,
        summary: 'Add a pair of classes of the two schemes (or rewrite its note); audited',
        body: s.mappingBody,
      },
    },
    async (r) => addMapping(ctx(r), r.body),
  );
  app.delete(
    '/catalog/mappings/:fromId/:toId',
    { schema: { tags, summary: 'Remove a pair', params: s.mappingParams } },
    async (r, reply) => {
      await deleteMapping(ctx(r), r.params.fromId, r.params.toId);
      return reply.status(204).send();
    },
  );
  app.put(
    '/catalog/mappings/unmapped/:id',
    {
      schema: {
        tags,
        summary: 'Mark a GB/T 30428.2 class as having no counterpart, with the reason',
        params: s.idParams,
        body: s.unmappedBody,
      },
    },
    async (r) => markUnmapped(ctx(r), r.params.id, r.body),
  );
  app.delete(
    '/catalog/mappings/unmapped/:id',
    { schema: { tags, summary: 'Remove a no-counterpart mark', params: s.idParams } },
    async (r, reply) => {
      await unmarkUnmapped(ctx(r), r.params.id);
      return reply.status(204).send();
    },
  );
  app.get(
    '/catalog/moves/preview',
    {
      schema: {
        tags,
        summary:
          'Preview moving cases to a code scheme: each class with cases, its targets, mapped / ambiguous / unmapped',
        querystring: s.moveQuery,
      },
    },
    async (r) => previewMove(ctx(r), r.query),
  );
  app.post(
    '/catalog/moves',
    {
      schema: {
        tags,
        summary:
          "Move cases to a code scheme (open ones or all), with the admin's choice for ambiguous and unmapped classes",
        body: s.moveBody,
      },
    },
    async (r) => applyMove(ctx(r), r.body),
  );

  app.get(
    '/catalog/versions',
    {
      schema: {
        tags,
        summary: 'Standards versions (newest effective date first, drafts on top)',
        querystring: s.noQuery,
      },
    },
    async (r) => listVersions(ctx(r)),
  );
  app.get(
    '/catalog/versions/effective',
    {
      schema: {
        tags,
        summary: 'The published version in force at an instant (default now)',
        querystring: z.strictObject({ at: z.iso.datetime({ offset: true }).optional() }),
      },
    },
    async (r) => {
      const c = ctx(r);
      requirePermission(c.actor, 'catalog.read');
      const at = r.query.at ? new Date(r.query.at) : new Date();
      const v = await effectiveVersion(c.db, at);
      if (!v) throw new AppError('CATALOG_NO_EFFECTIVE_VERSION', { details: { at: at.toISOString() } });
      return v;
    },
  );
  app.post(
    '/catalog/versions',
    {
      schema: {
        tags,
        summary: 'New draft copied from a version (default: the one in force)',
        body: s.createVersionBody,
      },
    },
    async (r, reply) => reply.status(201).send(await createDraft(ctx(r), r.body)),
  );
  app.get(
    '/catalog/versions/:id',
    { schema: { tags, summary: 'One version', params: s.idParams } },
    async (r) => getVersion(ctx(r), r.params.id),
  );
  app.patch(
    '/catalog/versions/:id',
    {
      schema: {
        tags,
        summary: 'Rename a draft or change its note',
        params: s.idParams,
        body: s.updateVersionBody,
      },
    },
    async (r) => updateDraft(ctx(r), r.params.id, r.body),
  );
  app.delete(
    '/catalog/versions/:id',
    { schema: { tags, summary: 'Delete a draft', params: s.idParams } },
    async (r, reply) => {
      await deleteDraft(ctx(r), r.params.id);
      return reply.status(204).send();
    },
  );
  app.post(
    '/catalog/versions/:id/publish',
    {
      schema: {
        tags,
        summary: 'Publish a draft from a date (today or later; one per day)',
        params: s.idParams,
        body: s.publishBody,
      },
    },
    async (r) => publishVersion(ctx(r), r.params.id, r.body),
  );
  app.get(
    '/catalog/versions/:id/standards',
    { schema: { tags, summary: 'Rows of a version', params: s.idParams, querystring: s.standardsQuery } },
    async (r) => listStandards(ctx(r), r.params.id, r.query),
  );
  app.get(
    '/catalog/versions/:id/standards/:categoryId',
    { schema: { tags, summary: "One class's row in a version", params: s.standardParams } },
    async (r) => getStandard(ctx(r), r.params.id, r.params.categoryId),
  );
  app.patch(
    '/catalog/versions/:id/standards/:categoryId',
    {
      schema: {
        tags,
        summary: "Edit (or add) one class's conditions, urgency, departments, time limits in a draft",
        params: s.standardParams,
        body: s.standardPatchBody,
      },
    },
    async (r) => patchStandard(ctx(r), r.params.id, r.params.categoryId, r.body),
  );
  app.get(
    '/catalog/versions/:id/export',
    {
      schema: {
        tags,
        summary: 'The version as .xlsx (layout: docs/standards-xlsx.md)',
        params: s.idParams,
        querystring: s.exportQuery,
        produces: [XLSX_TYPE],
      },
    },
    async (r, reply) => {
      const { buffer, filename } = await exportVersion(ctx(r), r.params.id, r.query.scheme);
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(buffer);
    },
  );
  app.get(
    '/catalog/time-limit',
    {
      schema: {
        tags,
        summary:
          'Time limit of a class for a step, area class and urgency (fallback 特急 → 紧急 → 一般; version in force at `at`, or given)',
        querystring: s.lookupQuery,
      },
    },
    async (r) => {
      const c = ctx(r);
      requirePermission(c.actor, 'catalog.read');
      const q = r.query;
      const category =
        q.categoryId !== undefined
          ? { categoryId: q.categoryId }
          : { code: q.code ?? '', kind: q.kind ?? 'event', scheme: q.scheme };
      const version =
        q.versionId !== undefined ? { versionId: q.versionId } : { at: q.at ? new Date(q.at) : undefined };
      const limit = await timeLimitFor(c.db, {
        ...category,
        ...version,
        areaClass: q.areaClass,
        step: q.step,
        urgency: q.urgency,
      });
      if (!limit) throw new AppError('NOT_FOUND', { details: { resource: 'time_limit' } });
      return limit;
    },
  );

  // Uploads: the xlsx arrives as the raw body; the parser lives only in this scope.
  await app.register(async (upload) => {
    upload.addContentTypeParser(
      XLSX_TYPE,
      { parseAs: 'buffer', bodyLimit: XLSX_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    const api = upload as ApiApp;
    api.post(
      '/catalog/versions/import',
      {
        bodyLimit: XLSX_BODY_LIMIT,
        schema: {
          tags,
          summary: `Import an .xlsx standards table as a new draft (raw body ${XLSX_TYPE}, ≤ 10 MB): a background job, 202; its result is the new draft`,
          querystring: s.importQuery,
          consumes: [XLSX_TYPE],
          body: xlsxUpload,
        },
      },
      async (r, reply) => {
        const c = ctx(r);
        const body = xlsxBody(r);
        await checkImportTarget(c, undefined);
        const job = await jobs.enqueue(c.db, CATALOG_VERSION_IMPORT, c.actor, r.query, body);
        return reply.status(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
      },
    );
    api.post(
      '/catalog/categories/import',
      {
        bodyLimit: XLSX_BODY_LIMIT,
        schema: {
          tags,
          summary: `Import a class list into a scheme, e.g. the official GB/T 47678.5 list (raw body ${XLSX_TYPE}, ≤ 10 MB): a background job, 202`,
          querystring: z.strictObject({ scheme: s.scheme }),
          consumes: [XLSX_TYPE],
          body: xlsxUpload,
        },
      },
      async (r, reply) => {
        const c = ctx(r);
        const body = xlsxBody(r);
        requirePermission(c.actor, 'catalog.write');
        const job = await jobs.enqueue(c.db, CATALOG_CLASS_IMPORT, c.actor, { scheme: r.query.scheme }, body);
        return reply.status(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
      },
    );
    api.post(
      '/catalog/versions/:id/import',
      {
        bodyLimit: XLSX_BODY_LIMIT,
        schema: {
          tags,
          summary: `Replace a draft's rows with an .xlsx standards table (raw body ${XLSX_TYPE}, ≤ 10 MB): a background job, 202`,
          params: s.idParams,
          querystring: s.exportQuery,
          consumes: [XLSX_TYPE],
          body: xlsxUpload,
        },
      },
      async (r, reply) => {
        const c = ctx(r);
        const body = xlsxBody(r);
        // A missing or published draft is refused now (404/409), before any work is queued.
        await checkImportTarget(c, r.params.id);
        const params: VersionImport = { versionId: r.params.id, scheme: r.query.scheme };
        const job = await jobs.enqueue(c.db, CATALOG_VERSION_IMPORT, c.actor, params, body);
        return reply.status(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
      },
    );
  });
}
