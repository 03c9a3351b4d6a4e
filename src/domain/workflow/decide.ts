/**
 * `decide`: the only way a case changes state. Pure: (snapshot, action, actor, facts) → the next
 * state, the pending-request slot, clock effects and counters — or a refusal with a zh/en
 * message. The service appends the case event and updates the projection from the result.
 */
import { ROLE_NAMES, type Role } from '../access/permissions.js';
import { GUARD_MESSAGES, type GuardFacts, type GuardName, guardHolds } from './guards.js';
import { requestEffect } from './requests.js';
import {
  ACTION_LABELS,
  CASE_ACTIONS,
  type CaseAction,
  type CaseSnapshot,
  type CaseState,
  type ClockEffect,
  type Counter,
  isTerminal,
  type Label,
  type PendingRequest,
  STATE_LABELS,
} from './states.js';
import { type FromState, TRANSITIONS, type Transition } from './table.js';

export interface DecideOk {
  readonly ok: true;
  /** null when the action creates the case. */
  readonly from: CaseState | null;
  readonly to: CaseState;
  readonly pending: PendingRequest | null;
  readonly clock: readonly ClockEffect[];
  readonly counters: readonly Counter[];
}

export type DecideErrorCode = 'ACTION_NOT_ALLOWED' | 'ROLE_NOT_ALLOWED' | 'GUARD_FAILED';

export interface DecideRefusal {
  readonly ok: false;
  readonly code: DecideErrorCode;
  readonly guard?: GuardName;
  readonly message: Label;
}

export type Decision = DecideOk | DecideRefusal;

export interface Actor {
  readonly role: Role;
}

/** Does a row's `from` cover the case's current state (null = no case yet)? */
export function fromMatches(from: FromState, state: CaseState | null): boolean {
  if (state === null) return from === '*new*';
  if (from === '*any*') return true;
  if (from === '*open*') return !isTerminal(state);
  return from === state;
}

/**
 * @param snapshot the case as it is, or null to create one (report, self_handle).
 */
export function decide(
  snapshot: CaseSnapshot | null,
  action: CaseAction,
  actor: Actor,
  facts: GuardFacts,
): Decision {
  const state = snapshot?.state ?? null;
  const candidates = TRANSITIONS.filter((t) => t.action === action && fromMatches(t.from, state));
  const actionLabel = ACTION_LABELS[action];
  if (candidates.length === 0) {
    const where = state === null ? { zh: '新案卷', en: 'a new case' } : STATE_LABELS[state];
    return {
      ok: false,
      code: 'ACTION_NOT_ALLOWED',
      message: {
        zh: `案卷处于「${where.zh}」时不能执行「${actionLabel.zh}」`,
        en: `"${actionLabel.en}" is not possible on ${state === null ? where.en : `a case in state "${where.en}"`}`,
      },
    };
  }
  const forRole = candidates.filter((t) => t.roles.includes(actor.role));
  if (forRole.length === 0) {
    const role = ROLE_NAMES[actor.role];
    return {
      ok: false,
      code: 'ROLE_NOT_ALLOWED',
      message: {
        zh: `「${role.zh}」不能执行「${actionLabel.zh}」`,
        en: `A ${role.en.toLowerCase()} cannot do "${actionLabel.en}"`,
      },
    };
  }
  let failed: GuardName | undefined;
  for (const row of forRole) {
    failed = (row.guards ?? []).find((g) => !guardHolds(g, { snapshot, action, facts }));
    if (failed === undefined) return apply(row, snapshot, action, actor);
  }
  const guard = failed ?? 'no_pending_request';
  return { ok: false, code: 'GUARD_FAILED', guard, message: GUARD_MESSAGES[guard] };
}

function apply(row: Transition, snapshot: CaseSnapshot | null, action: CaseAction, actor: Actor): DecideOk {
  const to = row.to === 'same' ? snapshot?.state : row.to;
  if (to === undefined) throw new Error(`transition table: '${action}' creates a case but has to 'same'`);
  const effect = requestEffect(action);
  let pending: PendingRequest | null = snapshot?.pending ?? null;
  if (effect?.op === 'open') pending = { kind: effect.kind, requestedBy: actor.role };
  else if (effect !== null) pending = null;
  return {
    ok: true,
    from: snapshot?.state ?? null,
    to,
    pending,
    clock: row.clock ?? [],
    counters: row.counters ?? [],
  };
}

/** The actions `role` may take now, for buttons and work queues. */
export function allowedActions(snapshot: CaseSnapshot | null, role: Role, facts: GuardFacts): CaseAction[] {
  return CASE_ACTIONS.filter((action) => decide(snapshot, action, { role }, facts).ok);
}

/** The actions `role` could take if the facts were in order (for showing disabled buttons). */
export function actionsForRole(snapshot: CaseSnapshot | null, role: Role): CaseAction[] {
  const state = snapshot?.state ?? null;
  return CASE_ACTIONS.filter((action) =>
    TRANSITIONS.some((t) => t.action === action && t.roles.includes(role) && fromMatches(t.from, state)),
  );
}
