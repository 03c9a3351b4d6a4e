/**
 * The forecast run as a background job: reading a year of daily counts is one aggregate query,
 * but backtesting a hundred series is minutes of CPU, done in worker threads (./run.ts). The
 * alerts of yesterday and today are checked after it.
 */
import { addDays } from '../../domain/forecast/days.js';
import type { JobQueue } from '../../platform/jobs/port.js';
import { checkAlerts } from './alerts.js';
import { localDay } from './counts.js';
import { type RunParams, runForecast } from './run.js';

export const FORECAST_RUN = 'forecast.run';

export function defineForecastJobs(jobs: JobQueue, smsGatewayUrl: string | null): void {
  jobs.define<RunParams>({
    kind: FORECAST_RUN,
    permission: 'evaluation.read',
    async run(job) {
      await job.progress(1, '读取案件量 · counting');
      const summary = await runForecast(job.db, job.params, (p, m) => job.progress(p, m), job.signal);
      await job.progress(95, '异常检查 · checking alerts');
      const today = localDay(new Date());
      const raised = [];
      for (const day of [addDays(today, -1), today])
        raised.push(...(await checkAlerts(job.db, day, smsGatewayUrl)));
      return { result: { ...summary, alerts: raised.length } };
    },
  });
}
