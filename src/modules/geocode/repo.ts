import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

type Db = Kysely<Database>;
const BATCH = 500;

const textArray = (values: readonly string[]) =>
  sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

/** The current unit grid covering a point (lowest code on a shared edge, as grid locate does). */
const gridOf = (point: RawBuilder<unknown>) => sql`LEFT JOIN LATERAL (
    SELECT code, community_code FROM grids
    WHERE valid_to IS NULL AND ST_Covers(grids.geom, ${point}) ORDER BY code LIMIT 1) g ON true`;

// PGlite's PostGIS can drop a row instead of raising: a short insert must fail loudly.
function expectRows(r: { numAffectedRows?: bigint }, expected: number, what: string) {
  if (r.numAffectedRows !== BigInt(expected)) {
    throw new Error(`${what}: ${r.numAffectedRows ?? 0} of ${expected} rows written`);
  }
}

export interface RoadInsert {
  name: string;
  baseName: string;
  segment: string | null;
  aliases: readonly string[];
  /** null: taken from the district of the road's midpoint. */
  districtCode: string | null;
  geojson: string;
  /** How the base map draws it; absent: derived from the name when drawn. */
  roadClass?: 'main' | 'secondary' | 'minor' | null;
}

export async function insertRoads(
  db: Db,
  rows: readonly RoadInsert[],
): Promise<Array<{ id: number; name: string }>> {
  const out: Array<{ id: number; name: string }> = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const values = sql.join(
      batch.map(
        (r, j) =>
          sql`(${i + j}::int, ${r.name}, ${r.baseName}, ${r.segment}::text, ${JSON.stringify(r.aliases)}::jsonb, ${r.districtCode}::text, ${r.geojson}::text, ${r.roadClass ?? null}::text)`,
      ),
    );
    const res = await sql<{ id: number; name: string; ord: number }>`
      INSERT INTO gazetteer_roads (name, base_name, segment, aliases, district_code, geom, length_m, road_class)
      SELECT v.name, v.base, v.segment, ARRAY(SELECT jsonb_array_elements_text(v.aliases)),
             coalesce(v.district, substr(g.code, 1, 6)), x.geom, ST_Length(x.geom::geography), v.road_class
      FROM (VALUES ${values}) AS v(ord, name, base, segment, aliases, district, geojson, road_class)
      CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(v.geojson), 4326) AS geom) x
      ${gridOf(sql`ST_LineInterpolatePoint(x.geom, 0.5)`)}
      ORDER BY v.ord
      RETURNING id, name`.execute(db);
    if (res.rows.length !== batch.length)
      throw new Error(`roads: ${res.rows.length} of ${batch.length} written`);
    out.push(...res.rows.map((r) => ({ id: r.id, name: r.name })));
  }
  return out;
}

export interface AddressInsert {
  roadId: number;
  number: string;
  numberMain: number;
  lng: number;
  lat: number;
}

export async function insertAddresses(db: Db, rows: readonly AddressInsert[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const values = sql.join(
      batch.map(
        (r, j) =>
          sql`(${i + j}::int, ${r.roadId}::int, ${r.number}, ${r.numberMain}::int, ${r.lng}::float8, ${r.lat}::float8)`,
      ),
    );
    const res = await sql<{ id: number }>`
      INSERT INTO gazetteer_addresses (road_id, number, number_main, geom, grid_code, community_code)
      SELECT v.road_id, v.number, v.main, p.geom, g.code, g.community_code
      FROM (VALUES ${values}) AS v(ord, road_id, number, main, lng, lat)
      CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(v.lng, v.lat), 4326) AS geom) p
      ${gridOf(sql`p.geom`)}
      ORDER BY v.ord
      RETURNING id`.execute(db);
    if (res.rows.length !== batch.length)
      throw new Error(`addresses: ${res.rows.length} of ${batch.length} written`);
    ids.push(...res.rows.map((r) => r.id));
  }
  return ids;
}

export interface PoiInsert {
  name: string;
  aliases: readonly string[];
  category: string;
  address: string | null;
  lng: number;
  lat: number;
}

export async function insertPois(db: Db, rows: readonly PoiInsert[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const values = sql.join(
      batch.map(
        (r, j) =>
          sql`(${i + j}::int, ${r.name}, ${JSON.stringify(r.aliases)}::jsonb, ${r.category}, ${r.address}::text, ${r.lng}::float8, ${r.lat}::float8)`,
      ),
    );
    const res = await sql<{ id: number }>`
      INSERT INTO gazetteer_pois (name, aliases, category, address, geom, grid_code, community_code)
      SELECT v.name, ARRAY(SELECT jsonb_array_elements_text(v.aliases)), v.category, v.address, p.geom,
             g.code, g.community_code
      FROM (VALUES ${values}) AS v(ord, name, aliases, category, address, lng, lat)
      CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(v.lng, v.lat), 4326) AS geom) p
      ${gridOf(sql`p.geom`)}
      ORDER BY v.ord
      RETURNING id`.execute(db);
    if (res.rows.length !== batch.length)
      throw new Error(`pois: ${res.rows.length} of ${batch.length} written`);
    ids.push(...res.rows.map((r) => r.id));
  }
  return ids;
}

