/**
 * Forecast error measures (Hyndman & Koehler 2006). MASE scales the mean absolute error by the
 * in-sample mean absolute error of the seasonal naive forecast (period m = 7 days), so a value
 * below 1 beats "same weekday last week" on the history it was fitted on; MAPE leaves out days
 * with no case (a percentage of zero is undefined), which counts with small daily numbers have.
 */
import { mean } from 'simple-statistics';

/** Mean absolute error; NaN when there is nothing to compare. */
export function mae(actual: readonly number[], predicted: readonly number[]): number {
  if (actual.length !== predicted.length) throw new RangeError('actual and predicted differ in length');
  if (actual.length === 0) return Number.NaN;
  return mean(actual.map((a, i) => Math.abs(a - (predicted[i] as number))));
}

/** The scale of MASE: mean |y_t − y_{t−m}| over the training series; NaN if shorter than m + 1. */
export function seasonalNaiveScale(training: readonly number[], m = 7): number {
  if (training.length <= m) return Number.NaN;
  const diffs: number[] = [];
  for (let t = m; t < training.length; t++)
    diffs.push(Math.abs((training[t] as number) - (training[t - m] as number)));
  return mean(diffs);
}

/** Mean absolute scaled error against a given scale; NaN when the scale is 0 or undefined. */
export function mase(actual: readonly number[], predicted: readonly number[], scale: number): number {
  if (!(scale > 0)) return Number.NaN;
  return mae(actual, predicted) / scale;
}

/** Mean absolute percentage error in %, over the days with a non-zero actual; NaN if none. */
export function mape(actual: readonly number[], predicted: readonly number[]): number {
  if (actual.length !== predicted.length) throw new RangeError('actual and predicted differ in length');
  const terms: number[] = [];
  actual.forEach((a, i) => {
    if (a !== 0) terms.push(Math.abs((a - (predicted[i] as number)) / a));
  });
  return terms.length === 0 ? Number.NaN : 100 * mean(terms);
}
