/** HTTP routes of the evaluation module (registered under /api/v1 in platform/http/app.ts). */
import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, ModuleDeps } from '../../platform/http/types.js';
import { safeFileBase, sendXlsx } from '../../platform/http/xlsx-export.js';
import { defineEvaluationJobs, EVALUATION_PUBLISH, EVALUATION_RUN } from './jobs.js';
import { periodOf } from './period.js';
import { getPublication, listPublications, planPublication } from './publications.js';
import {
  createSchemeBody,
  drilldownQuery,
  publicationParams,
  publicationQuery,
  publicationsQuery,
  publishBody,
  resultsQuery,
  schemeParams,
  schemesQuery,
  schemeVersionBody,
  statsQuery,
} from './schema.js';
import { addSchemeVersion, createScheme, listSchemes, schemeVersions } from './schemes.js';
import { evaluationDrilldown, evaluationResults } from './service.js';
import { operationalStats } from './stats.js';
import { publicationWorkbook } from './xlsx.js';

export async function evaluationRoutes(app: ApiApp, deps: ModuleDeps): Promise<void> {
  const { store, jobs } = deps;
  defineEvaluationJobs(jobs, store, deps.config.evaluationJobChunk, deps.config.evaluationEngine);
  const tags = ['evaluation'];
  app.get(
    '/evaluation/schemes',
    {
      schema: {
        tags,
        summary: 'Evaluation schemes (latest versions) and the indicator catalogue',
        querystring: schemesQuery,
      },
    },
    async (request) => listSchemes(ctxOf(store.db, request), request.query.subjectType),
  );
  app.get(
    '/evaluation/schemes/:id/versions',
    { schema: { tags, summary: 'Every version of a scheme, oldest first', params: schemeParams } },
    async (request) => schemeVersions(ctxOf(store.db, request), request.params.id),
  );
  app.post(
    '/evaluation/schemes',
    { schema: { tags, summary: 'Create a scheme (version 1); administrators', body: createSchemeBody } },
    async (request, reply) =>
      reply.status(201).send(await createScheme(ctxOf(store.db, request), request.body)),
  );
  app.put(
    '/evaluation/schemes/:id',
    {
      schema: {
        tags,
        summary:
          'Change a scheme: adds a new version (earlier versions and publications stay); administrators',
        params: schemeParams,
        body: schemeVersionBody,
      },
    },
    async (request) => addSchemeVersion(ctxOf(store.db, request), request.params.id, request.body),
  );
  app.get(
    '/evaluation/results',
    {
      schema: {
        tags,
        summary:
          'Indicators, score, grade and rank of every subject of a type over a period (from the case event log)',
        querystring: resultsQuery,
      },
    },
    async (request) => evaluationResults(ctxOf(store.db, request), request.query),
  );
  app.post(
    '/evaluation/runs',
    {
      schema: {
        tags,
        summary:
          'Start the same evaluation as GET /evaluation/results as a background job (fields as in that query string); 202 with the job: follow GET /jobs/{id}, read GET /jobs/{id}/result',
        body: resultsQuery,
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(store.db, request);
      const q = request.body;
      periodOf(q.period, q.from, q.to); // a bad period is refused now, not by the job later
      const job = await jobs.enqueue(ctx.db, EVALUATION_RUN, ctx.actor, q);
      return reply.status(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
    },
  );
  app.get(
    '/evaluation/drilldown',
    {
      schema: {
        tags,
        summary: 'The cases behind one figure (numerator or denominator of one indicator of one subject)',
        querystring: drilldownQuery,
      },
    },
    async (request) => evaluationDrilldown(ctxOf(store.db, request), request.query),
  );
  app.get(
    '/evaluation/stats',
    {
      schema: {
        tags,
        summary:
          'Operational statistics: 处置率, on-time and rework rates, handling time, top categories and places',
        querystring: statsQuery,
      },
    },
    async (request) =>
      operationalStats(ctxOf(store.db, request), request.query, deps.config.evaluationEngine),
  );
  app.post(
    '/evaluation/publications',
    {
      schema: {
        tags,
        summary:
          'Publish (freeze) the results of a finished period: checked at once, then counted and frozen as a background job; 202 with the job: follow GET /jobs/{id}; its result is { id } of the publication',
        body: publishBody,
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(store.db, request);
      await planPublication(ctx, request.body);
      const job = await jobs.enqueue(ctx.db, EVALUATION_PUBLISH, ctx.actor, request.body);
      return reply.status(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
    },
  );
  app.get(
    '/evaluation/publications',
    {
      schema: {
        tags,
        summary: 'Published evaluations, newest first (paged)',
        querystring: publicationsQuery,
      },
    },
    async (request) => listPublications(ctxOf(store.db, request), request.query),
  );
  app.get(
    '/evaluation/publications/:id',
    {
      schema: {
        tags,
        summary: 'One publication with its ranking tables',
        params: publicationParams,
        querystring: publicationQuery,
      },
    },
    async (request) => getPublication(ctxOf(store.db, request), request.params.id, request.query.subjectType),
  );
  app.get(
    '/evaluation/publications/:id/export',
    {
      schema: {
        tags,
        summary: 'A publication as .xlsx, one sheet per subject type',
        params: publicationParams,
      },
    },
    async (request, reply) => {
      const p = await getPublication(ctxOf(store.db, request), request.params.id);
      const body = await publicationWorkbook(p.title, `${p.period.from} – ${p.period.to}`, p.tables);
      return sendXlsx(reply, body, `${safeFileBase(p.title)}.xlsx`, `evaluation-${p.id}.xlsx`);
    },
  );
}
