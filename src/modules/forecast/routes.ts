import { addDays } from '../../domain/forecast/days.js';
import { requirePermission } from '../../platform/auth/actor.js';
import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, ModuleDeps } from '../../platform/http/types.js';
import { checkAlerts } from './alerts.js';
import { localDay } from './counts.js';
import { defineForecastJobs, FORECAST_RUN } from './jobs.js';
import { forecastScheduler } from './scheduler.js';
import { alertsQuery, checkBody, listQuery, runBody, seriesQuery } from './schema.js';
import { listAlerts, listForecasts, seriesDetail } from './service.js';

/** Forecasts and anomaly alerts (数据挖掘), under /api/v1/analytics/forecasts. */
export async function forecastRoutes(app: ApiApp, { store, jobs, config }: ModuleDeps): Promise<void> {
  const tags = ['analytics'];
  defineForecastJobs(jobs, config.outbound.smsGatewayUrl);
  const scheduler = forecastScheduler(store.db, config.outbound.smsGatewayUrl, (err) =>
    app.log.error({ err }, 'scheduled forecast or alert check failed'),
  );
  app.addHook('onReady', async () => scheduler.start());
  app.addHook('onClose', async () => scheduler.stop());
  app.get(
    '/analytics/forecasts',
    {
      schema: {
        tags,
        summary:
          'Daily case forecasts per category (kind:大类, or * for all) × area (district, street, or * for the city) in my area: the method shown (Prophet only where its rolling-origin backtest MASE beats the naive seasonal baseline, else the baseline and why), the backtest errors of both (MASE, MAPE, weekly MAPE, band coverage) and the coming weeks',
        querystring: listQuery,
      },
    },
    async (request) => listForecasts(ctxOf(store.db, request), request.query),
  );
  app.get(
    '/analytics/forecasts/series',
    {
      schema: {
        tags,
        summary:
          'One series: its daily counts over the last `days` (live, from the evaluation facts), the band of each day (95 % prediction interval; past days keep the band they were forecast with) and the backtest',
        querystring: seriesQuery,
      },
    },
    async (request) => seriesDetail(ctxOf(store.db, request), request.query),
  );
  app.post(
    '/analytics/forecasts/runs',
    {
      schema: {
        tags,
        summary:
          'Recompute the forecasts as a background job (history to `asOf`, default yesterday): 202 with the job; follow GET /jobs/{id}. The alert check of today and yesterday follows the run',
        body: runBody,
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(store.db, request);
      requirePermission(ctx.actor, 'evaluation.read');
      const b = request.body;
      const params = { ...b, asOf: b.asOf ?? addDays(localDay(new Date()), -1) };
      const job = await jobs.enqueue(ctx.db, FORECAST_RUN, ctx.actor, params);
      return reply.status(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
    },
  );
  app.get(
    '/analytics/forecasts/alerts',
    {
      schema: {
        tags,
        summary:
          'Anomaly alerts in my area, newest day first: a day whose count went above its forecast band, with the cases behind it and how many channels were told',
        querystring: alertsQuery,
      },
    },
    async (request) => listAlerts(ctxOf(store.db, request), request.query),
  );
  app.post(
    '/analytics/forecasts/alerts/check',
    {
      schema: {
        tags,
        summary:
          'Check one day (default today, counted so far) against its bands now; raises each anomaly once and tells the channels subscribed to forecast.anomaly. Answers the alerts newly raised',
        body: checkBody,
      },
    },
    async (request) => {
      const ctx = ctxOf(store.db, request);
      requirePermission(ctx.actor, 'evaluation.read');
      const day = request.body.day ?? localDay(new Date());
      return { day, raised: await checkAlerts(ctx.db, day, config.outbound.smsGatewayUrl) };
    },
  );
}
