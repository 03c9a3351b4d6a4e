/**
 * 运行统计 from the evaluation facts: the cases reported in [from, to) as of `asOf`, grouped
 * (by source, category, district, street, status or hour of report), plus the total and the
 * groupings of the top categories and places, in one GROUPING SETS pass over the case facts.
 * The sets are the outcome definitions 综合评价 reads (outcome-sql.ts, the SQL twin of the
 * domain's outcome.ts); the replay of the log (domain/evaluation/statistics.ts) gives the same
 * figures, which stats-sql.test.ts proves over generated histories on both stores.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { EvaluationFilters } from '../../../domain/evaluation/types.js';
import type { Database } from '../../../platform/db/schema.js';
import { scopeOf } from './evaluate-sql.js';
import { type OutcomeSet, outcomeSql, stateAtSql } from './outcome-sql.js';

type Sql = RawBuilder<unknown>;

export type StatsGrouping = 'source' | 'category' | 'district' | 'street' | 'status' | 'hour';

export interface FactsStatsQuery {
  readonly from: Date;
  readonly to: Date;
  /** What became of the cases as of this moment (usually now). */
  readonly asOf: Date;
  readonly groupBy: StatsGrouping;
  readonly filters?: EvaluationFilters;
  readonly utcOffsetMinutes?: number;
  /** As FactsQuery.categoryFilter: 'code' (prefix of the case's code) or a condition on the id column. */
  readonly categoryFilter?: 'code' | ((column: Sql) => Sql);
  /** A further condition on the case facts row `c` (the reader's visibility). */
  readonly restrict?: Sql;
}

/** The sets each group counts: the cases reported, then the outcome sets. */
export type StatsSet = 'reported' | OutcomeSet;
const SETS: readonly StatsSet[] = [
  'reported',
  'filed',
  'suspended',
  'dueClose',
  'handled',
  'closed',
  'closedOnTime',
  'reworked',
];

export interface FactsStatsGroup {
  /** 'groups' (the asked grouping), 'total', 'categories' or 'places' (grids). */
  table: 'groups' | 'total' | 'categories' | 'places';
  /** The group's key, as the replay keys it (categories: `kind|code`; total: 'all'). */
  key: string;
  counts: Record<StatsSet, number>;
  /** Filing → closing of the group's closed cases: the sum in hours and how many. */
  hours: { sum: number; count: number };
  /** Categories: the least of the names of the group's classes (the replay's label). */
  categoryName: string | null;
}

/** The key a case is grouped under (as stats.ts GROUP_KEYS): `st` is its state as of asOf. */
function keyOf(by: StatsGrouping, offsetMin: number): Sql {
  switch (by) {
    case 'source':
      return sql`x.source`;
    case 'category':
      return sql`x.kind || '|' || x.category_code`;
    case 'district':
      return sql`x.district_code`;
    case 'street':
      return sql`x.street_code`;
    case 'status':
      return sql`COALESCE(x.st, 'reported')`;
    case 'hour':
      return sql`lpad(extract(hour FROM (x.reported_at AT TIME ZONE 'UTC') + make_interval(mins => ${offsetMin}::int))::int::text, 2, '0')`;
  }
}

export async function statsFromFacts(db: Kysely<Database>, q: FactsStatsQuery): Promise<FactsStatsGroup[]> {
  const offset = q.utcOffsetMinutes ?? 480;
  const o = outcomeSql('x', q.asOf, sql`x.st`);
  const scope = scopeOf({
    from: q.from,
    to: q.to,
    utcOffsetMinutes: offset,
    ...(q.filters ? { filters: q.filters } : {}),
    ...(q.categoryFilter ? { categoryFilter: q.categoryFilter } : {}),
  });
  const flag = (s: StatsSet) => (s === 'reported' ? sql`true` : o[s]);
  const { rows } = await sql<{
    g: number;
    gkey: string | null;
    ckey: string | null;
    grid: string | null;
    counts: number[];
    hours_sum: number | null;
    hours_n: number;
    category_names: (string | null)[] | null;
  }>`
    WITH x AS MATERIALIZED (
      SELECT c.*, ${stateAtSql('c', q.asOf)} AS st, cat.name AS category_name
      FROM eval_case_facts c LEFT JOIN categories cat ON cat.id = c.category_id
      WHERE c.reported_at >= ${q.from} AND ${scope} ${q.restrict ? sql`AND ${q.restrict}` : sql``}),
    y AS (
      SELECT ${keyOf(q.groupBy, offset)} AS gkey, x.kind || '|' || x.category_code AS ckey, x.grid_code AS grid,
             x.category_name, ${sql.join(SETS.map((s) => sql`${flag(s)} AS ${sql.ref(s)}`))},
             CASE WHEN ${o.closed} THEN extract(epoch FROM x.closed_at - x.filed_at)::float8 / 3600 END AS hours
      FROM x)
    SELECT GROUPING(gkey, ckey, grid)::int AS g, gkey, ckey, grid,
           ARRAY[${sql.join(SETS.map((s) => sql`count(*) FILTER (WHERE ${sql.ref(s)})`))}]::int[] AS counts,
           sum(hours) AS hours_sum, count(hours)::int AS hours_n, array_agg(DISTINCT category_name) AS category_names
    FROM y GROUP BY GROUPING SETS ((gkey), (), (ckey), (grid))`.execute(db);
  const tableOf = (r: (typeof rows)[number]): [FactsStatsGroup['table'], string] => {
    // GROUPING(gkey, ckey, grid): a bit per column left out of the set.
    if (r.g === 0b011) return ['groups', r.gkey ?? ''];
    if (r.g === 0b101) return ['categories', r.ckey ?? ''];
    if (r.g === 0b110) return ['places', r.grid ?? ''];
    return ['total', 'all'];
  };
  return rows.map((r) => {
    const [table, key] = tableOf(r);
    const counts = Object.fromEntries(SETS.map((s, i) => [s, Number(r.counts[i] ?? 0)])) as Record<
      StatsSet,
      number
    >;
    return {
      table,
      key,
      counts,
      hours: { sum: Number(r.hours_sum ?? 0), count: Number(r.hours_n) },
      // The least name in code-unit order, as the replay compares them (not the database's collation).
      categoryName: (r.category_names ?? [])
        .filter((n): n is string => n !== null)
        .reduce<string | null>((a, n) => (a === null || n < a ? n : a), null),
    };
  });
}
