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
 * - 结案率 = cases of 立案数 closed before `to` (a cohort of the period's filings).
 * - 按期结案率 = cases of 立案数 closed before `to` with no step late from filing to closing
 *   (派遣, 签收, 处置 — each judged on its own, extended and suspension-adjusted limit —, 核查
 *   派发, 核查, 结案).
 */
import type { CaseView } from './facts.js';
import { inPeriod } from './facts.js';
import { type IndicatorDef, Tally } from './tally.js';
import type { EvaluationQuery, SubjectResult, SubjectType } from './types.js';

export const PUBLIC_SOURCES: readonly string[] = ['public', 'hotline_12345', 'media', 'leader'];

export const REGION_INDICATORS: readonly IndicatorDef[] = [
  { key: 'reportCount', kind: 'count', set: 'reports', label: { zh: '上报数', en: 'Reports' } },
  { key: 'filedCount', kind: 'count', set: 'filed', label: { zh: '立案数', en: 'Cases filed' } },
  { key: 'closedCount', kind: 'count', set: 'closed', label: { zh: '结案数', en: 'Cases closed' } },
  {
    key: 'publicReportRate',
    kind: 'rate',
    num: 'public',
    den: 'filed',
    higherIsBetter: false,
    label: { zh: '监督举报率', en: 'Public report rate' },
  },
  {
    key: 'closeRate',
    kind: 'rate',
    num: 'closed',
    den: 'filed',
    higherIsBetter: true,
    label: { zh: '结案率', en: 'Close rate' },
  },
  {
    key: 'onTimeCloseRate',
    kind: 'rate',
    num: 'closedOnTime',
    den: 'filed',
    higherIsBetter: true,
    label: { zh: '按期结案率', en: 'On-time close rate' },
  },
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
  readonly filed: boolean;
  readonly public: boolean;
  readonly closed: boolean;
  readonly closedOnTime: boolean;
}

/**
 * What a case adds to its region, worked out once per case view and period: the four region
 * types read the same facts, so scanning the events again per type was wasted work.
 */
const factsCache = new WeakMap<CaseView, RegionFacts>();

function factsOf(v: CaseView, q: EvaluationQuery): RegionFacts {
  const cached = factsCache.get(v);
  if (cached) return cached;
  const reported = v.creation !== null && inPeriod(v.creation, q) && !v.merged;
  const filed = v.filing !== null && inPeriod(v.filing, q) && !v.voided;
  const closed = filed && v.closing !== null;
  let closedOnTime = false;
  if (closed && v.filing) {
    const from = v.filing.seq;
    closedOnTime = !v.events.some((e) => e.seq > from && (e.payload.steps?.some((s) => s.late) ?? false));
  }
  const facts = {
    reported,
    filed,
    public: filed && PUBLIC_SOURCES.includes(v.c.source),
    closed,
    closedOnTime,
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
    if (!f.filed) continue;
    t.add(r, 'filed', v.id);
    if (f.public) t.add(r, 'public', v.id);
    if (!f.closed) continue;
    t.add(r, 'closed', v.id);
    if (f.closedOnTime) t.add(r, 'closedOnTime', v.id);
  }
  return t.results(type, REGION_INDICATORS);
}
