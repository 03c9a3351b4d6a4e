/**
 * The case state machine as one declarative table (architecture.md "Case history is an event
 * log"). Services call `decide` (decide.ts); they never set a status by hand.
 *
 * Reading a row: in `from`, a user with one of `roles` may do `action`; if every guard holds the
 * case moves `to` (or stays: 'same'), with the clock effects and evaluation counters listed.
 * `from` may also be '*new*' (creates the case), '*open*' (any non-terminal state) or '*any*'.
 * Rows are tried in order and the first one whose guards all hold wins; only `self_handle`
 * relies on this (closed when configured, otherwise pending_close).
 */
import type { Role } from '../access/permissions.js';
import type { GuardName } from './guards.js';
import type { CaseAction, CaseState, ClockEffect, Counter } from './states.js';
import { EXTEND_SUSPEND_ROWS, RETURN_ROWS, VOID_ROWS } from './table-requests.js';

export type FromState = CaseState | '*new*' | '*open*' | '*any*';

export interface Transition {
  readonly from: FromState;
  readonly action: CaseAction;
  readonly roles: readonly Role[];
  readonly to: CaseState | 'same';
  readonly guards?: readonly GuardName[];
  readonly clock?: readonly ClockEffect[];
  readonly counters?: readonly Counter[];
}

const NP: GuardName = 'no_pending_request';
const REPORTERS: readonly Role[] = ['supervisor', 'citizen', 'intake', 'service', 'leader'];
const MERGERS: readonly Role[] = ['intake', 'shift_leader'];
const CENTER_NOTERS: readonly Role[] = [
  'leader',
  'coordinator',
  'shift_leader',
  'dispatcher',
  'intake',
  'supervisor',
];

