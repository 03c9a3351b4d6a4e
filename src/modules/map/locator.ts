/**
 * The in-memory grid locator (domain/spatial), loaded from the store on demand and reloaded
 * when the current grids change. PostGIS stays the source of truth (grid/repo.ts locatePoint).
 */
import { type Kysely, sql } from 'kysely';
import { GridLocator, polygonsFromWkb } from '../../domain/spatial/index.js';
import type { Database } from '../../platform/db/schema.js';

/**
 * Changes to grids are inserts (new codes), retirements (valid_to) and reshapes, and every
 * one of them is recorded in grid_changes, so these figures move whenever the grids do.
 */
async function gridsVersion(db: Kysely<Database>): Promise<string> {
  const r = await sql<{ v: string }>`
    SELECT concat_ws('/', count(*), count(valid_to), max(created_at), max(valid_to),
      (SELECT max(id) FROM grid_changes)) AS v
    FROM grids`.execute(db);
  return r.rows[0]?.v ?? '';
}

/** Builds a locator from the current grids, reading their exact coordinates (WKB). */
export async function loadGridLocator(db: Kysely<Database>): Promise<GridLocator> {
  const rows = await db
    .selectFrom('grids')
    .select(['code', sql<Uint8Array>`ST_AsBinary(geom)`.as('wkb')])
    .where('valid_to', 'is', null)
    .execute();
  return GridLocator.build(rows.map((r) => ({ code: r.code, polygons: polygonsFromWkb(r.wkb) })));
}

const cache = new WeakMap<Kysely<Database>, { version: string; locator: Promise<GridLocator> }>();

/** The locator for the grids in force now; rebuilt only when they have changed. */
export async function currentGridLocator(db: Kysely<Database>): Promise<GridLocator> {
  const version = await gridsVersion(db);
  const hit = cache.get(db);
  if (hit && hit.version === version) return hit.locator;
  const locator = loadGridLocator(db);
  cache.set(db, { version, locator });
  try {
    return await locator;
  } catch (err) {
    if (cache.get(db)?.locator === locator) cache.delete(db);
    throw err;
  }
}
