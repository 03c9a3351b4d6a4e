/**
 * Working-time arithmetic over a {@link WorkingCalendar}. All internal arithmetic is in integer
 * milliseconds so that adding and measuring round-trip exactly; walks day by day (O(days)).
 */
import {
  DAY_MS,
  MINUTE_MS,
  type MsPeriods,
  type PreparedCalendar,
  periodsOfDay,
  prepareCalendar,
  type WorkingCalendar,
} from './calendar.js';

function checkInstant(t: Date, name: string): number {
  const ms = t.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is an invalid Date`);
  return ms;
}

/** Converts (possibly fractional) minutes to whole milliseconds; rejects negative or non-finite input. */
export function minutesToMs(minutes: number): number {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`minutes must be a finite number ≥ 0, got ${minutes}`);
  }
  return Math.round(minutes * MINUTE_MS);
}

const totalMs = (periods: MsPeriods): number => periods.reduce((sum, [a, b]) => sum + (b - a), 0);

/**
 * The instant (UTC ms) at which `amountMs` of working time has elapsed from `startMs`: the earliest
 * such instant, so a span that ends exactly at the end of a period returns that end, not the start
 * of the next period. With `amountMs` = 0 it is the first working instant ≥ start.
 */
export function addWorkingMs(p: PreparedCalendar, startMs: number, amountMs: number): number {
  let remaining = amountMs;
  let cur = startMs + p.offsetMs; // local ms
  let day = Math.floor(cur / DAY_MS);
  // With weekly work, a run of empty days needs a holiday on every occurrence of a working weekday.
  const maxEmptyRun = 7 * (p.holidays.size + 1);
  let emptyRun = 0;
  for (;;) {
    if (p.weeklyWork ? emptyRun > maxEmptyRun : day > p.lastMakeupDay) {
      throw new RangeError('calendar has no working time after the start instant');
    }
    const base = day * DAY_MS;
    const periods = periodsOfDay(p, day);
    for (const [a, b] of periods) {
      const end = base + b;
      if (end <= cur) continue;
      const from = Math.max(cur, base + a);
      const available = end - from;
      if (remaining <= available) return from + remaining - p.offsetMs;
      remaining -= available;
    }
    emptyRun = periods.length === 0 ? emptyRun + 1 : 0;
    day += 1;
    cur = day * DAY_MS;
  }
}

/** Working milliseconds in [aMs, bMs); 0 if b ≤ a. */
export function workingMsBetween(p: PreparedCalendar, aMs: number, bMs: number): number {
  if (bMs <= aMs) return 0;
  const a = aMs + p.offsetMs;
  const b = bMs + p.offsetMs;
  let total = 0;
  for (let day = Math.floor(a / DAY_MS); day * DAY_MS < b; day++) {
    const base = day * DAY_MS;
    for (const [s, e] of periodsOfDay(p, day)) {
      const lo = Math.max(a, base + s);
      const hi = Math.min(b, base + e);
      if (hi > lo) total += hi - lo;
    }
  }
  return total;
}

/** True if `t` lies inside a working period (periods are half-open: the end instant is not working). */
export function isWorkingInstant(cal: WorkingCalendar, t: Date): boolean {
  const p = prepareCalendar(cal);
  const local = checkInstant(t, 't') + p.offsetMs;
  const day = Math.floor(local / DAY_MS);
  const ms = local - day * DAY_MS;
  return periodsOfDay(p, day).some(([a, b]) => ms >= a && ms < b);
}

/** `t` itself if it is a working instant, otherwise the start of the next working period. */
export function nextWorkingInstant(cal: WorkingCalendar, t: Date): Date {
  return new Date(addWorkingMs(prepareCalendar(cal), checkInstant(t, 't'), 0));
}

/**
 * The instant when `minutes` (≥ 0, may be fractional; rounded to the millisecond) of working time
 * have elapsed counting from `start`; counting begins at the next working instant if `start` is
 * outside working time. Throws RangeError if the calendar has no working time left.
 */
export function addWorkingMinutes(cal: WorkingCalendar, start: Date, minutes: number): Date {
  return new Date(addWorkingMs(prepareCalendar(cal), checkInstant(start, 'start'), minutesToMs(minutes)));
}

/** Working minutes in [a, b) (fractional if the instants are not whole minutes); 0 if b ≤ a. */
export function workingMinutesBetween(cal: WorkingCalendar, a: Date, b: Date): number {
  const p = prepareCalendar(cal);
  return workingMsBetween(p, checkInstant(a, 'a'), checkInstant(b, 'b')) / MINUTE_MS;
}

/**
 * Length in working minutes of one full working day: the Monday hours (the standard workday, also
 * the default make-up-day hours); if Monday is empty, the longest weekday; then the make-up hours.
 * Office calendar: 450; supervision calendar: 780.
 */
export function workingDayMinutes(cal: WorkingCalendar): number {
  const p = prepareCalendar(cal);
  const monday = totalMs(p.weekly[1] ?? []);
  const longest = Math.max(0, ...p.weekly.map(totalMs));
  const ms = monday > 0 ? monday : longest > 0 ? longest : totalMs(p.makeup);
  if (ms <= 0) throw new RangeError(`calendar ${cal.id} has no working day`);
  return ms / MINUTE_MS;
}
