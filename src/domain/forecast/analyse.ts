/**
 * One series (a category in an area, daily counts): Prophet and the naive seasonal baseline are
 * backtested side by side, and the method with the lower MASE forecasts the coming days — the
 * Prophet forecast is shown only where it beats the baseline; otherwise the baseline's forecast
 * is given with the reason. Weeks are the sums of their days.
 */
import { type BacktestOptions, backtest, DEFAULT_BACKTEST, type Errors, type Method } from './backtest.js';
import { SEASON, seasonalNaive } from './baseline.js';
import { addDays, dayRange } from './days.js';
import { prophetForecast } from './prophet.js';
import type { Band, DailySeries, DayKinds } from './types.js';

export type ForecastMethod = 'prophet' | 'baseline';
/**
 * Why the method was chosen: `beats-baseline` (Prophet's backtest MASE is lower), `not-better`
 * (it is not), `short-history` (too few days to backtest: the baseline, or nothing under a week),
 * `failed` (Prophet could not fit the series).
 */
export type ForecastReason = 'beats-baseline' | 'not-better' | 'short-history' | 'failed';

export interface SeriesForecast {
  method: ForecastMethod;
  reason: ForecastReason;
  backtest: { model: Errors | null; baseline: Errors | null; origins: number; horizon: number };
  /** The days forecast, from the day after the series. */
  days: string[];
  band: Band;
  /** Local weeks of 7 forecast days from the first: their total (point and band ends summed). */
  weeks: { from: string; point: number; lower: number; upper: number }[];
}

export interface AnalyseOptions {
  horizon: number;
  backtest: BacktestOptions;
  samples?: number;
}

export const DEFAULT_ANALYSE: AnalyseOptions = { horizon: 28, backtest: DEFAULT_BACKTEST };

export function analyseSeries(
  series: DailySeries,
  kinds: DayKinds,
  o: AnalyseOptions = DEFAULT_ANALYSE,
): SeriesForecast | null {
  if (series.counts.length < SEASON) return null;
  const prophet: Method = (training, h) =>
    prophetForecast(training, h, kinds, o.samples !== undefined ? { samples: o.samples } : {});
  const baseline: Method = (training, h) => seasonalNaive(training.counts, h);
  const base = backtest(series, baseline, o.backtest);
  let model: Errors | null = null;
  let reason: ForecastReason;
  if (!base) reason = 'short-history';
  else {
    try {
      model = backtest(series, prophet, o.backtest);
      reason = model && model.mase < base.mase ? 'beats-baseline' : 'not-better';
    } catch {
      reason = 'failed';
    }
  }
  const method: ForecastMethod = reason === 'beats-baseline' ? 'prophet' : 'baseline';
  const band = method === 'prophet' ? prophet(series, o.horizon) : baseline(series, o.horizon);
  const first = addDays(series.days[series.days.length - 1] as string, 1);
  const weeks = [];
  for (let w = 0; (w + 1) * 7 <= o.horizon; w++) {
    const sum = (xs: number[]) => xs.slice(w * 7, w * 7 + 7).reduce((s, v) => s + v, 0);
    weeks.push({
      from: addDays(first, w * 7),
      point: sum(band.point),
      lower: sum(band.lower),
      upper: sum(band.upper),
    });
  }
  return {
    method,
    reason,
    backtest: { model, baseline: base, origins: o.backtest.origins, horizon: o.backtest.horizon },
    days: dayRange(first, o.horizon),
    band,
    weeks,
  };
}

/** Input of a batch run in a worker thread: structured-clone friendly. */
export interface SeriesInput {
  key: string;
  series: DailySeries;
}

/** The worker's entry (platform/workers/run.ts): every series of a batch, in order. */
export function analyseMany(
  inputs: SeriesInput[],
  kinds: DayKinds,
  o: AnalyseOptions = DEFAULT_ANALYSE,
): { key: string; result: SeriesForecast | null }[] {
  return inputs.map((i) => ({ key: i.key, result: analyseSeries(i.series, kinds, o) }));
}
