import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcRuns } from '../../../test/helpers/fast-check-runs.js';
import {
  dayNumberOf,
  formatLocalDate,
  supervisionCalendar,
  type Weekday,
  type WorkingCalendar,
} from './calendar.js';
import {
  type ClockSegment,
  deadlineFor,
  effectiveDeadline,
  elapsedMinutes,
  LIMIT_UNITS,
  type Light,
  lightOf,
  limitMinutes,
  type TimeLimit,
  trafficLight,
} from './clock.js';
import { at, office2026 } from './fixtures.js';
import {
  addWorkingMinutes,
  isWorkingInstant,
  nextWorkingInstant,
  workingMinutesBetween,
} from './working-time.js';

const DAY = 86_400_000;
const T0 = at('2026-01-01 00:00').getTime();
const T1 = at('2026-12-31 00:00').getTime();

/** Disjoint sorted periods from an even number of distinct boundaries. */
const periodsArb = fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 6 }).map((xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < s.length; i += 2) out.push([s[i]!, s[i + 1]!]);
  return out;
});
const datesArb = fc
  .uniqueArray(fc.integer({ min: dayNumberOf(2026, 1, 1), max: dayNumberOf(2027, 6, 30) }), { maxLength: 30 })
  .map((ds) => ds.map(formatLocalDate));

const randomCalendarArb: fc.Arbitrary<WorkingCalendar> = fc
  .record({
    offset: fc.integer({ min: -720, max: 840 }),
    week: fc.array(periodsArb, { minLength: 7, maxLength: 7 }),
    holidays: datesArb,
    makeups: datesArb,
    makeupHours: fc.option(periodsArb, { nil: undefined }),
  })
  .map(({ offset, week, holidays, makeups, makeupHours }) => {
    const day = (d: Weekday) => week[d] ?? [];
    // Keep at least an hour of work on Mondays so spans stay short.
    const monday =
      day(1).reduce((n, [a, b]) => n + b - a, 0) >= 60 ? day(1) : [[540, 1020] as [number, number]];
    return {
      id: 'random',
      utcOffsetMinutes: offset,
      weeklyHours: { 0: day(0), 1: monday, 2: day(2), 3: day(3), 4: day(4), 5: day(5), 6: day(6) },
      holidays,
      makeupWorkdays: makeups,
      ...(makeupHours ? { makeupHours } : {}),
    };
  });

const calendarArb = fc.oneof(
  fc.constant(office2026()),
  fc.constant(supervisionCalendar()),
  randomCalendarArb,
);
/** Instants in 2026: to the millisecond or on whole minutes. */
const instantArb = fc
  .oneof(
    fc.integer({ min: T0, max: T1 }),
    fc.integer({ min: T0 / 60_000, max: T1 / 60_000 }).map((m) => m * 60_000),
  )
  .map((ms) => new Date(ms));
const minutesArb = fc.integer({ min: 0, max: 5000 });
const limitArb: fc.Arbitrary<TimeLimit> = fc.record({
  unit: fc.constantFrom(...LIMIT_UNITS),
  amount: fc.integer({ min: 1, max: 40 }).map((n) => n / 4),
});
const segmentArb: fc.Arbitrary<ClockSegment> = fc
  .tuple(instantArb, fc.option(fc.integer({ min: 0, max: 20 * DAY }), { nil: null, freq: 4 }))
  .map(([from, len]) => ({ from, to: len === null ? null : new Date(from.getTime() + len) }));
const segmentsArb = fc.array(segmentArb, { maxLength: 3 });

const ms = (d: Date | null): number => (d === null ? Number.POSITIVE_INFINITY : d.getTime());
const rank: Record<Light, number> = { green: 0, yellow: 1, red: 2 };
const RUNS = { numRuns: fcRuns(100) };

