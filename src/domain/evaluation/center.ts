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
 * - 按时立案率: filing decisions (file / reject) in P, voided cases left out.
 * - 准确立案率 = (立案 − 作废) / 立案. 立案: cases the leader filed in P, plus cases he filed
 *   earlier that were voided in P; 作废: his filed cases voided (void_approve) in P. A void is
 *   charged in the period it happens, to the leader who filed the case.
 * - 按时结案率: close acts in P.
 * Dispatcher:
 * - 派遣数: cases dispatched (dispatch or send_to_collaboration) in P, voided cases left out.
 * - 按时派遣率: of those, dispatched within the 派遣 limit.
 * - 准确派遣率 = (应派遣 − 错派) / 应派遣. 错派: an approved 回退 (return_approve) in P, charged to
 *   the dispatcher of the dispatch it undid (a dispatch settled by the coordinator is nobody's
 *   错派). 应派遣 = 派遣数 ∪ 错派 cases. 核查返工 (check_fail) is the department's fault, not a 错派.
 */
import type { CaseView, SeenEvent } from './facts.js';
import { inPeriod, stepLate } from './facts.js';
import { type IndicatorDef, Tally } from './tally.js';
import type { EvaluationQuery, SubjectResult } from './types.js';

const rate = (key: string, num: string, den: string, zh: string, en: string): IndicatorDef => ({
  key,
  kind: 'rate',
  num,
  den,
  higherIsBetter: true,
  label: { zh, en },
});

export const INTAKE_INDICATORS: readonly IndicatorDef[] = [
  { key: 'intakeCount', kind: 'count', set: 'intakes', label: { zh: '受理数', en: 'Reports taken in' } },
  rate(
    'onTimeVerifyDispatchRate',
    'verifySent:onTime',
    'verifySent',
    '核实按时派发率',
    'On-time verification tasks',
  ),
  rate('onTimeCheckDispatchRate', 'checkSent:onTime', 'checkSent', '核查按时派发率', 'On-time check tasks'),
];

export const SHIFT_LEADER_INDICATORS: readonly IndicatorDef[] = [
  { key: 'filedCount', kind: 'count', set: 'filed', label: { zh: '立案数', en: 'Cases filed' } },
  {
    key: 'voidedCount',
    kind: 'count',
    set: 'voidedFiled',
    label: { zh: '作废数', en: 'Filed cases voided' },
  },
  rate('onTimeFilingRate', 'decisions:onTime', 'decisions', '按时立案率', 'On-time filing rate'),
  rate('accurateFilingRate', 'accurate', 'filed', '准确立案率', 'Accurate filing rate'),
  rate('onTimeCloseRate', 'closes:onTime', 'closes', '按时结案率', 'On-time close rate'),
];

export const DISPATCHER_INDICATORS: readonly IndicatorDef[] = [
  { key: 'dispatchCount', kind: 'count', set: 'dispatched', label: { zh: '派遣数', en: 'Dispatches' } },
  {
    key: 'misdispatchCount',
    kind: 'count',
    set: 'misdispatched',
    label: { zh: '错派数', en: 'Misdispatches' },
  },
  rate('onTimeDispatchRate', 'dispatched:onTime', 'dispatched', '按时派遣率', 'On-time dispatch rate'),
  rate('accurateDispatchRate', 'accurate', 'shouldDispatch', '准确派遣率', 'Accurate dispatch rate'),
];

const anyLate = (e: SeenEvent): boolean => e.payload.steps?.some((s) => s.late) ?? false;
const by = (e: SeenEvent, role: string): string | null => (e.actorRole === role ? e.actorId : null);

export function intakeResults(views: readonly CaseView[], q: EvaluationQuery): SubjectResult[] {
  const t = new Tally();
  for (const v of views) {
    for (const e of v.events) {
      const who = by(e, 'intake');
      if (who === null || !inPeriod(e, q)) continue;
      if (e.fromState === 'reported' && (e.action === 'intake' || e.action === 'request_verification'))
        t.add(who, 'intakes', v.id);
      if (e.action === 'request_verification') t.judge(who, 'verifySent', v.id, anyLate(e));
      if (e.action === 'request_check') t.judge(who, 'checkSent', v.id, stepLate(e, 'request_check'));
    }
  }
  t.finish('verifySent', 'checkSent');
  return t.results('intake', INTAKE_INDICATORS);
}

export function shiftLeaderResults(views: readonly CaseView[], q: EvaluationQuery): SubjectResult[] {
  const t = new Tally();
  for (const v of views) {
    const voidEvent = v.events.find((e) => e.action === 'void_approve');
    for (const e of v.events) {
      const who = by(e, 'shift_leader');
      if (who === null) continue;
      if (e.action === 'file') {
        if (inPeriod(e, q)) t.add(who, 'filed', v.id);
        if (voidEvent && inPeriod(voidEvent, q)) {
          t.add(who, 'filed', v.id);
          t.add(who, 'voidedFiled', v.id);
        }
      }
      if (!inPeriod(e, q)) continue;
      if ((e.action === 'file' || e.action === 'reject') && !v.voided)
        t.judge(who, 'decisions', v.id, anyLate(e));
      if (e.action === 'close') t.judge(who, 'closes', v.id, stepLate(e, 'close'));
    }
  }
  t.derive('accurate', 'filed', 'voidedFiled');
  t.finish('decisions', 'closes');
  return t.results('shift_leader', SHIFT_LEADER_INDICATORS);
}

export function dispatcherResults(views: readonly CaseView[], q: EvaluationQuery): SubjectResult[] {
  const t = new Tally();
  for (const v of views) {
    if (v.voided) continue;
    let lastDispatch: SeenEvent | null = null;
    for (const e of v.events) {
      const period = inPeriod(e, q);
      if (
        e.action === 'dispatch' ||
        e.action === 'send_to_collaboration' ||
        e.action === 'settle_ownership'
      ) {
        lastDispatch = e;
        const who = by(e, 'dispatcher');
        if (period && who !== null && e.action !== 'settle_ownership')
          t.judge(who, 'dispatched', v.id, stepLate(e, 'dispatch'));
      }
      if (e.action === 'return_approve' && period && lastDispatch?.action === 'dispatch') {
        t.add(by(lastDispatch, 'dispatcher'), 'misdispatched', v.id);
      }
    }
  }
  t.derive('shouldDispatch', 'dispatched', 'misdispatched', 'union');
  t.derive('accurate', 'shouldDispatch', 'misdispatched');
  t.finish('dispatched');
  return t.results('dispatcher', DISPATCHER_INDICATORS);
}
