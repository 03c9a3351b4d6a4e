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

/** Where and when a case was reported, and its class: what its possible duplicates are near to. */
export interface DuplicateProbe {
  /** The case itself, left out of the answer. */
  caseId: number;
  lng: number;
  lat: number;
  reportedAt: Date;
  categoryId: number;
}

/**
 * The open states, as a constant list: the partial index cases_open_location_geog_gix
 * (migrations/0025_lean_intake.sql) serves the check only when its condition is written with
 * the same constants (a parameter would not let the planner prove the index applies).
 */
const OPEN_CONDITION = sql<boolean>`c.state NOT IN (${sql.raw(TERMINAL_STATES.map((s) => `'${s}'`).join(', '))})`;

function candidates(db: Kysely<Database>, probe: DuplicateProbe, rules: DuplicateRules) {
  const windowMs = rules.windowHours * 3_600_000;
  const from = new Date(probe.reportedAt.getTime() - windowMs);
  const to = new Date(probe.reportedAt.getTime() + windowMs);
  const here = sql`ST_SetSRID(ST_MakePoint(${probe.lng}, ${probe.lat}), 4326)::geography`;
  // The 小类 of the probe's class (itself, or its parent for a 细类) and every 细类 under it.
  const family = sql<boolean>`c.category_id IN (
    SELECT k.id FROM categories k, categories p
    WHERE p.id = ${probe.categoryId}
      AND (k.id = CASE WHEN p.level = 'detail' THEN p.parent_id ELSE p.id END
        OR k.parent_id = CASE WHEN p.level = 'detail' THEN p.parent_id ELSE p.id END))`;
  return db
    .selectFrom('cases as c')
    .select([
      'c.id',
      'c.number',
      'c.state',
      'c.address',
      'c.reported_at',
      'c.grid_code',
      sql<number>`ST_Distance(c.location::geography, ${here})`.as('distance_m'),
      sql<number>`abs(extract(epoch FROM (c.reported_at - ${probe.reportedAt}::timestamptz)))`.as(
        'seconds_apart',
      ),
    ])
    .where(sql<boolean>`ST_DWithin(c.location::geography, ${here}, ${rules.radiusM})`)
    .where(OPEN_CONDITION)
    .where('c.reported_at', '>=', from)
    .where('c.reported_at', '<=', to)
    .where('c.id', '<>', probe.caseId)
    .where(family);
}

/**
 * The report's possible duplicates (id, number, metres; nearest first) as one JSON value, for the
 * RETURNING of the INSERT that files the report: the check costs no statement of its own. The
 * statement's snapshot does not hold the new case, so it is not among them.
 */
export function duplicatesJson(
  db: Kysely<Database>,
  actor: Actor,
  probe: Omit<DuplicateProbe, 'caseId'>,
  rules: DuplicateRules,
) {
  const near = candidates(db, { ...probe, caseId: 0 }, rules)
    .where(visibleTo(actor))
    .orderBy('distance_m')
    .orderBy('seconds_apart')
    .orderBy('c.id')
    .limit(20);
  return sql<Array<{ id: number; number: string; distance_m: number }>>`(
    SELECT coalesce(json_agg(json_build_object('id', d.id, 'number', d.number, 'distance_m', d.distance_m)
      ORDER BY d.distance_m, d.seconds_apart, d.id), '[]'::json)
    FROM (${near}) d)`;
}

export const roundedDuplicates = (rows: ReadonlyArray<{ id: number; number: string; distance_m: number }>) =>
  rows.map((d) => ({ id: d.id, number: d.number, distanceM: Math.round(Number(d.distance_m) * 10) / 10 }));

export async function duplicatesNear(
  db: Kysely<Database>,
  actor: Actor,
  probe: DuplicateProbe,
  rules: DuplicateRules,
) {
  const rows = await candidates(db, probe, rules)
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

/** The plan of the duplicate check at a point (bench/intake.ts prints it, a test pins the index). */
export async function explainDuplicateCheck(
  db: Kysely<Database>,
  at: { lng: number; lat: number; categoryId: number },
  rules: DuplicateRules = { radiusM: 50, windowHours: 72 },
): Promise<string[]> {
  const q = candidates(db, { ...at, caseId: 0, reportedAt: new Date() }, rules).compile();
  const r = await db.executeQuery<{ 'QUERY PLAN': string }>({
    ...q,
    sql: `EXPLAIN ${q.sql}`,
  });
  return r.rows.map((x) => x['QUERY PLAN']);
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
    items: await duplicatesNear(
      ctx.db,
      ctx.actor,
      { caseId: id, lng: row.lng, lat: row.lat, reportedAt: row.reported_at, categoryId: row.category_id },
      rules,
    ),
  };
}