describe('working-time properties', () => {
  it('round trip: workingMinutesBetween(s, addWorkingMinutes(s, m)) === m', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, (cal, s, m) => {
        expect(workingMinutesBetween(cal, s, addWorkingMinutes(cal, s, m))).toBe(m);
      }),
      RUNS,
    );
  });

  it('round trip: addWorkingMinutes(s, workingMinutesBetween(s, t)) === t for a working instant t > s', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.integer({ min: 1, max: 30 * DAY }), (cal, s, d) => {
        const t = nextWorkingInstant(cal, new Date(s.getTime() + d));
        const m = workingMinutesBetween(cal, s, t);
        const r = addWorkingMinutes(cal, s, m);
        if (m === 0 || isWorkingInstant(cal, new Date(t.getTime() - 1))) {
          expect(r).toEqual(t);
        } else {
          // t starts a period after a gap: the same working-time position is also the end of the
          // previous period, and addWorkingMinutes returns that earliest instant (see working-time.ts).
          expect(r.getTime()).toBeLessThan(t.getTime());
          expect(isWorkingInstant(cal, r)).toBe(false);
          expect(isWorkingInstant(cal, new Date(r.getTime() - 1))).toBe(true);
          expect(workingMinutesBetween(cal, r, t)).toBe(0);
        }
      }),
      RUNS,
    );
  });

  it('workingMinutesBetween is additive', () => {
    fc.assert(
      fc.property(calendarArb, fc.array(instantArb, { minLength: 3, maxLength: 3 }), (cal, xs) => {
        const [a, b, c] = xs.sort((x, y) => x.getTime() - y.getTime()) as [Date, Date, Date];
        const sum = workingMinutesBetween(cal, a, b) + workingMinutesBetween(cal, b, c);
        expect(Math.round(sum * 60_000)).toBe(Math.round(workingMinutesBetween(cal, a, c) * 60_000));
      }),
      RUNS,
    );
  });

  it('monotone: more minutes → later or equal; later start → later or equal deadline', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, minutesArb, (cal, s, m1, m2) => {
        const [lo, hi] = m1 <= m2 ? [m1, m2] : [m2, m1];
        expect(ms(addWorkingMinutes(cal, s, lo))).toBeLessThanOrEqual(ms(addWorkingMinutes(cal, s, hi)));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, limitArb, (cal, s1, s2, limit) => {
        const [a, b] = s1 <= s2 ? [s1, s2] : [s2, s1];
        expect(ms(deadlineFor(cal, a, limit))).toBeLessThanOrEqual(ms(deadlineFor(cal, b, limit)));
      }),
      RUNS,
    );
  });
});

describe('clock properties', () => {
  it('a deadline never moves earlier when a suspension or an extension is added', () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        limitArb,
        segmentsArb,
        fc.array(limitArb, { maxLength: 2 }),
        segmentArb,
        limitArb,
        (cal, start, limit, susp, exts, extraSusp, extraExt) => {
          const before = ms(effectiveDeadline(cal, start, limit, susp, exts));
          expect(ms(effectiveDeadline(cal, start, limit, [...susp, extraSusp], exts))).toBeGreaterThanOrEqual(
            before,
          );
          expect(ms(effectiveDeadline(cal, start, limit, susp, [...exts, extraExt]))).toBeGreaterThanOrEqual(
            before,
          );
        },
      ),
      RUNS,
    );
  });

  it('at the effective deadline the clock has used exactly the budget', () => {
    const closed = fc.array(
      segmentArb.map((s) => ({ from: s.from, to: s.to ?? s.from })),
      { maxLength: 3 },
    );
    fc.assert(
      fc.property(calendarArb, instantArb, limitArb, closed, (cal, start, limit, susp) => {
        const d = effectiveDeadline(cal, start, limit, susp, []);
        expect(d).not.toBeNull();
        if (susp.length === 0) expect(d).toEqual(deadlineFor(cal, start, limit));
        const basis =
          limit.unit === 'working_hours' || limit.unit === 'working_days' ? 'working' : 'calendar';
        const used = elapsedMinutes(cal, start, d!, susp, basis);
        expect(Math.round(used * 60_000)).toBe(Math.round(limitMinutes(cal, limit) * 60_000));
        const light = lightOf(cal, start, limit, d!, susp, []);
        expect(light.remainingMinutes).toBeCloseTo(0, 9);
        expect(light.light).toBe('yellow');
        expect(light.deadline).toEqual(d);
      }),
      RUNS,
    );
  });

  it('trafficLight follows the thresholds and is monotone', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (x, y) => {
        const expected: Light = x < 0.8 ? 'green' : x <= 1 ? 'yellow' : 'red';
        expect(trafficLight(x)).toBe(expected);
        if (x <= y) expect(rank[trafficLight(x)]).toBeLessThanOrEqual(rank[trafficLight(y)]);
      }),
      { numRuns: fcRuns(500) },
    );
  });
});
