/**
 * Supervisor (监督员) indicators. The subject is the user id of the supervisor who acted.
 *
 * Counting rules, per supervisor s and period P = [from, to). Reports are judged as a cohort:
 * the reports s made in P, with what had been decided about them by `to`.
 * - 上报数: cases s created (report or self_handle) in P. Voided or merged cases stay: the
 *   report was made.
 * - 待定数 (pending): reports of P still awaiting their filing decision (立案, 自行处置, 不予立案
 *   or 合并) at `to`: not judged yet, and never later (a finished period does not change).
 * - 有效上报数: reports of P decided by filing and, as of `to`, neither voided (wrongly filed)
 *   nor merged (a duplicate of an earlier case is not counted twice). 有效上报数 ≤ 上报数.
 * - 有效上报率 = 有效上报数 / (上报数 − 待定数).
 * - 漏报 (missed): problems in s's grids (`supervisorGrids`) found first by another channel (公众,
 *   12345, 视频, 物联, 领导, 媒体) and verified true on site (核实属实) in P, not merged into
 *   another case as of `to` (GB/T 30428.4: verified reports from other channels).
 * - 漏报率 = 漏报 / (漏报 ∪ 有效上报): of the problems s should have reported, the share others
 *   found first.
 * - 按时核实率 / 按时核查率: cases s verified (verify / deny) or checked (check_pass /
 *   check_fail) in P, plus unattended tasks: a case in s's grids whose 核实 / 核查 step is running
 *   and overdue at `to` (late). On time only if every such act of s on the case in P was.
 */
import type { CaseView } from './facts.js';
import { gridSupervisors, inPeriod, stepLate } from './facts.js';
import { type IndicatorDef, Tally } from './tally.js';
import type { EvaluationQuery, SubjectResult } from './types.js';

export const SUPERVISOR_INDICATORS: readonly IndicatorDef[] = [
  {
    key: 'reportCount',
    kind: 'count',
    set: 'reports',
    higherIsBetter: true,
    label: { zh: '上报数', en: 'Reports' },
  },
  {
    key: 'pendingReportCount',
    kind: 'count',
    set: 'pending',
    higherIsBetter: false,
    label: { zh: '待定数', en: 'Reports awaiting a decision' },
  },
  {
    key: 'validReportCount',
    kind: 'count',
    set: 'valid',
    higherIsBetter: true,
    label: { zh: '有效上报数', en: 'Valid reports' },
  },
  {
    key: 'missedReportCount',
    kind: 'count',
    set: 'missed',
    higherIsBetter: false,
    label: { zh: '漏报数', en: 'Missed reports' },
  },
  {
    key: 'validReportRate',
    kind: 'rate',
    num: 'valid',
    den: 'decided',
    higherIsBetter: true,
    label: { zh: '有效上报率', en: 'Valid report rate' },
  },
  {
    key: 'missedReportRate',
    kind: 'rate',
    num: 'missed',
    den: 'shouldReport',
    higherIsBetter: false,
    label: { zh: '漏报率', en: 'Missed report rate' },
  },
  {
    key: 'onTimeVerifyRate',
    kind: 'rate',
    num: 'verify:onTime',
    den: 'verify',
    higherIsBetter: true,
    label: { zh: '按时核实率', en: 'On-time verification rate' },
  },
  {
    key: 'onTimeCheckRate',
    kind: 'rate',
    num: 'check:onTime',
    den: 'check',
    higherIsBetter: true,
    label: { zh: '按时核查率', en: 'On-time check rate' },
  },
];

const DECISIONS = new Set(['file', 'reject', 'merge']);
const TASK_OF: Partial<Record<string, 'verify' | 'check'>> = {
  verify: 'verify',
  deny: 'verify',
  check_pass: 'check',
  check_fail: 'check',
};

/**
 * The subject a supervisor's work counts for: himself here; his team or company for the
 * collection subjects (collection.ts); null = nobody.
 */
export type SupervisorSubject = (supervisorId: string) => string | null;
const SELF: SupervisorSubject = (s) => s;

/**
 * Tallies one case's supervisor work for the subjects `subjectOf` maps supervisors to. With a
 * subject of several supervisors the sets are the union of theirs (a problem another channel
 * found first in grids of two members is one miss), and an act is on time only when every
 * member's act on the case was (`finish` after the last case).
 */
export function tallySupervisorCase(
  t: Tally,
  v: CaseView,
  q: EvaluationQuery,
  bySupervisor: Map<string, string[]>,
  subjectOf: SupervisorSubject = SELF,
): void {
  const creatorId = v.creation?.actorRole === 'supervisor' ? v.creation.actorId : null;
  const creator = creatorId === null ? null : subjectOf(creatorId);
  if (creator !== null && v.creation && inPeriod(v.creation, q)) {
    t.add(creator, 'reports', v.id);
    const decided = v.creation.action === 'self_handle' || v.events.some((e) => DECISIONS.has(e.action));
    if (!decided) t.add(creator, 'pending', v.id);
    else {
      t.add(creator, 'decided', v.id);
      if (v.filing && !v.voided && !v.merged) {
        t.add(creator, 'valid', v.id);
        t.add(creator, 'shouldReport', v.id);
      }
    }
  }
  const supervisors = bySupervisor.get(v.c.gridCode) ?? [];
  const owners = subjectOf === SELF ? supervisors : subjectsOf(supervisors, subjectOf);
  if (
    v.c.source !== 'supervisor' &&
    !v.merged &&
    v.events.some((e) => e.action === 'verify' && inPeriod(e, q))
  ) {
    for (const s of owners) {
      t.add(s, 'missed', v.id);
      t.add(s, 'shouldReport', v.id);
    }
  }
  for (const e of v.events) {
    const task = TASK_OF[e.action];
    if (task && e.actorRole === 'supervisor' && inPeriod(e, q))
      t.judge(e.actorId === null ? null : subjectOf(e.actorId), task, v.id, stepLate(e, task));
  }
  const end = v.overdueAtEnd;
  if (end && (end.step === 'verify' || end.step === 'check')) {
    for (const s of owners) t.judge(s, end.step, v.id, true);
  }
}

function subjectsOf(supervisors: readonly string[], subjectOf: SupervisorSubject): string[] {
  const out = new Set<string>();
  for (const s of supervisors) {
    const subject = subjectOf(s);
    if (subject !== null) out.add(subject);
  }
  return [...out];
}

export function supervisorResults(views: readonly CaseView[], q: EvaluationQuery): SubjectResult[] {
  const t = new Tally();
  for (const s of Object.keys(q.supervisorGrids ?? {})) t.touch(s);
  const bySupervisor = gridSupervisors(q);
  for (const v of views) tallySupervisorCase(t, v, q, bySupervisor);
  t.finish('verify', 'check');
  return t.results('supervisor', SUPERVISOR_INDICATORS);
}
