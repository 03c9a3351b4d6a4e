/**
 * Rolling-origin backtests (Tashman 2000): the series is cut at several origins a week apart
 * before its end; at each, a method is fitted on the days before and forecasts the next
 * `horizon` days, which are then compared with what happened. Errors: MASE per origin (scaled by
 * that origin's training) and MAPE over all forecast days, and the weekly total's absolute
 * percentage error per origin, averaged.
 */
import { mean } from 'simple-statistics';
import { mape, mase, seasonalNaiveScale } from './metrics.js';
import type { Band, DailySeries } from './types.js';

/** Forecasts `horizon` days after a training series. */
export type Method = (training: DailySeries, horizon: number) => Band;

export interface Errors {
  /** Mean of the origins' MASE (below 1: better than last week's same weekday in-sample). */
  mase: number;
  /** MAPE (%) of the daily forecasts, days with no case left out. */
  mape: number;
  /** Mean absolute percentage error (%) of the forecast week's total. */
  weeklyMape: number;
  /** Share of actual days inside the band (the interval's coverage in the backtest). */
  coverage: number;
}

export interface BacktestOptions {
  origins: number;
  horizon: number;
  /** Training days at least, at the first origin. */
  minTraining: number;
}

export const DEFAULT_BACKTEST: BacktestOptions = { origins: 6, horizon: 7, minTraining: 56 };

/** The origins (training lengths) for a series of n days; none if it is too short. */
export function originsOf(n: number, o: BacktestOptions): number[] {
  const out: number[] = [];
  for (let k = o.origins; k >= 1; k--) {
    const cut = n - k * o.horizon;
    if (cut >= o.minTraining) out.push(cut);
  }
  return out;
}

export function backtest(
  series: DailySeries,
  method: Method,
  o: BacktestOptions = DEFAULT_BACKTEST,
): Errors | null {
  const cuts = originsOf(series.counts.length, o);
  if (cuts.length === 0) return null;
  const mases: number[] = [];
  const weekly: number[] = [];
  const actualAll: number[] = [];
  const predictedAll: number[] = [];
  let inside = 0;
  for (const cut of cuts) {
    const training = { days: series.days.slice(0, cut), counts: series.counts.slice(0, cut) };
    const actual = series.counts.slice(cut, cut + o.horizon);
    const band = method(training, o.horizon);
    const m = mase(actual, band.point, seasonalNaiveScale(training.counts));
    if (Number.isFinite(m)) mases.push(m);
    const total = actual.reduce((s, v) => s + v, 0);
    const forecastTotal = band.point.reduce((s, v) => s + v, 0);
    if (total > 0) weekly.push((100 * Math.abs(total - forecastTotal)) / total);
    actual.forEach((a, h) => {
      if (a >= (band.lower[h] as number) && a <= (band.upper[h] as number)) inside++;
    });
    actualAll.push(...actual);
    predictedAll.push(...band.point);
  }
  return {
    mase: mases.length > 0 ? mean(mases) : Number.NaN,
    mape: mape(actualAll, predictedAll),
    weeklyMape: weekly.length > 0 ? mean(weekly) : Number.NaN,
    coverage: inside / actualAll.length,
  };
}
