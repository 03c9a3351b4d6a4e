/**
 * The forecasts kept current without anyone asking: every 10 minutes today's counts so far are
 * checked against today's bands (an alert is raised at most once per series and day), and once a
 * day, from 02:00 local, the forecasts are recomputed when the last run counted less than
 * yesterday. The run's fits happen in worker threads (./run.ts); a process runs one at a time.
 */
import type { Kysely } from 'kysely';
import { addDays } from '../../domain/forecast/days.js';
import type { Database } from '../../platform/db/schema.js';
import { checkAlerts } from './alerts.js';
import { localDay } from './counts.js';
import { RUN_DEFAULTS, runForecast } from './run.js';

const TICK_MS = 10 * 60_000;

export function forecastScheduler(
  db: Kysely<Database>,
  smsGatewayUrl: string | null,
  onError: (err: unknown) => void,
) {
  let timer: NodeJS.Timeout | null = null;
  let busy = false;
  const controller = new AbortController();
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const now = new Date();
      const today = localDay(now);
      const yesterday = addDays(today, -1);
      const hour = new Date(now.getTime() + 8 * 3600_000).getUTCHours();
      const last = await db
        .selectFrom('forecast_series')
        .select((eb) => eb.fn.max('as_of').as('as_of'))
        .executeTakeFirst();
      if (hour >= 2 && (!last?.as_of || last.as_of < yesterday)) {
        await runForecast(db, { ...RUN_DEFAULTS, asOf: yesterday }, async () => {}, controller.signal);
        await checkAlerts(db, yesterday, smsGatewayUrl);
      }
      await checkAlerts(db, today, smsGatewayUrl);
    } catch (err) {
      if (!controller.signal.aborted) onError(err);
    } finally {
      busy = false;
    }
  };
  return {
    start() {
      timer ??= setInterval(() => void tick(), TICK_MS);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      controller.abort();
    },
  };
}
