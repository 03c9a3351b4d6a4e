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
import { caseEvents, casePhotos, caseQuery, findCase, lastRework, visibleTo } from './repo.js';
import { ENDPOINT_ACTIONS, type QueueQuery } from './schema.js';

async function visibleCase(ctx: Ctx, id: number) {
  requirePermission(ctx.actor, 'case.read');
  const row = await findCase(ctx.db, ctx.actor, id);
  if (!row) throw notFound('case');
  return row;
}

/** One case, with its photos and, once it was sent back (返工), the checker's reason and photos. */
export async function getCase(ctx: Ctx, id: number) {
  const row = await visibleCase(ctx, id);
  const [photos, rework] = await Promise.all([casePhotos(ctx.db, id), lastRework(ctx.db, row)]);
  return { ...presentCase(ctx.actor, row, photos), rework };
}

/**
 * What I may do now, assuming I fill in the form (reason, photos, department), and which of those
 * actions need photos: the ones the rules refuse when the form comes without any (处置反馈, and
 * 核查 where the class's standard asks for photos).
 */
export async function actionsForMe(ctx: Ctx, id: number) {
  const row = await visibleCase(ctx, id);
  const fromCase = await caseFacts(ctx.db, ctx.actor, row);
  const snapshot = { state: row.state as CaseState, pending: pendingOf(row) };
  const possible = allowedActions(snapshot, ctx.actor.role, { ...fromCase, ...FORM_FILLED }) as string[];
  const withoutPhotos = allowedActions(snapshot, ctx.actor.role, {
    ...fromCase,
    ...FORM_FILLED,
    hasAfterPhotos: false,
    checkPhotosGiven: fromCase.checkPhotosGiven === true,
  }) as string[];
  const actions = ENDPOINT_ACTIONS.filter((a) => possible.includes(a));
  return {
    version: row.version,
    actions,
    photosRequired: actions.filter((a) => !withoutPhotos.includes(a)),
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

const DAY_MS = 86_400_000;
/** A filter bound as an instant: a bare day is the local (+08:00) day, `to` includes all of it. */
function bound(value: string, edge: 'from' | 'to'): Date {
  if (value.length > 10) return new Date(value);
  const start = new Date(`${value}T00:00:00+08:00`);
  return edge === 'from' ? start : new Date(start.getTime() + DAY_MS);
}

/** LIKE pattern text with its wildcards taken literally (PostgreSQL's default escape is `\`). */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

function badFilter(details: Record<string, unknown>, zh: string, en: string): never {
  throw new AppError('VALIDATION_FAILED', { details, message: { zh, en } });
}

/**
 * My cases narrowed by the list filters (scope first, then each filter given), unordered. The
 * list and the export share it so both answer the same question.
 */
export function filteredCases(ctx: Ctx, q: QueueQuery) {
  requirePermission(ctx.actor, 'case.read');
  const from = q.reportedFrom ? bound(q.reportedFrom, 'from') : null;
  const to = q.reportedTo ? bound(q.reportedTo, 'to') : null;
  if (from && to && from >= to) {
    badFilter(
      { reportedFrom: q.reportedFrom, reportedTo: q.reportedTo },
      '开始日期不能晚于结束日期',
      'reportedFrom must not be after reportedTo',
    );
  }
  let query = caseQuery(ctx.db).where(visibleTo(ctx.actor));
  if (q.queue) {
    const { plain, pending } = queueStates(q.queue);
    query = query.where((eb) =>
      eb.or([
        eb.and([eb('c.state', 'in', plain.length ? plain : ['-']), eb('c.pending_kind', 'is', null)]),
        eb.and([eb('c.state', 'in', pending.length ? pending : ['-']), eb('c.pending_kind', 'is not', null)]),
      ]),
    );
  }
  if (q.stateIn) query = query.where('c.state', 'in', q.stateIn);
  else if (!q.queue && q.state === 'open') query = query.where('c.state', 'not in', [...TERMINAL_STATES]);
  if (q.q) {
    const text = `%${likeEscape(q.q)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('c.number', 'like', `${likeEscape(q.q ?? '')}%`),
        eb('c.address', 'ilike', text),
        eb('c.description', 'ilike', text),
      ]),
    );
  }
  if (q.kind) query = query.where('c.kind', '=', q.kind);
  if (q.categoryCode) query = query.where('cat.code', 'like', `${q.categoryCode}%`);
  if (q.source) query = query.where('c.source', '=', q.source);
  // Division and grid codes nest, so every area filter is a prefix of the case's grid code.
  for (const area of [q.districtCode, q.streetCode, q.communityCode, q.gridCode]) {
    if (area) query = query.where('c.grid_code', 'like', `${area}%`);
  }
  if (q.light) query = query.where('c.light', '=', q.light);
  if (from) query = query.where('c.reported_at', '>=', from);
  if (to) query = query.where('c.reported_at', q.reportedTo && q.reportedTo.length > 10 ? '<=' : '<', to);
  if (q.urgency) query = query.where('c.urgency', '=', q.urgency);
  if (q.reportedBy === 'me') query = query.where('c.reported_by', '=', ctx.actor.userId);
  if (q.departmentCode) {
    const code = q.departmentCode;
    query = query.where('c.department_id', 'in', (eb) =>
      eb
        .selectFrom('departments as sub')
        .innerJoin('departments as top', (j) => j.on('top.code', '=', code))
        .select('sub.id')
        .where(sql<boolean>`sub.path LIKE top.path || '%'`),
    );
  }
  return query;
}

/**
 * Cases in my scope matching the filters, soonest deadline first (no deadline last); keyset
 * pages (`cursor`) or numbered pages (`offset`), with the `total` of all matches.
 */
export async function listCases(ctx: Ctx, q: QueueQuery) {
  if (q.cursor && q.offset !== undefined) {
    badFilter(
      { cursor: q.cursor, offset: q.offset },
      'cursor 与 offset 不能同时使用',
      'Use cursor or offset, not both',
    );
  }
  const filtered = filteredCases(ctx, q);
  const sortKey = sql<Date>`coalesce(c.step_deadline, 'infinity'::timestamptz)`;
  let query = filtered
    .orderBy(sortKey)
    .orderBy('c.id')
    .limit(q.limit + 1);
  if (q.cursor) {
    const { key, id } = decodeCursor(q.cursor);
    query = query.where(sql<boolean>`(${sortKey}, c.id) > (${key}::timestamptz, ${id}::int)`);
  }
  if (q.offset) query = query.offset(q.offset);
  const [rows, count] = await Promise.all([
    query.execute(),
    filtered
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > q.limit && last
      ? Buffer.from(JSON.stringify([last.step_deadline?.toISOString() ?? INFINITY, last.id])).toString(
          'base64url',
        )
      : null;
  return { items: page.map((r) => presentCase(ctx.actor, r)), nextCursor, total: Number(count.n) };
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
