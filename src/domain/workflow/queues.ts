/**
 * What an open case is waiting for: the work queue it sits in and the time-limit step that is
 * running. Both are exhaustive switches over the states.
 */
import { assertNever } from './requests.js';
import type { CaseState, ClockStep, Label, PendingRequest } from './states.js';

export const QUEUES = [
  'intake',
  'verify',
  'file',
  'dispatch',
  'ownership',
  'sign',
  'handle',
  'check',
  'close',
  'approve',
  'suspended',
] as const;
export type Queue = (typeof QUEUES)[number];

export const QUEUE_LABELS: Record<Queue, Label> = {
  intake: { zh: '待受理', en: 'To take in' },
  verify: { zh: '待核实', en: 'To verify' },
  file: { zh: '待立案', en: 'To file' },
  dispatch: { zh: '待派遣', en: 'To dispatch' },
  ownership: { zh: '待权属确认', en: 'Ownership to settle' },
  sign: { zh: '待签收', en: 'To sign' },
  handle: { zh: '待处置', en: 'To handle' },
  check: { zh: '待核查', en: 'To check' },
  close: { zh: '待结案', en: 'To close' },
  approve: { zh: '待审批', en: 'Awaiting approval' },
  suspended: { zh: '挂账', en: 'Suspended' },
};

/**
 * The queue of a case; null for terminal states. A pending request puts the case in 待审批
 * whatever its state, because nothing else can move it until the request is decided.
 */
export function queueOf(state: CaseState, pending: PendingRequest | null): Queue | null {
  switch (state) {
    case 'rejected':
    case 'closed':
    case 'voided':
    case 'merged':
      return null;
    case 'reported':
    case 'verifying':
    case 'pending_filing':
    case 'filed':
    case 'dispatched':
    case 'ownership_dispute':
    case 'handling':
    case 'handled':
    case 'checking':
    case 'pending_close':
    case 'suspended':
      return pending === null ? queueOfOpen(state) : 'approve';
    default:
      return assertNever(state);
  }
}

function queueOfOpen(state: CaseState): Queue | null {
  switch (state) {
    case 'reported':
      return 'intake';
    case 'verifying':
      return 'verify';
    case 'pending_filing':
      return 'file';
    case 'filed':
      return 'dispatch';
    case 'ownership_dispute':
      return 'ownership';
    case 'dispatched':
      return 'sign';
    case 'handling':
      return 'handle';
    case 'handled':
    case 'checking':
      return 'check';
    case 'pending_close':
      return 'close';
    case 'suspended':
      return 'suspended';
    case 'rejected':
    case 'closed':
    case 'voided':
    case 'merged':
      return null;
    default:
      return assertNever(state);
  }
}

/**
 * The time-limit step running while a case is in `state` (null: none; in `suspended` the handle
 * clock is paused). The table's clock effects stop this step on leaving a state and start the
 * next state's step on entering it; workflow tests check that.
 */
export function activeStep(state: CaseState): ClockStep | null {
  switch (state) {
    case 'reported':
      return 'intake';
    case 'verifying':
      return 'verify';
    case 'pending_filing':
      return 'file';
    case 'filed':
      return 'dispatch';
    case 'ownership_dispute':
      return 'claim';
    case 'dispatched':
      return 'sign';
    case 'handling':
      return 'handle';
    case 'handled':
      return 'request_check';
    case 'checking':
      return 'check';
    case 'pending_close':
      return 'close';
    case 'suspended':
    case 'rejected':
    case 'closed':
    case 'voided':
    case 'merged':
      return null;
    default:
      return assertNever(state);
  }
}
