/**
 * Reading forecasts (leaders and the centre, evaluation.read): the series in the asker's area
 * with their backtest errors beside the baseline's and the method shown, one series' history and
 * band, and the alerts with the cases behind them. A district's operator sees the series of his
 * district and its streets; the whole city ('*') is for the city's.
 */
import { type Kysely, sql } from 'kysely';
import { addDays } from '../../domain/forecast/days.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { pageInfo } from '../../platform/http/paging.js';
import { dayStart, localDay, seriesFilter } from './counts.js';
import type { AlertsQuery, ListQuery, SeriesQuery } from './schema.js';

/** Whether the asker may see an area's series. */
export function areaVisible(scopePrefix: string, area: string): boolean {
  return area === '*' ? scopePrefix.length < 6 : area.startsWith(scopePrefix);
}

function checkArea(ctx: Ctx, area: string | undefined) {
  if (area !== undefined && !areaVisible(ctx.actor.scopePrefix, area)) {
    throw new AppError('NOT_FOUND', { details: { resource: 'area' } });
  }
}

const scopeWhere = (scope: string) =>
  scope.length < 6 ? sql<boolean>`true` : sql<boolean>`s.area_code LIKE ${`${scope}%`}`;

async function names(db: Kysely<Database>) {
  const cats = await sql<{ key: string; name: string }>`
    SELECT kind || ':' || code AS key, min(name) AS name FROM categories WHERE level = 'major' GROUP BY 1`.execute(
    db,
  );
  const areas = await sql<{ code: string; name: string }>`
    SELECT code, name FROM divisions WHERE level IN ('district', 'street')`.execute(db);
  const c = new Map(cats.rows.map((r) => [r.key, r.name]));
  const a = new Map(areas.rows.map((r) => [r.code, r.name]));
  return {
    category: (k: string) => (k === '*' ? '全部类别' : (c.get(k) ?? k)),
    area: (k: string) => (k === '*' ? '全市' : (a.get(k) ?? k)),
  };
}

const REASONS = {
  'beats-baseline': {
    zh: '模型回测误差低于基线，显示模型预测',
    en: 'the model beat the baseline in the backtest',
  },
  'not-better': {
    zh: '模型回测误差不低于基线（上周同日），改用基线预测',
    en: 'the model did not beat the baseline (same weekday last week) in the backtest: the baseline is used',
  },
  'short-history': {
    zh: '历史数据不足，无法回测，改用基线预测',
    en: 'too little history to backtest: the baseline is used',
  },
  failed: { zh: '模型拟合失败，改用基线预测', en: 'the model could not be fitted: the baseline is used' },
} as const;

export async function listForecasts(ctx: Ctx, q: ListQuery) {
  requirePermission(ctx.actor, 'evaluation.read');
  checkArea(ctx, q.areaCode);
  let query = ctx.db
    .selectFrom('forecast_series as s')
    .selectAll()
    .where(scopeWhere(ctx.actor.scopePrefix))
    .orderBy('s.mean_per_day', 'desc')
    .orderBy('s.category_key')
    .orderBy('s.area_code');
  if (q.categoryKey) query = query.where('s.category_key', '=', q.categoryKey);
  if (q.areaCode) query = query.where('s.area_code', '=', q.areaCode);
  if (q.method) query = query.where('s.method', '=', q.method);
  const rows = await query.execute();
  const n = await names(ctx.db);
  return {
    items: rows.map((r) => ({
      categoryKey: r.category_key,
      categoryName: n.category(r.category_key),
      areaCode: r.area_code,
      areaName: n.area(r.area_code),
      asOf: r.as_of,
      computedAt: r.computed_at.toISOString(),
      method: r.method,
      reason: r.reason,
      reasonText: REASONS[r.reason],
      meanPerDay: r.mean_per_day,
      backtest: r.backtest,
      weeks: r.weeks,
    })),
  };
}

