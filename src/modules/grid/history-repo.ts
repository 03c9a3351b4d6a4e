import { type Kysely, sql } from 'kysely';
import type { Ctx } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';

export async function insertChange(
  trx: Kysely<Database>,
  ctx: Ctx,
  kind: 'import' | 'split' | 'merge',
  reason: string | null,
) {
  return trx
    .insertInto('grid_changes')
    .values({
      kind,
      effective_on: sql<string>`current_date`,
      actor_id: ctx.actor.userId > 0 ? ctx.actor.userId : null,
      actor_name: ctx.actor.username,
      reason,
    })
    .returning(['id', 'effective_on'])
    .executeTakeFirstOrThrow();
}

/** Ends grids today and records them as retired by the change. */
export async function retireGrids(trx: Kysely<Database>, changeId: number, codes: string[]) {
  if (codes.length === 0) return;
  const r = await trx
    .updateTable('grids')
    .set({ valid_to: sql<string>`current_date` })
    .where('code', 'in', codes)
    .where('valid_to', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== codes.length) throw new Error('a grid to retire was not current');
  await trx
    .insertInto('grid_change_items')
    .values(codes.map((grid_code) => ({ change_id: changeId, grid_code, role: 'retired' as const })))
    .execute();
}

/**
 * Links every retired grid of the change to each new or reshaped grid of the same change that
 * covers part of it, then hands the supervisors of the old grids the new ones (their old
 * assignments stay, so checks of cases filed in an old grid still find them).
 */
export async function linkSuccessors(trx: Kysely<Database>, changeId: number, toleranceM2: number) {
  await sql`INSERT INTO grid_lineage (change_id, predecessor_code, successor_code)
    SELECT ${changeId}::int, o.code, n.code
    FROM grid_change_items ro JOIN grids o ON o.code = ro.grid_code
    JOIN grid_change_items rn ON rn.change_id = ro.change_id AND rn.role IN ('created', 'reshaped')
    JOIN grids n ON n.code = rn.grid_code
    WHERE ro.change_id = ${changeId}::int AND ro.role = 'retired' AND ST_Intersects(o.geom, n.geom)
      AND ST_Area(ST_Intersection(o.geom, n.geom)::geography) > ${toleranceM2}
    ON CONFLICT DO NOTHING`.execute(trx);
  await sql`INSERT INTO supervisor_grids (user_id, grid_code)
    SELECT DISTINCT s.user_id, l.successor_code FROM grid_lineage l
    JOIN supervisor_grids s ON s.grid_code = l.predecessor_code
    WHERE l.change_id = ${changeId}::int
    ON CONFLICT DO NOTHING`.execute(trx);
}

/**
 * `count` unused sequence numbers of a community: after the highest ever used (codes are
 * never reused, retired grids included), then the lowest free ones.
 */
export async function nextFreeSeqs(trx: Kysely<Database>, communityCode: string, count: number) {
  const used = new Set(
    (await trx.selectFrom('grids').select('seq').where('community_code', '=', communityCode).execute()).map(
      (r) => r.seq,
    ),
  );
  const max = Math.max(0, ...used);
  const out: number[] = [];
  for (let s = max + 1; s <= 999 && out.length < count; s++) out.push(s);
  for (let s = 1; s <= max && out.length < count; s++) if (!used.has(s)) out.push(s);
  if (out.length < count) {
    throw new AppError('GRID_SEQUENCE_EXHAUSTED', { details: { communityCode, needed: count } });
  }
  return out;
}

export async function lineageOf(db: Kysely<Database>, code: string) {
  const [predecessors, successors] = await Promise.all([
    db
      .selectFrom('grid_lineage')
      .select(['predecessor_code as code', 'change_id'])
      .where('successor_code', '=', code)
      .orderBy('predecessor_code')
      .execute(),
    db
      .selectFrom('grid_lineage')
      .select(['successor_code as code', 'change_id'])
      .where('predecessor_code', '=', code)
      .orderBy('successor_code')
      .execute(),
  ]);
  return { predecessors, successors };
}

export async function changesOf(db: Kysely<Database>, code: string) {
  return db
    .selectFrom('grid_change_items as i')
    .innerJoin('grid_changes as c', 'c.id', 'i.change_id')
    .select([
      'c.id',
      'c.kind',
      'c.effective_on',
      'c.at',
      'c.actor_name',
      'c.reason',
      'i.role',
      'i.previous_area_class',
      sql<string | null>`ST_AsGeoJSON(i.previous_geom, 7)`.as('previous_geometry'),
    ])
    .where('i.grid_code', '=', code)
    .orderBy('c.id')
    .execute();
}
