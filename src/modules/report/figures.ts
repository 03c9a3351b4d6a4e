/**
 * The figures of a 月度分析报告, read through the same services the console's API answers with:
 * 运行统计 (operationalStats) for the month, the month before and the same month a year before;
 * the rankings of the month's published evaluation (the latest one published for exactly that
 * month; without one, computed now and said so); and, straight from the case tables, the few
 * lists no API gives (recurring problems, overdue and difficult cases, cases per day).
 */
import { sql } from 'kysely';
import type { SubjectType } from '../../domain/evaluation/index.js';
import type { Ctx } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { visibleTo } from '../cases/repo.js';
import { periodOf } from '../evaluation/period.js';
import { getPublication } from '../evaluation/publications.js';
import { evaluationResults } from '../evaluation/service.js';
import { operationalStats } from '../evaluation/stats.js';

export type Stats = Awaited<ReturnType<typeof operationalStats>>;
export type StatsRow = Stats['total'];

/** The subject types ranked in the report: areas, departments and two posts (岗位). */
export const RANKED_TYPES = ['district', 'street', 'department', 'supervisor', 'dispatcher'] as const;

export interface RankRow {
  subjectId: string;
  subjectName: string;
  composite: number | null;
  grade: string | null;
  rank: number | null;
}

/** A special topic (专项): the categories whose names match, in one kind. */
export interface Topic {
  key: string;
  title: string;
  kind: 'component' | 'event';
  pattern: RegExp;
}
export const TOPICS: readonly Topic[] = [
  { key: 'covers', title: '井盖', kind: 'component', pattern: /井盖/ },
  { key: 'sanitation', title: '环卫', kind: 'event', pattern: /垃圾|保洁|积存|废弃物|渣土|粪便|公厕/ },
];

/** A case a list names (overdue, difficult). */
export interface ListedCase {
  number: string;
  category: string;
  address: string;
  state: string;
  department: string | null;
  overdueSteps: number;
  reworks: number;
  openDays: number | null;
}

const ENDED = ['rejected', 'closed', 'voided', 'merged'];
/** 疑难: still open this many days after its report, or sent back for rework this many times. */
export const DIFFICULT_OPEN_DAYS = 15;
export const DIFFICULT_REWORKS = 2;
/** 反复发生: the same grid and category at least this many times in the month. */
export const RECURRING_MIN = 3;

export function monthSpan(month: string) {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new AppError('REPORT_MONTH_INVALID', { details: { month } });
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const day = (yy: number, mm: number) => {
    const d = new Date(Date.UTC(yy, mm - 1, 1));
    return d.toISOString().slice(0, 10);
  };
  const p = periodOf('month', day(y, mo));
  const prev = periodOf('month', day(mo === 1 ? y - 1 : y, mo === 1 ? 12 : mo - 1));
  const lastYear = periodOf('month', day(y - 1, mo));
  return { year: y, month: mo, period: p, prev, lastYear };
}

