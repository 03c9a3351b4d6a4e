/**
 * Several suspensions (挂账) on one clock, with hand-computed figures. Calendar-hour limits keep
 * the arithmetic plain: the clock runs in [start, now) except inside suspensions, each instant
 * counted once however many suspensions cover it (domain.md §3: the clock stops while 挂账).
 */
import { describe, expect, it } from 'vitest';
import {
  effectiveDeadline,
  elapsedMinutes,
  elapsedWorkingMinutes,
  lightOf,
  type TimeLimit,
} from './clock.js';
import { at, office2026 } from './fixtures.js';

const cal = office2026();
const day = (hhmm: string) => at(`2026-03-09 ${hhmm}`); // a Monday
const hours = (amount: number): TimeLimit => ({ amount, unit: 'calendar_hours' });
const seg = (from: string, to: string | null) => ({ from: day(from), to: to === null ? null : day(to) });

describe('two separate suspensions', () => {
  // 00:00 start, 10 h limit, suspended 02:00–03:00 and 05:00–06:00: 2 h stopped in all.
  const two = [seg('02:00', '03:00'), seg('05:00', '06:00')];

  it('push the deadline by their own lengths, not by the gap between them', () => {
    expect(effectiveDeadline(cal, day('00:00'), hours(10), two, [])).toEqual(day('12:00'));
    // Given in any order.
    expect(effectiveDeadline(cal, day('00:00'), hours(10), [...two].reverse(), [])).toEqual(day('12:00'));
  });

  it('count only their own time out of the elapsed time and the light', () => {
    expect(elapsedMinutes(cal, day('00:00'), day('08:00'), two, 'calendar')).toBe(6 * 60);
    // Inside the gap: one suspension behind, 04:00 - 1 h = 3 h.
    expect(elapsedMinutes(cal, day('00:00'), day('04:00'), two, 'calendar')).toBe(3 * 60);
    const light = lightOf(cal, day('00:00'), hours(10), day('08:00'), two, []);
    expect(light).toEqual({
      light: 'green',
      usedFraction: 0.6,
      deadline: day('12:00'),
      remainingMinutes: 240,
    });
  });

  it('touching suspensions stop the clock once over their union', () => {
    const touching = [seg('02:00', '03:00'), seg('03:00', '04:00')];
    expect(effectiveDeadline(cal, day('00:00'), hours(10), touching, [])).toEqual(day('12:00'));
    expect(elapsedMinutes(cal, day('00:00'), day('08:00'), touching, 'calendar')).toBe(6 * 60);
  });
});

describe('overlapping suspensions', () => {
  // 02:00–04:00 and 03:00–05:00 overlap in 03:00–04:00: 3 h stopped, not 4.
  const overlapping = [seg('02:00', '04:00'), seg('03:00', '05:00')];
  const nested = [seg('02:00', '05:00'), seg('03:00', '04:00')];

  it('are counted once in the deadline', () => {
    expect(effectiveDeadline(cal, day('00:00'), hours(6), overlapping, [])).toEqual(day('09:00'));
    expect(effectiveDeadline(cal, day('00:00'), hours(6), nested, [])).toEqual(day('09:00'));
  });

  it('are counted once in the elapsed time and the light', () => {
    expect(elapsedMinutes(cal, day('00:00'), day('08:00'), overlapping, 'calendar')).toBe(5 * 60);
    expect(elapsedMinutes(cal, day('00:00'), day('08:00'), nested, 'calendar')).toBe(5 * 60);
    // 5 h of 6 used: yellow (counted twice it would be 4 h of 6, green).
    for (const s of [overlapping, nested]) {
      const light = lightOf(cal, day('00:00'), hours(6), day('08:00'), s, []);
      expect(light.light).toBe('yellow');
      expect(light.usedFraction).toBeCloseTo(5 / 6, 12);
      expect(light.remainingMinutes).toBe(60);
      expect(light.deadline).toEqual(day('09:00'));
    }
  });

  it('on the working clock too: one working hour stopped, not two', () => {
    // Office hours 08:30–12:00: suspended 09:00–10:00 twice over.
    const twice = [seg('09:00', '10:00'), seg('09:00', '10:00')];
    expect(elapsedWorkingMinutes(cal, day('08:30'), day('11:30'), twice)).toBe(120);
    const limit: TimeLimit = { amount: 2, unit: 'working_hours' };
    expect(effectiveDeadline(cal, day('08:30'), limit, twice, [])).toEqual(day('11:30'));
  });
});

describe('a suspension at the edge of the clock', () => {
  it('starting exactly when the clock runs out does not move the deadline', () => {
    // 2 h from 00:00 runs out at 02:00; 挂账 from 02:00 comes too late.
    const late = [seg('02:00', '03:00')];
    expect(effectiveDeadline(cal, day('00:00'), hours(2), late, [])).toEqual(day('02:00'));
    // Still open: the clock had run out, so the deadline stands (not null).
    expect(effectiveDeadline(cal, day('00:00'), hours(2), [seg('02:00', null)], [])).toEqual(day('02:00'));
    const light = lightOf(cal, day('00:00'), hours(2), day('04:00'), [seg('02:00', null)], []);
    expect(light).toEqual({ light: 'yellow', usedFraction: 1, deadline: day('02:00'), remainingMinutes: 0 });
  });

  it('starting one minute before the clock runs out stops it with one minute left', () => {
    const open = [seg('01:59', null)];
    expect(effectiveDeadline(cal, day('00:00'), hours(2), open, [])).toBeNull();
    expect(effectiveDeadline(cal, day('00:00'), hours(2), open, [], day('05:00'))).toEqual(day('05:01'));
    expect(effectiveDeadline(cal, day('00:00'), hours(2), [seg('01:59', '05:00')], [])).toEqual(day('05:01'));
  });

  it('begun before the start counts only from the start', () => {
    const early = [{ from: at('2026-03-08 23:00'), to: day('01:00') }];
    expect(effectiveDeadline(cal, day('00:00'), hours(2), early, [])).toEqual(day('03:00'));
    expect(elapsedMinutes(cal, day('00:00'), day('02:00'), early, 'calendar')).toBe(60);
  });

  it('an empty or reversed suspension stops nothing', () => {
    const none = [seg('01:00', '01:00'), seg('03:00', '02:00')];
    expect(effectiveDeadline(cal, day('00:00'), hours(2), none, [])).toEqual(day('02:00'));
    expect(elapsedMinutes(cal, day('00:00'), day('02:00'), none, 'calendar')).toBe(120);
  });

  it('a suspension still open at now counts up to now only', () => {
    const open = [seg('01:00', null)];
    expect(elapsedMinutes(cal, day('00:00'), day('05:00'), open, 'calendar')).toBe(60);
    const light = lightOf(cal, day('00:00'), hours(2), day('05:00'), open, []);
    // The deadline if the clock resumed now: 1 h left from 05:00.
    expect(light).toEqual({
      light: 'green',
      usedFraction: 0.5,
      deadline: day('06:00'),
      remainingMinutes: 60,
    });
  });
});
