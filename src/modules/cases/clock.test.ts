/**
 * applyClock with hand-computed instants: the calendar a step takes from the clock rules, the
 * limit of the case's urgency, and the 处置 step counted from the dispatch.
 */
import { describe, expect, it } from 'vitest';
import type { Urgency } from '../../domain/catalog/index.js';
import { at, office2026 } from '../../domain/timelimit/fixtures.js';
import {
  type ClockRules,
  centreCalendar,
  DEFAULT_CLOCK_RULES,
  supervisionCalendar,
  type TimeLimit,
} from '../../domain/timelimit/index.js';
import type { ClockStep } from '../../domain/workflow/index.js';
import { applyClock, type ClockEnv, NO_STEP, type StepClock } from './clock.js';

const LIMITS: Partial<Record<ClockStep, TimeLimit>> = {
  intake: { amount: 1, unit: 'working_hours' },
  sign: { amount: 2, unit: 'working_hours' },
  handle: { amount: 1, unit: 'working_days' },
};

function env(now: Date, rules: ClockRules = DEFAULT_CLOCK_RULES, urgency: Urgency = 'normal'): ClockEnv {
  const calendars = { office: office2026(), centre: centreCalendar(), supervision: supervisionCalendar() };
  return {
    now,
    extension: null,
    rules: async () => rules,
    calendar: async (id) => calendars[id as keyof typeof calendars],
    limitFor: async (step) => {
      if (step === 'sign' && urgency === 'urgent') return { limit: { amount: 30, unit: 'minutes' }, urgency };
      const limit = LIMITS[step];
      return limit ? { limit, urgency: 'normal' } : null;
    },
  };
}

/** Dispatched Friday 2026-03-06 16:00 (the sign step starts), signed at `signedAt`. */
async function signedAt(signed: Date, rules = DEFAULT_CLOCK_RULES): Promise<StepClock> {
  const dispatched = await applyClock(['start:sign'], NO_STEP, env(at('2026-03-06 16:00'), rules));
  return (await applyClock(['stop:sign', 'start:handle'], dispatched.clock, env(signed, rules))).clock;
}

describe('applyClock', () => {
  it('starts each step on the calendar the rules give it: 受理 on the centre calendar', async () => {
    // Saturday 20:30 + 1 working hour on 08:00–21:00 every day → Sunday 08:30.
    const { clock } = await applyClock(['start:intake'], NO_STEP, env(at('2026-03-07 20:30')));
    expect(clock).toMatchObject({ step: 'intake', calendarId: 'centre', deadline: at('2026-03-08 08:30') });
    const officeRules: ClockRules = {
      ...DEFAULT_CLOCK_RULES,
      stepCalendars: { ...DEFAULT_CLOCK_RULES.stepCalendars, intake: 'office' },
    };
    // On office hours the same report waits for Monday: 08:30 + 1 h.
    const office = await applyClock(['start:intake'], NO_STEP, env(at('2026-03-07 20:30'), officeRules));
    expect(office.clock).toMatchObject({ calendarId: 'office', deadline: at('2026-03-09 09:30') });
  });

  it('a late 签收 is late, and the 处置 time counts from the dispatch (default rule)', async () => {
    const dispatched = await applyClock(['start:sign'], NO_STEP, env(at('2026-03-06 16:00')));
    // 2 working hours from Fri 16:00: 90 min Friday + 30 min Monday.
    expect(dispatched.clock).toMatchObject({ calendarId: 'office', deadline: at('2026-03-09 09:00') });
    const signed = await applyClock(
      ['stop:sign', 'start:handle'],
      dispatched.clock,
      env(at('2026-03-09 10:00')),
    );
    expect(signed.results).toEqual([
      { step: 'sign', deadline: at('2026-03-09 09:00').toISOString(), late: true },
    ]);
    expect(signed.clock).toMatchObject({
      step: 'handle',
      stepNo: 2,
      startedAt: at('2026-03-06 16:00'),
      // 1 working day (450 min) from Fri 16:00: 90 min Friday + 360 Monday → Mon 16:00.
      deadline: at('2026-03-09 16:00'),
      limit: { amount: 1, unit: 'working_days', urgency: 'normal', countedFrom: 'dispatch' },
    });
  });

  it('counts 处置 from signing when the city chose that rule', async () => {
    const clock = await signedAt(at('2026-03-09 10:00'), {
      ...DEFAULT_CLOCK_RULES,
      departmentClockFrom: 'sign',
    });
    // 450 min from Mon 10:00: 120 until 12:00, 240 in the afternoon, 90 on Tuesday → Tue 10:00.
    expect(clock).toMatchObject({ startedAt: at('2026-03-09 10:00'), deadline: at('2026-03-10 10:00') });
    expect(clock.limit).toEqual({ amount: 1, unit: 'working_days', urgency: 'normal' });
  });

  it('signing on the spot changes nothing between the two rules', async () => {
    const a = await signedAt(at('2026-03-06 16:00'));
    const b = await signedAt(at('2026-03-06 16:00'), { ...DEFAULT_CLOCK_RULES, departmentClockFrom: 'sign' });
    expect(a.deadline).toEqual(b.deadline);
    expect(a.limit).toEqual({ amount: 1, unit: 'working_days', urgency: 'normal' });
  });

  it('a 处置 step already run out when signed is left yellow for the sweeper to mark red', async () => {
    const clock = await signedAt(at('2026-03-10 09:00'));
    expect(clock.deadline).toEqual(at('2026-03-09 16:00'));
    expect(clock.light).toBe('yellow');
  });

  it('an urgent case runs its 签收 on the urgent limit, in calendar minutes', async () => {
    const { clock } = await applyClock(
      ['start:sign'],
      NO_STEP,
      env(at('2026-03-06 17:20'), DEFAULT_CLOCK_RULES, 'urgent'),
    );
    expect(clock).toMatchObject({
      limit: { amount: 30, unit: 'minutes', urgency: 'urgent' },
      deadline: at('2026-03-06 17:50'),
    });
  });
});
