import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { importClasses } from './class-import.js';
import { effectiveVersion, timeLimitFor } from './lookup.js';
import { addMapping, deleteMapping, listMappings, markUnmapped, unmarkUnmapped } from './mapping.js';
import { applyMove, previewMove } from './move.js';
import * as s from './schema.js';
import { categoryTree, createCategory, getCategory, listSchemes, updateCategory } from './service.js';
import { exportVersion, importVersion } from './transfer.js';
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
import { XLSX_TYPE } from './xlsx.js';

export const XLSX_BODY_LIMIT = 10 * 1024 * 1024;

/** The uploaded workbook; anything but the xlsx content type is refused before any work. */
function xlsxBody(request: FastifyRequest): Buffer {
  if (!Buffer.isBuffer(request.body)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { details: { expected: XLSX_TYPE } });
  }
  return request.body;
}

const xlsxUpload = z
  .any()
  .meta({ type: 'string', format: 'binary', description: 'The .xlsx file as the raw body' });

/** HTTP routes of the catalog module (registered under /api/v1 in platform/http/app.ts). */
export async function catalogRoutes(app: ApiApp, { store }: Deps): Promise<void> {
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
          summary: `Import an .xlsx standards table as a new draft (raw body ${XLSX_TYPE}, ≤ 10 MB)`,
          querystring: s.importQuery,
          consumes: [XLSX_TYPE],
          body: xlsxUpload,
        },
      },
      async (r, reply) => reply.status(201).send(await importVersion(ctx(r), xlsxBody(r), r.query)),
    );
    api.post(
      '/catalog/categories/import',
      {
        bodyLimit: XLSX_BODY_LIMIT,
        schema: {
          tags,
          summary: `Import a class list into a scheme, e.g. the official GB/T 47678.5 list (raw body ${XLSX_TYPE}, ≤ 10 MB)`,
          querystring: z.strictObject({ scheme: s.scheme }),
          consumes: [XLSX_TYPE],
          body: xlsxUpload,
        },
      },
      async (r) => importClasses(ctx(r), xlsxBody(r), r.query.scheme),
    );
    api.post(
      '/catalog/versions/:id/import',
      {
        bodyLimit: XLSX_BODY_LIMIT,
        schema: {
          tags,
          summary: `Replace a draft's rows with an .xlsx standards table (raw body ${XLSX_TYPE}, ≤ 10 MB)`,
          params: s.idParams,
          querystring: s.exportQuery,
          consumes: [XLSX_TYPE],
          body: xlsxUpload,
        },
      },
      async (r) => importVersion(ctx(r), xlsxBody(r), { versionId: r.params.id, scheme: r.query.scheme }),
    );
  });
}
