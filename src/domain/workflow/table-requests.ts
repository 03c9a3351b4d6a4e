/**
 * The request rows of the transition table (回退 / 延期 / 挂账 / 作废): open, approve, deny.
 * See requests.ts for the pending-request slot these rows fill and empty.
 */
import type { GuardName } from './guards.js';
import type { CaseState, ClockEffect } from './states.js';
import type { Transition } from './table.js';

const NP: GuardName = 'no_pending_request';
const RP: GuardName = 'request_pending';

/** Filed and not finished: where 作废 may be requested and approved, with the step it stops. */
const VOIDABLE: ReadonlyArray<readonly [CaseState, ClockEffect]> = [
  ['filed', 'stop:dispatch'],
  ['dispatched', 'stop:sign'],
  ['ownership_dispute', 'stop:claim'],
  ['handling', 'stop:handle'],
  ['handled', 'stop:request_check'],
  ['checking', 'stop:check'],
  ['pending_close', 'stop:close'],
  ['suspended', 'stop:handle'],
];

/** 回退 is asked by the department before or after signing; approval goes back to 待派遣. */
const RETURNABLE: ReadonlyArray<readonly [CaseState, ClockEffect]> = [
  ['dispatched', 'stop:sign'],
  ['handling', 'stop:handle'],
];

export const VOID_ROWS: Transition[] = VOIDABLE.flatMap(([from, stop]): Transition[] => [
  { from, action: 'void_request', roles: ['intake', 'dispatcher'], to: 'same', guards: ['has_reason', NP] },
  {
    from,
    action: 'void_approve',
    roles: ['shift_leader'],
    to: 'voided',
    guards: [RP],
    clock: [stop],
    counters: ['void'],
  },
  { from, action: 'void_deny', roles: ['shift_leader'], to: 'same', guards: [RP, 'has_reason'] },
]);

export const RETURN_ROWS: Transition[] = RETURNABLE.flatMap(([from, stop]): Transition[] => [
  {
    from,
    action: 'return_request',
    roles: ['department'],
    to: 'same',
    guards: ['is_assigned_department', 'has_reason', NP],
  },
  {
    from,
    action: 'return_approve',
    roles: ['dispatcher'],
    to: 'filed',
    guards: [RP],
    clock: [stop, 'start:dispatch'],
    counters: ['return'],
  },
  { from, action: 'return_deny', roles: ['dispatcher'], to: 'same', guards: [RP, 'has_reason'] },
]);

export const EXTEND_SUSPEND_ROWS: Transition[] = [
  {
    from: 'handling',
    action: 'extend_request',
    roles: ['department'],
    to: 'same',
    guards: ['is_assigned_department', 'has_reason', NP],
  },
  {
    from: 'handling',
    action: 'extend_approve',
    roles: ['dispatcher'],
    to: 'same',
    guards: [RP],
    clock: ['extend:handle'],
    counters: ['extension'],
  },
  { from: 'handling', action: 'extend_deny', roles: ['dispatcher'], to: 'same', guards: [RP, 'has_reason'] },
  {
    from: 'handling',
    action: 'suspend_request',
    roles: ['department'],
    to: 'same',
    guards: ['is_assigned_department', 'has_reason', NP],
  },
  {
    from: 'handling',
    action: 'suspend_approve',
    roles: ['dispatcher'],
    to: 'suspended',
    guards: [RP],
    clock: ['pause:handle'],
    counters: ['suspension'],
  },
  { from: 'handling', action: 'suspend_deny', roles: ['dispatcher'], to: 'same', guards: [RP, 'has_reason'] },
];
