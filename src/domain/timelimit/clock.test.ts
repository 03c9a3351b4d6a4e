import { describe, expect, it } from 'vitest';
import { standardOfficeCalendar, supervisionCalendar } from './calendar.js';
import {
  deadlineFor,
  effectiveDeadline,
  elapsedWorkingMinutes,
  lightOf,
  limitMinutes,
  type TimeLimit,
  trafficLight,
} from './clock.js';
import { at, HOLIDAYS_2026, MAKEUP_WORKDAYS_2026, office2026 } from './fixtures.js';

const cal = office2026();
const sup = supervisionCalendar();
const oneDay: TimeLimit = { amount: 1, unit: 'working_days' };
const mon = (hhmm: string) => at(`2026-03-09 ${hhmm}`);
const tue = (hhmm: string) => at(`2026-03-10 ${hhmm}`);

describe('deadlineFor', () => {
  it('working days: N × the full working-day length (450 min on the office calendar)', () => {
    expect(deadlineFor(cal, at('2026-03-06 16:00'), oneDay)).toEqual(mon('16:00')); // Fri 16:00 → Mon 16:00
    const mondayOff = standardOfficeCalendar([...HOLIDAYS_2026, '2026-03-09'], MAKEUP_WORKDAYS_2026);
    expect(deadlineFor(mondayOff, at('2026-03-06 16:00'), oneDay)).toEqual(tue('16:00'));
    expect(deadlineFor(cal, at('2026-03-06 18:00'), oneDay)).toEqual(mon('17:30')); // after hours → end of next day
    expect(deadlineFor(cal, mon('07:00'), oneDay)).toEqual(mon('17:30')); // before hours → end of that day
    expect(deadlineFor(cal, at('2026-09-30 16:00'), { amount: 3, unit: 'working_days' })).toEqual(
      at('2026-10-10 16:00'), // make-up Saturday after National Day
    );
    expect(deadlineFor(cal, at('2026-02-13 17:00'), { amount: 2, unit: 'working_days' })).toEqual(
      at('2026-02-24 17:00'), // make-up Saturday Feb 14, then 春节 until Feb 23
    );
    expect(deadlineFor(cal, mon('08:30'), { amount: 0.5, unit: 'working_days' })).toEqual(mon('13:45')); // 225 = 210 + 15
  });

  it('working hours', () => {
    expect(deadlineFor(cal, mon('11:45'), { amount: 0.5, unit: 'working_hours' })).toEqual(mon('13:45'));
    expect(deadlineFor(cal, at('2026-03-06 16:00'), { amount: 4, unit: 'working_hours' })).toEqual(
      mon('11:00'),
    );
  });

  it('minutes and calendar hours ignore the calendar', () => {
    expect(deadlineFor(cal, at('2026-03-07 03:00'), { amount: 30, unit: 'minutes' })).toEqual(
      at('2026-03-07 03:30'),
    );
    expect(deadlineFor(cal, at('2026-09-30 16:00'), { amount: 36, unit: 'calendar_hours' })).toEqual(
      at('2026-10-02 04:00'),
    );
  });

  it('supervision calendar over a holiday: 1 working day = 780 min', () => {
    expect(deadlineFor(sup, at('2026-10-01 20:00'), { amount: 2, unit: 'working_hours' })).toEqual(
      at('2026-10-02 09:00'),
    );
    expect(deadlineFor(sup, at('2026-10-01 08:00'), oneDay)).toEqual(at('2026-10-01 21:00'));
    expect(deadlineFor(sup, at('2026-10-01 22:00'), oneDay)).toEqual(at('2026-10-02 21:00'));
  });

  it('rejects bad limits', () => {
    for (const amount of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => deadlineFor(cal, mon('09:00'), { amount, unit: 'working_hours' })).toThrow(RangeError);
    }
  });

  it('limitMinutes converts between bases', () => {
    expect(limitMinutes(cal, oneDay)).toBe(450);
    expect(limitMinutes(cal, oneDay, 'calendar')).toBe(1440);
    expect(limitMinutes(cal, { amount: 2, unit: 'calendar_hours' }, 'working')).toBe(120);
  });
});

