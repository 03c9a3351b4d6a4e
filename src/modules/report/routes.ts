/** HTTP routes of the monthly report (月度分析报告), under /api/v1/reports/monthly. */
import { requirePermission } from '../../platform/auth/actor.js';
import { notFound } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/auth-hook.js';
import { pageInfo } from '../../platform/http/paging.js';
import type { ApiApp, ModuleDeps } from '../../platform/http/types.js';
import { contentDisposition } from '../../platform/http/xlsx-export.js';
import { DOCX_TYPE } from './docx.js';
import { checkMonth, defineReportJobs, REPORT_JOB, type ReportParams, reportScheduler } from './jobs.js';
import { PDF_TYPE } from './pdf.js';
import { generateBody, reportParams, reportsQuery, textBody, textParams } from './schema.js';
import { screenSummary } from './screen.js';
import { listTexts, saveText } from './texts.js';

export async function reportRoutes(app: ApiApp, deps: ModuleDeps): Promise<void> {
  const { store, jobs } = deps;
  defineReportJobs(jobs, deps.config.evaluationEngine);
  const scheduler = reportScheduler(store, jobs, (err) =>
    app.log.error({ err }, 'monthly report schedule failed'),
  );
  app.addHook('onReady', async () => scheduler.start());
  app.addHook('onClose', async () => scheduler.stop());
  const tags = ['reports'];

  app.post(
    '/reports/monthly',
    {
      schema: {
        tags,
        summary:
          'Make the monthly analysis report (月度分析报告) of a month as .docx or PDF, as a background job: 202 with the job; follow GET /jobs/{id}, download GET /jobs/{id}/result',
        body: generateBody,
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(store.db, request);
      requirePermission(ctx.actor, 'evaluation.read');
      checkMonth(request.body.month);
      const params: ReportParams = { ...request.body, origin: 'request' };
      const job = await jobs.enqueue(ctx.db, REPORT_JOB, ctx.actor, params);
      return reply.status(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
    },
  );
  app.get(
    '/reports/monthly',
    {
      schema: {
        tags,
        summary: 'Monthly reports made (scheduled and asked for), newest month first',
        querystring: reportsQuery,
      },
    },
    async (request) => {
      const ctx = ctxOf(store.db, request);
      requirePermission(ctx.actor, 'evaluation.read');
      const q = request.query;
      const [rows, count] = await Promise.all([
        ctx.db
          .selectFrom('monthly_reports')
          .select((eb) => [
            'id',
            'month',
            'format',
            'origin',
            'file_name',
            'created_at',
            eb.fn<number>('octet_length', ['file']).as('bytes'),
          ])
          .orderBy('month', 'desc')
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(q.limit)
          .offset(q.offset)
          .execute(),
        ctx.db
          .selectFrom('monthly_reports')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow(),
      ]);
      return {
        ...pageInfo(Number(count.n), q.limit, q.offset),
        items: rows.map((r) => ({
          id: r.id,
          month: r.month,
          format: r.format,
          origin: r.origin,
          fileName: r.file_name,
          bytes: Number(r.bytes),
          createdAt: r.created_at.toISOString(),
        })),
      };
    },
  );
  const one = async (request: { params: { id: number } } & Parameters<typeof ctxOf>[1]) => {
    const ctx = ctxOf(store.db, request);
    requirePermission(ctx.actor, 'evaluation.read');
    const row = await ctx.db
      .selectFrom('monthly_reports')
      .selectAll()
      .where('id', '=', request.params.id)
      .executeTakeFirst();
    if (!row) throw notFound('monthly report');
    return row;
  };
  app.get(
    '/reports/monthly/:id/file',
    { schema: { tags, summary: 'Download a report made earlier', params: reportParams } },
    async (request, reply) => {
      const row = await one(request);
      return reply
        .header('content-type', row.format === 'pdf' ? PDF_TYPE : DOCX_TYPE)
        .header(
          'content-disposition',
          contentDisposition(row.file_name, `monthly-report-${row.month}.${row.format}`),
        )
        .header('cache-control', 'no-store')
        .send(row.file);
    },
  );
  app.get(
    '/reports/monthly/:id/figures',
    { schema: { tags, summary: 'The figures a report was written from (JSON)', params: reportParams } },
    async (request) => (await one(request)).figures,
  );
  app.get(
    '/reports/monthly/texts',
    { schema: { tags, summary: "The report template's texts with their placeholders and defaults" } },
    async (request) => listTexts(ctxOf(store.db, request)),
  );
  app.put(
    '/reports/monthly/texts/:key',
    {
      schema: {
        tags,
        summary: "Change one of the template's texts (null: back to the default); leaders and administrators",
        params: textParams,
        body: textBody,
      },
    },
    async (request) => saveText(ctxOf(store.db, request), request.params.key, request.body.text),
  );
  app.get(
    '/screen/summary',
    {
      schema: {
        tags,
        summary:
          'The big screen (指挥大屏): cases reported and closed per local day over 30 days, the latest published rankings, open red-light cases',
      },
    },
    async (request) => screenSummary(ctxOf(store.db, request)),
  );
}
