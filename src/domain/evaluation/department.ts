/**
 * Department (专业部门) indicators. A case counts for the department it was assigned to when
 * the event happened (and for that department's parents, when `departmentParents` is given).
 *
 * Counting rules, per department d and period P = [from, to):
 * - 应处置 (due): the case had a 反馈 (feedback) by d in P, or at `to` it is assigned to d with
 *   its 签收 or 处置 step running and past its deadline (超期未处置). Cases neither handled in P
 *   nor overdue at `to` are not due yet: they count in the period that settles them, so a case
 *   dispatched at the end of a period never drags that period down.
 * - Outcome, a partition of 应处置: overdue at `to` → 超期未处置; else handled (处置) — on time
 *   (按期处置) when every feedback of d in P was on time, otherwise 超期处置. A feedback is late
 *   when its 处置 step was, or when the 签收 before it was late (a late signing is a late step
 *   of the department, GB/T 30428.8). After a 返工 the
 *   handle step restarts with a fresh deadline, so each feedback is judged on its own limit.
 * - 延期 (extension) and 挂账 (suspension) act through the deadline the case module computed:
 *   an extended limit is the one `late` is judged against; a suspended case has no running
 *   deadline, so it is never overdue while suspended.
 * - 回退 (return, approved): the case leaves d without a feedback, so it is not due for d
 *   (it is a 错派 of the dispatcher); it is listed under 回退数.
 * - 返工 / 延期 / 挂账 are attributed to the period of the check_fail / extend_approve /
 *   suspend_approve event.
 * - 应结案数 (dueClose): the cases d should have finished in P: 应处置 ∪ the cases sent back to
 *   d for rework in P (a rework is a feedback found not done). 返工率 = 返工 / 应结案 (GB/T
 *   30428.4); extensions and suspensions never enter it.
 * - 延期率 divides by the cases d worked on in P: 应结案 ∪ the cases extended or suspended in P
 *   (so the numerator is always part of the denominator).
 * - 结案率 = cases of 应处置 closed before `to`.
 * - 作废: a case voided before `to` leaves every department set (it should never have been filed).
 * - 立案数 (for the 立案数分值 of the national scheme): cases dispatched to d in P.
 * - 督办 (urge.ts): orders given in P while the case was assigned to d.
 */
import type { CaseView } from './facts.js';
import { inPeriod, stepLate } from './facts.js';
import { type IndicatorDef, Tally } from './tally.js';
import type { EvaluationQuery, SubjectResult } from './types.js';
import { tallyUrges, URGE_INDICATORS } from './urge.js';

export const DEPARTMENT_INDICATORS: readonly IndicatorDef[] = [
  {
    key: 'caseCount',
    kind: 'count',
    set: 'assigned',
    higherIsBetter: false,
    label: { zh: '立案数', en: 'Cases dispatched' },
  },
  {
    key: 'dueCount',
    kind: 'count',
    set: 'due',
    higherIsBetter: false,
    label: { zh: '应处置数', en: 'Cases due' },
  },
  {
    key: 'handledCount',
    kind: 'count',
    set: 'handled',
    higherIsBetter: true,
    label: { zh: '处置数', en: 'Cases handled' },
  },
  {
    key: 'handledOnTimeCount',
    kind: 'count',
    set: 'onTime',
    higherIsBetter: true,
    label: { zh: '按期处置数', en: 'Handled on time' },
  },
  {
    key: 'handledLateCount',
    kind: 'count',
    set: 'late',
    higherIsBetter: false,
    label: { zh: '超期处置数', en: 'Handled late' },
  },
  {
    key: 'overdueOpenCount',
    kind: 'count',
    set: 'overdueOpen',
    higherIsBetter: false,
    label: { zh: '超期未处置数', en: 'Overdue, not handled' },
  },
  {
    key: 'dueCloseCount',
    kind: 'count',
    set: 'dueClose',
    higherIsBetter: false,
    label: { zh: '应结案数', en: 'Cases due to close' },
  },
  {
    key: 'reworkCount',
    kind: 'count',
    set: 'reworked',
    higherIsBetter: false,
    label: { zh: '返工数', en: 'Reworked' },
  },
  {
    key: 'extensionCount',
    kind: 'count',
    set: 'extended',
    higherIsBetter: false,
    label: { zh: '延期数', en: 'Extended' },
  },
  {
    key: 'suspensionCount',
    kind: 'count',
    set: 'suspended',
    higherIsBetter: false,
    label: { zh: '挂账数', en: 'Suspended' },
  },
  {
    key: 'returnCount',
    kind: 'count',
    set: 'returned',
    higherIsBetter: false,
    label: { zh: '回退数', en: 'Returned' },
  },
  {
    key: 'disposalRate',
    kind: 'rate',
    num: 'handled',
    den: 'due',
    higherIsBetter: true,
    label: { zh: '处置率', en: 'Disposal rate' },
  },
  {
    key: 'onTimeDisposalRate',
    kind: 'rate',
    num: 'onTime',
    den: 'due',
    higherIsBetter: true,
    label: { zh: '按期处置率', en: 'On-time disposal rate' },
  },
  {
    key: 'closeRate',
    kind: 'rate',
    num: 'closed',
    den: 'due',
    higherIsBetter: true,
    label: { zh: '结案率', en: 'Close rate' },
  },
  {
    key: 'reworkRate',
    kind: 'rate',
    num: 'reworked',
    den: 'dueClose',
    higherIsBetter: false,
    label: { zh: '返工率', en: 'Rework rate' },
  },
  {
    key: 'extensionRate',
    kind: 'rate',
    num: 'extended',
    den: 'engaged',
    higherIsBetter: false,
    label: { zh: '延期率', en: 'Extension rate' },
  },
  {
    key: 'overdueOpenRate',
    kind: 'rate',
    num: 'overdueOpen',
    den: 'due',
    higherIsBetter: false,
    label: { zh: '超期待处置率', en: 'Overdue pending rate' },
  },
  ...URGE_INDICATORS,
];

