/**
 * Applies the workflow's clock effects (start / stop / pause / resume / extend of a step) to the
 * running step stored on the case, with the pure arithmetic of domain/timelimit. The deadline,
 * the 80 % instant (yellow) and the light are stored so queues sort by deadline and the sweeper
 * finds what changed with an index.
 */

import {
  type ClockSegment,
  effectiveDeadline,
  type Light,
  lightOf,
  type TimeLimit,
  type WorkingCalendar,
  YELLOW_FROM,
} from '../../domain/timelimit/index.js';
import type { ClockEffect, ClockStep } from '../../domain/workflow/index.js';
import type { StoredLimit, StoredSegment } from './tables.js';

/** Supervisors patrol 08:00–21:00 every day; everybody else works office hours. */
export function calendarIdFor(step: ClockStep): string {
  return step === 'verify' || step === 'check' ? 'supervision' : 'office';
}

export interface StepClock {
  step: ClockStep | null;
  stepNo: number;
  startedAt: Date | null;
  limit: StoredLimit | null;
  calendarId: string | null;
  suspensions: StoredSegment[];
  extensions: StoredLimit[];
  yellowAt: Date | null;
  deadline: Date | null;
  light: Light | null;
}

export interface StepResult {
  step: ClockStep;
  deadline: string | null;
  late: boolean;
}

export interface ClockEnv {
  now: Date;
  limitFor(step: ClockStep): Promise<TimeLimit | null>;
  calendar(id: string): Promise<WorkingCalendar>;
  /** The extension being approved (延期), for 'extend:*'. */
  extension: TimeLimit | null;
}

const segments = (s: readonly StoredSegment[]): ClockSegment[] =>
  s.map((x) => ({ from: new Date(x.from), to: x.to === null ? null : new Date(x.to) }));

const scaled = (l: TimeLimit, f: number): TimeLimit => ({ amount: l.amount * f, unit: l.unit });

/** Deadline, yellow instant and light of a running step (all null while suspended or unlimited). */
export function recompute(clock: StepClock, cal: WorkingCalendar | null, now: Date): StepClock {
  if (!clock.startedAt || !clock.limit || !cal) {
    return { ...clock, deadline: null, yellowAt: null, light: null };
  }
  const susp = segments(clock.suspensions);
  const deadline = effectiveDeadline(cal, clock.startedAt, clock.limit, susp, clock.extensions);
  if (deadline === null) return { ...clock, deadline: null, yellowAt: null };
  const yellowAt = effectiveDeadline(
    cal,
    clock.startedAt,
    scaled(clock.limit, YELLOW_FROM),
    susp,
    clock.extensions.map((e) => scaled(e, YELLOW_FROM)),
  );
  const { light } = lightOf(cal, clock.startedAt, clock.limit, now, susp, clock.extensions);
  return { ...clock, deadline, yellowAt, light };
}

export const NO_STEP: StepClock = {
  step: null,
  stepNo: 0,
  startedAt: null,
  limit: null,
  calendarId: null,
  suspensions: [],
  extensions: [],
  yellowAt: null,
  deadline: null,
  light: null,
};

export async function applyClock(
  effects: readonly ClockEffect[],
  current: StepClock,
  env: ClockEnv,
): Promise<{ clock: StepClock; results: StepResult[] }> {
  let clock = current;
  const results: StepResult[] = [];
  const nowIso = env.now.toISOString();
  for (const effect of effects) {
    const [op, stepName] = effect.split(':') as [string, ClockStep];
    if (op === 'start') {
      const limit = await env.limitFor(stepName);
      const calendarId = calendarIdFor(stepName);
      const base: StepClock = {
        ...NO_STEP,
        step: stepName,
        stepNo: clock.stepNo + 1,
        startedAt: env.now,
        limit,
        calendarId,
      };
      clock = recompute(base, limit ? await env.calendar(calendarId) : null, env.now);
    } else if (op === 'stop') {
      if (clock.step === stepName) {
        results.push({
          step: stepName,
          deadline: clock.deadline?.toISOString() ?? null,
          late: clock.deadline !== null && env.now > clock.deadline,
        });
      }
      clock = { ...NO_STEP, stepNo: clock.stepNo };
    } else if (clock.step === stepName && clock.calendarId) {
      const cal = await env.calendar(clock.calendarId);
      if (op === 'pause') {
        clock = { ...clock, suspensions: [...clock.suspensions, { from: nowIso, to: null }] };
      } else if (op === 'resume') {
        clock = {
          ...clock,
          suspensions: clock.suspensions.map((s) => (s.to === null ? { ...s, to: nowIso } : s)),
        };
      } else if (op === 'extend' && env.extension) {
        clock = { ...clock, extensions: [...clock.extensions, env.extension] };
      }
      const next = recompute(clock, cal, env.now);
      // While suspended the light keeps the colour it had when the clock stopped.
      clock = op === 'pause' ? { ...next, light: clock.light } : next;
    }
  }
  return { clock, results };
}
