/**
 * Applies the workflow's clock effects (start / stop / pause / resume / extend of a step) to the
 * running step stored on the case, with the pure arithmetic of domain/timelimit. The deadline,
 * the 80 % instant (yellow) and the light are stored so queues sort by deadline and the sweeper
 * finds what changed with an index.
 *
 * A step takes, when it starts, the calendar the clock rules give it (clock_rules, editable by
 * admins) and the limit of the case's urgency; a 处置 step that follows 签收 counts from the
 * dispatch under the default rule (domain/timelimit/rules.ts).
 */

import type { Urgency } from '../../domain/catalog/index.js';
import {
  type ClockRules,
  type ClockSegment,
  effectiveDeadline,
  type Light,
  lightOf,
  type PreviousStep,
  stepClockStart,
  type TimeLimit,
  type WorkingCalendar,
  YELLOW_FROM,
} from '../../domain/timelimit/index.js';
import type { ClockEffect, ClockStep } from '../../domain/workflow/index.js';
import type { StoredLimit, StoredSegment } from './tables.js';

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
  /** The step's limit for the case's urgency, with the level it was taken from (fallback applied). */
  limitFor(step: ClockStep): Promise<{ limit: TimeLimit; urgency: Urgency } | null>;
  calendar(id: string): Promise<WorkingCalendar>;
  /** The clock rules in force (calendar per step, department clock start). */
  rules(): Promise<ClockRules>;
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
  // The step stopped just before a start in the same transition (签收 → 处置).
  let previous: PreviousStep | null = null;
  for (const effect of effects) {
    const [op, stepName] = effect.split(':') as [string, ClockStep];
    if (op === 'start') {
      const rules = await env.rules();
      const chosen = await env.limitFor(stepName);
      const calendarId = rules.stepCalendars[stepName];
      const startedAt = stepClockStart(rules.departmentClockFrom, stepName, previous, env.now);
      const counted = startedAt < env.now ? { countedFrom: 'dispatch' as const } : {};
      const base: StepClock = {
        ...NO_STEP,
        step: stepName,
        stepNo: clock.stepNo + 1,
        startedAt,
        limit: chosen ? { ...chosen.limit, urgency: chosen.urgency, ...counted } : null,
        calendarId,
      };
      clock = recompute(base, chosen ? await env.calendar(calendarId) : null, env.now);
      // A step that starts already run out (a 签收 so late that the 处置 time counted from the
      // dispatch is gone) is left to the sweeper, which marks it red with its overdue event.
      if (clock.light === 'red') clock = { ...clock, light: 'yellow' };
    } else if (op === 'stop') {
      if (clock.step === stepName) {
        results.push({
          step: stepName,
          deadline: clock.deadline?.toISOString() ?? null,
          late: clock.deadline !== null && env.now > clock.deadline,
        });
        previous = clock.startedAt ? { step: stepName, startedAt: clock.startedAt } : null;
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
