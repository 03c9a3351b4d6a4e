/**
 * 综合评价 as a background job: a cold evaluation reads every case of the period (a year is
 * hundreds of thousands), far too long for a request. POST /evaluation/runs enqueues it and
 * answers 202; the job runs the same evaluationResults the GET answers with, in small chunks
 * with a progress report and a pause for waiting requests between chunks — on the embedded
 * store every statement runs on the server's own thread, so chunks are kept short there.
 */
import type { Store } from '../../platform/db/store.js';
import type { JobQueue } from '../../platform/jobs/port.js';
import { planPublication, writePublication } from './publications.js';
import type { PublishInput, ResultsQuery } from './schema.js';
import { evaluationResults } from './service.js';

export const EVALUATION_RUN = 'evaluation.results';
export const EVALUATION_PUBLISH = 'evaluation.publish';

/** Cases per chunk: short statements on the embedded store, fewer round trips on PostgreSQL. */
export const runChunk = (store: Store, configured: number | null) =>
  configured ?? (store.kind === 'pglite' ? 250 : 2000);

export function defineEvaluationJobs(
  jobs: JobQueue,
  store: Store,
  configured: number | null,
  engine: 'facts' | 'replay' = 'facts',
): void {
  jobs.define<ResultsQuery>({
    kind: EVALUATION_RUN,
    permission: 'evaluation.read',
    async run(job) {
      await job.progress(1, '准备中 · preparing');
      const result = await evaluationResults(
        { db: job.db, actor: job.actor, meta: { ip: null, requestId: `job:${job.id}`, userAgent: null } },
        job.params,
        {
          chunk: runChunk(store, configured),
          engine,
          session: store.kind === 'pglite' ? 'shared' : 'pooled',
          // The replay moves case chunk by case chunk, the facts step by step (the period's
          // events span by span, then each family of subject types).
          progress: (done, total, step) =>
            job.progress(
              total === 0 ? 99 : 2 + (done / total) * 97,
              step ? `${step} (${done} / ${total})` : `${done} / ${total}`,
            ),
        },
      );
      return { result };
    },
  });
  // 发布: the same counting, then the frozen rows. The plan is made again with the job's actor
  // (the asker), so the schemes are the latest versions when the counting starts.
  jobs.define<PublishInput>({
    kind: EVALUATION_PUBLISH,
    permission: 'evaluation.publish',
    async run(job) {
      await job.progress(1, '准备中 · preparing');
      const ctx = {
        db: job.db,
        actor: job.actor,
        meta: { ip: null, requestId: `job:${job.id}`, userAgent: null },
      };
      const id = await writePublication(ctx, await planPublication(ctx, job.params), {
        chunk: runChunk(store, configured),
        engine,
        session: store.kind === 'pglite' ? 'shared' : 'pooled',
        progress: (done, total, step) =>
          job.progress(
            total === 0 ? 98 : 2 + (done / total) * 96,
            step ? `${step} (${done} / ${total})` : `${done} / ${total}`,
          ),
      });
      return { result: { id }, committed: true };
    },
  });
}
