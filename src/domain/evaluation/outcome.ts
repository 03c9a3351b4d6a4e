/**
 * What became of a case, as of the end of its view: the one definition of 处置率, 结案率,
 * 按期结案率 and 返工率 over a set of cases. Region indicators (综合评价: the cases filed in the
 * period, as of its end) and operational statistics (运行统计: the cases reported in a span, as
 * of now) both count these sets, so the two never disagree on what a rate means.
 *
 * Per case:
 * - 立案 (filed): filed (立案, or 自行处置 which files on the spot), neither voided (作废: it
 *   should never have been filed) nor merged.
 * - 挂账 (suspended): suspended at the end, with approval (its clock stopped).
 * - 应结案 (dueClose): filed and not suspended at the end. GB/T 30428.4 leaves approved 挂账
 *   cases out of the cases that should be closed: they are counted, not failed.
 * - 处置 (handled): of 应结案, the handling is finished at the end: the case is fed back, being
 *   checked, waiting to be closed or closed. A 返工 sends it back to handling until the next
 *   feedback.
 * - 结案 (closed): of 应结案, closed.
 * - 按期结案 (closedOnTime): of 结案, no step of the units responsible for the problem ran late:
 *   签收 (sign) and 处置 (handle), each judged on its own limit with extensions and suspensions
 *   applied. The centre's steps (派遣, 核查派发, 结案), the supervisor's 核查 and the city
 *   platform's 权属认领 are judged in their own subjects (posts, 数字城管中心), not here.
 * - 返工 (reworked): of 应结案, checked and failed (核查不通过) at least once.
 *
 * Rates, each over 应结案: 处置率 = 处置 / 应结案, 结案率 = 结案 / 应结案, 按期结案率 = 按期结案 /
 * 应结案, 返工率 = 返工 / 应结案 (lower is better).
 */
import type { CaseState, ClockStep, Label } from '../workflow/states.js';
import type { CaseView } from './facts.js';
import type { IndicatorDef, Tally } from './tally.js';

/** Steps of the units that handle the problem: the ones a region's 按期结案率 judges. */
export const HANDLING_STEPS: readonly ClockStep[] = ['sign', 'handle'];

/** States in which the handling of a case is finished (fed back or further on). */
export const HANDLED_STATES: readonly CaseState[] = ['handled', 'checking', 'pending_close', 'closed'];

export interface CaseOutcome {
  readonly filed: boolean;
  readonly suspended: boolean;
  readonly dueClose: boolean;
  readonly handled: boolean;
  readonly closed: boolean;
  readonly closedOnTime: boolean;
  readonly reworked: boolean;
}

export function outcomeOf(v: CaseView): CaseOutcome {
  const filed = v.filing !== null && !v.voided && !v.merged;
  const suspended = filed && v.stateAtEnd === 'suspended';
  const dueClose = filed && !suspended;
  const handled = dueClose && v.stateAtEnd !== null && HANDLED_STATES.includes(v.stateAtEnd);
  const closed = dueClose && v.closing !== null;
  const after = v.filing?.seq ?? 0;
  const lateHandling = v.events.some(
    (e) =>
      e.seq > after && (e.payload.steps?.some((s) => s.late && HANDLING_STEPS.includes(s.step)) ?? false),
  );
  return {
    filed,
    suspended,
    dueClose,
    handled,
    closed,
    closedOnTime: closed && !lateHandling,
    reworked: dueClose && v.events.some((e) => e.action === 'check_fail'),
  };
}

/** Adds a case's outcome to a subject's sets (named as the fields of CaseOutcome). */
export function tallyOutcome(t: Tally, subject: string, id: string, o: CaseOutcome): void {
  if (o.filed) t.add(subject, 'filed', id);
  if (o.suspended) t.add(subject, 'suspended', id);
  if (o.dueClose) t.add(subject, 'dueClose', id);
  if (o.handled) t.add(subject, 'handled', id);
  if (o.closed) t.add(subject, 'closed', id);
  if (o.closedOnTime) t.add(subject, 'closedOnTime', id);
  if (o.reworked) t.add(subject, 'reworked', id);
}

// The label is passed as a { zh, en } object, so mutation testing sees it as the display text it is.
const rate = (key: string, num: string, higherIsBetter: boolean, label: Label): IndicatorDef => ({
  key,
  kind: 'rate',
  num,
  den: 'dueClose',
  higherIsBetter,
  label,
});

/** The outcome figures of a set of cases (over the sets `tallyOutcome` fills). */
export const OUTCOME_INDICATORS: readonly IndicatorDef[] = [
  {
    key: 'dueCloseCount',
    kind: 'count',
    set: 'dueClose',
    higherIsBetter: false,
    label: { zh: '应结案数', en: 'Cases due to close' },
  },
  {
    key: 'suspendedCount',
    kind: 'count',
    set: 'suspended',
    higherIsBetter: false,
    label: { zh: '挂账数', en: 'Suspended' },
  },
  {
    key: 'closedCount',
    kind: 'count',
    set: 'closed',
    higherIsBetter: true,
    label: { zh: '结案数', en: 'Cases closed' },
  },
  rate('disposalRate', 'handled', true, { zh: '处置率', en: 'Disposal rate' }),
  rate('closeRate', 'closed', true, { zh: '结案率', en: 'Close rate' }),
  rate('onTimeCloseRate', 'closedOnTime', true, { zh: '按期结案率', en: 'On-time close rate' }),
  rate('reworkRate', 'reworked', false, { zh: '返工率', en: 'Rework rate' }),
];

/** Filing → closing in hours (null unless both happened): the statistics' average handling time. */
export function handlingHours(v: CaseView): number | null {
  if (!v.filing || !v.closing) return null;
  return (v.closing.at.getTime() - v.filing.at.getTime()) / 3_600_000;
}
