import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

export const pointSql = (lng: number, lat: number) => sql`ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326)`;

/**
 * The current grid in scope covering a point, with its community, street and district. A
 * point on a shared edge belongs to more than one grid; the lowest code in scope wins so the
 * answer is stable (and a district operator on its border gets its own district's grid).
 */
export function locatePoint(db: Kysely<Database>, lng: number, lat: number, scopePrefix = '', at?: string) {
  const query = db
    .selectFrom('grids as g')
    .innerJoin('divisions as c', 'c.code', 'g.community_code')
    .innerJoin('divisions as s', 's.code', 'c.parent_code')
    .innerJoin('divisions as d', 'd.code', 's.parent_code')
    .select([
      'g.code',
      'g.area_class',
      'c.code as community_code',
      'c.name as community_name',
      's.code as street_code',
      's.name as street_name',
      'd.code as district_code',
      'd.name as district_name',
    ])
    .where(sql<boolean>`ST_Covers(g.geom, ${pointSql(lng, lat)})`)
    .where('g.code', 'like', `${scopePrefix}%`)
    .orderBy('g.code')
    .limit(1);
  // On a date: the grid in force that day, [valid_from, valid_to) — a retired grid included.
  return (
    at === undefined
      ? query.where('g.valid_to', 'is', null)
      : query
          .where('g.valid_from', '<=', at)
          .where((eb) => eb.or([eb('g.valid_to', 'is', null), eb('g.valid_to', '>', at)]))
  ).executeTakeFirst();
}

export function gridByCode(db: Kysely<Database>, code: string) {
  return db
    .selectFrom('grids')
    .select([
      'code',
      'community_code',
      'seq',
      'area_class',
      'area_m2',
      'valid_from',
      'valid_to',
      sql<string>`ST_AsGeoJSON(geom, 7)`.as('geometry'),
    ])
    .where('code', '=', code)
    .executeTakeFirst();
}

export type GridRow = NonNullable<Awaited<ReturnType<typeof gridByCode>>>;

/** Current grids in scope by community or bbox: one page in code order and the total matched. */
export async function gridsWhere(
  db: Kysely<Database>,
  q: {
    scopePrefix: string;
    communityCode?: string | undefined;
    bbox?: [number, number, number, number] | undefined;
    limit: number;
    offset: number;
  },
) {
  let filtered = db
    .selectFrom('grids')
    .where('code', 'like', `${q.scopePrefix}%`)
    .where('valid_to', 'is', null);
  if (q.communityCode) filtered = filtered.where('community_code', '=', q.communityCode);
  if (q.bbox) {
    const [w, s, e, n] = q.bbox;
    filtered = filtered.where(sql<boolean>`geom && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`);
  }
  const [rows, count] = await Promise.all([
    filtered
      .select([
        'code',
        'community_code',
        'seq',
        'area_class',
        'area_m2',
        'valid_from',
        'valid_to',
        sql<string>`ST_AsGeoJSON(geom, 7)`.as('geometry'),
      ])
      .orderBy('code')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Why PostGIS rejects a polygon (null when valid), e.g. "Self-intersection[104.06 30.66]". */
export async function geometryProblem(db: Kysely<Database>, geojson: string): Promise<string | null> {
  const r = await sql<{ valid: boolean; reason: string }>`
    SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason
    FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326) AS g) x`.execute(db);
  const row = r.rows[0];
  // No row at all means the check itself failed (PGlite's PostGIS can lose the error).
  if (!row) return 'the polygon could not be checked';
  return row.valid ? null : row.reason;
}

/** Area (m²) of the polygon outside its community's boundary; null when the community has none. */
export async function areaOutsideCommunity(db: Kysely<Database>, geojson: string, communityCode: string) {
  const r = await sql<{ area_m2: number; lng: number | null; lat: number | null }>`
    SELECT ST_Area(x.part::geography) AS area_m2, ST_X(ST_PointOnSurface(x.part)) AS lng,
      ST_Y(ST_PointOnSurface(x.part)) AS lat
    FROM divisions d CROSS JOIN LATERAL (SELECT ST_CollectionExtract(
      ST_Difference(ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326), d.boundary), 3) AS part) x
    WHERE d.code = ${communityCode} AND d.boundary IS NOT NULL`.execute(db);
  return r.rows[0] ?? null;
}

/** Current grids whose overlap with the polygon exceeds the tolerance (m²). */
export async function overlappingGrids(db: Kysely<Database>, geojson: string, toleranceM2: number) {
  const r = await sql<{ code: string; overlap_m2: number }>`
    WITH p AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326) AS g)
    SELECT grids.code, ST_Area(ST_Intersection(grids.geom, p.g)::geography) AS overlap_m2
    FROM grids, p
    WHERE grids.valid_to IS NULL AND ST_Intersects(grids.geom, p.g)
      AND ST_Area(ST_Intersection(grids.geom, p.g)::geography) > ${toleranceM2}
    ORDER BY grids.code`.execute(db);
  return r.rows;
}

export async function insertGrid(
  db: Kysely<Database>,
  g: { code: string; communityCode: string; seq: number; areaClass: 'A' | 'B' | 'C'; geojson: string },
) {
  const r = await sql`
    INSERT INTO grids (code, community_code, seq, area_class, geom, area_m2)
    SELECT ${g.code}, ${g.communityCode}, ${g.seq}, ${g.areaClass}, x.geom, ST_Area(x.geom::geography)
    FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${g.geojson}), 4326) AS geom) x`.execute(db);
  // A silently failed insert must roll the transaction (and its audit row) back.
  if (r.numAffectedRows !== 1n) throw new Error(`grid ${g.code} was not inserted`);
}
