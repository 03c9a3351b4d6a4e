/**
 * Guards: named conditions a transition needs besides (state, action, role). Most are answered
 * by the calling service from data the pure table cannot see (photos, the grid's supervisor,
 * the department the case is dispatched to); the two request guards read the snapshot.
 */
import { assertNever, requestEffect } from './requests.js';
import type { CaseAction, CaseSnapshot, Label } from './states.js';

export const GUARD_NAMES = [
  'has_after_photos',
  'has_reason',
  'check_passed',
  'no_pending_request',
  'request_pending',
  'is_assigned_department',
  'is_candidate_department',
  'is_grid_supervisor',
  'has_target_case',
  'has_department',
  'source_verified',
  'verification_not_denied',
  'self_handle_closes',
  'has_check_photos',
] as const;
export type GuardName = (typeof GUARD_NAMES)[number];

/** Facts supplied by the service. A missing fact counts as false (fail closed). */
export interface GuardFacts {
  /** The action carries after-photos (处置后照片). */
  readonly hasAfterPhotos?: boolean;
  /** The action carries a non-empty reason (理由 / 意见). */
  readonly hasReason?: boolean;
  /** The latest 核查 result is a pass, or the case was self-handled (read from the event log). */
  readonly checkPassed?: boolean;
  /** The actor's department is the one the case is dispatched to. */
  readonly isAssignedDepartment?: boolean;
  /** The actor's department is a candidate at the collaboration platform (权属确认). */
  readonly isCandidateDepartment?: boolean;
  /** The actor is the supervisor responsible for the case's grid (or holds its task). */
  readonly isGridSupervisor?: boolean;
  /** A merge target is given: another open case, not this one. */
  readonly hasTargetCase?: boolean;
  /** A target department is given (派遣 / 权属确认). */
  readonly hasDepartment?: boolean;
  /** The report needs no 核实: a supervisor reported it, or the channel is trusted (领导交办). */
  readonly sourceVerified?: boolean;
  /** The latest 核实 said the problem does not exist (→ only 不予立案 or re-verification). */
  readonly verificationDenied?: boolean;
  /** Configuration: a 自行处置 report is closed at once instead of waiting in 待结案. */
  readonly selfHandleCloses?: boolean;
  /** The 核查 carries photos of the site, or the class's standard asks for none (核查须拍照). */
  readonly checkPhotosGiven?: boolean;
}

export interface GuardContext {
  readonly snapshot: CaseSnapshot | null;
  readonly action: CaseAction;
  readonly facts: GuardFacts;
}

export function guardHolds(guard: GuardName, { snapshot, action, facts }: GuardContext): boolean {
  switch (guard) {
    case 'has_after_photos':
      return facts.hasAfterPhotos === true;
    case 'has_reason':
      return facts.hasReason === true;
    case 'check_passed':
      return facts.checkPassed === true;
    case 'no_pending_request':
      return (snapshot?.pending ?? null) === null;
    case 'request_pending': {
      const effect = requestEffect(action);
      const pending = snapshot?.pending ?? null;
      return effect !== null && pending !== null && pending.kind === effect.kind;
    }
    case 'is_assigned_department':
      return facts.isAssignedDepartment === true;
    case 'is_candidate_department':
      return facts.isCandidateDepartment === true;
    case 'is_grid_supervisor':
      return facts.isGridSupervisor === true;
    case 'has_target_case':
      return facts.hasTargetCase === true;
    case 'has_department':
      return facts.hasDepartment === true;
    case 'source_verified':
      return facts.sourceVerified === true;
    case 'verification_not_denied':
      return facts.verificationDenied !== true;
    case 'self_handle_closes':
      return facts.selfHandleCloses === true;
    case 'has_check_photos':
      return facts.checkPhotosGiven === true;
    default:
      return assertNever(guard);
  }
}

export const GUARD_MESSAGES: Record<GuardName, Label> = {
  has_after_photos: { zh: '请上传处置后照片', en: 'After-photos are required' },
  has_reason: { zh: '请填写理由', en: 'A reason is required' },
  check_passed: { zh: '案卷未通过核查，不能结案', en: 'The case has not passed its check' },
  no_pending_request: {
    zh: '案卷有待审批的申请，请先处理',
    en: 'A request on this case is awaiting approval',
  },
  request_pending: { zh: '没有待审批的此类申请', en: 'No such request is pending' },
  is_assigned_department: {
    zh: '案卷未派遣给本部门',
    en: 'The case is not dispatched to your department',
  },
  is_candidate_department: {
    zh: '本部门不是该案卷的权属候选部门',
    en: 'Your department is not a candidate for this case',
  },
  is_grid_supervisor: {
    zh: '只有该网格的监督员可以执行此操作',
    en: "Only the grid's supervisor can do this",
  },
  has_target_case: { zh: '请选择要合并到的未结案卷', en: 'Choose an open case to merge into' },
  has_department: { zh: '请选择处置部门', en: 'Choose a department' },
  source_verified: {
    zh: '非监督员上报的案卷须先核实',
    en: 'Reports not made by a supervisor must be verified first',
  },
  verification_not_denied: {
    zh: '核实结果为不属实，不能立案',
    en: 'Verification found no such problem; the case cannot be filed',
  },
  self_handle_closes: {
    zh: '自行处置案卷按配置需经结案',
    en: 'Self-handled cases wait for closing by configuration',
  },
  has_check_photos: {
    zh: '按立案、处置与结案标准，该类案卷核查须上传现场照片',
    en: "This class's standard requires site photos with the check (核查)",
  },
};
