/**
 * The naive seasonal baseline: a day is forecast as the same weekday of the last observed week
 * (m = 7). Its band comes from the history's own seasonal differences y_t − y_{t−7}: their
 * empirical 2.5 % and 97.5 % quantiles added to the point, so the baseline's band has the
 * width its errors really had.
 */
import { quantile } from 'simple-statistics';
import type { Band } from './types.js';

export const SEASON = 7;

export function seasonalNaive(history: readonly number[], horizon: number, level = 0.95): Band {
  if (history.length < SEASON) throw new RangeError(`the baseline needs ${SEASON} days of history`);
  const last = history.slice(-SEASON);
  const point = Array.from({ length: horizon }, (_, h) => last[h % SEASON] as number);
  const diffs: number[] = [];
  for (let t = SEASON; t < history.length; t++)
    diffs.push((history[t] as number) - (history[t - SEASON] as number));
  const tail = (1 - level) / 2;
  const lo = diffs.length > 0 ? quantile(diffs, tail) : 0;
  const hi = diffs.length > 0 ? quantile(diffs, 1 - tail) : 0;
  return {
    point,
    lower: point.map((p) => Math.max(0, p + lo)),
    upper: point.map((p) => Math.max(0, p + hi)),
  };
}
