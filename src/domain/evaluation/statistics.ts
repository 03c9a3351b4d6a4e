/**
 * Operational statistics (运行统计): the cases reported in a span, grouped (by source, category,
 * place, status, hour …), with what became of them as of a moment (`asOf`, usually now). The
 * rates are the outcome definitions of outcome.ts — the very ones the region indicators of the
 * evaluation use — so 处置率, 按期结案率 and 返工率 mean the same on both pages.
 */
import { type CaseView, matchesFilters, viewOf } from './facts.js';
import { handlingHours, OUTCOME_INDICATORS, outcomeOf, tallyOutcome } from './outcome.js';
import { type IndicatorDef, Tally } from './tally.js';
import type { EvaluationCase, EvaluationFilters, Figure } from './types.js';

export const STATISTICS_INDICATORS: readonly IndicatorDef[] = [
  {
    key: 'reportCount',
    kind: 'count',
    set: 'reported',
    higherIsBetter: false,
    label: { zh: '上报数', en: 'Reports' },
  },
  {
    key: 'filedCount',
    kind: 'count',
    set: 'filed',
    higherIsBetter: false,
    label: { zh: '立案数', en: 'Cases filed' },
  },
  ...OUTCOME_INDICATORS,
];

export interface StatisticsQuery {
  /** Cases reported in [from, to). */
  readonly from: Date;
  readonly to: Date;
  /** What became of them as of this moment (events at or after it are not seen). */
  readonly asOf: Date;
  readonly filters?: EvaluationFilters;
  /** Local time for time slots and hours; default +08:00. */
  readonly utcOffsetMinutes?: number;
}

export interface StatisticsGroup {
  readonly key: string;
  readonly indicators: Readonly<Record<string, Figure>>;
  /** Filing → closing of the group's closed cases: the sum in hours and how many. */
  readonly handlingHours: { readonly sum: number; readonly count: number };
}

/** The local hour (0–23) a case was reported in. */
export const localHourOf = (c: EvaluationCase, offsetMin = 480): number =>
  new Date(c.reportedAt.getTime() + offsetMin * 60_000).getUTCHours();

/**
 * The groups of the cases reported in the span; `groupsOf` names the groups a case belongs to
 * (usually one). Groups are in key order.
 */
export function statistics(
  cases: readonly EvaluationCase[],
  q: StatisticsQuery,
  groupsOf: (v: CaseView) => readonly string[],
): StatisticsGroup[] {
  const offset = q.utcOffsetMinutes ?? 480;
  const seenAs = { from: q.from, to: q.asOf };
  const t = new Tally();
  const hours = new Map<string, { sum: number; count: number }>();
  for (const c of cases) {
    const at = c.reportedAt.getTime();
    if (at < q.from.getTime() || at >= q.to.getTime() || !matchesFilters(c, q.filters, offset)) continue;
    const v = viewOf(c, seenAs);
    const outcome = outcomeOf(v);
    const h = outcome.closed ? handlingHours(v) : null;
    for (const group of groupsOf(v)) {
      t.add(group, 'reported', v.id);
      tallyOutcome(t, group, v.id, outcome);
      if (h !== null) {
        const acc = hours.get(group) ?? { sum: 0, count: 0 };
        hours.set(group, { sum: acc.sum + h, count: acc.count + 1 });
      }
    }
  }
  return t.figures(STATISTICS_INDICATORS).map(([key, indicators]) => ({
    key,
    indicators,
    handlingHours: hours.get(key) ?? { sum: 0, count: 0 },
  }));
}
