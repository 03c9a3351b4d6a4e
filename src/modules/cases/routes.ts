import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/auth-hook.js';
import { idParam } from '../../platform/http/ids.js';
import type { ApiApp, ModuleDeps } from '../../platform/http/types.js';
import { sendXlsx } from '../../platform/http/xlsx-export.js';
import { actOnCase, createCase } from './commands.js';
import { caseDuplicates } from './duplicates.js';
import { exportCases, exportQuery } from './export.js';
import { CASE_EXPORT, defineCaseExportJob } from './export-job.js';
import { actionsForMe, caseTimeline, getCase, listCases, queueCounts } from './queries.js';
import {
  type ActionInput,
  actionBody,
  createCaseBody,
  ENDPOINT_ACTIONS,
  queueQuery,
  selfHandleBody,
} from './schema.js';

const caseId = z.strictObject({
  id: idParam,
});

/** HTTP routes of the cases module (registered under /api/v1 in platform/http/app.ts). */
export async function caseRoutes(app: ApiApp, deps: ModuleDeps): Promise<void> {
  const { store, jobs } = deps;
  defineCaseExportJob(jobs);
  const duplicates = { radiusM: deps.config.duplicateRadiusM, windowHours: deps.config.duplicateWindowHours };
  const tags = ['cases'];
  app.post(
    '/cases',
    {
      schema: {
        tags,
        summary: 'Report a case (上报): location → grid, category, photos; lists possible duplicates',
        body: createCaseBody,
      },
    },
    async (request, reply) => {
      return reply
        .status(201)
        .send(await createCase(ctxOf(store.db, request), request.body, undefined, duplicates));
    },
  );
  app.post(
    '/cases/self-handle',
    {
      schema: {
        tags,
        summary:
          'Report a problem already fixed on the spot (自行处置, supervisors): before and after photos',
        body: selfHandleBody,
      },
    },
    async (request, reply) => {
      const { afterPhotos, ...report } = request.body;
      const created = await createCase(
        ctxOf(store.db, request),
        { ...report, source: 'supervisor' },
        { afterPhotos },
      );
      return reply.status(201).send(created);
    },
  );
  app.get(
    '/cases/:id/duplicates',
    {
      schema: {
        tags,
        summary:
          'Open cases of the same 小类 nearby and close in time (疑似重复), nearest first, for merging',
        params: caseId,
        querystring: z.strictObject({}),
      },
    },
    async (request) => caseDuplicates(ctxOf(store.db, request), request.params.id, duplicates),
  );
  app.get(
    '/cases',
    {
      schema: {
        tags,
        summary: 'My cases or one work queue, soonest deadline first',
        querystring: queueQuery,
      },
    },
    async (request) => listCases(ctxOf(store.db, request), request.query),
  );
  app.get(
    '/cases/export',
    {
      schema: {
        tags,
        summary: 'The list of GET /cases (same filters and scope, all rows up to 50,000) as .xlsx',
        querystring: exportQuery,
      },
    },
    async (request, reply) => {
      const file = await exportCases(ctxOf(store.db, request), request.query);
      return sendXlsx(reply, file.body, file.filename, file.asciiFallback);
    },
  );
  app.post(
    '/cases/exports',
    {
      schema: {
        tags,
        summary:
          'Start the export of GET /cases/export as a background job (fields as in that query string); 202 with the job: follow GET /jobs/{id}, download GET /jobs/{id}/result',
        body: exportQuery,
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(store.db, request);
      const job = await jobs.enqueue(ctx.db, CASE_EXPORT, ctx.actor, request.body);
      return reply.status(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
    },
  );
  app.get(
    '/cases/queues',
    {
      schema: {
        tags,
        summary: 'How many cases wait in each queue (my scope)',
        querystring: z.strictObject({}),
      },
    },
    async (request) => queueCounts(ctxOf(store.db, request)),
  );
  app.get('/cases/:id', { schema: { tags, summary: 'One case', params: caseId } }, async (request) =>
    getCase(ctxOf(store.db, request), request.params.id),
  );
  app.get(
    '/cases/:id/actions',
    {
      schema: {
        tags,
        summary: 'Actions I may take on the case now, and which of them need photos (photosRequired)',
        params: caseId,
      },
    },
    async (request) => actionsForMe(ctxOf(store.db, request), request.params.id),
  );
  app.get(
    '/cases/:id/events',
    { schema: { tags, summary: 'Timeline: every event with actor and role', params: caseId } },
    async (request) => caseTimeline(ctxOf(store.db, request), request.params.id),
  );
  app.post(
    '/cases/:id/actions/:action',
    {
      schema: {
        tags,
        summary: 'Take a workflow action; send the version you saw (409 CASE_VERSION_CONFLICT when stale)',
        params: z.strictObject({ id: caseId.shape.id, action: z.enum(ENDPOINT_ACTIONS) }),
        body: z.record(z.string(), z.unknown()),
      },
    },
    async (request) => {
      const ctx = ctxOf(store.db, request);
      // One strict body per action (reason, departmentCode, photos, amount …).
      const parsed = actionBody(request.params.action).safeParse(request.body);
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
        });
      }
      return actOnCase(ctx, request.params.id, request.params.action, parsed.data as ActionInput);
    },
  );
}
