/**
 * Operational statistics (运行统计) of the cases reported in a span, as of now: counts and the
 * rates the centre watches, grouped by source, category, district, street, status or hour of
 * report, plus the top categories and places. The rates are the domain's outcome definitions
 * (domain/evaluation/outcome.ts), the ones the region evaluation uses: 处置率 = 处置 / 应结案,
 * 按期结案率 = 按期结案 (签收 and 处置 on time) / 应结案, 返工率 = 返工 / 应结案, 应结案 being the
 * filed cases not suspended (挂账). Average handling time: filing → closing, hours. Read from the
 * evaluation facts (facts/stats-sql.ts, one GROUPING SETS pass; the same SQL outcome definitions
 * as 综合评价's region indicators), or with engine 'replay' from the case event log, over the
 * cases the reader may see.
 */
import { sql } from 'kysely';
import {
  type CaseView,
  type Figure,
  localHourOf,
  STATISTICS_INDICATORS,
  type StatisticsGroup,
  statistics,
} from '../../domain/evaluation/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { visibleTo } from '../cases/repo.js';
import { categoryFilter, withoutClassFilter } from '../catalog/filter.js';
import { cellsOf } from './facts/figures.js';
import { statsFromFacts } from './facts/stats-sql.js';
import { filtersOf, periodOf, UTC_OFFSET_MINUTES } from './period.js';
import { forEachCaseChunk, loadReference } from './repo.js';
import type { StatsQuery } from './schema.js';

/** What a group adds up: the counts of its figures, and its handling hours. */
interface Sums {
  counts: Record<string, { numerator: number; denominator: number }>;
  hours: { sum: number; count: number };
}

interface Group {
  key: string;
  /** Category groupings only: a code names a different class in each kind (部件 0101 上水井盖, 事件 0101 私搭乱建). */
  kind?: string;
  label: string;
  sums: Sums;
}

const rateOf = (c: { numerator: number; denominator: number } | undefined) =>
  !c || c.denominator === 0 ? null : c.numerator / c.denominator;

function present(g: Group) {
  const n = (key: string) => g.sums.counts[key]?.numerator ?? 0;
  return {
    key: g.key,
    ...(g.kind ? { kind: g.kind } : {}),
    label: g.label,
    reported: n('reportCount'),
    filed: n('filedCount'),
    dueClose: n('dueCloseCount'),
    suspended: n('suspendedCount'),
    handled: g.sums.counts.disposalRate?.numerator ?? 0,
    closed: n('closedCount'),
    closedOnTime: g.sums.counts.onTimeCloseRate?.numerator ?? 0,
    reworked: g.sums.counts.reworkRate?.numerator ?? 0,
    disposalRate: rateOf(g.sums.counts.disposalRate),
    onTimeRate: rateOf(g.sums.counts.onTimeCloseRate),
    reworkRate: rateOf(g.sums.counts.reworkRate),
    avgHandlingHours:
      g.sums.hours.count === 0 ? null : Math.round((g.sums.hours.sum / g.sums.hours.count) * 100) / 100,
  };
}

/** Adds one chunk's groups into the running sums (chunks partition the cases, so counts add). */
function accumulate(into: Map<string, Sums>, groups: readonly StatisticsGroup[]): void {
  for (const g of groups) {
    const s = into.get(g.key) ?? { counts: {}, hours: { sum: 0, count: 0 } };
    for (const [key, f] of Object.entries(g.indicators) as [string, Figure][]) {
      const c = s.counts[key] ?? { numerator: 0, denominator: 0 };
      c.numerator += f.numerator;
      c.denominator += f.denominator;
      s.counts[key] = c;
    }
    s.hours.sum += g.handlingHours.sum;
    s.hours.count += g.handlingHours.count;
    into.set(g.key, s);
  }
}

/** Group-key prefixes of the one statistics pass, and the table each fills. */
const TABLES = [
  ['g:', 'groups'],
  ['t:', 'total'],
  ['c:', 'categories'],
  ['p:', 'places'],
] as const;

/** The key a case is grouped under, per grouping (categories: kind and code). */
export const GROUP_KEYS = {
  source: (v: CaseView) => v.c.source,
  category: (v: CaseView) => `${v.c.kind}|${v.c.categoryCode}`,
  district: (v: CaseView) => v.c.districtCode,
  street: (v: CaseView) => v.c.streetCode,
  status: (v: CaseView) => v.stateAtEnd ?? 'reported',
  hour: (v: CaseView) => String(localHourOf(v.c, UTC_OFFSET_MINUTES)).padStart(2, '0'),
} as const;