/** Previous local month of `now` as YYYY-MM (the month the scheduler reports on). */
export function previousMonthOf(now: Date): string {
  const local = new Date(now.getTime() + 8 * 3600_000);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth(); // 0-based: the previous month's 1-based number
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`;
}

async function rankings(ctx: Ctx, month: string, firstDay: string) {
  const span = monthSpan(month).period;
  const pub = await ctx.db
    .selectFrom('evaluation_publications')
    .select(['id', 'title'])
    .where('period_kind', '=', 'month')
    .where('period_from', '=', span.from)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const tables: Partial<Record<SubjectType, RankRow[]>> = {};
  const pick = (rows: unknown[]): RankRow[] =>
    (rows as RankRow[]).map((r) => ({
      subjectId: r.subjectId,
      subjectName: r.subjectName,
      composite: r.composite,
      grade: r.grade,
      rank: r.rank,
    }));
  if (pub) {
    const p = await getPublication(ctx, pub.id);
    for (const t of RANKED_TYPES) tables[t] = pick(p.tables[t] ?? []);
    return { publicationId: pub.id, title: pub.title, tables };
  }
  for (const t of RANKED_TYPES) {
    const r = await evaluationResults(ctx, { subjectType: t, period: 'month', from: firstDay });
    tables[t] = pick(r.rows);
  }
  return { publicationId: null, title: null, tables };
}

export type ReportFigures = Awaited<ReturnType<typeof gatherFigures>>;

export async function gatherFigures(
  ctx: Ctx,
  month: string,
  engine: 'facts' | 'replay',
  progress: (percent: number, message: string) => Promise<void>,
) {
  const s = monthSpan(month);
  const stats = (p: { firstDay: string; lastDay: string }, groupBy: 'source' | 'category' | 'district') =>
    operationalStats(ctx, { from: p.firstDay, to: p.lastDay, groupBy }, engine);
  await progress(5, '运行统计 · statistics');
  const bySource = await stats(s.period, 'source');
  const byCategory = await stats(s.period, 'category');
  const byDistrict = await stats(s.period, 'district');
  await progress(25, '环比、同比 · month on month, year on year');
  const prev = (await stats(s.prev, 'source')).total;
  const lastYear = (await stats(s.lastYear, 'source')).total;
  await progress(45, '综合评价排名 · evaluation rankings');
  const ranks = await rankings(ctx, month, s.period.firstDay);
  await progress(65, '反复发生、超期、疑难案件 · recurring, overdue, difficult');
  const visible = sql<boolean>`c.id IN (${ctx.db.selectFrom('cases as c').select('c.id').where(visibleTo(ctx.actor))})`;
  const { from, to } = s.period;
  const recurring = await sql<{
    grid_code: string;
    category: string;
    kind: string;
    n: number;
    place: string;
  }>`
    SELECT c.grid_code, cat.name AS category, c.kind, count(*)::int AS n,
           coalesce(d.name, '') || substr(c.grid_code, 13) || '号网格' AS place
    FROM cases c JOIN categories cat ON cat.id = c.category_id
    LEFT JOIN divisions d ON d.code = substr(c.grid_code, 1, 12)
    WHERE c.reported_at >= ${from} AND c.reported_at < ${to} AND ${visible}
    GROUP BY c.grid_code, cat.name, c.kind, d.name
    HAVING count(*) >= ${RECURRING_MIN}
    ORDER BY n DESC, c.grid_code, cat.name LIMIT 10`.execute(ctx.db);
  const listed = await sql<{
    number: string;
    category: string;
    address: string;
    state: string;
    department: string | null;
    overdue_steps: number;
    reworks: number;
    open_days: number | null;
  }>`
    SELECT c.number, cat.name AS category, c.address, c.state, dep.name AS department,
           (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id AND e.action = 'overdue' AND e.at < ${to}) AS overdue_steps,
           coalesce((c.counters ->> 'rework')::int, 0) AS reworks,
           CASE WHEN c.state IN (${sql.join(ENDED)}) THEN NULL
                ELSE floor(extract(epoch FROM (${to}::timestamptz - c.reported_at)) / 86400)::int END AS open_days
    FROM cases c JOIN categories cat ON cat.id = c.category_id
    LEFT JOIN departments dep ON dep.id = c.department_id
    WHERE c.reported_at >= ${from} AND c.reported_at < ${to} AND ${visible}
      AND (EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.action = 'overdue' AND e.at < ${to})
           OR coalesce((c.counters ->> 'rework')::int, 0) >= ${DIFFICULT_REWORKS}
           OR (c.state NOT IN (${sql.join(ENDED)}) AND c.reported_at < ${to}::timestamptz - make_interval(days => ${DIFFICULT_OPEN_DAYS})))
    ORDER BY c.reported_at, c.id`.execute(ctx.db);
  const asCase = (r: (typeof listed.rows)[number]): ListedCase => ({
    number: r.number,
    category: r.category,
    address: r.address,
    state: r.state,
    department: r.department,
    overdueSteps: r.overdue_steps,
    reworks: r.reworks,
    openDays: r.open_days,
  });
  const overdue = listed.rows.filter((r) => r.overdue_steps > 0).map(asCase);
  const difficult = listed.rows
    .filter(
      (r) => r.reworks >= DIFFICULT_REWORKS || (r.open_days !== null && r.open_days >= DIFFICULT_OPEN_DAYS),
    )
    .map(asCase);
  const daily = await sql<{ day: string; n: number }>`
    SELECT to_char((c.reported_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD') AS day, count(*)::int AS n
    FROM cases c WHERE c.reported_at >= ${from} AND c.reported_at < ${to} AND ${visible}
    GROUP BY 1 ORDER BY 1`.execute(ctx.db);
  const topics = TOPICS.map((t) => {
    const rows = byCategory.groups.filter((g) => g.kind === t.kind && t.pattern.test(g.label));
    const sum = (k: 'reported' | 'dueClose' | 'closed' | 'closedOnTime') =>
      rows.reduce((n, r) => n + r[k], 0);
    return {
      key: t.key,
      title: t.title,
      categories: rows,
      reported: sum('reported'),
      dueClose: sum('dueClose'),
      closed: sum('closed'),
      closedOnTime: sum('closedOnTime'),
    };
  });
  await progress(75, '成文 · writing');
  return {
    month,
    firstDay: s.period.firstDay,
    lastDay: s.period.lastDay,
    asOf: bySource.asOf,
    total: bySource.total,
    previousMonth: prev,
    lastYear,
    sources: bySource.groups,
    districts: byDistrict.groups,
    topCategories: bySource.topCategories,
    topPlaces: bySource.topPlaces,
    rankings: ranks,
    recurring: recurring.rows.map((r) => ({
      gridCode: r.grid_code,
      place: r.place,
      category: r.category,
      kind: r.kind,
      count: r.n,
    })),
    overdue: { count: overdue.length, cases: overdue.slice(0, 15) },
    difficult: { count: difficult.length, cases: difficult.slice(0, 15) },
    daily: daily.rows,
    topics,
  };
}
