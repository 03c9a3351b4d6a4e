/**
 * Time limits, deadlines, the case clock (suspension 挂账 stops it, approved extension 延期 adds to
 * it) and traffic lights.
 *
 * Clock basis. `working_hours` and `working_days` run on working time of the calendar;
 * `minutes` (urgent cases) and `calendar_hours` run on plain elapsed time and ignore the calendar.
 *
 * Working-day convention (chosen for CityLoop): N working days = N × the calendar's
 * full working-day length in working minutes ({@link workingDayMinutes}: the Monday hours), added
 * with working-time arithmetic (addWorkingMinutes semantics: the earliest instant, so a
 * span ending at a period end yields that end). On the office calendar (450 min/day):
 *  - received Friday 16:00, 1 working day → due Monday 16:00 (90 min Friday + 360 Monday), or
 *    Tuesday 16:00 if Monday is a holiday — the same time on the N-th next working day when all
 *    working days have the same hours (a shorter make-up day counts only its own minutes);
 *  - received outside working hours → due at the END of the N-th working day, counting the
 *    received day itself if it is a working day not yet begun (Mon 07:00 → Mon 17:30), otherwise
 *    starting with the next working day (Fri 18:00 → Mon 17:30).
 *
 * Deadline with suspensions: the earliest instant D at which the running clock — basis time from
 * start to D minus basis time inside suspensions (overlaps counted once) — reaches the budget
 * (limit + extensions). Suspended working time before the deadline therefore pushes it later by
 * exactly that working time; suspensions after the clock ran out do not move it. Adding a
 * suspension or an extension never moves the deadline earlier.
 */
import { DAY_MS, MINUTE_MS, prepareCalendar, type WorkingCalendar } from './calendar.js';
import { addWorkingMs, workingDayMinutes, workingMsBetween } from './working-time.js';

export type LimitUnit = 'working_hours' | 'working_days' | 'calendar_hours' | 'minutes';
export const LIMIT_UNITS: readonly LimitUnit[] = [
  'working_hours',
  'working_days',
  'calendar_hours',
  'minutes',
];

/** amount > 0, may be fractional (e.g. 0.5 working hours). */
export interface TimeLimit {
  amount: number;
  unit: LimitUnit;
}

/** An interval of a case's life; `to: null` = still open. */
export interface ClockSegment {
  from: Date;
  to: Date | null;
}

export type ClockBasis = 'working' | 'calendar';

export type Light = 'green' | 'yellow' | 'red';

export interface LightStatus {
  light: Light;
  /** Elapsed clock time / budget (limit + extensions). 1 = exactly at the deadline. */
  usedFraction: number;
  /** Deadline; an open suspension is treated as ending at `now` (the deadline if the clock resumed now). */
  deadline: Date;
  /** Budget minus elapsed, in working minutes for working units, calendar minutes otherwise; negative when overdue. */
  remainingMinutes: number;
}

export const YELLOW_FROM = 0.8;

export function basisOf(unit: LimitUnit): ClockBasis {
  return unit === 'working_hours' || unit === 'working_days' ? 'working' : 'calendar';
}

function checkLimit(limit: TimeLimit): void {
  if (!LIMIT_UNITS.includes(limit.unit))
    throw new RangeError(`unknown time-limit unit ${String(limit.unit)}`);
  if (!Number.isFinite(limit.amount) || limit.amount <= 0) {
    throw new RangeError(`time-limit amount must be a finite number > 0, got ${limit.amount}`);
  }
}

/**
 * A limit expressed in minutes of the given clock basis (default: its own). Hours are 60 minutes on
 * either clock; a working day is {@link workingDayMinutes} on the working clock and 1440 minutes on
 * the calendar clock. Used to add extensions whose unit differs from the limit's.
 */
export function limitMinutes(cal: WorkingCalendar, limit: TimeLimit, basis = basisOf(limit.unit)): number {
  checkLimit(limit);
  switch (limit.unit) {
    case 'minutes':
      return limit.amount;
    case 'working_hours':
    case 'calendar_hours':
      return limit.amount * 60;
    case 'working_days':
      return limit.amount * (basis === 'working' ? workingDayMinutes(cal) : DAY_MS / MINUTE_MS);
  }
}

interface Clock {
  span(aMs: number, bMs: number): number;
  add(startMs: number, amountMs: number): number;
}

function clockOf(cal: WorkingCalendar, basis: ClockBasis): Clock {
  if (basis === 'calendar') {
    return { span: (a, b) => Math.max(0, b - a), add: (s, ms) => s + ms };
  }
  const p = prepareCalendar(cal);
  return { span: (a, b) => workingMsBetween(p, a, b), add: (s, ms) => addWorkingMs(p, s, ms) };
}

