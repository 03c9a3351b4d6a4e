import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLOCK_STEPS, type ClockStep } from '../workflow/states.js';
import { centreCalendar, supervisionCalendar } from './calendar.js';
import { deadlineFor, type TimeLimit } from './clock.js';
import { at, office2026 } from './fixtures.js';
import { DEFAULT_CLOCK_RULES, DEFAULT_STEP_CALENDARS, stepClockStart } from './rules.js';

const hours = (amount: number): TimeLimit => ({ amount, unit: 'working_hours' });
const days = (amount: number): TimeLimit => ({ amount, unit: 'working_days' });

describe('the department clock (GB/T 30428.8: from dispatch)', () => {
  const dispatched = at('2026-03-06 16:00'); // Friday
  const signedLate = at('2026-03-09 10:00'); // Monday
  const sign = { step: 'sign' as const, startedAt: dispatched };

  it('counts 处置 from the dispatch under the default rule, from signing under the other', () => {
    expect(DEFAULT_CLOCK_RULES.departmentClockFrom).toBe('dispatch');
    expect(stepClockStart('dispatch', 'handle', sign, signedLate)).toEqual(dispatched);
    expect(stepClockStart('sign', 'handle', sign, signedLate)).toEqual(signedLate);
  });

  it('moves nothing else: a 处置 after 返工, any other step, a sign step that began after now', () => {
    const check = { step: 'check' as const, startedAt: dispatched };
    expect(stepClockStart('dispatch', 'handle', check, signedLate)).toEqual(signedLate);
    expect(stepClockStart('dispatch', 'handle', null, signedLate)).toEqual(signedLate);
    expect(stepClockStart('dispatch', 'request_check', sign, signedLate)).toEqual(signedLate);
    const future = { step: 'sign' as const, startedAt: at('2026-03-10 08:00') };
    expect(stepClockStart('dispatch', 'handle', future, signedLate)).toEqual(signedLate);
  });

  it('a late 签收 does not give the time back: hand-computed on the 2026 office calendar', () => {
    const cal = office2026();
    // 签收 limit 2 working hours from Fri 16:00: 90 min Friday (to 17:30) + 30 min Monday → Mon 09:00.
    expect(deadlineFor(cal, dispatched, hours(2))).toEqual(at('2026-03-09 09:00'));
    // 处置 1 working day (450 min) from the dispatch: 90 min Friday + 360 Monday → Mon 16:00.
    const fromDispatch = stepClockStart('dispatch', 'handle', sign, signedLate);
    expect(deadlineFor(cal, fromDispatch, days(1))).toEqual(at('2026-03-09 16:00'));
    // From the late signing at Mon 10:00 it would be Tue 10:00: the department gained 18 hours.
    const fromSigning = stepClockStart('sign', 'handle', sign, signedLate);
    expect(deadlineFor(cal, fromSigning, days(1))).toEqual(at('2026-03-10 10:00'));
  });

  it('property: counting from dispatch never gives a later 处置 deadline than counting from signing', () => {
    const cal = office2026();
    const t0 = at('2026-01-01 00:00').getTime();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 330 * 24 * 60 }),
        fc.integer({ min: 0, max: 10 * 24 * 60 }),
        fc.constantFrom(hours(4), days(1), days(3), { amount: 6, unit: 'calendar_hours' } as TimeLimit),
        (dispatchMin, signDelayMin, limit) => {
          const d = new Date(t0 + dispatchMin * 60_000);
          const s = new Date(d.getTime() + signDelayMin * 60_000);
          const previous = { step: 'sign' as const, startedAt: d };
          const strict = deadlineFor(cal, stepClockStart('dispatch', 'handle', previous, s), limit);
          const lax = deadlineFor(cal, stepClockStart('sign', 'handle', previous, s), limit);
          expect(strict.getTime()).toBeLessThanOrEqual(lax.getTime());
          if (signDelayMin === 0) expect(strict).toEqual(lax);
        },
      ),
    );
  });
});

describe('the calendar of each step', () => {
  it('puts the centre on its duty calendar, supervisors on patrol hours, departments on office hours', () => {
    const expected: Record<ClockStep, string> = {
      intake: 'centre',
      verify: 'supervision',
      file: 'centre',
      dispatch: 'centre',
      claim: 'office',
      sign: 'office',
      handle: 'office',
      request_check: 'centre',
      check: 'supervision',
      close: 'centre',
    };
    expect(DEFAULT_STEP_CALENDARS).toEqual(expected);
    expect(Object.keys(DEFAULT_CLOCK_RULES.stepCalendars).sort()).toEqual([...CLOCK_STEPS].sort());
  });

  it('the centre works 08:00–21:00 on a public holiday; office hours wait for the holiday to end', () => {
    const reported = at('2026-10-01 09:00'); // 国庆节, Thursday
    expect(deadlineFor(centreCalendar(), reported, hours(1))).toEqual(at('2026-10-01 10:00'));
    // The office calendar is closed 10-01…10-07; Thursday 10-08 is a working day.
    expect(deadlineFor(office2026(), reported, hours(1))).toEqual(at('2026-10-08 09:30'));
  });

  it('the centre carries an evening step over to 08:00 the next morning, weekends included', () => {
    // Saturday 20:30 + 1 working hour: 30 min to 21:00, 30 min from Sunday 08:00.
    expect(deadlineFor(centreCalendar(), at('2026-03-07 20:30'), hours(1))).toEqual(at('2026-03-08 08:30'));
    expect(centreCalendar().weeklyHours).toEqual(supervisionCalendar().weeklyHours);
    expect(centreCalendar().holidays).toEqual([]);
  });
});
