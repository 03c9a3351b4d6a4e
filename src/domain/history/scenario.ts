/**
 * The life of one case as a sequence of workflow actions, with branch shares (rework, return,
 * extension, suspension, void, reject, ownership disputes) that depend on the source and on the
 * department the case is dispatched to.
 */
import type { Role } from '../access/permissions.js';
import type { Random } from '../demo-city/prng.js';
import { DAY_MS } from '../timelimit/calendar.js';
import type { CaseBuilder } from './builder.js';
import type { DepartmentProfile } from './profiles.js';
import type { HistorySource } from './types.js';

export interface CasePlan {
  readonly source: HistorySource;
  readonly reportedAt: number;
  /** Departments that may handle the case, first = the one in the standards table. */
  readonly departments: readonly string[];
  /** Any other department, for 回退 → re-dispatch and ownership disputes. */
  readonly fallback: (random: Random) => string;
  readonly profile: (department: string) => DepartmentProfile;
  /** Set for duplicates: merged into this (open) case by the intake operator soon after. */
  readonly mergeInto?: { readonly targetCaseKey: string; readonly withinMinutes: number };
}

const REPORTER: Record<HistorySource, Role> = {
  supervisor: 'supervisor',
  hotline_12345: 'service',
  public: 'citizen',
  video_ai: 'service',
  iot: 'service',
  leader: 'leader',
  media: 'intake',
};

/** Share of reports the 核实 finds untrue, by source. */
const DENY: Record<HistorySource, number> = {
  supervisor: 0,
  hotline_12345: 0.06,
  public: 0.07,
  video_ai: 0.12,
  iot: 0.08,
  leader: 0,
  media: 0.05,
};

const CENTER_LATE = 0.008;
const SUPERVISOR_LATE = 0.02;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** Runs the whole life; stops early when the builder passes `until`. */
export function runCase(b: CaseBuilder, plan: CasePlan): void {
  const r = b.random;
  const reporter = REPORTER[plan.source];
  if (plan.source === 'supervisor' && !plan.mergeInto && r() < 0.08) {
    // 自行处置: small problems the supervisor fixes on the spot, then the centre closes them.
    b.act('self_handle', 'supervisor', plan.reportedAt, { afterPhotos: 1 + Math.floor(r() * 2) });
    b.step('close', 'shift_leader', CENTER_LATE);
    return;
  }
  b.act('report', reporter, plan.reportedAt);
  if (plan.mergeInto) {
    const { targetCaseKey, withinMinutes } = plan.mergeInto;
    b.soon('merge', 'intake', withinMinutes, { targetCaseKey });
    return;
  }
  if (!intakeAndFile(b, plan)) return;
  dispatchAndHandle(b, plan);
}

/** 受理 / 核实 / 立案 or 不予立案. True when the case got filed. */
function intakeAndFile(b: CaseBuilder, plan: CasePlan): boolean {
  const r = b.random;
  if (b.sourceVerified) {
    if (r() < 0.012) return !b.step('reject', 'shift_leader', CENTER_LATE, { reason: '不属于城管受理范围' });
    if (!b.step('intake', 'intake', CENTER_LATE)) return false;
  } else {
    // Public reports: some are out of scope at once, the rest go to the grid's supervisor.
    if (r() < 0.04) return !b.step('reject', 'shift_leader', CENTER_LATE, { reason: '不属于城管受理范围' });
    if (!b.step('request_verification', 'intake', CENTER_LATE)) return false;
    if (r() < DENY[plan.source]) {
      if (!b.step('deny', 'supervisor', SUPERVISOR_LATE, { reason: '现场核实问题不存在' })) return false;
      if (r() < 0.15) {
        // The shift leader doubts the 核实 and sends it again; the second visit finds it.
        if (!b.step('request_verification', 'shift_leader', CENTER_LATE, { reason: '请再次核实' }))
          return false;
        if (!b.step('verify', 'supervisor', SUPERVISOR_LATE)) return false;
      } else {
        b.step('reject', 'shift_leader', CENTER_LATE, { reason: '核实不属实' });
        return false;
      }
    } else if (!b.step('verify', 'supervisor', SUPERVISOR_LATE)) return false;
  }
  return b.step('file', 'shift_leader', CENTER_LATE);
}

function voidNow(b: CaseBuilder): boolean {
  const r = b.random;
  const by: Role = r() < 0.5 ? 'intake' : 'dispatcher';
  if (!b.soon('void_request', by, 120, { reason: '重复立案或信息有误' })) return true;
  if (r() < 0.1) {
    b.soon('void_deny', 'shift_leader', 240, { reason: '信息无误，继续处置' });
    return false;
  }
  b.soon('void_approve', 'shift_leader', 240);
  return true;
}

