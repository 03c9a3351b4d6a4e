/**
 * 指挥大屏 (the centre's wall): what the live counts do not give — cases reported and closed per
 * local day over the last 30 days (today included), the rankings of the latest published
 * evaluation, and the red-light cases still open (alarms), newest deadline breach first. Cheap
 * reads only: the screen asks again on every case change it hears.
 */
import { sql } from 'kysely';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { visibleTo } from '../cases/repo.js';

const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
export const TREND_DAYS = 30;
const TERMINAL = ['rejected', 'closed', 'voided', 'merged'];

/** Local (+08:00) day of an instant, YYYY-MM-DD. */
const localDay = (at: Date) => new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);

export async function screenSummary(ctx: Ctx, now = new Date()) {
  requirePermission(ctx.actor, 'evaluation.read');
  const today = localDay(now);
  const since = new Date(Date.parse(`${today}T00:00:00+08:00`) - (TREND_DAYS - 1) * DAY_MS);
  const visible = sql<boolean>`c.id IN (${ctx.db.selectFrom('cases as c').select('c.id').where(visibleTo(ctx.actor))})`;
  const dayOf = (col: string) =>
    sql<string>`to_char((${sql.ref(col)} AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD')`;
  const reported = await sql<{ day: string; n: number }>`
    SELECT ${dayOf('c.reported_at')} AS day, count(*)::int AS n FROM cases c
    WHERE c.reported_at >= ${since} AND ${visible} GROUP BY 1`.execute(ctx.db);
  const closed = await sql<{ day: string; n: number }>`
    SELECT ${dayOf('c.closed_at')} AS day, count(*)::int AS n FROM cases c
    WHERE c.state = 'closed' AND c.closed_at >= ${since} AND ${visible} GROUP BY 1`.execute(ctx.db);
  const r = new Map(reported.rows.map((x) => [x.day, x.n]));
  const cl = new Map(closed.rows.map((x) => [x.day, x.n]));
  const days = Array.from({ length: TREND_DAYS }, (_, i) => {
    const day = localDay(new Date(since.getTime() + i * DAY_MS));
    return { day, reported: r.get(day) ?? 0, closed: cl.get(day) ?? 0 };
  });

  const pub = await ctx.db
    .selectFrom('evaluation_publications')
    .select(['id', 'title', 'period_from', 'period_to'])
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  let rankings = null;
  if (pub) {
    const rows = await ctx.db
      .selectFrom('evaluation_publication_rows')
      .select(['subject_type', 'subject_name', 'composite', 'grade', 'rank'])
      .where('publication_id', '=', pub.id)
      .where('subject_type', 'in', ['district', 'department'])
      .where('rank', 'is not', null)
      .orderBy('subject_type')
      .orderBy('rank')
      .orderBy('subject_id')
      .execute();
    const of = (type: string, n: number) =>
      rows
        .filter((x) => x.subject_type === type)
        .slice(0, n)
        .map((x) => ({ name: x.subject_name, composite: x.composite, grade: x.grade, rank: x.rank }));
    rankings = { title: pub.title, districts: of('district', 6), departments: of('department', 6) };
  }

  const alarms = await sql<{
    id: number;
    number: string;
    category: string;
    address: string;
    step_deadline: Date | null;
  }>`
    SELECT c.id, c.number, cat.name AS category, c.address, c.step_deadline
    FROM cases c JOIN categories cat ON cat.id = c.category_id
    WHERE c.light = 'red' AND c.state NOT IN (${sql.join(TERMINAL)}) AND ${visible}
    ORDER BY c.step_deadline DESC NULLS LAST, c.id DESC LIMIT 6`.execute(ctx.db);
  return {
    today,
    days,
    rankings,
    alarms: alarms.rows.map((a) => ({
      id: a.id,
      number: a.number,
      category: a.category,
      address: a.address,
      deadline: a.step_deadline ? a.step_deadline.toISOString() : null,
    })),
  };
}
