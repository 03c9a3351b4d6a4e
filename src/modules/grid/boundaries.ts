import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

// Arbitrary constant (cf. the migration lock): one grid write at a time, city-wide, so an
// overlap check and the insert it guards can never interleave with another grid write —
// also across communities, whose grids share edges.
const GRID_WRITE_LOCK = 7_261_120_005;

/** Serialises grid writes until the end of the caller's transaction. */
export async function lockGridWrites(trx: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${GRID_WRITE_LOCK})`.execute(trx);
}

/**
 * Division boundaries are the union of what they contain: a community is the union of its
 * current grids, a street of its communities, and so on up to the city. Recomputes the given
 * communities and their ancestors, or every division ('all', used by the demo seed).
 */
export async function recomputeBoundaries(db: Kysely<Database>, communities: readonly string[] | 'all') {
  let codes =
    communities === 'all'
      ? (await db.selectFrom('divisions').select('code').where('level', '=', 'community').execute()).map(
          (r) => r.code,
        )
      : [...new Set(communities)];
  if (codes.length === 0) return;
  const list = (xs: string[]) => sql.join(xs.map((x) => sql`${x}`));
  await sql`UPDATE divisions d SET boundary = (
      SELECT ST_Multi(ST_Union(g.geom)) FROM grids g WHERE g.community_code = d.code AND g.valid_to IS NULL)
    WHERE d.code IN (${list(codes)})`.execute(db);
  // community → street → district → city
  for (let level = 0; level < 3; level++) {
    const parents = await db
      .selectFrom('divisions')
      .select('parent_code')
      .distinct()
      .where('code', 'in', codes)
      .where('parent_code', 'is not', null)
      .execute();
    codes = parents.map((p) => p.parent_code as string);
    if (codes.length === 0) return;
    await sql`UPDATE divisions d SET boundary = (
        SELECT ST_Multi(ST_Union(c.boundary)) FROM divisions c WHERE c.parent_code = d.code AND c.boundary IS NOT NULL)
      WHERE d.code IN (${list(codes)})`.execute(db);
  }
}