export async function seriesDetail(ctx: Ctx, q: SeriesQuery) {
  requirePermission(ctx.actor, 'evaluation.read');
  checkArea(ctx, q.areaCode);
  const s = await ctx.db
    .selectFrom('forecast_series')
    .selectAll()
    .where('category_key', '=', q.categoryKey)
    .where('area_code', '=', q.areaCode)
    .executeTakeFirst();
  if (!s) throw new AppError('NOT_FOUND', { details: { resource: 'forecast' } });
  const today = localDay(new Date());
  const last = [today, s.as_of].sort()[1] as string;
  const from = addDays(s.as_of, 1 - q.days);
  const actual = await sql<{ day: string; n: number }>`
    SELECT to_char((f.reported_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD') AS day, count(*)::int AS n
    FROM eval_case_facts f
    WHERE ${seriesFilter(q.categoryKey, q.areaCode)}
      AND f.reported_at >= ${dayStart(from)} AND f.reported_at < ${dayStart(addDays(last, 1))}
    GROUP BY 1 ORDER BY 1`.execute(ctx.db);
  const bands = await ctx.db
    .selectFrom('forecast_bands')
    .select(['day', 'method', 'point', 'lower', 'upper'])
    .where('category_key', '=', q.categoryKey)
    .where('area_code', '=', q.areaCode)
    .where('day', '>=', from)
    .orderBy('day')
    .execute();
  const n = await names(ctx.db);
  return {
    categoryKey: s.category_key,
    categoryName: n.category(s.category_key),
    areaCode: s.area_code,
    areaName: n.area(s.area_code),
    asOf: s.as_of,
    computedAt: s.computed_at.toISOString(),
    method: s.method,
    reason: s.reason,
    reasonText: REASONS[s.reason],
    meanPerDay: s.mean_per_day,
    backtest: s.backtest,
    weeks: s.weeks,
    actual: actual.rows,
    bands,
  };
}

export async function listAlerts(ctx: Ctx, q: AlertsQuery) {
  requirePermission(ctx.actor, 'evaluation.read');
  checkArea(ctx, q.areaCode);
  let base = ctx.db.selectFrom('forecast_alerts as s').where(scopeWhere(ctx.actor.scopePrefix));
  if (q.from) base = base.where('s.day', '>=', q.from);
  if (q.to) base = base.where('s.day', '<=', q.to);
  if (q.categoryKey) base = base.where('s.category_key', '=', q.categoryKey);
  if (q.areaCode) base = base.where('s.area_code', '=', q.areaCode);
  const total = Number(
    (await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const rows = await base
    .selectAll()
    .orderBy('s.day', 'desc')
    .orderBy('s.id', 'desc')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  const ids = [...new Set(rows.flatMap((r) => r.case_ids.map(Number)))];
  const cases =
    ids.length === 0
      ? []
      : await ctx.db
          .selectFrom('cases')
          .select(['id', 'number', 'address', 'state', 'reported_at'])
          .where('id', 'in', ids)
          .execute();
  const byId = new Map(cases.map((c) => [String(c.id), c]));
  const n = await names(ctx.db);
  return {
    items: rows.map((r) => ({
      id: String(r.id),
      categoryKey: r.category_key,
      categoryName: n.category(r.category_key),
      areaCode: r.area_code,
      areaName: n.area(r.area_code),
      day: r.day,
      actual: r.actual,
      expected: r.expected,
      upper: r.upper,
      method: r.method,
      notified: r.notified,
      createdAt: r.created_at.toISOString(),
      cases: r.case_ids.map((id) => {
        const c = byId.get(String(id));
        return {
          id: String(id),
          number: c?.number ?? null,
          address: c?.address ?? null,
          state: c?.state ?? null,
          reportedAt: c ? new Date(c.reported_at).toISOString() : null,
        };
      }),
    })),
    ...pageInfo(total, q.limit, q.offset),
  };
}
