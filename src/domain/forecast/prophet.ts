/**
 * Prophet (Taylor & Letham 2018) through @bsull/augurs, Grafana's Rust time-series library
 * compiled to WebAssembly, with the Stan optimiser of @bsull/augurs-prophet-wasmstan: the same
 * model and MAP fit as the Python and R packages. Weekly seasonality and the official calendar
 * (放假 days on workdays, 放假 days on weekends and 调休 make-up workdays, three holiday effects) are its regressors; yearly
 * seasonality is left to Prophet's own rule (on with two years of history or more).
 *
 * A fit takes about 0.1 s of CPU: callers run it in a worker thread or a job, never on a request.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { initSync, Prophet, type ProphetHoliday } from '@bsull/augurs/prophet';
import { optimizer } from '@bsull/augurs-prophet-wasmstan';
import { addDays, dayMs } from './days.js';
import type { Band, DailySeries, DayKinds } from './types.js';

let ready = false;

/** The WASM module is compiled once per thread, on first use. */
function init(): void {
  if (ready) return;
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@bsull/augurs/prophet'));
  initSync({ module: readFileSync(path.join(dir, 'prophet_bg.wasm')) });
  ready = true;
}

const seconds = (day: string) => dayMs(day) / 1000;

function occurrences(days: readonly string[], from: string, to: string): ProphetHoliday {
  return {
    occurrences: days
      .filter((d) => d >= from && d <= to)
      .map((d) => ({ start: seconds(d), end: seconds(d) + 86_400 })),
  };
}

export interface ProphetOptions {
  /** Width of the prediction interval (default 0.95). */
  level?: number;
  /** Draws for the interval (default 500): fewer are faster and noisier. */
  samples?: number;
}

/** Fits Prophet to the series and forecasts the `horizon` days after it, with its band. */
export function prophetForecast(
  series: DailySeries,
  horizon: number,
  kinds: DayKinds,
  o: ProphetOptions = {},
): Band {
  init();
  const first = series.days[0] as string;
  const last = addDays(series.days[series.days.length - 1] as string, horizon);
  const holidays = new Map<string, ProphetHoliday>();
  // The weekly cycle is additive: a day off that would have been a workday loses far more than a
  // holiday falling on a weekend, so the two are separate effects.
  const weekend = (d: string) => [0, 6].includes(new Date(dayMs(d)).getUTCDay());
  const effects: [string, ProphetHoliday][] = [
    [
      'holiday',
      occurrences(
        kinds.holidays.filter((d) => !weekend(d)),
        first,
        last,
      ),
    ],
    ['holiday-weekend', occurrences(kinds.holidays.filter(weekend), first, last)],
    ['makeup', occurrences(kinds.makeups, first, last)],
  ];
  // Prophet rejects a holiday without occurrences.
  for (const [name, h] of effects) if (h.occurrences.length > 0) holidays.set(name, h);
  const model = new Prophet({
    optimizer,
    holidays,
    weeklySeasonality: { type: 'manual', enabled: true },
    dailySeasonality: { type: 'manual', enabled: false },
    intervalWidth: o.level ?? 0.95,
    uncertaintySamples: o.samples ?? 500,
  });
  try {
    model.fit({ ds: series.days.map(seconds), y: series.counts });
    const ds = Array.from({ length: horizon }, (_, h) =>
      seconds(addDays(series.days[series.days.length - 1] as string, h + 1)),
    );
    const { yhat } = model.predict({ ds });
    // Counts are never negative: the Gaussian band of a small series would say so.
    const clamp = (xs: ArrayLike<number>) => Array.from(xs, (v) => Math.max(0, v));
    const point = clamp(yhat.point);
    return {
      point,
      lower: yhat.intervals ? clamp(yhat.intervals.lower) : point,
      upper: yhat.intervals ? clamp(yhat.intervals.upper) : point,
    };
  } finally {
    model.free();
  }
}
