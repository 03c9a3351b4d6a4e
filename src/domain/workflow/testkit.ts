/** Test helpers for the workflow (pure; no test-runner imports). */
import type { Role } from '../access/permissions.js';
import { decide } from './decide.js';
import type { GuardFacts } from './guards.js';
import type { CaseAction, CaseSnapshot, CaseState, ClockEffect, Counter } from './states.js';

/** Every fact in order: only (state, action, role) and the pending slot decide. */
export const ALL_FACTS: GuardFacts = {
  hasAfterPhotos: true,
  hasReason: true,
  checkPassed: true,
  isAssignedDepartment: true,
  isCandidateDepartment: true,
  isGridSupervisor: true,
  hasTargetCase: true,
  hasDepartment: true,
  sourceVerified: true,
  verificationDenied: false,
  selfHandleCloses: false,
  checkPhotosGiven: true,
};

export type Step = readonly [CaseAction, Role, GuardFacts?];

export interface Walk {
  readonly snapshot: CaseSnapshot;
  readonly trail: readonly CaseState[];
  readonly counters: readonly Counter[];
  readonly clock: readonly ClockEffect[];
}

/** Applies the steps in order (facts default to ALL_FACTS); throws on the first refusal. */
export function walk(start: CaseSnapshot | null, steps: readonly Step[]): Walk {
  let snapshot = start;
  const trail: CaseState[] = start ? [start.state] : [];
  const counters: Counter[] = [];
  const clock: ClockEffect[] = [];
  for (const [action, role, facts] of steps) {
    const r = decide(snapshot, action, { role }, facts ?? ALL_FACTS);
    if (!r.ok)
      throw new Error(`${snapshot?.state ?? 'new'} ${action} by ${role}: ${r.code} ${r.guard ?? ''}`);
    snapshot = { state: r.to, pending: r.pending };
    trail.push(r.to);
    counters.push(...r.counters);
    clock.push(...r.clock);
  }
  if (snapshot === null) throw new Error('walk: no steps and no case');
  return { snapshot, trail, counters, clock };
}

/** 上报 by a supervisor → 受理 → 立案 → 派遣 → 签收: a case in handling. */
export const TO_HANDLING: readonly Step[] = [
  ['report', 'supervisor'],
  ['intake', 'intake'],
  ['file', 'shift_leader'],
  ['dispatch', 'dispatcher'],
  ['sign', 'department'],
];

/** 反馈 → 派发核查 → 核查通过: from handling to pending_close. */
export const TO_PENDING_CLOSE: readonly Step[] = [
  ['feedback', 'handler'],
  ['request_check', 'intake'],
  ['check_pass', 'supervisor'],
];
