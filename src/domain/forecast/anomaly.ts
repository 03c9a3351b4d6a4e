/**
 * Anomalies: an observed count above the upper end of the day's prediction interval. Tiny counts
 * are left alone (three cases against a band of 1.8 is not a problem for the shift leader), and a
 * day of today counted so far can already be one: its count only grows until midnight.
 */
export interface BandDay {
  day: string;
  point: number;
  upper: number;
}

export interface Anomaly {
  day: string;
  actual: number;
  expected: number;
  upper: number;
}

/** Below this many cases a day is never an anomaly. */
export const MIN_ANOMALY_COUNT = 5;

export function anomalies(
  observed: ReadonlyMap<string, number>,
  bands: readonly BandDay[],
  minCount = MIN_ANOMALY_COUNT,
): Anomaly[] {
  const out: Anomaly[] = [];
  for (const b of bands) {
    const actual = observed.get(b.day) ?? 0;
    if (actual >= minCount && actual > b.upper)
      out.push({ day: b.day, actual, expected: b.point, upper: b.upper });
  }
  return out;
}
