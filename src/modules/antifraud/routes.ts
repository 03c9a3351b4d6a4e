import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, ModuleDeps } from '../../platform/http/types.js';
import { ANTIFRAUD_SCAN, defineAntifraudJobs, scanRange } from './jobs.js';
import { getFlag, listFlags, reviewFlag } from './review.js';
import { flagParams, flagsQuery, reviewBody, scanBody } from './schema.js';

/** HTTP routes of collector anti-fraud (信息采集质量), under /api/v1. */
export async function antifraudRoutes(app: ApiApp, { store, config, jobs }: ModuleDeps): Promise<void> {
  const tags = ['antifraud'];
  defineAntifraudJobs(jobs, config.dataDir);
  app.get(
    '/antifraud/flags',
    {
      schema: {
        tags,
        summary:
          "The review queue: flags raised against supervisors' reports (reused photo, off track, impossible speed, burst, quota rush, copy), oldest first, with counts by kind and status",
        querystring: flagsQuery,
      },
    },
    async (request) => listFlags(ctxOf(store.db, request), request.query),
  );
  app.get(
    '/antifraud/flags/:id',
    { schema: { tags, summary: 'One flag with its evidence and the report behind it', params: flagParams } },
    async (request) => getFlag(ctxOf(store.db, request), request.params.id),
  );
  app.post(
    '/antifraud/flags/:id/review',
    {
      schema: {
        tags,
        summary:
          "Confirm (fraud: counted in the collection company's evaluation) or dismiss an open flag, with a reason",
        params: flagParams,
        body: reviewBody,
      },
    },
    async (request) => reviewFlag(ctxOf(store.db, request), request.params.id, request.body),
  );
  app.post(
    '/antifraud/scans',
    {
      schema: {
        tags,
        summary:
          "Run the rules over every supervisor's report of a period as a background job; 202 with the job: follow GET /jobs/{id}",
        body: scanBody,
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(store.db, request);
      scanRange(ctx, request.body); // a bad range is refused now, not by the job later
      const job = await jobs.enqueue(ctx.db, ANTIFRAUD_SCAN, ctx.actor, request.body);
      return reply.status(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
    },
  );
}