describe('suspension and extension', () => {
  const start = mon('08:30');
  const seg = (from: Date, to: Date | null) => ({ from, to });

  it('suspended working time pushes the deadline by exactly that time', () => {
    const s = [seg(mon('10:00'), mon('14:00'))]; // 120 + 30 working minutes
    expect(effectiveDeadline(cal, start, oneDay, [], [])).toEqual(mon('17:30'));
    expect(effectiveDeadline(cal, start, oneDay, s, [])).toEqual(tue('11:00'));
    expect(elapsedWorkingMinutes(cal, start, mon('17:30'), s)).toBe(300);
    // Overlapping suspensions count once: 10:00–15:00 = 210 → Tuesday 12:00 (end of a period).
    expect(effectiveDeadline(cal, start, oneDay, [...s, seg(mon('11:00'), mon('15:00'))], [])).toEqual(
      tue('12:00'),
    );
    // A suspension that began before the case only counts from the start.
    expect(effectiveDeadline(cal, start, oneDay, [seg(at('2026-03-08 12:00'), mon('10:00'))], [])).toEqual(
      tue('10:00'),
    );
    // Suspended after the clock ran out: no change.
    expect(effectiveDeadline(cal, start, oneDay, [seg(tue('09:00'), tue('11:00'))], [])).toEqual(
      mon('17:30'),
    );
  });

  it('an open suspension stops the clock (null) unless closed with asOf', () => {
    const open = [seg(mon('10:00'), null)];
    expect(effectiveDeadline(cal, start, oneDay, open, [])).toBeNull();
    expect(effectiveDeadline(cal, start, oneDay, open, [], mon('15:00'))).toEqual(tue('12:00'));
    // Opened after the clock ran out: the deadline is known.
    expect(effectiveDeadline(cal, start, oneDay, [seg(tue('10:00'), null)], [])).toEqual(mon('17:30'));
  });

  it('approved extensions add their limit', () => {
    expect(effectiveDeadline(cal, start, oneDay, [], [oneDay])).toEqual(tue('17:30'));
    expect(effectiveDeadline(cal, start, oneDay, [], [{ amount: 4, unit: 'working_hours' }])).toEqual(
      tue('14:00'),
    );
    const s = [seg(mon('10:00'), mon('14:00'))];
    expect(effectiveDeadline(cal, start, oneDay, s, [{ amount: 4, unit: 'working_hours' }])).toEqual(
      tue('16:30'),
    );
    expect(() => effectiveDeadline(cal, start, oneDay, [], [{ amount: 0, unit: 'working_days' }])).toThrow(
      RangeError,
    );
  });

  it('calendar-basis limits are suspended in calendar time', () => {
    const limit: TimeLimit = { amount: 120, unit: 'minutes' };
    const s = [seg(mon('10:30'), mon('11:00'))];
    expect(effectiveDeadline(cal, mon('10:00'), limit, s, [])).toEqual(mon('12:30'));
    expect(effectiveDeadline(cal, mon('10:00'), limit, s, [{ amount: 1, unit: 'calendar_hours' }])).toEqual(
      mon('13:30'),
    );
  });
});

describe('traffic lights', () => {
  it('trafficLight thresholds', () => {
    expect(trafficLight(0)).toBe('green');
    expect(trafficLight(0.7999)).toBe('green');
    expect(trafficLight(0.8)).toBe('yellow');
    expect(trafficLight(1)).toBe('yellow');
    expect(trafficLight(1.0000001)).toBe('red');
    expect(() => trafficLight(Number.NaN)).toThrow(RangeError);
  });

  it.each([
    ['15:30', 'green', 330, 120],
    ['16:00', 'yellow', 360, 90], // exactly 80 %
    ['17:30', 'yellow', 450, 0], // at the deadline
  ] as const)('Monday %s → %s', (now, light, used, remaining) => {
    expect(lightOf(cal, mon('08:30'), oneDay, mon(now), [], [])).toEqual({
      light,
      usedFraction: used / 450,
      deadline: mon('17:30'),
      remainingMinutes: remaining,
    });
  });

  it('overdue is red with negative remaining time', () => {
    const r = lightOf(cal, mon('08:30'), oneDay, tue('09:00'), [], []);
    expect(r).toMatchObject({ light: 'red', usedFraction: 480 / 450, remainingMinutes: -30 });
  });

  it('an open suspension freezes the light; the deadline assumes the clock resumes now', () => {
    const r = lightOf(cal, mon('08:30'), oneDay, tue('09:00'), [{ from: mon('10:00'), to: null }], []);
    expect(r).toEqual({ light: 'green', usedFraction: 0.2, deadline: tue('16:30'), remainingMinutes: 360 });
  });

  it('calendar-basis limits count calendar minutes', () => {
    const limit: TimeLimit = { amount: 60, unit: 'minutes' };
    const sat = (hhmm: string) => at(`2026-03-07 ${hhmm}`);
    expect(lightOf(cal, sat('22:00'), limit, sat('23:00'), [], []).light).toBe('yellow');
    expect(lightOf(cal, sat('22:00'), limit, sat('23:01'), [], [])).toMatchObject({
      light: 'red',
      remainingMinutes: -1,
    });
    expect(lightOf(cal, sat('22:00'), limit, sat('21:00'), [], [])).toMatchObject({
      light: 'green',
      usedFraction: 0,
    });
  });
});
