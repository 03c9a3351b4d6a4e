/**
 * Imports as background jobs (issue #12). The request checks what it can at once (rights, the
 * query, the file's type and size, that the target exists) and answers 202 with the job; the
 * job reads the file (in a worker thread, ../workers/run.ts), then checks and writes inside one
 * unit of work: everything commits, or — a problem deep in the file, a cancel, a crash —
 * nothing does. The answer the request used to give is the job's result.
 *
 * A cancel is honoured until the very commit: the last step locks the job's row and reads its
 * cancel flag inside the unit, so a cancel either lands before (the unit rolls back) or waits
 * for the commit (the job is then succeeded: its writes are done).
 */
import type { Permission } from '../../domain/access/permissions.js';
import type { Ctx } from '../auth/actor.js';
import type { Store } from '../db/store.js';
import { openUnitOfWork } from '../db/unit-of-work.js';
import { JobCancelled, type JobContext, type JobQueue } from './port.js';

/** Progress of an import step: percent 0–100 of the whole job and a line for the console. */
export type ImportProgress = (percent: number, message: string) => Promise<void>;

export interface ImportJob<P, R> {
  kind: string;
  permission: Permission;
  /**
   * Reads the uploaded file (no database): parsing, the heavy part, in a worker thread.
   * Reports progress with `step`; its errors (an unreadable file) fail the job, nothing written.
   */
  read(input: Buffer | null, params: P, step: ImportProgress, signal: AbortSignal): Promise<R>;
  /**
   * Checks and writes what `read` gave, on `ctx.db` (the job's unit of work). Whatever it throws
   * undoes everything; an AppError's details are the report the asker reads on the job.
   */
  write(ctx: Ctx, read: R, params: P, step: ImportProgress): Promise<unknown>;
}

const PREPARING = '准备中 · preparing';
const COMMITTING = '提交中 · committing';

export function defineImportJob<P, R>(jobs: JobQueue, store: Store, spec: ImportJob<P, R>): void {
  jobs.define<P>({
    kind: spec.kind,
    permission: spec.permission,
    async run(job: JobContext<P>) {
      await job.progress(1, PREPARING);
      const read = await spec.read(job.input, job.params, job.progress, job.signal);
      await job.progress(40, PREPARING);
      const unit = await openUnitOfWork(job.db, store.autonomous);
      // On the embedded store the unit holds the one connection: progress stays in memory then.
      const step: ImportProgress = store.kind === 'pglite' ? job.progressLocal : job.progress;
      try {
        const ctx: Ctx = {
          db: unit.db,
          actor: job.actor,
          meta: { ip: null, requestId: `job:${job.id}`, userAgent: null },
        };
        const result = await spec.write(ctx, read, job.params, step);
        await step(99, COMMITTING);
        const row = await unit.db
          .selectFrom('jobs')
          .select('cancel_requested')
          .where('id', '=', job.id)
          .forUpdate()
          .executeTakeFirst();
        if (!row || row.cancel_requested || job.signal.aborted) throw new JobCancelled();
        await unit.commit();
        return { result, committed: true };
      } finally {
        if (unit.open) await unit.rollback().catch(() => {});
      }
    },
  });
}
