/**
 * 督办 (urge): a leader's supervision order on an open case. The seed asks the evaluation to
 * count the orders and what came of them. Per subject and period P = [from, to):
 * - 督办数 (urgedCount): cases urged in P (a case urged three times is one case);
 * - 重复督办数 (urgedRepeatCount): of those, cases urged twice or more in P (the first order did
 *   not work);
 * - 督办办结率 (urgedClosedRate): of those, closed before `to`.
 * The department a case was urged at is the one it was assigned to when the order came; regions
 * and the 数字城管中心 count the orders on the cases of their area.
 */
import type { CaseView, SeenEvent } from './facts.js';
import { inPeriod } from './facts.js';
import type { IndicatorDef, Tally } from './tally.js';
import type { EvaluationQuery } from './types.js';

export const URGE_INDICATORS: readonly IndicatorDef[] = [
  {
    key: 'urgedCount',
    kind: 'count',
    set: 'urged',
    higherIsBetter: false,
    label: { zh: '督办数', en: 'Cases urged' },
  },
  {
    key: 'urgedRepeatCount',
    kind: 'count',
    set: 'urgedRepeat',
    higherIsBetter: false,
    label: { zh: '重复督办数', en: 'Urged more than once' },
  },
  {
    key: 'urgedClosedRate',
    kind: 'rate',
    num: 'urgedClosed',
    den: 'urged',
    higherIsBetter: true,
    label: { zh: '督办办结率', en: 'Urged cases closed' },
  },
];

export function urgesIn(v: CaseView, q: EvaluationQuery): SeenEvent[] {
  return v.events.filter((e) => e.action === 'urge' && inPeriod(e, q));
}

/** Adds `urges` (the case's orders in P that concern `subject`) to the subject's sets. */
export function tallyUrges(t: Tally, subject: string, v: CaseView, urges: number): void {
  if (urges === 0 || v.voided) return;
  t.add(subject, 'urged', v.id);
  if (urges > 1) t.add(subject, 'urgedRepeat', v.id);
  if (v.closing) t.add(subject, 'urgedClosed', v.id);
}