function instantMs(t: Date, name: string): number {
  const ms = t.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is an invalid Date`);
  return ms;
}

/** Suspensions clipped to ≥ start, sorted and merged; open ones end at `openEndMs` (∞ if unknown). */
function mergeSegments(segments: readonly ClockSegment[], startMs: number, openEndMs: number) {
  const clipped = segments
    .map((s): [number, number] => [
      Math.max(startMs, instantMs(s.from, 'suspension.from')),
      s.to === null ? openEndMs : instantMs(s.to, 'suspension.to'),
    ])
    .filter(([f, t]) => t > f)
    .sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [f, t] of clipped) {
    const last = merged[merged.length - 1];
    if (last && f <= last[1]) last[1] = Math.max(last[1], t);
    else merged.push([f, t]);
  }
  return merged;
}

function budgetMs(cal: WorkingCalendar, limit: TimeLimit, extensions: readonly TimeLimit[]): number {
  const basis = basisOf(limit.unit);
  const minutes = [limit, ...extensions].map((l) => Math.round(limitMinutes(cal, l, basis) * MINUTE_MS));
  return minutes.reduce((a, b) => a + b, 0);
}

function elapsedMs(clock: Clock, startMs: number, nowMs: number, merged: ReadonlyArray<[number, number]>) {
  let suspended = 0;
  for (const [f, t] of merged) suspended += clock.span(f, Math.min(t, nowMs));
  return clock.span(startMs, nowMs) - suspended;
}

function deadlineMs(clock: Clock, startMs: number, budget: number, merged: ReadonlyArray<[number, number]>) {
  let cur = startMs;
  let remaining = budget;
  for (const [f, t] of merged) {
    if (f > cur) {
      const run = clock.span(cur, f);
      if (run >= remaining) return clock.add(cur, remaining);
      remaining -= run;
    }
    if (t === Number.POSITIVE_INFINITY) return null;
    cur = Math.max(cur, t);
  }
  return clock.add(cur, remaining);
}

/**
 * Deadline of a limit counted from `start`: `minutes` / `calendar_hours` are plain elapsed time;
 * `working_hours` and `working_days` are working time (see the working-day convention above).
 */
export function deadlineFor(cal: WorkingCalendar, start: Date, limit: TimeLimit): Date {
  const clock = clockOf(cal, basisOf(limit.unit));
  return new Date(clock.add(instantMs(start, 'start'), budgetMs(cal, limit, [])));
}

/** Minutes the clock ran in [start, now) on the given basis, excluding suspensions (open ones up to now). */
export function elapsedMinutes(
  cal: WorkingCalendar,
  start: Date,
  now: Date,
  suspensions: readonly ClockSegment[],
  basis: ClockBasis,
): number {
  const s = instantMs(start, 'start');
  const n = instantMs(now, 'now');
  if (n <= s) return 0;
  return elapsedMs(clockOf(cal, basis), s, n, mergeSegments(suspensions, s, n)) / MINUTE_MS;
}

/** Working minutes the clock ran in [start, now), excluding suspended working time. */
export function elapsedWorkingMinutes(
  cal: WorkingCalendar,
  start: Date,
  now: Date,
  suspensions: readonly ClockSegment[],
): number {
  return elapsedMinutes(cal, start, now, suspensions, 'working');
}

/**
 * Deadline after suspensions and approved extensions (each adds its limit, converted to the limit's
 * basis with {@link limitMinutes}). Returns null while an open suspension (`to: null`) stops a clock
 * that had not yet run out — unless `asOf` is given, which closes open suspensions at `asOf`.
 */
export function effectiveDeadline(
  cal: WorkingCalendar,
  start: Date,
  limit: TimeLimit,
  suspensions: readonly ClockSegment[],
  extensions: readonly TimeLimit[],
  asOf?: Date,
): Date | null {
  const s = instantMs(start, 'start');
  const openEnd = asOf === undefined ? Number.POSITIVE_INFINITY : Math.max(s, instantMs(asOf, 'asOf'));
  const clock = clockOf(cal, basisOf(limit.unit));
  const d = deadlineMs(clock, s, budgetMs(cal, limit, extensions), mergeSegments(suspensions, s, openEnd));
  return d === null ? null : new Date(d);
}

/** green < 0.8 ≤ yellow ≤ 1.0 < red. */
export function trafficLight(usedFraction: number): Light {
  if (Number.isNaN(usedFraction)) throw new RangeError('usedFraction is NaN');
  if (usedFraction < YELLOW_FROM) return 'green';
  return usedFraction <= 1 ? 'yellow' : 'red';
}

export function lightOf(
  cal: WorkingCalendar,
  start: Date,
  limit: TimeLimit,
  now: Date,
  suspensions: readonly ClockSegment[],
  extensions: readonly TimeLimit[],
): LightStatus {
  const s = instantMs(start, 'start');
  const n = Math.max(s, instantMs(now, 'now'));
  const clock = clockOf(cal, basisOf(limit.unit));
  const budget = budgetMs(cal, limit, extensions);
  const merged = mergeSegments(suspensions, s, n);
  const elapsed = elapsedMs(clock, s, n, merged);
  const deadline = deadlineMs(clock, s, budget, merged);
  if (deadline === null) throw new Error('unreachable: open suspensions are closed at now');
  const usedFraction = elapsed / budget;
  return {
    light: trafficLight(usedFraction),
    usedFraction,
    deadline: new Date(deadline),
    remainingMinutes: (budget - elapsed) / MINUTE_MS,
  };
}
