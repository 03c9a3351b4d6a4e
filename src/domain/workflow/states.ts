/**
 * Vocabulary of the case workflow (domain.md §3, names from the §7 glossary): states, actions,
 * time-limit steps and clock effects, pending requests, evaluation counters. Pure data.
 */
import type { Role } from '../access/permissions.js';

export interface Label {
  readonly zh: string;
  readonly en: string;
}

export const CASE_STATES = [
  'reported',
  'verifying',
  'pending_filing',
  'rejected',
  'filed',
  'dispatched',
  'ownership_dispute',
  'handling',
  'handled',
  'checking',
  'pending_close',
  'closed',
  'suspended',
  'voided',
  'merged',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const TERMINAL_STATES: readonly CaseState[] = ['rejected', 'closed', 'voided', 'merged'];

export function isTerminal(state: CaseState): boolean {
  return TERMINAL_STATES.includes(state);
}

export const STATE_LABELS: Record<CaseState, Label> = {
  reported: { zh: '已上报', en: 'Reported' },
  verifying: { zh: '核实中', en: 'Verifying' },
  pending_filing: { zh: '待立案', en: 'Pending filing' },
  rejected: { zh: '不予立案', en: 'Rejected' },
  filed: { zh: '已立案', en: 'Filed' },
  dispatched: { zh: '已派遣', en: 'Dispatched' },
  ownership_dispute: { zh: '权属确认', en: 'Ownership dispute' },
  handling: { zh: '处置中', en: 'Handling' },
  handled: { zh: '已反馈', en: 'Handled' },
  checking: { zh: '核查中', en: 'Checking' },
  pending_close: { zh: '待结案', en: 'Pending close' },
  closed: { zh: '已结案', en: 'Closed' },
  suspended: { zh: '已挂账', en: 'Suspended' },
  voided: { zh: '已作废', en: 'Voided' },
  merged: { zh: '已合并', en: 'Merged' },
};

export const CASE_ACTIONS = [
  'report',
  'intake',
  'request_verification',
  'verify',
  'deny',
  'file',
  'reject',
  'dispatch',
  'send_to_collaboration',
  'claim',
  'decline',
  'settle_ownership',
  'sign',
  'assign_handler',
  'feedback',
  'request_check',
  'check_pass',
  'check_fail',
  'close',
  'return_request',
  'return_approve',
  'return_deny',
  'extend_request',
  'extend_approve',
  'extend_deny',
  'suspend_request',
  'suspend_approve',
  'suspend_deny',
  'resume',
  'void_request',
  'void_approve',
  'void_deny',
  'urge',
  'self_handle',
  'merge',
  'overdue',
  'note',
  'reopen',
  // A sensor alarm repeating, flapping or restored on a case already open for its component.
  'sensor_event',
  // A camera AI event of the same class at the same place, merged into the case already open.
  'camera_event',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const ACTION_LABELS: Record<CaseAction, Label> = {
  report: { zh: '上报', en: 'Report' },
  intake: { zh: '受理', en: 'Intake' },
  request_verification: { zh: '派发核实', en: 'Request verification' },
  verify: { zh: '核实属实', en: 'Verify' },
  deny: { zh: '核实不属实', en: 'Deny' },
  file: { zh: '立案', en: 'File' },
  reject: { zh: '不予立案', en: 'Reject' },
  dispatch: { zh: '派遣', en: 'Dispatch' },
  send_to_collaboration: { zh: '提交协同平台', en: 'Send to collaboration' },
  claim: { zh: '认领', en: 'Claim' },
  decline: { zh: '不认领', en: 'Decline' },
  settle_ownership: { zh: '权属确认', en: 'Settle ownership' },
  sign: { zh: '签收', en: 'Sign' },
  assign_handler: { zh: '指派处置人员', en: 'Assign handler' },
  feedback: { zh: '处置反馈', en: 'Feedback' },
  request_check: { zh: '派发核查', en: 'Request check' },
  check_pass: { zh: '核查通过', en: 'Check passed' },
  check_fail: { zh: '核查不通过（返工）', en: 'Check failed (rework)' },
  close: { zh: '结案', en: 'Close' },
  return_request: { zh: '申请回退', en: 'Request return' },
  return_approve: { zh: '同意回退', en: 'Approve return' },
  return_deny: { zh: '驳回回退', en: 'Deny return' },
  extend_request: { zh: '申请延期', en: 'Request extension' },
  extend_approve: { zh: '同意延期', en: 'Approve extension' },
  extend_deny: { zh: '驳回延期', en: 'Deny extension' },
  suspend_request: { zh: '申请挂账', en: 'Request suspension' },
  suspend_approve: { zh: '同意挂账', en: 'Approve suspension' },
  suspend_deny: { zh: '驳回挂账', en: 'Deny suspension' },
  resume: { zh: '恢复处置', en: 'Resume' },
  void_request: { zh: '申请作废', en: 'Request void' },
  void_approve: { zh: '同意作废', en: 'Approve void' },
  void_deny: { zh: '驳回作废', en: 'Deny void' },
  urge: { zh: '督办', en: 'Urge' },
  self_handle: { zh: '自行处置', en: 'Self-handle' },
  merge: { zh: '合并', en: 'Merge' },
  overdue: { zh: '超期', en: 'Overdue' },
  note: { zh: '备注', en: 'Note' },
  reopen: { zh: '重办', en: 'Reopen' },
  sensor_event: { zh: '物联感知', en: 'Sensor event' },
  camera_event: { zh: '视频识别（重复）', en: 'Camera event (repeat)' },
};

/**
 * Steps that carry a time limit (时限). At most one step is running for an open case (see
 * `activeStep` in queues.ts); the evaluation's 按时核实率, 按时立案率, 按时派遣率, 按期处置率,
 * 按时核查率, 按时结案率 … are each measured on one of these.
 */
export const CLOCK_STEPS = [
  'intake', // 受理: report → verification task sent / accepted
  'verify', // 核实
  'file', // 立案
  'dispatch', // 派遣
  'claim', // 权属认领 deadline at the collaboration platform
  'sign', // 签收
  'handle', // 处置 (the 处置时限 of the 小类)
  'request_check', // 核查派发 (intake operator sends the check task)
  'check', // 核查
  'close', // 结案
] as const;
export type ClockStep = (typeof CLOCK_STEPS)[number];

/**
 * start: a step's limit begins now · stop: the step ended now (on time or not) · pause / resume:
 * the clock stops and restarts (挂账) · extend: an approved extension moves the deadline (the
 * amount is in the event payload).
 */
export type ClockOp = 'start' | 'stop' | 'pause' | 'resume' | 'extend';
export type ClockEffect = `${ClockOp}:${ClockStep}`;

/** Requests that need approval; at most one is pending on a case at any time. */
export const REQUEST_KINDS = ['return', 'extend', 'suspend', 'void'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export interface PendingRequest {
  readonly kind: RequestKind;
  readonly requestedBy: Role;
}

/** Counts read by the evaluation (返工数, 错派/回退, 延期率, 挂账, 作废, 督办, 超期). */
export const COUNTERS = ['rework', 'return', 'extension', 'suspension', 'void', 'urge', 'overdue'] as const;
export type Counter = (typeof COUNTERS)[number];

/** The part of a case the state machine looks at (the `cases` projection). */
export interface CaseSnapshot {
  readonly state: CaseState;
  readonly pending: PendingRequest | null;
}
