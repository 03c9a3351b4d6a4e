/**
 * The daily digest for department heads: for a department and its sub-units, what is open, what
 * is overdue (red), what came in and what was closed on the day, and the overdue cases by number.
 * Sent each morning (from 08:00 local) for the day before to every channel that names a
 * department, once per channel and day.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { type Channel, notify, type Outcome } from './notify.js';

/** Cases still being worked on (the terminal states are out). */
const OPEN = sql.raw(`c.state NOT IN ('rejected', 'closed', 'voided', 'merged')`);
const OFFSET_MS = 8 * 3600_000;

/** The local (+08:00) day before `now`, as YYYY-MM-DD. */
export function yesterdayOf(now: Date): string {
  return new Date(now.getTime() + OFFSET_MS - 86_400_000).toISOString().slice(0, 10);
}

export async function buildDigest(db: Kysely<Database>, departmentId: number, day: string) {
  const dept = await db
    .selectFrom('departments')
    .select(['name', 'path'])
    .where('id', '=', departmentId)
    .executeTakeFirstOrThrow();
  const start = new Date(`${day}T00:00:00+08:00`);
  const end = new Date(start.getTime() + 86_400_000);
  const inDept = sql<boolean>`c.department_id IN (SELECT id FROM departments WHERE path LIKE ${`${dept.path}%`})`;
  const figures = await sql<{ open: number; red: number; closed: number; received: number }>`
    SELECT
      count(*) FILTER (WHERE ${OPEN})::int AS open,
      count(*) FILTER (WHERE ${OPEN} AND c.light = 'red')::int AS red,
      count(*) FILTER (WHERE c.closed_at >= ${start} AND c.closed_at < ${end})::int AS closed,
      (SELECT count(DISTINCT e.case_id)::int FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE e.action = 'dispatch' AND e.at >= ${start} AND e.at < ${end} AND ${inDept}) AS received
    FROM cases c WHERE ${inDept}`.execute(db);
  const overdue = await sql<{ number: string; address: string; step_deadline: Date | null }>`
    SELECT c.number, c.address, c.step_deadline FROM cases c
    WHERE ${inDept} AND ${OPEN} AND c.light = 'red'
    ORDER BY c.step_deadline NULLS LAST, c.id LIMIT 5`.execute(db);
  const f = figures.rows[0] ?? { open: 0, red: 0, closed: 0, received: 0 };
  const lines = [
    `【${dept.name}】${day} 案卷日报`,
    `昨日派入 ${f.received} 件，结案 ${f.closed} 件；当前在办 ${f.open} 件，其中超期（红灯）${f.red} 件。`,
    ...(overdue.rows.length > 0
      ? ['超期案卷：', ...overdue.rows.map((r) => `· ${r.number} ${r.address}`)]
      : ['无超期案卷。']),
  ];
  return {
    subject: `digest:${day}`,
    text: lines.join('\n'),
    figures: f,
    overdue: overdue.rows.map((r) => r.number),
  };
}

/** Sends the day's digest to every digest channel that has not had it yet; returns what was done. */
export async function runDigests(db: Kysely<Database>, day: string, smsGatewayUrl: string | null) {
  const channels = await db
    .selectFrom('notify_channels')
    .select(['id', 'kind', 'url', 'secret', 'phones', 'digest_department_id'])
    .where('active', '=', true)
    .where('digest_department_id', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('notify_log as l')
            .select('l.id')
            .whereRef('l.channel_id', '=', 'notify_channels.id')
            .where('l.subject', '=', `digest:${day}`)
            .where('l.outcome', 'in', ['sent', 'logged']),
        ),
      ),
    )
    .orderBy('id')
    .execute();
  const done: Array<{ channelId: number } & Outcome> = [];
  for (const c of channels) {
    const digest = await buildDigest(db, c.digest_department_id as number, day);
    const channel: Channel = { id: c.id, kind: c.kind, url: c.url, secret: c.secret, phones: c.phones };
    done.push({ channelId: c.id, ...(await notify(db, channel, digest, smsGatewayUrl)) });
  }
  return done;
}

/** Checks once a minute; from 08:00 local the day before is sent (each channel once). */
export function digestScheduler(
  db: Kysely<Database>,
  smsGatewayUrl: string | null,
  onError: (err: unknown) => void,
) {
  let timer: NodeJS.Timeout | null = null;
  const tick = async () => {
    const now = new Date();
    const hour = new Date(now.getTime() + OFFSET_MS).getUTCHours();
    if (hour < 8) return;
    await runDigests(db, yesterdayOf(now), smsGatewayUrl).catch(onError);
  };
  return {
    start() {
      timer ??= setInterval(() => void tick(), 60_000);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
