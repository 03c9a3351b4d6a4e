/** The command view's numbers: open cases by light and status, today's reports and closures, overdue. */
import { sql } from 'kysely';
import { CASE_STATES, TERMINAL_STATES } from '../../domain/workflow/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { visibleTo } from '../cases/repo.js';

const DEFAULT_OFFSET_MINUTES = 480;

/** Start of the office calendar's current local day (the centre's "today"). */
async function startOfToday(ctx: Ctx, now: Date): Promise<Date> {
  const cal = await ctx.db
    .selectFrom('working_calendars')
    .select('utc_offset_minutes')
    .where('id', '=', 'office')
    .executeTakeFirst();
  const offsetMs = (cal?.utc_offset_minutes ?? DEFAULT_OFFSET_MINUTES) * 60_000;
  const local = now.getTime() + offsetMs;
  return new Date(local - (local % 86_400_000) - offsetMs);
}

export interface LiveCounts {
  open: number;
  byLight: { green: number; yellow: number; red: number; none: number };
  byStatus: Record<string, number>;
  reportedToday: number;
  closedToday: number;
  overdue: number;
  since: string;
}

/** Counts over the cases the actor may see (the same scope as the case lists). */
export async function liveCounts(ctx: Ctx, now = new Date()): Promise<LiveCounts> {
  requirePermission(ctx.actor, 'case.read');
  const today = await startOfToday(ctx, now);
  const terminal = [...TERMINAL_STATES];
  const open = sql<boolean>`c.state NOT IN (${sql.join(terminal)})`;
  const rows = await ctx.db
    .selectFrom('cases as c')
    .select([
      'c.state',
      sql<number>`count(*) FILTER (WHERE ${open})`.as('open'),
      sql<number>`count(*) FILTER (WHERE ${open} AND c.light = 'green')`.as('green'),
      sql<number>`count(*) FILTER (WHERE ${open} AND c.light = 'yellow')`.as('yellow'),
      sql<number>`count(*) FILTER (WHERE ${open} AND c.light = 'red')`.as('red'),
      sql<number>`count(*) FILTER (WHERE ${open} AND c.step_deadline < ${now})`.as('overdue'),
      sql<number>`count(*) FILTER (WHERE c.reported_at >= ${today})`.as('reported'),
      sql<number>`count(*) FILTER (WHERE c.state = 'closed' AND c.closed_at >= ${today})`.as('closed'),
    ])
    .where(visibleTo(ctx.actor))
    .where((eb) =>
      eb.or([
        eb('c.state', 'not in', terminal),
        eb('c.reported_at', '>=', today),
        eb('c.closed_at', '>=', today),
      ]),
    )
    .groupBy('c.state')
    .execute();
  const out: LiveCounts = {
    open: 0,
    byLight: { green: 0, yellow: 0, red: 0, none: 0 },
    byStatus: Object.fromEntries(CASE_STATES.filter((s) => !terminal.includes(s)).map((s) => [s, 0])),
    reportedToday: 0,
    closedToday: 0,
    overdue: 0,
    since: today.toISOString(),
  };
  for (const r of rows) {
    const n = Number(r.open);
    out.open += n;
    if (n > 0) out.byStatus[r.state] = (out.byStatus[r.state] ?? 0) + n;
    out.byLight.green += Number(r.green);
    out.byLight.yellow += Number(r.yellow);
    out.byLight.red += Number(r.red);
    out.overdue += Number(r.overdue);
    out.reportedToday += Number(r.reported);
    out.closedToday += Number(r.closed);
  }
  out.byLight.none = out.open - out.byLight.green - out.byLight.yellow - out.byLight.red;
  return out;
}
