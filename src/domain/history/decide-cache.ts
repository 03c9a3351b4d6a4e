/**
 * `decide` with a memo: the function is pure and a generated year asks it the same few hundred
 * questions millions of times, so answers are cached by (state, pending slot, action, role,
 * facts). The tests replay every generated event through the real `decide` without the cache.
 */
import { ROLES, type Role } from '../access/permissions.js';
import { type Decision, decide } from '../workflow/decide.js';
import type { GuardFacts } from '../workflow/guards.js';
import {
  CASE_ACTIONS,
  CASE_STATES,
  type CaseAction,
  type CaseSnapshot,
  REQUEST_KINDS,
} from '../workflow/states.js';

const index = <T extends string>(values: readonly T[]) => new Map(values.map((v, i) => [v, i] as const));
const STATE = index(CASE_STATES);
const ACTION = index(CASE_ACTIONS);
const ROLE = index(ROLES);
const KIND = index(REQUEST_KINDS);
const FACT_NAMES = [
  'hasAfterPhotos',
  'hasReason',
  'checkPassed',
  'isAssignedDepartment',
  'isCandidateDepartment',
  'isGridSupervisor',
  'hasTargetCase',
  'hasDepartment',
  'sourceVerified',
  'verificationDenied',
  'selfHandleCloses',
  'checkPhotosGiven',
] as const satisfies ReadonlyArray<keyof GuardFacts>;

const cache = new Map<number, Decision>();
const actors = new Map<Role, { role: Role }>(ROLES.map((role) => [role, { role }]));

export function cachedDecide(
  snapshot: CaseSnapshot | null,
  action: CaseAction,
  role: Role,
  facts: GuardFacts,
): Decision {
  let bits = 0;
  for (const name of FACT_NAMES) bits = bits * 2 + (facts[name] === true ? 1 : 0);
  const state = snapshot === null ? CASE_STATES.length : (STATE.get(snapshot.state) ?? 0);
  const pending = snapshot?.pending ?? null;
  const kind = pending === null ? REQUEST_KINDS.length : (KIND.get(pending.kind) ?? 0);
  const by = pending === null ? ROLES.length : (ROLE.get(pending.requestedBy) ?? 0);
  let key = state;
  key = key * (REQUEST_KINDS.length + 1) + kind;
  key = key * (ROLES.length + 1) + by;
  key = key * CASE_ACTIONS.length + (ACTION.get(action) ?? 0);
  key = key * ROLES.length + (ROLE.get(role) ?? 0);
  key = key * 2 ** FACT_NAMES.length + bits;
  let decision = cache.get(key);
  if (decision === undefined) {
    decision = decide(snapshot, action, actors.get(role) ?? { role }, facts);
    cache.set(key, decision);
  }
  return decision;
}