/** The unit grid (and its community) covering a point, for validating writes before SQL. */
export async function gridAt(db: Db, lng: number, lat: number) {
  const r = await sql<{ code: string; community_code: string }>`
    SELECT code, community_code FROM grids
    WHERE valid_to IS NULL AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326))
    ORDER BY code LIMIT 1`.execute(db);
  return r.rows[0] ?? null;
}

export async function updateRoad(db: Db, id: number, r: RoadInsert) {
  const res = await sql`
    UPDATE gazetteer_roads t SET name = ${r.name}, base_name = ${r.baseName}, segment = ${r.segment},
      aliases = ${textArray(r.aliases)}, district_code = coalesce(${r.districtCode}::text, substr(g.code, 1, 6)),
      geom = x.geom, length_m = ST_Length(x.geom::geography), updated_at = now()
    FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${r.geojson}), 4326) AS geom) x
    ${gridOf(sql`ST_LineInterpolatePoint(x.geom, 0.5)`)}
    WHERE t.id = ${id}`.execute(db);
  expectRows(res, 1, `road ${id}`);
}

export async function updateAddress(db: Db, id: number, r: AddressInsert) {
  const res = await sql`
    UPDATE gazetteer_addresses t SET road_id = ${r.roadId}, number = ${r.number}, number_main = ${r.numberMain},
      geom = p.geom, grid_code = g.code, community_code = g.community_code, updated_at = now()
    FROM (SELECT ST_SetSRID(ST_MakePoint(${r.lng}::float8, ${r.lat}::float8), 4326) AS geom) p
    ${gridOf(sql`p.geom`)}
    WHERE t.id = ${id}`.execute(db);
  expectRows(res, 1, `address ${id}`);
}

export async function updatePoi(db: Db, id: number, r: PoiInsert) {
  const res = await sql`
    UPDATE gazetteer_pois t SET name = ${r.name}, aliases = ${textArray(r.aliases)}, category = ${r.category},
      address = ${r.address}, geom = p.geom, grid_code = g.code, community_code = g.community_code,
      updated_at = now()
    FROM (SELECT ST_SetSRID(ST_MakePoint(${r.lng}::float8, ${r.lat}::float8), 4326) AS geom) p
    ${gridOf(sql`p.geom`)}
    WHERE t.id = ${id}`.execute(db);
  expectRows(res, 1, `poi ${id}`);
}

export type GazetteerKind = 'roads' | 'addresses' | 'pois';
const TABLES = {
  roads: 'gazetteer_roads',
  addresses: 'gazetteer_addresses',
  pois: 'gazetteer_pois',
} as const;

export async function deleteEntry(db: Db, kind: GazetteerKind, id: number): Promise<boolean> {
  const r = await db.deleteFrom(TABLES[kind]).where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows === 1n;
}

export async function addressCountOfRoad(db: Db, roadId: number): Promise<number> {
  const r = await db
    .selectFrom('gazetteer_addresses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('road_id', '=', roadId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** For each point (or a line's midpoint), the unit grid covering it, in input order (null: none). */
export async function gridsAt(db: Db, geoms: ReadonlyArray<{ geojson: string; midpoint: boolean }>) {
  const out: Array<{ code: string; community_code: string } | null> = [];
  for (let i = 0; i < geoms.length; i += BATCH) {
    const batch = geoms.slice(i, i + BATCH);
    const values = sql.join(
      batch.map((g, j) => sql`(${j}::int, ${g.geojson}::text, ${g.midpoint}::boolean)`),
    );
    const r = await sql<{ ord: number; code: string | null; community_code: string | null }>`
      SELECT v.ord, g.code, g.community_code
      FROM (VALUES ${values}) AS v(ord, geojson, midpoint)
      CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(v.geojson), 4326) AS geom) x
      ${gridOf(sql`CASE WHEN v.midpoint THEN ST_LineInterpolatePoint(x.geom, 0.5) ELSE x.geom END`)}
      ORDER BY v.ord`.execute(db);
    if (r.rows.length !== batch.length)
      throw new Error(`grid lookup: ${r.rows.length} of ${batch.length} answered`);
    out.push(
      ...r.rows.map((row) =>
        row.code ? { code: row.code, community_code: row.community_code ?? '' } : null,
      ),
    );
  }
  return out;
}