export const TRANSITIONS: ReadonlyArray<Transition> = [
  // 上报 / 自行处置: create the case.
  { from: '*new*', action: 'report', roles: REPORTERS, to: 'reported', clock: ['start:intake'] },
  {
    from: '*new*',
    action: 'self_handle',
    roles: ['supervisor'],
    to: 'closed',
    guards: ['is_grid_supervisor', 'has_after_photos', 'self_handle_closes'],
  },
  {
    from: '*new*',
    action: 'self_handle',
    roles: ['supervisor'],
    to: 'pending_close',
    guards: ['is_grid_supervisor', 'has_after_photos'],
    clock: ['start:close'],
  },

  // 受理 → 核实 → 立案.
  {
    from: 'reported',
    action: 'intake',
    roles: ['intake'],
    to: 'pending_filing',
    guards: ['source_verified'],
    clock: ['stop:intake', 'start:file'],
  },
  {
    from: 'reported',
    action: 'request_verification',
    roles: ['intake'],
    to: 'verifying',
    clock: ['stop:intake', 'start:verify'],
  },
  {
    from: 'reported',
    action: 'reject',
    roles: ['shift_leader'],
    to: 'rejected',
    guards: ['has_reason'],
    clock: ['stop:intake'],
  },
  {
    from: 'reported',
    action: 'merge',
    roles: MERGERS,
    to: 'merged',
    guards: ['has_target_case'],
    clock: ['stop:intake'],
  },
  {
    from: 'verifying',
    action: 'verify',
    roles: ['supervisor'],
    to: 'pending_filing',
    guards: ['is_grid_supervisor'],
    clock: ['stop:verify', 'start:file'],
  },
  {
    from: 'verifying',
    action: 'deny',
    roles: ['supervisor'],
    to: 'pending_filing',
    guards: ['is_grid_supervisor', 'has_reason'],
    clock: ['stop:verify', 'start:file'],
  },
  {
    from: 'verifying',
    action: 'merge',
    roles: MERGERS,
    to: 'merged',
    guards: ['has_target_case'],
    clock: ['stop:verify'],
  },
  {
    from: 'pending_filing',
    action: 'file',
    roles: ['shift_leader'],
    to: 'filed',
    guards: ['verification_not_denied'],
    clock: ['stop:file', 'start:dispatch'],
  },
  {
    from: 'pending_filing',
    action: 'reject',
    roles: ['shift_leader'],
    to: 'rejected',
    guards: ['has_reason'],
    clock: ['stop:file'],
  },
  {
    from: 'pending_filing',
    action: 'request_verification',
    roles: ['intake', 'shift_leader'],
    to: 'verifying',
    clock: ['stop:file', 'start:verify'],
  },
  {
    from: 'pending_filing',
    action: 'merge',
    roles: MERGERS,
    to: 'merged',
    guards: ['has_target_case'],
    clock: ['stop:file'],
  },

  // 派遣, or 权属确认 at the city collaboration platform.
  {
    from: 'filed',
    action: 'dispatch',
    roles: ['dispatcher'],
    to: 'dispatched',
    guards: ['has_department', NP],
    clock: ['stop:dispatch', 'start:sign'],
  },
  {
    from: 'filed',
    action: 'send_to_collaboration',
    roles: ['dispatcher'],
    to: 'ownership_dispute',
    guards: ['has_reason', NP],
    clock: ['stop:dispatch', 'start:claim'],
  },
  {
    from: 'ownership_dispute',
    action: 'claim',
    roles: ['department'],
    to: 'same',
    guards: ['is_candidate_department'],
  },
  {
    from: 'ownership_dispute',
    action: 'decline',
    roles: ['department'],
    to: 'same',
    guards: ['is_candidate_department', 'has_reason'],
  },
  {
    from: 'ownership_dispute',
    action: 'settle_ownership',
    roles: ['coordinator'],
    to: 'dispatched',
    guards: ['has_department', NP],
    clock: ['stop:claim', 'start:sign'],
  },

  // 签收 → 处置 → 反馈, with 回退 / 延期 / 挂账.
  {
    from: 'dispatched',
    action: 'sign',
    roles: ['department'],
    to: 'handling',
    guards: ['is_assigned_department', NP],
    clock: ['stop:sign', 'start:handle'],
  },
  ...RETURN_ROWS,
  {
    from: 'handling',
    action: 'assign_handler',
    roles: ['department'],
    to: 'same',
    guards: ['is_assigned_department'],
  },
  {
    from: 'handling',
    action: 'feedback',
    roles: ['department', 'handler'],
    to: 'handled',
    guards: ['is_assigned_department', 'has_after_photos', NP],
    clock: ['stop:handle', 'start:request_check'],
  },
  ...EXTEND_SUSPEND_ROWS,
  {
    from: 'suspended',
    action: 'resume',
    roles: ['dispatcher'],
    to: 'handling',
    guards: [NP],
    clock: ['resume:handle'],
  },

  // 核查 → 结案 (or 返工 back to the same department).
  {
    from: 'handled',
    action: 'request_check',
    roles: ['intake'],
    to: 'checking',
    guards: [NP],
    clock: ['stop:request_check', 'start:check'],
  },
  {
    from: 'checking',
    action: 'check_pass',
    roles: ['supervisor'],
    to: 'pending_close',
    guards: ['is_grid_supervisor', 'has_check_photos', NP],
    clock: ['stop:check', 'start:close'],
  },
  {
    from: 'checking',
    action: 'check_fail',
    roles: ['supervisor'],
    to: 'handling',
    guards: ['is_grid_supervisor', 'has_reason', 'has_check_photos', NP],
    clock: ['stop:check', 'start:handle'],
    counters: ['rework'],
  },
  {
    from: 'pending_close',
    action: 'close',
    roles: ['shift_leader'],
    to: 'closed',
    guards: ['check_passed', NP],
    clock: ['stop:close'],
  },

  // 重办: a closed case handled again, when the citizen is not satisfied (12345 回访 不满意) or
  // the shift leader finds it. It goes back to 派遣, so the dispatcher sends it to whoever must
  // redo it (usually the same department); the reason says why.
  {
    from: 'closed',
    action: 'reopen',
    roles: ['service', 'shift_leader'],
    to: 'filed',
    guards: ['has_reason'],
    clock: ['start:dispatch'],
  },

  // 作废 (approved by the shift leader).
  ...VOID_ROWS,

  // No state change.
  { from: '*open*', action: 'urge', roles: ['leader'], to: 'same', counters: ['urge'] },
  { from: '*open*', action: 'overdue', roles: ['service'], to: 'same', counters: ['overdue'] },
  { from: '*open*', action: 'sensor_event', roles: ['service'], to: 'same' },
  { from: '*open*', action: 'camera_event', roles: ['service'], to: 'same' },
  { from: '*any*', action: 'note', roles: CENTER_NOTERS, to: 'same' },
  {
    from: '*any*',
    action: 'note',
    roles: ['department', 'handler'],
    to: 'same',
    guards: ['is_assigned_department'],
  },
];