/** The four tables from the evaluation facts (one statement). */
async function statsByFacts(ctx: Ctx, q: StatsQuery, period: { from: Date; to: Date }, asOf: Date) {
  const filters = filtersOf(q);
  const categories = filters.categories ?? [];
  const groups = await statsFromFacts(ctx.db, {
    from: period.from,
    to: period.to,
    asOf,
    groupBy: q.groupBy,
    filters,
    utcOffsetMinutes: UTC_OFFSET_MINUTES,
    // Filed under either code scheme, through the class mapping (as the replay's case query).
    categoryFilter: (column) => categoryFilter(column as never, categories),
    restrict: sql`c.case_id IN (${ctx.db.selectFrom('cases as c').select('c.id').where(visibleTo(ctx.actor))})`,
  });
  const sums = {
    groups: new Map<string, Sums>(),
    total: new Map<string, Sums>(),
    categories: new Map<string, Sums>(),
    places: new Map<string, Sums>(),
  };
  const categoryNames = new Map<string, string>();
  for (const g of groups) {
    const cells = cellsOf(STATISTICS_INDICATORS, g.counts);
    const counts = Object.fromEntries(
      Object.entries(cells).map(([k, c]) => [k, { numerator: c.numerator, denominator: c.denominator }]),
    );
    sums[g.table].set(g.key, { counts, hours: g.hours });
    if (g.table === 'categories' && g.categoryName !== null) categoryNames.set(g.key, g.categoryName);
  }
  return { sums, categoryNames };
}

/** The four tables by the pure engine over the event log, chunk by chunk. */
async function statsByReplay(ctx: Ctx, q: StatsQuery, period: { from: Date; to: Date }, asOf: Date) {
  const filters = filtersOf(q);
  const by = GROUP_KEYS[q.groupBy];
  const restrict = sql<boolean>`c.id IN (${ctx.db.selectFrom('cases as c').select('c.id').where(visibleTo(ctx.actor))})`;
  // One pass over the cases fills the four tables: the grouping, the total, categories, places.
  const sums = {
    groups: new Map<string, Sums>(),
    total: new Map<string, Sums>(),
    categories: new Map<string, Sums>(),
    places: new Map<string, Sums>(),
  };
  const categoryNames = new Map<string, string>();
  await forEachCaseChunk(
    ctx.db,
    { from: period.from, to: period.to, filters, gridPrefix: '', reported: { asOf }, restrict },
    (cases, _numbers, names) => {
      for (const c of cases) {
        const key = GROUP_KEYS.category({ c } as CaseView);
        const name = names.get(c.id) ?? c.categoryCode;
        const known = categoryNames.get(key);
        if (known === undefined || name < known) categoryNames.set(key, name);
      }
      // The store selected the classes (through the mapping); the engine must not re-filter by code.
      const sq = {
        from: period.from,
        to: period.to,
        asOf,
        filters: withoutClassFilter(filters),
        utcOffsetMinutes: UTC_OFFSET_MINUTES,
      };
      const found = statistics(cases, sq, (v) => [
        `g:${by(v)}`,
        't:all',
        `c:${GROUP_KEYS.category(v)}`,
        `p:${v.c.gridCode}`,
      ]);
      for (const [prefix, into] of TABLES)
        accumulate(
          sums[into],
          found.filter((g) => g.key.startsWith(prefix)).map((g) => ({ ...g, key: g.key.slice(2) })),
        );
    },
  );
  return { sums, categoryNames };
}

export async function operationalStats(ctx: Ctx, q: StatsQuery, engine: 'facts' | 'replay' = 'facts') {
  requirePermission(ctx.actor, 'evaluation.read');
  const period = periodOf('custom', q.from, q.to);
  const ref = await loadReference(ctx.db);
  const asOf = new Date();
  const found =
    engine === 'replay'
      ? await statsByReplay(ctx, q, period, asOf)
      : await statsByFacts(ctx, q, period, asOf);
  const { sums, categoryNames } = found;
  const categoryGroup = (key: string, s: Sums): Group => {
    const [kind, code] = key.split('|') as [string, string];
    return { key: code, kind, label: categoryNames.get(key) ?? code, sums: s };
  };
  const labelOf = (key: string): string => {
    if (q.groupBy === 'district' || q.groupBy === 'street') return ref.divisionNames.get(key) ?? key;
    if (q.groupBy === 'hour') return `${key}:00`;
    return key;
  };
  const groups = [...sums.groups]
    .map(([key, s]) =>
      q.groupBy === 'category' ? categoryGroup(key, s) : { key, label: labelOf(key), sums: s },
    )
    .sort((a, b) => (a.key === b.key ? (a.kind ?? '').localeCompare(b.kind ?? '') : a.key < b.key ? -1 : 1));
  const top = (m: Map<string, Sums>, group: (key: string, s: Sums) => Group) =>
    [...m]
      .map(([key, s]) => group(key, s))
      .sort(
        (a, b) =>
          (b.sums.counts.reportCount?.numerator ?? 0) - (a.sums.counts.reportCount?.numerator ?? 0) ||
          (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
      )
      .slice(0, 10);
  const gridLabel = (code: string) =>
    `${ref.divisionNames.get(code.slice(0, 12)) ?? ''}${code.slice(12)}号网格`;
  const empty: Sums = { counts: {}, hours: { sum: 0, count: 0 } };
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    asOf: asOf.toISOString(),
    groupBy: q.groupBy,
    total: present({ key: 'all', label: '合计', sums: sums.total.get('all') ?? empty }),
    groups: groups.map(present),
    topCategories: top(sums.categories, categoryGroup).map(present),
    topPlaces: top(sums.places, (key, s) => ({ key, label: gridLabel(key), sums: s })).map(present),
  };
}
