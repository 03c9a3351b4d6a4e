/**
 * What each workflow action's form asks for. Mirrors the server's per-action bodies
 * (src/modules/cases/schema.ts) and the `has_reason` / `has_after_photos` guards of the
 * transition table (src/domain/workflow), so the form fails before the server would.
 */
import { ACTION_LABELS, type CaseAction } from '../../../../src/domain/workflow/states';
import { pick } from '../../i18n';

export type FormKind =
  | 'plain'
  | 'dispatch'
  | 'collaboration'
  | 'settle'
  | 'photos'
  | 'extend_request'
  | 'extend_approve'
  | 'assign_handler'
  | 'merge';

export interface ActionSpec {
  form: FormKind;
  /** The workflow refuses the action without a reason (guard has_reason), or we ask for one anyway. */
  reasonRequired: boolean;
  /** After-photos are required (guard has_after_photos). */
  photosRequired?: boolean;
  /** Irreversible: ask once more before sending. */
  confirm?: boolean;
  danger?: boolean;
  /** Primary (the normal way forward) buttons are shown first and highlighted. */
  primary?: boolean;
}

/** Actions whose transition row carries the `has_reason` guard. */
const NEEDS_REASON: readonly CaseAction[] = [
  'deny',
  'reject',
  'send_to_collaboration',
  'decline',
  'check_fail',
  'return_request',
  'return_deny',
  'extend_request',
  'extend_deny',
  'suspend_request',
  'suspend_deny',
  'void_request',
  'void_deny',
  // Not a guard, but a 督办 without the leader's words says nothing to the department.
  'urge',
  // 重办 says why a closed case is handled again.
  'reopen',
];

const FORMS: Partial<Record<CaseAction, FormKind>> = {
  dispatch: 'dispatch',
  send_to_collaboration: 'collaboration',
  settle_ownership: 'settle',
  feedback: 'photos',
  check_pass: 'photos',
  check_fail: 'photos',
  extend_request: 'extend_request',
  extend_approve: 'extend_approve',
  assign_handler: 'assign_handler',
  merge: 'merge',
};

const PRIMARY: readonly CaseAction[] = [
  'intake',
  'verify',
  'file',
  'dispatch',
  'settle_ownership',
  'claim',
  'sign',
  'feedback',
  'request_check',
  'check_pass',
  'close',
  'resume',
];
const DANGER: readonly CaseAction[] = [
  'reject',
  'deny',
  'void_request',
  'void_approve',
  'check_fail',
  'merge',
];
const CONFIRM: readonly CaseAction[] = ['reject', 'void_approve', 'merge', 'close'];

export function specOf(action: CaseAction): ActionSpec {
  return {
    form: FORMS[action] ?? 'plain',
    reasonRequired: NEEDS_REASON.includes(action),
    photosRequired: action === 'feedback',
    confirm: CONFIRM.includes(action),
    danger: DANGER.includes(action),
    primary: PRIMARY.includes(action),
  };
}

export function actionLabel(action: string, lang?: string): string {
  const label = (ACTION_LABELS as Record<string, { zh: string; en: string }>)[action];
  return label ? pick(label, lang) : action;
}

export type { CaseAction };
