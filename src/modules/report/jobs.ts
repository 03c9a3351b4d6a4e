/**
 * The monthly report as a background job (kind `report.monthly`): figures, charts and the Word
 * layout take seconds to minutes — never on a request. The job keeps what it made in
 * `monthly_reports` (with the figures) for every evaluation reader, and hands the file to its
 * asker through GET /jobs/{id}/result. The scheduler enqueues last month's report once the month
 * is over.
 */
import { sql } from 'kysely';
import { type Actor, type Ctx, requirePermission, systemActor } from '../../platform/auth/actor.js';
import type { Store } from '../../platform/db/store.js';
import { AppError } from '../../platform/errors.js';
import type { JobQueue } from '../../platform/jobs/port.js';
import { DOCX_TYPE, reportDocx } from './docx.js';
import { gatherFigures, monthSpan, previousMonthOf } from './figures.js';
import { docxToPdf, PDF_TYPE, sofficePath } from './pdf.js';
import { fill, loadTexts } from './texts.js';

export const REPORT_JOB = 'report.monthly';

export interface ReportParams {
  month: string;
  format: 'docx' | 'pdf';
  origin: 'schedule' | 'request';
}

/** Refuses a bad or future month at once (the request), not later in the job. */
export function checkMonth(month: string, now = new Date()): void {
  const s = monthSpan(month);
  if (s.period.from.getTime() > now.getTime())
    throw new AppError('REPORT_MONTH_IN_FUTURE', { details: { month } });
}

export async function makeReport(
  ctx: Ctx,
  params: ReportParams,
  engine: 'facts' | 'replay',
  progress: (percent: number, message: string) => Promise<void>,
  signal?: AbortSignal,
) {
  requirePermission(ctx.actor, 'evaluation.read');
  checkMonth(params.month);
  // Before the work: a PDF asked of a server without LibreOffice fails now, clearly.
  if (params.format === 'pdf' && !sofficePath()) throw new AppError('REPORT_PDF_UNAVAILABLE');
  const figures = await gatherFigures(ctx, params.month, engine, progress);
  const texts = await loadTexts(ctx);
  const docx = await reportDocx(figures, texts, progress);
  let body = docx;
  if (params.format === 'pdf') {
    await progress(92, 'LibreOffice 转 PDF · converting to PDF');
    body = await docxToPdf(docx, signal);
  }
  const [year, mm] = params.month.split('-');
  const title = fill(texts.title, { year: year as string, month: String(Number(mm)) });
  const name = `${title.replace(/[^\p{L}\p{N} ._-]/gu, '_').slice(0, 80)}.${params.format}`;
  const row = await ctx.db
    .insertInto('monthly_reports')
    .values({
      month: params.month,
      format: params.format,
      origin: params.origin,
      figures: JSON.stringify(figures),
      file: body,
      file_name: name,
      created_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
    })
    .onConflict((oc) => oc.columns(['month', 'format']).where('origin', '=', 'schedule').doNothing())
    .returning('id')
    .executeTakeFirst();
  return {
    id: row?.id ?? null,
    file: {
      body,
      name,
      asciiName: `monthly-report-${params.month}.${params.format}`,
      type: params.format === 'pdf' ? PDF_TYPE : DOCX_TYPE,
    },
  };
}

export function defineReportJobs(jobs: JobQueue, engine: 'facts' | 'replay'): void {
  jobs.define<ReportParams>({
    kind: REPORT_JOB,
    permission: 'evaluation.read',
    async run(job) {
      await job.progress(1, '准备中 · preparing');
      const ctx: Ctx = {
        db: job.db,
        actor: job.actor,
        meta: { ip: null, requestId: `job:${job.id}`, userAgent: null },
      };
      const made = await makeReport(ctx, job.params, engine, (p, m) => job.progress(p, m), job.signal);
      return { file: made.file };
    },
  });
}

/**
 * One scheduler pass: last month's report (Word, and PDF where LibreOffice is installed) is
 * enqueued unless it was made or is on its way, and only when the month had cases. Returns the
 * formats enqueued.
 */
export async function scheduleMonthlyReports(
  store: Store,
  jobs: JobQueue,
  now = new Date(),
  actor: Actor = systemActor('report-scheduler'),
) {
  const month = previousMonthOf(now);
  const { period } = monthSpan(month);
  const any = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM cases WHERE reported_at >= ${period.from} AND reported_at < ${period.to} LIMIT 1) x`.execute(
    store.db,
  );
  if ((any.rows[0]?.n ?? 0) === 0) return [];
  const formats: ReportParams['format'][] = sofficePath() ? ['docx', 'pdf'] : ['docx'];
  const enqueued: string[] = [];
  for (const format of formats) {
    const made = await store.db
      .selectFrom('monthly_reports')
      .select('id')
      .where('month', '=', month)
      .where('format', '=', format)
      .where('origin', '=', 'schedule')
      .executeTakeFirst();
    if (made) continue;
    const pending = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM jobs WHERE kind = ${REPORT_JOB} AND state IN ('queued', 'running')
        AND params ->> 'month' = ${month} AND params ->> 'format' = ${format} AND params ->> 'origin' = 'schedule'`.execute(
      store.db,
    );
    if ((pending.rows[0]?.n ?? 0) > 0) continue;
    await jobs.enqueue<ReportParams>(store.db, REPORT_JOB, actor, { month, format, origin: 'schedule' });
    enqueued.push(format);
  }
  return enqueued;
}

/** Checks every half hour (the first pass half an hour after start: a server restarting in a loop does no report work). */
export function reportScheduler(store: Store, jobs: JobQueue, onError: (err: unknown) => void) {
  let timer: NodeJS.Timeout | null = null;
  return {
    start() {
      timer ??= setInterval(() => void scheduleMonthlyReports(store, jobs).catch(onError), 30 * 60_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
