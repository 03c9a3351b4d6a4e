/** Reading cases: one case, the allowed actions, the timeline, the work queues. */
import { sql } from 'kysely';
import {
  allowedActions,
  CASE_STATES,
  type CaseState,
  type Queue,
  queueOf,
  TERMINAL_STATES,
} from '../../domain/workflow/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { caseFacts, FORM_FILLED } from './facts.js';
import { pendingOf, presentCase, presentEvent } from './presenter.js';
import { caseEvents, casePhotos, caseQuery, findCase, visibleTo } from './repo.js';
import { ENDPOINT_ACTIONS, type QueueQuery } from './schema.js';

async function visibleCase(ctx: Ctx, id: number) {
  requirePermission(ctx.actor, 'case.read');
  const row = await findCase(ctx.db, ctx.actor, id);
  if (!row) throw notFound('case');
  return row;
}

export async function getCase(ctx: Ctx, id: number) {
  const row = await visibleCase(ctx, id);
  return presentCase(ctx.actor, row, await casePhotos(ctx.db, id));
}

/** What I may do now, assuming I fill in the form (reason, photos, department). */
export async function actionsForMe(ctx: Ctx, id: number) {
  const row = await visibleCase(ctx, id);
  const facts = { ...(await caseFacts(ctx.db, ctx.actor, row)), ...FORM_FILLED };
  const snapshot = { state: row.state as CaseState, pending: pendingOf(row) };
  const possible = allowedActions(snapshot, ctx.actor.role, facts) as string[];
  return {
    version: row.version,
    actions: ENDPOINT_ACTIONS.filter((a) => possible.includes(a)),
  };
}

export async function caseTimeline(ctx: Ctx, id: number) {
  await visibleCase(ctx, id);
  return { items: (await caseEvents(ctx.db, id)).map(presentEvent) };
}

/** The (state, has-pending) pairs of a queue, derived from queueOf so the two never disagree. */
function queueStates(queue: Queue) {
  const plain = CASE_STATES.filter((s) => queueOf(s, null) === queue);
  const pending = CASE_STATES.filter((s) => queueOf(s, { kind: 'void', requestedBy: 'intake' }) === queue);
  return { plain, pending };
}

const INFINITY = 'infinity';

function decodeCursor(cursor: string): { key: string; id: number } {
  try {
    const [key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (
      (key === INFINITY || (typeof key === 'string' && !Number.isNaN(Date.parse(key)))) &&
      Number.isInteger(id)
    ) {
      return { key, id: id as number };
    }
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', {
    details: { cursor },
    message: { zh: '分页游标无效', en: 'Invalid page cursor' },
  });
}

/** Cases in my scope, soonest deadline first (no deadline last), keyset-paginated. */
export async function listCases(ctx: Ctx, q: QueueQuery) {
  requirePermission(ctx.actor, 'case.read');
  const sortKey = sql<Date>`coalesce(c.step_deadline, 'infinity'::timestamptz)`;
  let query = caseQuery(ctx.db)
    .where(visibleTo(ctx.actor))
    .orderBy(sortKey)
    .orderBy('c.id')
    .limit(q.limit + 1);
  if (q.queue) {
    const { plain, pending } = queueStates(q.queue);
    query = query.where((eb) =>
      eb.or([
        eb.and([eb('c.state', 'in', plain.length ? plain : ['-']), eb('c.pending_kind', 'is', null)]),
        eb.and([eb('c.state', 'in', pending.length ? pending : ['-']), eb('c.pending_kind', 'is not', null)]),
      ]),
    );
  } else if (q.state === 'open') {
    query = query.where('c.state', 'not in', [...TERMINAL_STATES]);
  }
  if (q.cursor) {
    const { key, id } = decodeCursor(q.cursor);
    query = query.where(sql<boolean>`(${sortKey}, c.id) > (${key}::timestamptz, ${id}::int)`);
  }
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > q.limit && last
      ? Buffer.from(JSON.stringify([last.step_deadline?.toISOString() ?? INFINITY, last.id])).toString(
          'base64url',
        )
      : null;
  return { items: page.map((r) => presentCase(ctx.actor, r)), nextCursor };
}

/** How many cases wait in each queue for me (my scope). */
export async function queueCounts(ctx: Ctx) {
  requirePermission(ctx.actor, 'case.read');
  const rows = await ctx.db
    .selectFrom('cases as c')
    .select([
      'c.state',
      sql<boolean>`c.pending_kind IS NOT NULL`.as('pending'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where(visibleTo(ctx.actor))
    .where('c.state', 'not in', [...TERMINAL_STATES])
    .groupBy(['c.state', sql`c.pending_kind IS NOT NULL`])
    .execute();
  const counts: Partial<Record<Queue, number>> = {};
  for (const r of rows) {
    const queue = queueOf(r.state as CaseState, r.pending ? { kind: 'void', requestedBy: 'intake' } : null);
    if (queue) counts[queue] = (counts[queue] ?? 0) + Number(r.n);
  }
  return { counts };
}