const PER_EVENT: Partial<Record<string, string>> = {
  dispatch: 'assigned',
  settle_ownership: 'assigned',
  check_fail: 'reworked',
  extend_approve: 'extended',
  suspend_approve: 'suspended',
  return_approve: 'returned',
};

function tallyCase(t: Tally, v: CaseView, q: EvaluationQuery, units: (d: string) => string[]): void {
  const fed = new Map<string, boolean>(); // department → any late feedback in P
  const worked = new Set<string>();
  const urged = new Map<string, number>(); // department → orders in P
  // A late 签收 (sign) is a late step of the department: it makes the first feedback after it
  // late, whichever period the signing fell in (GB/T 30428.8: the department's time runs from
  // dispatch).
  const signedLate = new Set<string>();
  for (const e of v.events) {
    if (e.dept !== null && e.action === 'sign') {
      if (stepLate(e, 'sign')) signedLate.add(e.dept);
      else signedLate.delete(e.dept);
    }
    if (!inPeriod(e, q) || e.dept === null) {
      if (e.action === 'feedback' && e.dept !== null) signedLate.delete(e.dept);
      continue;
    }
    const set = PER_EVENT[e.action];
    if (set) {
      for (const d of units(e.dept)) t.add(d, set, v.id);
      if (set === 'reworked') for (const d of units(e.dept)) t.add(d, 'dueClose', v.id);
      if (set !== 'assigned' && set !== 'returned') worked.add(e.dept);
    }
    if (e.action === 'urge') urged.set(e.dept, (urged.get(e.dept) ?? 0) + 1);
    if (e.action === 'feedback') {
      const late = stepLate(e, 'handle') || signedLate.has(e.dept);
      signedLate.delete(e.dept);
      fed.set(e.dept, (fed.get(e.dept) ?? false) || late);
    }
  }
  const end = v.overdueAtEnd;
  const overdueDept = end && (end.step === 'sign' || end.step === 'handle') ? end.dept : null;
  const due = new Set([...fed.keys(), ...(overdueDept ? [overdueDept] : [])]);
  for (const dept of due) {
    for (const d of units(dept)) {
      t.add(d, 'due', v.id);
      t.add(d, 'dueClose', v.id);
      t.add(d, 'engaged', v.id);
      if (dept === overdueDept) t.add(d, 'overdueOpen', v.id);
      else {
        t.add(d, 'handled', v.id);
        t.add(d, fed.get(dept) ? 'late' : 'onTime', v.id);
      }
      if (v.closing) t.add(d, 'closed', v.id);
    }
  }
  for (const dept of worked) for (const d of units(dept)) t.add(d, 'engaged', v.id);
  // A unit's orders count for its parents too, added up (one case, however many orders).
  const orders = new Map<string, number>();
  for (const [dept, n] of urged) for (const d of units(dept)) orders.set(d, (orders.get(d) ?? 0) + n);
  for (const [d, n] of orders) tallyUrges(t, d, v, n);
}

export function departmentResults(views: readonly CaseView[], q: EvaluationQuery): SubjectResult[] {
  const parents = q.departmentParents ?? {};
  const units = (d: string): string[] => {
    const chain = [d];
    for (let p = parents[d]; p !== undefined && !chain.includes(p); p = parents[p]) chain.push(p);
    return chain;
  };
  const t = new Tally();
  for (const v of views) if (!v.voided) tallyCase(t, v, q, units);
  return t.results('department', DEPARTMENT_INDICATORS);
}
