/**
 * A light simulation of the case clock (modules/cases/clock.ts semantics): one running step with a
 * deadline on its calendar; pause (挂账) stops it, resume restarts it with the remaining budget,
 * an approved extension (延期) adds to it. Calendars are prepared once, so the hot loop only does
 * day-walking arithmetic from domain/timelimit.
 */

import { MINUTE_MS, type PreparedCalendar } from '../timelimit/calendar.js';
import type { TimeLimit } from '../timelimit/clock.js';
import { DEFAULT_CLOCK_RULES, stepClockStart } from '../timelimit/rules.js';
import { addWorkingMs, workingMsBetween } from '../timelimit/working-time.js';
import type { ClockEffect, ClockStep } from '../workflow/states.js';
import { isoOf } from './iso.js';
import type { StepOutcomeRecord } from './types.js';

export interface Calendars {
  readonly office: PreparedCalendar;
  readonly supervision: PreparedCalendar;
  /** Full working day in minutes per calendar (450 office, 780 supervision). */
  readonly officeDay: number;
  readonly supervisionDay: number;
}

interface Running {
  readonly step: ClockStep;
  readonly cal: PreparedCalendar | null; // null: calendar-time limit
  readonly start: number;
  deadline: number;
  /** deadline as ISO text, cached: most events repeat it. */
  iso: string;
  /** Remaining budget while paused (basis ms); null when running. */
  paused: number | null;
  /** payload.clock of events while nothing changes: one shared, never mutated object. */
  view: { step: ClockStep; stepNo: number; deadline: string | null } | null;
  overdueMarked: boolean;
}

/** Time-of-basis arithmetic: working ms on a calendar, or plain ms. */
export function addBasis(cal: PreparedCalendar | null, fromMs: number, amountMs: number): number {
  return cal ? addWorkingMs(cal, fromMs, Math.max(0, Math.round(amountMs))) : fromMs + Math.round(amountMs);
}

export function basisBetween(cal: PreparedCalendar | null, a: number, b: number): number {
  if (b <= a) return 0;
  return cal ? workingMsBetween(cal, a, b) : b - a;
}

const ONE_DAY: TimeLimit = { amount: 1, unit: 'working_days' };

export class SimClock {
  stepNo = 0;
  running: Running | null = null;

  constructor(
    private readonly cals: Calendars,
    private readonly limits: ReadonlyMap<ClockStep, TimeLimit>,
  ) {}

  /**
   * The default clock rules: departments on office hours; the centre and the supervisors
   * 08:00–21:00 every day (the centre's calendar has the supervision hours).
   */
  private calendarFor(step: ClockStep, limit: TimeLimit): PreparedCalendar | null {
    if (limit.unit === 'minutes' || limit.unit === 'calendar_hours') return null;
    return DEFAULT_CLOCK_RULES.stepCalendars[step] === 'office' ? this.cals.office : this.cals.supervision;
  }

  /** Budget of a limit in its basis (ms). */
  budgetMs(limit: TimeLimit, cal: PreparedCalendar | null): number {
    switch (limit.unit) {
      case 'minutes':
        return limit.amount * MINUTE_MS;
      case 'calendar_hours':
      case 'working_hours':
        return limit.amount * 60 * MINUTE_MS;
      case 'working_days': {
        const day = cal === this.cals.supervision ? this.cals.supervisionDay : this.cals.officeDay;
        return limit.amount * day * MINUTE_MS;
      }
    }
  }

  /** Applies decided clock effects at `at`; returns the steps stopped (for payload.steps). */
  apply(effects: readonly ClockEffect[], at: number, extension: TimeLimit | null): StepOutcomeRecord[] {
    const out: StepOutcomeRecord[] = [];
    let previous: { step: ClockStep; startedAt: Date } | null = null;
    for (const effect of effects) {
      const colon = effect.indexOf(':');
      const op = effect.slice(0, colon);
      const step = effect.slice(colon + 1) as ClockStep;
      const r = this.running;
      if (op === 'start') {
        const limit = this.limits.get(step) ?? ONE_DAY;
        const cal = this.calendarFor(step, limit);
        this.stepNo++;
        // 处置 after 签收 counts from the dispatch (the default department clock rule).
        const start = stepClockStart(
          DEFAULT_CLOCK_RULES.departmentClockFrom,
          step,
          previous,
          new Date(at),
        ).getTime();
        const deadline = addBasis(cal, start, this.budgetMs(limit, cal));
        this.running = {
          step,
          cal,
          start,
          deadline,
          iso: isoOf(deadline),
          paused: null,
          overdueMarked: false,
          view: null,
        };
      } else if (op === 'stop') {
        if (r && r.step === step) {
          const late = r.paused === null && at > r.deadline;
          out.push({ step, deadline: r.iso, late });
          previous = { step, startedAt: new Date(r.start) };
        }
        this.running = null;
      } else if (r && r.step === step) {
        if (op === 'pause' && r.paused === null) {
          r.paused = basisBetween(r.cal, at, r.deadline);
          r.view = null;
        } else if (op === 'resume' && r.paused !== null) {
          // A clock that had already run out keeps its deadline (pausing late moves nothing).
          if (r.paused > 0) this.moveDeadline(r, addBasis(r.cal, at, r.paused));
          r.paused = null;
          r.view = null;
        } else if (op === 'extend' && extension) {
          this.moveDeadline(r, addBasis(r.cal, r.deadline, this.budgetMs(extension, r.cal)));
        }
      }
    }
    return out;
  }

  private moveDeadline(r: Running, deadline: number): void {
    r.deadline = deadline;
    r.iso = isoOf(deadline);
    r.view = null;
  }

  /** The running step for payload.clock (deadline null while suspended). */
  state(): { step: ClockStep; stepNo: number; deadline: string | null } | undefined {
    const r = this.running;
    if (!r) return undefined;
    if (r.view === null) {
      r.view = { step: r.step, stepNo: this.stepNo, deadline: r.paused === null ? r.iso : null };
    }
    return r.view;
  }

  /**
   * When the running step's work ends: `fraction` of the remaining budget from `now` (≤ 1: on
   * time), or past the deadline by `fraction - 1` of the step's whole budget when late.
   */
  finishAt(now: number, fraction: number): number {
    const r = this.running;
    if (!r || r.paused !== null) return now + 30 * MINUTE_MS;
    if (fraction <= 1) {
      const remaining = basisBetween(r.cal, now, r.deadline);
      return Math.max(now + MINUTE_MS, addBasis(r.cal, now, remaining * fraction));
    }
    const whole = Math.max(basisBetween(r.cal, r.start, r.deadline), 10 * MINUTE_MS);
    return Math.max(now + MINUTE_MS, addBasis(r.cal, r.deadline, whole * (fraction - 1)) + MINUTE_MS);
  }
}
