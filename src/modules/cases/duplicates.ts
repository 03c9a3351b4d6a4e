/**
 * Possible duplicates (疑似重复): open cases of the same 小类 near a case and reported close in
 * time, offered at intake for merging (合并). A 细类 counts as its 小类.
 */
import { type Kysely, sql } from 'kysely';
import { TERMINAL_STATES } from '../../domain/workflow/index.js';
import { type Actor, type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { notFound } from '../../platform/errors.js';
import { findCase, visibleTo } from './repo.js';

export interface DuplicateRules {
  radiusM: number;
  windowHours: number;
}

/** The 小类 of a class: itself, or its parent for a 细类. */
const minorOf = (alias: string) =>
  sql<number>`(SELECT CASE WHEN k.level = 'detail' THEN k.parent_id ELSE k.id END FROM categories k WHERE k.id = ${sql.ref(`${alias}.category_id`)})`;

export async function duplicatesOf(
  db: Kysely<Database>,
  actor: Actor,
  caseId: number,
  rules: DuplicateRules,
) {
  const windowMs = rules.windowHours * 3_600_000;
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('cases as me', (j) => j.on('me.id', '=', caseId))
    .select([
      'c.id',
      'c.number',
      'c.state',
      'c.address',
      'c.reported_at',
      'c.grid_code',
      sql<number>`ST_Distance(c.location::geography, me.location::geography)`.as('distance_m'),
      sql<number>`abs(extract(epoch FROM (c.reported_at - me.reported_at)))`.as('seconds_apart'),
    ])
    .where('c.id', '<>', caseId)
    .where('c.state', 'not in', [...TERMINAL_STATES])
    .where(sql<boolean>`${minorOf('c')} = ${minorOf('me')}`)
    .where(sql<boolean>`ST_DWithin(c.location::geography, me.location::geography, ${rules.radiusM})`)
    .where(sql<boolean>`c.reported_at BETWEEN me.reported_at - ${`${windowMs} milliseconds`}::interval
                                          AND me.reported_at + ${`${windowMs} milliseconds`}::interval`)
    .where(visibleTo(actor))
    .orderBy('distance_m')
    .orderBy('seconds_apart')
    .orderBy('c.id')
    .limit(20)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    state: r.state,
    address: r.address,
    gridCode: r.grid_code,
    reportedAt: r.reported_at.toISOString(),
    distanceM: Math.round(Number(r.distance_m) * 10) / 10,
    hoursApart: Math.round((Number(r.seconds_apart) / 3600) * 10) / 10,
  }));
}

/** GET /cases/:id/duplicates */
export async function caseDuplicates(ctx: Ctx, id: number, rules: DuplicateRules) {
  requirePermission(ctx.actor, 'case.read');
  const row = await findCase(ctx.db, ctx.actor, id);
  if (!row) throw notFound('case');
  return {
    caseId: id,
    radiusM: rules.radiusM,
    windowHours: rules.windowHours,
    items: await duplicatesOf(ctx.db, ctx.actor, id, rules),
  };
}

/** The report response: the new case and what it may duplicate (ids, numbers, distances). */
export async function withDuplicates<T extends { id: number }>(ctx: Ctx, created: T, rules: DuplicateRules) {
  const items = await duplicatesOf(ctx.db, ctx.actor, created.id, rules);
  return {
    ...created,
    possibleDuplicates: items.map((d) => ({ id: d.id, number: d.number, distanceM: d.distanceM })),
  };
}
