/**
 * Region (区域) indicators for grids, communities, streets and districts: a case counts for the
 * grid it is in and for that grid's community, street and district.
 *
 * Counting rules, per region r and period P = [from, to):
 * - 上报数: cases reported in P, except duplicates merged into another case before `to`.
 * - 立案数: cases filed in P (立案, or 自行处置 which files on the spot), except cases voided
 *   before `to` (wrongly filed). Merged cases are never filed, so no problem counts twice.
 * - 监督举报率 = filed cases that came from public supervision channels (公众, 12345, 媒体,
 *   领导交办) / 立案数: the share of problems the patrol did not find first; lower is better.
 * - The outcome of the period's filings as of `to` (outcome.ts, the definitions 运行统计 shares):
 *   应结案数 = 立案数 minus the cases suspended (挂账) at `to`; 处置率, 结案率, 按期结案率 (only
 *   the 签收 and 处置 steps of the units that handle the region's problems) and 返工率, each
 *   over 应结案数.
 * - 督办 (urge.ts): orders on the region's cases in P.
 */
import type { CaseView } from './facts.js';
import { inPeriod } from './facts.js';
import { type CaseOutcome, OUTCOME_INDICATORS, outcomeOf, tallyOutcome } from './outcome.js';
import { type IndicatorDef, Tally } from './tally.js';
import type { EvaluationQuery, SubjectResult, SubjectType } from './types.js';
import { tallyUrges, URGE_INDICATORS, urgesIn } from './urge.js';

export const PUBLIC_SOURCES: readonly string[] = ['public', 'hotline_12345', 'media', 'leader'];

export const REGION_INDICATORS: readonly IndicatorDef[] = [
  {
    key: 'reportCount',
    kind: 'count',
    set: 'reports',
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
  {
    key: 'publicReportRate',
    kind: 'rate',
    num: 'public',
    den: 'filed',
    higherIsBetter: false,
    label: { zh: '监督举报率', en: 'Public report rate' },
  },
  ...URGE_INDICATORS,
];

export type RegionType = Extract<SubjectType, 'grid' | 'community' | 'street' | 'district'>;

function regionOf(v: CaseView, type: RegionType): string {
  switch (type) {
    case 'grid':
      return v.c.gridCode;
    case 'community':
      return v.c.communityCode;
    case 'street':
      return v.c.streetCode;
    case 'district':
      return v.c.districtCode;
  }
}

interface RegionFacts {
  readonly reported: boolean;
  /** The outcome when the case was filed in P, else null. */
  readonly outcome: CaseOutcome | null;
  readonly public: boolean;
  readonly urges: number;
}

/**
 * What a case adds to its region, worked out once per case view and period: the four region
 * types read the same facts, so scanning the events again per type was wasted work.
 */
const factsCache = new WeakMap<CaseView, RegionFacts>();

function factsOf(v: CaseView, q: EvaluationQuery): RegionFacts {
  const cached = factsCache.get(v);
  if (cached) return cached;
  const filedInPeriod = v.filing !== null && inPeriod(v.filing, q) && !v.voided && !v.merged;
  const facts = {
    reported: v.creation !== null && inPeriod(v.creation, q) && !v.merged,
    outcome: filedInPeriod ? outcomeOf(v) : null,
    public: filedInPeriod && PUBLIC_SOURCES.includes(v.c.source),
    urges: urgesIn(v, q).length,
  };
  factsCache.set(v, facts);
  return facts;
}

export function regionResults(
  views: readonly CaseView[],
  q: EvaluationQuery,
  type: RegionType,
): SubjectResult[] {
  const t = new Tally();
  for (const v of views) {
    const f = factsOf(v, q);
    const r = regionOf(v, type);
    if (f.reported) t.add(r, 'reports', v.id);
    tallyUrges(t, r, v, f.urges);
    if (!f.outcome) continue;
    tallyOutcome(t, r, v.id, f.outcome);
    if (f.public) t.add(r, 'public', v.id);
  }
  return t.results(type, REGION_INDICATORS);
}
