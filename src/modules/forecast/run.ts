/**
 * A forecast run: the daily counts of the history (aggregate SQL), the series busy enough to
 * forecast, Prophet and the baseline backtested and fitted in worker threads (a fit is about
 * 0.1 s of CPU: never on the server's thread), the results written, then the alert check.
 */
import type { Kysely } from 'kysely';
import { mean } from 'simple-statistics';
import type { SeriesForecast, SeriesInput } from '../../domain/forecast/analyse.js';
import { addDays, dayRange, daysBetween } from '../../domain/forecast/days.js';
import type { Database } from '../../platform/db/schema.js';
import { inWorker } from '../../platform/workers/run.js';
import { dailyCounts, keysOf } from './counts.js';
import { dayKinds } from './official.js';

export interface RunParams {
  /** The last day counted (local); the forecast starts the day after. */
  asOf: string;
  /** Days of history read (the series starts at the first day with any case). */
  historyDays: number;
  /** A series is forecast when its last 8 weeks averaged at least this many cases a day. */
  minMean: number;
  /** At most this many series, the busiest first. */
  maxSeries: number;
  /** Days forecast. */
  horizon: number;
}

export const RUN_DEFAULTS = { historyDays: 365, minMean: 3, maxSeries: 100, horizon: 28 } as const;

/** Series per worker: a worker costs about a second to start, a series about one. */
const BATCH = 8;
const ANALYSE = new URL('../../domain/forecast/analyse.ts', import.meta.url);

export interface RunSummary {
  asOf: string;
  days: number;
  series: number;
  prophet: number;
  baseline: number;
}

export async function runForecast(
  db: Kysely<Database>,
  p: RunParams,
  progress: (percent: number, message: string) => Promise<void> = async () => {},
  signal?: AbortSignal,
): Promise<RunSummary> {
  const from = addDays(p.asOf, 1 - p.historyDays);
  const rows = await dailyCounts(db, from, p.asOf);
  // The series starts at the first day with any case: days before the system held data are not zeros.
  const first = [p.asOf, ...rows.map((r) => r.day)].sort()[0] as string;
  const days = dayRange(first, daysBetween(first, p.asOf) + 1);
  const index = new Map(days.map((d, i) => [d, i]));
  const counts = new Map<string, number[]>();
  for (const r of rows) {
    const i = index.get(r.day) as number;
    for (const key of keysOf(r)) {
      const row = counts.get(key) ?? new Array<number>(days.length).fill(0);
      counts.set(key, row);
      row[i] = (row[i] as number) + r.n;
    }
  }
  const busy = [...counts.entries()]
    .map(([key, row]) => ({ key, row, mean: mean(row.slice(-56)) }))
    .filter((s) => s.mean >= p.minMean)
    .sort((a, b) => b.mean - a.mean || a.key.localeCompare(b.key))
    .slice(0, p.maxSeries);
  const kinds = await dayKinds(db);
  await progress(2, `${busy.length} series`);
  const results: { key: string; result: SeriesForecast | null }[] = [];
  for (let i = 0; i < busy.length; i += BATCH) {
    const inputs: SeriesInput[] = busy
      .slice(i, i + BATCH)
      .map((s) => ({ key: s.key, series: { days, counts: s.row } }));
    const options = { horizon: p.horizon, backtest: { origins: 6, horizon: 7, minTraining: 56 } };
    results.push(
      ...(await inWorker<typeof results>(ANALYSE, 'analyseMany', [inputs, kinds, options], signal)),
    );
    await progress(
      2 + (90 * Math.min(busy.length, i + BATCH)) / busy.length,
      `${results.length} / ${busy.length}`,
    );
  }
  const means = new Map(busy.map((s) => [s.key, s.mean]));
  let prophet = 0;
  for (const { key, result } of results) {
    if (!result) continue;
    if (result.method === 'prophet') prophet++;
    await writeSeries(db, key, p.asOf, means.get(key) ?? 0, result);
  }
  return {
    asOf: p.asOf,
    days: days.length,
    series: results.length,
    prophet,
    baseline: results.length - prophet,
  };
}

/** NaN (an undefined error) is stored as null. */
const json = (v: unknown) =>
  JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x));

async function writeSeries(
  db: Kysely<Database>,
  key: string,
  asOf: string,
  meanPerDay: number,
  r: SeriesForecast,
) {
  const [category, area] = key.split('|') as [string, string];
  await db.transaction().execute(async (tx) => {
    const row = {
      as_of: asOf,
      computed_at: new Date(),
      method: r.method,
      reason: r.reason,
      mean_per_day: meanPerDay,
      backtest: json(r.backtest),
      weeks: json(r.weeks),
    };
    await tx
      .insertInto('forecast_series')
      .values({ category_key: category, area_code: area, ...row })
      .onConflict((oc) => oc.columns(['category_key', 'area_code']).doUpdateSet(row))
      .execute();
    // The coming days get the new band; days already past keep the one they were judged by.
    const bands = r.days.map((day, i) => ({
      category_key: category,
      area_code: area,
      day,
      method: r.method,
      point: r.band.point[i] as number,
      lower: r.band.lower[i] as number,
      upper: r.band.upper[i] as number,
    }));
    await tx
      .insertInto('forecast_bands')
      .values(bands)
      .onConflict((oc) =>
        oc.columns(['category_key', 'area_code', 'day']).doUpdateSet((eb) => ({
          method: eb.ref('excluded.method'),
          point: eb.ref('excluded.point'),
          lower: eb.ref('excluded.lower'),
          upper: eb.ref('excluded.upper'),
        })),
      )
      .execute();
  });
}
