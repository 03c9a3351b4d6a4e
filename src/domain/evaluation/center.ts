/**
 * Command-center posts: intake operator (受理员), shift leader (值班长), dispatcher (派遣员).
 * The subject is the user id that acted; each act is attributed to the period of its event.
 * An act is on time when the step it stopped was not late (the case module's verdict, with
 * suspensions and extensions applied); a case is on time for a person only if every such act
 * of that person on the case in the period was.
 *
 * Intake operator:
 * - 受理数: reports taken in (intake, or request_verification straight from 'reported') in P.
 *   Merging a report into an earlier case instead (a duplicate) is not a 受理.
 * - 核实按时派发率: request_verification acts in P; 核查按时派发率: request_check acts in P.
 * Shift leader:
 * - 按时立案率: 立案 acts in P within the 立案 limit, voided cases left out. A 不予立案 is not a
 *   filing and stays out of the denominator (GB/T 30428.4).
 * - 准确立案率 = (立案 − 作废) / 立案. 立案: cases the leader filed in P, plus cases he filed
 *   earlier that were voided in P; 作废: his filed cases voided (void_approve) in P. A void is
 *   charged in the period it happens, to the leader who filed the case.
 * - 按时结案率: close acts in P.
 * Dispatcher:
 * - 派遣数: cases dispatched (dispatch or send_to_collaboration) in P, voided cases left out.
 * - 按时派遣率: of those, dispatched within the 派遣 limit.
 * - 准确派遣率 = (应派遣 − 回退 − 返工) / 应派遣 (domain.md §5, GB/T 30428.4). 错派 (回退): an
 *   approved return (return_approve) in P; 返工: a failed check (check_fail) in P. Each is
 *   charged to the dispatcher of the dispatch it undid, the last one before it (a dispatch
 *   settled by the coordinator is nobody's). 应派遣 = 派遣数 ∪ 回退 ∪ 返工 cases.
 *
 * Each post's tally takes a `PostSubject`: the acting user for the posts, the case's district for
 * the 数字城管中心 as a whole (district-center.ts), so both count by the same rules.
 */
import type { Label } from '../workflow/states.js';
import type { CaseView, SeenEvent } from './facts.js';
import { inPeriod, stepLate } from './facts.js';
import { type IndicatorDef, Tally } from './tally.js';
import type { EvaluationQuery, SubjectResult } from './types.js';

// The label is passed as a { zh, en } object, so mutation testing sees it as the display text it is.
const rate = (key: string, num: string, den: string, label: Label): IndicatorDef => ({
  key,
  kind: 'rate',
  num,
  den,
  higherIsBetter: true,
  label,
});

export const INTAKE_INDICATORS: readonly IndicatorDef[] = [
  {
    key: 'intakeCount',
    kind: 'count',
    set: 'intakes',
    higherIsBetter: true,
    label: { zh: '受理数', en: 'Reports taken in' },
  },
  rate('onTimeVerifyDispatchRate', 'verifySent:onTime', 'verifySent', {
    zh: '核实按时派发率',
    en: 'On-time verification tasks',
  }),
  rate('onTimeCheckDispatchRate', 'checkSent:onTime', 'checkSent', {
    zh: '核查按时派发率',
    en: 'On-time check tasks',
  }),
];

export const SHIFT_LEADER_INDICATORS: readonly IndicatorDef[] = [
  {
    key: 'filedCount',
    kind: 'count',
    set: 'filed',
    higherIsBetter: true,
    label: { zh: '立案数', en: 'Cases filed' },
  },
  {
    key: 'voidedCount',
    kind: 'count',
    set: 'voidedFiled',
    higherIsBetter: false,
    label: { zh: '作废数', en: 'Filed cases voided' },
  },
  {
    key: 'closeCount',
    kind: 'count',
    set: 'closes',
    higherIsBetter: true,
    label: { zh: '结案数', en: 'Cases closed' },
  },
  rate('onTimeFilingRate', 'filings:onTime', 'filings', { zh: '按时立案率', en: 'On-time filing rate' }),
  rate('accurateFilingRate', 'accurateFiling', 'filed', { zh: '准确立案率', en: 'Accurate filing rate' }),
  rate('onTimeCloseRate', 'closes:onTime', 'closes', { zh: '按时结案率', en: 'On-time close rate' }),
];

export const DISPATCHER_INDICATORS: readonly IndicatorDef[] = [
  {
    key: 'dispatchCount',
    kind: 'count',
    set: 'dispatched',
    higherIsBetter: true,
    label: { zh: '派遣数', en: 'Dispatches' },
  },
  {
    key: 'misdispatchCount',
    kind: 'count',
    set: 'misdispatched',
    higherIsBetter: false,
    label: { zh: '错派数（回退）', en: 'Misdispatches (returned)' },
  },
  {
    key: 'dispatchReworkCount',
    kind: 'count',
    set: 'dispatchReworked',
    higherIsBetter: false,
    label: { zh: '返工数', en: 'Reworked' },
  },
  rate('onTimeDispatchRate', 'dispatched:onTime', 'dispatched', {
    zh: '按时派遣率',
    en: 'On-time dispatch rate',
  }),
  rate('accurateDispatchRate', 'accurateDispatch', 'shouldDispatch', {
    zh: '准确派遣率',
    en: 'Accurate dispatch rate',
  }),
];

