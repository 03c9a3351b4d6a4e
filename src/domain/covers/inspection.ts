/**
 * 井盖巡查计划: inspection plans by road class (daily / weekly on a weekday, and extra checks
 * before and after a storm) become supervisor tasks; each covers the plan's road class in the
 * supervisor's grids. Pure: which plans are due on a day.
 */
import type { CoverDefect, RoadClass } from './emergency.js';

export const INSPECTION_FREQUENCIES = ['daily', 'weekly'] as const;
export type InspectionFrequency = (typeof INSPECTION_FREQUENCIES)[number];
export const INSPECTION_REASONS = ['routine', 'before_storm', 'after_storm'] as const;
export type InspectionReason = (typeof INSPECTION_REASONS)[number];
/** An inspection result per cover: fine, or one of the defects. */
export type InspectionResult = 'ok' | CoverDefect;

export interface InspectionPlan {
  id: number;
  roadClass: RoadClass;
  frequency: InspectionFrequency;
  /** ISO weekday 1 (Monday) – 7 of a weekly plan. */
  weekday: number | null;
  stormChecks: boolean;
  active: boolean;
}

/** ISO weekday of a calendar date (YYYY-MM-DD), 1 = Monday. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The plans due on `date`: routine by frequency, and with a storm every plan that asks for storm checks. */
export function plansDue(
  plans: readonly InspectionPlan[],
  date: string,
  storm: 'before' | 'after' | null,
): Array<{ planId: number; reason: InspectionReason }> {
  const out: Array<{ planId: number; reason: InspectionReason }> = [];
  for (const p of plans) {
    if (!p.active) continue;
    if (storm) {
      if (p.stormChecks)
        out.push({ planId: p.id, reason: storm === 'before' ? 'before_storm' : 'after_storm' });
      continue;
    }
    if (p.frequency === 'daily' || p.weekday === isoWeekday(date))
      out.push({ planId: p.id, reason: 'routine' });
  }
  return out;
}
