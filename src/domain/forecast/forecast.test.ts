/**
 * Forecasts: the error measures on hand-computed cases, the rolling-origin backtest on a series
 * whose baseline errors are known exactly, Prophet's weekly and holiday effects on a clean series,
 * and the anomaly rule: a planted spike is above the band, a normal day is not.
 */
import { describe, expect, it } from 'vitest';
import { HOLIDAYS_2026, MAKEUP_WORKDAYS_2026 } from '../timelimit/fixtures.js';
import { analyseSeries, DEFAULT_ANALYSE } from './analyse.js';
import { anomalies } from './anomaly.js';
import { backtest, originsOf } from './backtest.js';
import { seasonalNaive } from './baseline.js';
import { addDays, dayRange } from './days.js';
import { mae, mape, mase, seasonalNaiveScale } from './metrics.js';
import { prophetForecast } from './prophet.js';
import type { DayKinds } from './types.js';

describe('error measures', () => {
  const actual = [10, 20, 0, 40];
  const predicted = [12, 15, 3, 40];

  it('MAE: (2 + 5 + 3 + 0) / 4', () => {
    expect(mae(actual, predicted)).toBe(2.5);
  });

  it('MAPE leaves the day with no case out: (0.2 + 0.25 + 0) / 3', () => {
    expect(mape(actual, predicted)).toBeCloseTo(15, 10);
    expect(mape([0, 0], [1, 2])).toBeNaN();
  });

  it('MASE scales by the in-sample seasonal naive MAE (m = 7)', () => {
    // |3 − 1| and |2 − 2|: scale 1.
    const training = [1, 2, 3, 4, 5, 6, 7, 3, 2];
    expect(seasonalNaiveScale(training)).toBe(1);
    expect(mase(actual, predicted, seasonalNaiveScale(training))).toBe(2.5);
    expect(seasonalNaiveScale([1, 2, 3, 4, 5, 6, 7])).toBeNaN();
    expect(mase(actual, predicted, 0)).toBeNaN();
  });

  it('rejects series of different lengths', () => {
    expect(() => mae([1], [1, 2])).toThrow(RangeError);
  });
});

// A weekly pattern that rises by one case each week: last week's same weekday is always one short.
const PATTERN = [10, 12, 14, 16, 18, 6, 4];
const rising = (weeks: number) =>
  Array.from({ length: weeks * 7 }, (_, t) => (PATTERN[t % 7] as number) + Math.floor(t / 7));

describe('seasonal naive baseline', () => {
  it('repeats the last week, with a band from the seasonal differences', () => {
    const history = rising(3);
    const b = seasonalNaive(history, 9);
    expect(b.point).toEqual([12, 14, 16, 18, 20, 8, 6, 12, 14]);
    // Every y_t − y_{t−7} is 1: the band is [point + 1, point + 1].
    expect(b.lower).toEqual(b.point.map((p) => p + 1));
    expect(b.upper).toEqual(b.point.map((p) => p + 1));
  });
});

describe('rolling-origin backtest', () => {
  const days = dayRange('2026-03-02', 84);
  const series = { days, counts: rising(12) };
  const o = { origins: 2, horizon: 7, minTraining: 56 };

  it('cuts at the last weeks, never before the minimum training', () => {
    expect(originsOf(84, o)).toEqual([70, 77]);
    expect(originsOf(84, { ...o, origins: 5 })).toEqual([56, 63, 70, 77]);
    expect(originsOf(60, o)).toEqual([]);
  });

  it('the baseline is one case short every day: MASE 1, MAPE and weekly MAPE by hand', () => {
    const e = backtest(series, (t, h) => seasonalNaive(t.counts, h), o);
    expect(e).not.toBeNull();
    expect(e?.mase).toBeCloseTo(1, 12);
    // Mean of 1/y over weeks 10 and 11 (pattern + 10, pattern + 11), in %.
    expect(e?.mape).toBeCloseTo(4.80952, 4);
    // Each week 7 short: 7/150 and 7/157.
    expect(e?.weeklyMape).toBeCloseTo(4.56263, 4);
    // The band is exactly point + 1 = the actual: inside.
    expect(e?.coverage).toBe(1);
  });

  it('a perfect method scores 0', () => {
    const e = backtest(
      series,
      (t, h) => {
        const point = Array.from({ length: h }, (_, k) => series.counts[t.counts.length + k] as number);
        return { point, lower: point, upper: point };
      },
      o,
    );
    expect(e).toMatchObject({ mase: 0, mape: 0, weeklyMape: 0, coverage: 1 });
  });
});

// The 2026 arrangement: 清明, 劳动节, 端午 and 中秋 teach the history what a day off is; 国庆 (1–7 Oct
// off, Sat 10 Oct worked) is forecast.
const KINDS: DayKinds = { holidays: HOLIDAYS_2026, makeups: MAKEUP_WORKDAYS_2026 };
const H = new Set(KINDS.holidays);
const M = new Set(KINDS.makeups);