/** Who a centre act counts for: a subject id, or null (not this post's act). */
export type PostSubject = (e: SeenEvent, role: string, v: CaseView) => string | null;

/** The posts: the user who acted in the role. */
export const ACTOR: PostSubject = (e, role) => (e.actorRole === role ? e.actorId : null);

const anyLate = (e: SeenEvent): boolean => e.payload.steps?.some((s) => s.late) ?? false;

export function tallyIntake(t: Tally, v: CaseView, q: EvaluationQuery, subjectOf: PostSubject): void {
  for (const e of v.events) {
    const who = subjectOf(e, 'intake', v);
    if (who === null || !inPeriod(e, q)) continue;
    if (e.fromState === 'reported' && (e.action === 'intake' || e.action === 'request_verification'))
      t.add(who, 'intakes', v.id);
    if (e.action === 'request_verification') t.judge(who, 'verifySent', v.id, anyLate(e));
    if (e.action === 'request_check') t.judge(who, 'checkSent', v.id, stepLate(e, 'request_check'));
  }
}

export const finishIntake = (t: Tally): void => t.finish('verifySent', 'checkSent');

export function tallyShiftLeader(t: Tally, v: CaseView, q: EvaluationQuery, subjectOf: PostSubject): void {
  const voidEvent = v.events.find((e) => e.action === 'void_approve');
  for (const e of v.events) {
    const who = subjectOf(e, 'shift_leader', v);
    if (who === null) continue;
    if (e.action === 'file') {
      if (inPeriod(e, q)) t.add(who, 'filed', v.id);
      if (voidEvent && inPeriod(voidEvent, q)) {
        t.add(who, 'filed', v.id);
        t.add(who, 'voidedFiled', v.id);
      }
    }
    if (!inPeriod(e, q)) continue;
    if (e.action === 'file' && !v.voided) t.judge(who, 'filings', v.id, stepLate(e, 'file'));
    if (e.action === 'close') t.judge(who, 'closes', v.id, stepLate(e, 'close'));
  }
}

export function finishShiftLeader(t: Tally): void {
  t.derive('accurateFiling', 'filed', 'voidedFiled');
  t.finish('filings', 'closes');
}

export function tallyDispatcher(t: Tally, v: CaseView, q: EvaluationQuery, subjectOf: PostSubject): void {
  if (v.voided) return;
  let lastDispatch: SeenEvent | null = null;
  // The dispatcher of the dispatch an error undid; a coordinator's settlement is nobody's.
  const undone = () =>
    lastDispatch?.action === 'dispatch' ? subjectOf(lastDispatch, 'dispatcher', v) : null;
  for (const e of v.events) {
    const period = inPeriod(e, q);
    if (e.action === 'dispatch' || e.action === 'send_to_collaboration' || e.action === 'settle_ownership') {
      lastDispatch = e;
      const who = subjectOf(e, 'dispatcher', v);
      if (period && who !== null && e.action !== 'settle_ownership')
        t.judge(who, 'dispatched', v.id, stepLate(e, 'dispatch'));
    }
    if (!period) continue;
    if (e.action === 'return_approve') t.add(undone(), 'misdispatched', v.id);
    if (e.action === 'check_fail') t.add(undone(), 'dispatchReworked', v.id);
  }
}

export function finishDispatcher(t: Tally): void {
  t.derive('dispatchErrors', 'misdispatched', 'dispatchReworked', 'union');
  t.derive('shouldDispatch', 'dispatched', 'dispatchErrors', 'union');
  t.derive('accurateDispatch', 'shouldDispatch', 'dispatchErrors');
  t.finish('dispatched');
}

function postResults(
  views: readonly CaseView[],
  q: EvaluationQuery,
  tally: (t: Tally, v: CaseView, q: EvaluationQuery, subjectOf: PostSubject) => void,
  finish: (t: Tally) => void,
): Tally {
  const t = new Tally();
  for (const v of views) tally(t, v, q, ACTOR);
  finish(t);
  return t;
}

export function intakeResults(views: readonly CaseView[], q: EvaluationQuery): SubjectResult[] {
  return postResults(views, q, tallyIntake, finishIntake).results('intake', INTAKE_INDICATORS);
}

export function shiftLeaderResults(views: readonly CaseView[], q: EvaluationQuery): SubjectResult[] {
  return postResults(views, q, tallyShiftLeader, finishShiftLeader).results(
    'shift_leader',
    SHIFT_LEADER_INDICATORS,
  );
}

export function dispatcherResults(views: readonly CaseView[], q: EvaluationQuery): SubjectResult[] {
  return postResults(views, q, tallyDispatcher, finishDispatcher).results(
    'dispatcher',
    DISPATCHER_INDICATORS,
  );
}
