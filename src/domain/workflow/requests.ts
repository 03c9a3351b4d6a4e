/**
 * Pending requests (回退 / 延期 / 挂账 / 作废) are a slot on the case, not states: the case stays
 * where it is while the request waits (the department keeps working, the clock keeps running),
 * so the queue a case sits in and its time limits never depend on a request being open.
 * The slot holds at most one request: opening one needs an empty slot (guard
 * `no_pending_request`), approving or denying needs a request of the same kind in it (guard
 * `request_pending`), and every state-changing action of an open case also needs the slot
 * empty, so a request can never be orphaned by the case moving on.
 */
import type { CaseAction, RequestKind } from './states.js';

export type RequestOp = 'open' | 'approve' | 'deny';

export interface RequestEffect {
  readonly kind: RequestKind;
  readonly op: RequestOp;
}

/** What an action does to the pending-request slot; null = leaves it as it is. */
export function requestEffect(action: CaseAction): RequestEffect | null {
  switch (action) {
    case 'return_request':
      return { kind: 'return', op: 'open' };
    case 'return_approve':
      return { kind: 'return', op: 'approve' };
    case 'return_deny':
      return { kind: 'return', op: 'deny' };
    case 'extend_request':
      return { kind: 'extend', op: 'open' };
    case 'extend_approve':
      return { kind: 'extend', op: 'approve' };
    case 'extend_deny':
      return { kind: 'extend', op: 'deny' };
    case 'suspend_request':
      return { kind: 'suspend', op: 'open' };
    case 'suspend_approve':
      return { kind: 'suspend', op: 'approve' };
    case 'suspend_deny':
      return { kind: 'suspend', op: 'deny' };
    case 'void_request':
      return { kind: 'void', op: 'open' };
    case 'void_approve':
      return { kind: 'void', op: 'approve' };
    case 'void_deny':
      return { kind: 'void', op: 'deny' };
    case 'report':
    case 'intake':
    case 'request_verification':
    case 'verify':
    case 'deny':
    case 'file':
    case 'reject':
    case 'dispatch':
    case 'send_to_collaboration':
    case 'claim':
    case 'decline':
    case 'settle_ownership':
    case 'sign':
    case 'assign_handler':
    case 'feedback':
    case 'request_check':
    case 'check_pass':
    case 'check_fail':
    case 'close':
    case 'resume':
    case 'urge':
    case 'self_handle':
    case 'merge':
    case 'overdue':
    case 'note':
    case 'reopen':
    case 'sensor_event':
    case 'camera_event':
      return null;
    default:
      return assertNever(action);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}
