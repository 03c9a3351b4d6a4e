import { describe, expect, it } from 'vitest';
import { type InspectionPlan, isoWeekday, plansDue } from './inspection.js';

const plan = (p: Partial<InspectionPlan> & { id: number }): InspectionPlan => ({
  roadClass: 'arterial',
  frequency: 'daily',
  weekday: null,
  stormChecks: true,
  active: true,
  ...p,
});

describe('井盖 inspection plans', () => {
  it('knows the ISO weekday of a date', () => {
    expect(isoWeekday('2026-12-07')).toBe(1);
    expect(isoWeekday('2026-12-13')).toBe(7);
  });

  it('makes daily plans due every day, weekly ones on their weekday, storms for those with storm checks', () => {
    const plans = [
      plan({ id: 1 }),
      plan({ id: 2, roadClass: 'branch', frequency: 'weekly', weekday: 1, stormChecks: false }),
      plan({ id: 3, frequency: 'weekly', weekday: 3 }),
      plan({ id: 4, active: false }),
    ];
    expect(plansDue(plans, '2026-12-07', null)).toEqual([
      { planId: 1, reason: 'routine' },
      { planId: 2, reason: 'routine' },
    ]);
    expect(plansDue(plans, '2026-12-09', null)).toEqual([
      { planId: 1, reason: 'routine' },
      { planId: 3, reason: 'routine' },
    ]);
    expect(plansDue(plans, '2026-12-09', 'before')).toEqual([
      { planId: 1, reason: 'before_storm' },
      { planId: 3, reason: 'before_storm' },
    ]);
    expect(plansDue(plans, '2026-12-10', 'after').map((d) => d.reason)).toEqual([
      'after_storm',
      'after_storm',
    ]);
  });
});
