/** The batch over a period as a background job (POST /antifraud/scans). */
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import type { JobQueue } from '../../platform/jobs/port.js';
import { scanPeriod } from './scan.js';
import type { ScanBody } from './schema.js';

export const ANTIFRAUD_SCAN = 'antifraud.scan';
const MAX_RANGE_MS = 366 * 86_400_000;

/** The period of a scan, checked: the asker may review flags, the end is after the start, a year at most. */
export function scanRange(ctx: Ctx, body: ScanBody): { from: Date; to: Date } {
  requirePermission(ctx.actor, 'antifraud.review');
  const from = new Date(body.from);
  const to = new Date(body.to);
  if (!(from < to) || to.getTime() - from.getTime() > MAX_RANGE_MS) {
    throw new AppError('FRAUD_SCAN_RANGE', { details: { from: body.from, to: body.to } });
  }
  return { from, to };
}

export function defineAntifraudJobs(jobs: JobQueue, dataDir: string): void {
  jobs.define<ScanBody>({
    kind: ANTIFRAUD_SCAN,
    permission: 'antifraud.review',
    async run(job) {
      const { from, to } = scanRange(
        { db: job.db, actor: job.actor, meta: { ip: null, requestId: `job:${job.id}`, userAgent: null } },
        job.params,
      );
      await job.progress(1, '扫描中 · scanning');
      const result = await scanPeriod(job.db, { from, to, dataDir }, (done, total) =>
        job.progress(1 + (done / total) * 98, `${done} / ${total} 天 · days`),
      );
      return { result, committed: true };
    },
  });
}
