/**
 * Operational statistics (运行统计) of the cases reported in a span: counts and the rates the
 * centre watches — 处置率 (handled / filed), on-time rate (closed with no step late / closed),
 * rework rate (返工 / handled), average handling time (filing → closing, hours) — grouped by
 * source, category, district, street, status or hour of report, plus the top categories and
 * places. Read from the case event log over the cases the reader may see.
 */
import { type RawBuilder, sql } from 'kysely';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { visibleTo } from '../cases/repo.js';
import { filtersOf, periodOf, UTC_OFFSET_MINUTES } from './period.js';
import type { StatsQuery } from './schema.js';

interface GroupRow {
  key: string | null;
  /** Category groupings only: a code names a different class in each kind (部件 0101 上水井盖, 事件 0101 私搭乱建). */
  kind: string | null;
  label: string | null;
  reported: number;
  filed: number;
  handled: number;
  closed: number;
  closed_on_time: number;
  reworked: number;
  avg_hours: number | null;
}

const rate = (n: number, d: number) => (d === 0 ? null : n / d);

const present = (r: GroupRow) => ({
  key: r.key ?? '',
  ...(r.kind ? { kind: r.kind } : {}),
  label: r.label ?? r.key ?? '',
  reported: r.reported,
  filed: r.filed,
  handled: r.handled,
  closed: r.closed,
  closedOnTime: r.closed_on_time,
  reworked: r.reworked,
  disposalRate: rate(r.handled, r.filed),
  onTimeRate: rate(r.closed_on_time, r.closed),
  reworkRate: rate(r.reworked, r.handled),
  avgHandlingHours: r.avg_hours === null ? null : Math.round(r.avg_hours * 100) / 100,
});

export async function operationalStats(ctx: Ctx, q: StatsQuery) {
  requirePermission(ctx.actor, 'evaluation.read');
  const period = periodOf('custom', q.from, q.to);
  const f = filtersOf(q);
  let base = ctx.db
    .selectFrom('cases as c')
    .innerJoin('categories as cat', 'cat.id', 'c.category_id')
    .select([
      'c.id',
      'c.source',
      'c.state',
      'c.grid_code',
      'c.street_code',
      'c.district_code',
      'cat.kind as category_kind',
      'cat.code as category_code',
      'cat.name as category_name',
      sql<number>`extract(hour FROM (c.reported_at AT TIME ZONE 'UTC') + make_interval(mins => ${UTC_OFFSET_MINUTES}::int))::int`.as(
        'hour',
      ),
    ])
    .where('c.reported_at', '>=', period.from)
    .where('c.reported_at', '<', period.to)
    .where(visibleTo(ctx.actor));
  if (f.categories?.length)
    base = base.where(sql<boolean>`cat.code LIKE ANY (${f.categories.map((c) => `${c}%`)}::text[])`);
  if (f.areaClasses?.length) base = base.where('c.area_class', 'in', [...f.areaClasses]);
  if (f.sources?.length) base = base.where('c.source', 'in', [...f.sources]);
  if (f.timeSlots?.length) {
    const hour = sql`extract(hour FROM (c.reported_at AT TIME ZONE 'UTC') + make_interval(mins => ${UTC_OFFSET_MINUTES}::int))`;
    base = base.where(
      sql<boolean>`(${sql.join(
        f.timeSlots.map((t) =>
          t.fromHour <= t.toHour
            ? sql`(${hour} >= ${t.fromHour} AND ${hour} < ${t.toHour})`
            : sql`(${hour} >= ${t.fromHour} OR ${hour} < ${t.toHour})`,
        ),
        sql` OR `,
      )})`,
    );
  }
  /**
   * One row per key (and kind, for categories). The label is looked up per key, never grouped
   * on, so a key is listed once.
   */
  const grouped = async (
    key: RawBuilder<unknown>,
    label: RawBuilder<unknown>,
    order: 'key' | 'count',
    limit: number,
    kind: RawBuilder<unknown> = sql`NULL`,
  ) =>
    (
      await sql<GroupRow>`
        WITH base AS (${base}),
        flags AS (
          SELECT e.case_id,
            bool_or(e.action IN ('file', 'self_handle')) AS filed,
            bool_or(e.action IN ('feedback', 'self_handle')) AS handled,
            bool_or(e.action = 'check_fail') AS reworked,
            bool_or(e.payload -> 'steps' @> '[{"late": true}]'::jsonb) AS late,
            min(e.at) FILTER (WHERE e.action IN ('file', 'self_handle')) AS filed_at,
            max(e.at) FILTER (WHERE e.to_state = 'closed' AND e.from_state IS DISTINCT FROM 'closed') AS closed_at
          FROM case_events e WHERE e.case_id IN (SELECT id FROM base) GROUP BY e.case_id)
        SELECT ${key}::text AS key, ${kind}::text AS kind, min(${label}::text) AS label,
          count(*)::int AS reported,
          count(*) FILTER (WHERE f.filed)::int AS filed,
          count(*) FILTER (WHERE f.handled)::int AS handled,
          count(*) FILTER (WHERE f.closed_at IS NOT NULL)::int AS closed,
          count(*) FILTER (WHERE f.closed_at IS NOT NULL AND NOT f.late)::int AS closed_on_time,
          count(*) FILTER (WHERE f.reworked)::int AS reworked,
          (avg(extract(epoch FROM f.closed_at - f.filed_at)) / 3600)::float8 AS avg_hours
        FROM base b JOIN flags f ON f.case_id = b.id
        LEFT JOIN divisions dv ON dv.code = ${sql.ref('b.district_code')}
        LEFT JOIN divisions sv ON sv.code = ${sql.ref('b.street_code')}
        LEFT JOIN divisions cv ON cv.code = substr(b.grid_code, 1, 12)
        GROUP BY 1, 2
        ORDER BY ${order === 'count' ? sql`reported DESC, 1, 2` : sql`1, 2`}
        LIMIT ${limit}`.execute(ctx.db)
    ).rows.map(present);
  const KEYS = {
    source: [sql`b.source`, sql`b.source`],
    category: [sql`b.category_code`, sql`b.category_name`, sql`b.category_kind`],
    district: [sql`b.district_code`, sql`dv.name`],
    street: [sql`b.street_code`, sql`sv.name`],
    status: [sql`b.state`, sql`b.state`],
    hour: [sql`lpad(b.hour::text, 2, '0')`, sql`lpad(b.hour::text, 2, '0') || ':00'`],
  } as const;
  const [key, label, kind] = KEYS[q.groupBy];
  const [groups, total, topCategories, topPlaces] = await Promise.all([
    grouped(key, label, 'key', 1000, kind),
    grouped(sql`'all'`, sql`'合计'`, 'key', 1),
    grouped(sql`b.category_code`, sql`b.category_name`, 'count', 10, sql`b.category_kind`),
    grouped(sql`b.grid_code`, sql`cv.name || substr(b.grid_code, 13) || '号网格'`, 'count', 10),
  ]);
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    groupBy: q.groupBy,
    total:
      total[0] ??
      present({
        key: 'all',
        kind: null,
        label: '合计',
        reported: 0,
        filed: 0,
        handled: 0,
        closed: 0,
        closed_on_time: 0,
        reworked: 0,
        avg_hours: null,
      }),
    groups,
    topCategories,
    topPlaces,
  };
}