/** 派遣 (or 权属确认) to a department; returns the department or undefined when cut. */
function dispatch(b: CaseBuilder, plan: CasePlan, department: string): string | undefined {
  const r = b.random;
  if (r() < 0.02) {
    const other = plan.fallback(r);
    const candidates = other === department ? [department] : [department, other];
    const reason = '权属不清，提交协同平台';
    if (!b.step('send_to_collaboration', 'dispatcher', CENTER_LATE, { reason, candidates })) return undefined;
    const declined = { reason: '不属于本单位职责', candidate: other };
    if (candidates.length > 1 && !b.soon('decline', 'department', 600, declined)) return undefined;
    if (!b.soon('claim', 'department', 600, { candidate: department })) return undefined;
    return b.step('settle_ownership', 'coordinator', 0.05, { department: { code: department } })
      ? department
      : undefined;
  }
  return b.step('dispatch', 'dispatcher', CENTER_LATE, { department: { code: department } })
    ? department
    : undefined;
}

function returnToCentre(b: CaseBuilder): 'returned' | 'denied' | 'cut' {
  const r = b.random;
  if (!b.step('return_request', 'department', 0, { reason: '不属于本单位职责范围' })) return 'cut';
  if (r() < 0.15) {
    return b.soon('return_deny', 'dispatcher', 120, { reason: '属于本单位职责，请处置' }) ? 'denied' : 'cut';
  }
  return b.soon('return_approve', 'dispatcher', 120) ? 'returned' : 'cut';
}

function dispatchAndHandle(b: CaseBuilder, plan: CasePlan): void {
  const r = b.random;
  if (r() < 0.005 && voidNow(b)) return;
  let department = plan.departments[0] ?? plan.fallback(r);
  for (let attempt = 0; attempt < 3; attempt++) {
    const assigned = dispatch(b, plan, department);
    if (assigned === undefined) return;
    const p = plan.profile(assigned);
    // Half of the 回退 happen before signing, half after a look at the site.
    const returns = attempt < 2 && r() < p.return;
    if (returns && r() < 0.5) {
      const outcome = returnToCentre(b);
      if (outcome === 'cut') return;
      if (outcome === 'returned') {
        department =
          pick(
            r,
            plan.departments.filter((d) => d !== assigned),
          ) ?? plan.fallback(r);
        if (department === assigned) department = plan.fallback(r);
        continue;
      }
      if (!b.step('sign', 'department', p.late / 2)) return;
    } else {
      if (!b.step('sign', 'department', p.late / 2)) return;
      if (returns) {
        const outcome = returnToCentre(b);
        if (outcome === 'cut') return;
        if (outcome === 'returned') {
          department = plan.fallback(r);
          if (department === assigned) department = plan.departments[0] ?? department;
          continue;
        }
      }
    }
    handle(b, p);
    return;
  }
}

/** 处置 → 反馈 → 核查 (返工 loops) → 结案, with 延期 / 挂账 / 督办 / 作废 on the way. */
function handle(b: CaseBuilder, p: DepartmentProfile): void {
  const r = b.random;
  if (r() < 0.5 && !b.soon('assign_handler', 'department', 60)) return;
  if (r() < p.extension) {
    if (!b.step('extend_request', 'department', 0, { reason: '需协调施工，申请延期' })) return;
    const extension = { amount: 1 + Math.floor(r() * 3), unit: 'working_days' } as const;
    const ok = r() < 0.8;
    const done = ok
      ? b.soon('extend_approve', 'dispatcher', 120, { extension }, extension)
      : b.soon('extend_deny', 'dispatcher', 120, { reason: '可按期完成' });
    if (!done) return;
  }
  if (r() < p.suspension) {
    if (!b.step('suspend_request', 'department', 0, { reason: '待上级审批或季节原因无法施工' })) return;
    if (r() < 0.85) {
      if (!b.soon('suspend_approve', 'dispatcher', 240)) return;
      const resumeAt = b.now + (2 + r() * 25) * DAY_MS;
      if (!b.act('resume', 'dispatcher', resumeAt)) return;
    } else if (!b.soon('suspend_deny', 'dispatcher', 240, { reason: '不符合挂账条件' })) return;
  }
  if (r() < 0.004 && voidNow(b)) return;
  if (r() < 0.01 && !b.soon('urge', 'leader', 24 * 60)) return;
  for (let round = 0; round < 3; round++) {
    const by: Role = r() < 0.6 ? 'handler' : 'department';
    const late = round === 0 ? p.late * p.slowness : p.late;
    if (!b.step('feedback', by, late, { afterPhotos: 1 + Math.floor(r() * 3) })) return;
    if (!b.step('request_check', 'intake', CENTER_LATE)) return;
    const fail = round < 2 && r() < (round === 0 ? p.rework : p.rework / 2);
    if (fail) {
      if (!b.step('check_fail', 'supervisor', SUPERVISOR_LATE, { reason: '现场问题未整改到位' })) return;
      continue;
    }
    if (!b.step('check_pass', 'supervisor', SUPERVISOR_LATE)) return;
    b.step('close', 'shift_leader', CENTER_LATE);
    return;
  }
}