/** Workdays 40, weekends 16, holidays 10, make-up Saturdays 40, with a fixed wobble of ±3. */
function calendarSeries(from: string, n: number) {
  const days = dayRange(from, n);
  const counts = days.map((d, i) => {
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
    const base = H.has(d) ? 10 : M.has(d) ? 40 : wd === 0 || wd === 6 ? 16 : 40;
    return base + [0, 2, -1, 3, -2, 1, -3][(i * 3) % 7]!;
  });
  return { days, counts };
}

describe('Prophet with the official calendar', () => {
  it('forecasts the weekly cycle and the holiday dip, and beats the baseline around 国庆', () => {
    // History to 30 Sep; forecast 1–14 Oct (holidays, then a make-up Saturday).
    const s = calendarSeries('2026-03-02', 213);
    expect(s.days.at(-1)).toBe('2026-09-30');
    const band = prophetForecast(s, 14, KINDS);
    const at = (d: string) => band.point[dayRange('2026-10-01', 14).indexOf(d)] as number;
    expect(at('2026-10-05')).toBeLessThan(20); // a Monday off
    expect(at('2026-10-12')).toBeGreaterThan(32); // the Monday after
    expect(at('2026-10-10')).toBeGreaterThan(28); // the worked Saturday
    expect(at('2026-10-11')).toBeLessThan(24); // an ordinary Sunday
    band.point.forEach((p, i) => {
      expect(band.lower[i]).toBeLessThanOrEqual(p);
      expect(band.upper[i]).toBeGreaterThanOrEqual(p);
    });

    // Backtested over origins spanning the holiday week, Prophet knows it; last week does not.
    const full = calendarSeries('2026-03-02', 231);
    const r = analyseSeries(full, KINDS, {
      ...DEFAULT_ANALYSE,
      horizon: 14,
      backtest: { origins: 4, horizon: 7, minTraining: 56 },
    });
    expect(r?.method).toBe('prophet');
    expect(r?.reason).toBe('beats-baseline');
    expect(r!.backtest.model!.mase).toBeLessThan(r!.backtest.baseline!.mase);
    expect(r?.days[0]).toBe(addDays(full.days.at(-1)!, 1));
    expect(r?.weeks).toHaveLength(2);
    expect(r!.weeks[0]!.point).toBeCloseTo(
      r!.band.point.slice(0, 7).reduce((a, b) => a + b, 0),
      6,
    );
  });

  it('shows the baseline, with the reason, where Prophet does not beat it or cannot be backtested', () => {
    // Pure weekly repetition: last week is exact, nothing beats it.
    const days = dayRange('2026-03-02', 84);
    const flat = analyseSeries(
      { days, counts: days.map((_, t) => PATTERN[t % 7] as number) },
      { holidays: [], makeups: [] },
    );
    expect(flat).toMatchObject({ method: 'baseline', reason: 'not-better' });
    const short = analyseSeries({ days: days.slice(0, 30), counts: rising(5).slice(0, 30) }, KINDS);
    expect(short).toMatchObject({ method: 'baseline', reason: 'short-history' });
    expect(short?.backtest.model).toBeNull();
    expect(short?.band.point.slice(0, 7)).toEqual(rising(5).slice(23, 30));
    expect(analyseSeries({ days: days.slice(0, 5), counts: [1, 2, 3, 4, 5] }, KINDS)).toBeNull();
  });
});

describe('anomalies', () => {
  const bands = [
    { day: '2026-10-12', point: 40, upper: 52 },
    { day: '2026-10-13', point: 2, upper: 3.5 },
    { day: '2026-10-14', point: 40, upper: 52 },
  ];

  it('a day above its band is one; at or below it, or a tiny count, is not', () => {
    const observed = new Map([
      ['2026-10-12', 53],
      ['2026-10-13', 4],
      ['2026-10-14', 52],
    ]);
    expect(anomalies(observed, bands)).toEqual([{ day: '2026-10-12', actual: 53, expected: 40, upper: 52 }]);
    expect(anomalies(new Map(), bands)).toEqual([]);
  });

  it('a planted spike over a Prophet band is alerted, a normal day is not', () => {
    const s = calendarSeries('2026-03-02', 231);
    const band = prophetForecast(s, 2, KINDS);
    const [d1, d2] = dayRange(addDays(s.days.at(-1)!, 1), 2) as [string, string];
    const bandDays = [d1, d2].map((day, i) => ({ day, point: band.point[i]!, upper: band.upper[i]! }));
    const normal = Math.round(band.point[0]!);
    const spike = Math.round(band.point[1]! * 2);
    const found = anomalies(
      new Map([
        [d1, normal],
        [d2, spike],
      ]),
      bandDays,
    );
    expect(found.map((a) => a.day)).toEqual([d2]);
    expect(found[0]!.actual).toBe(spike);
  });
});
