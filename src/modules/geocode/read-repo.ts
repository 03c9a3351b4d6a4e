import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

type Db = Kysely<Database>;
export type BBox = [number, number, number, number];

const point = (lng: number, lat: number) =>
  sql`ST_SetSRID(ST_MakePoint(${lng}::float8, ${lat}::float8), 4326)`;
// ST_Intersects, not a bare `&&`: PostGIS keeps boxes in float4, so `&&` alone lets points
// a few 1e-7° outside the box through.
const envelope = (b: BBox | undefined, column = sql`r.geom`) =>
  b ? sql`ST_Intersects(${column}, ST_MakeEnvelope(${b[0]}, ${b[1]}, ${b[2]}, ${b[3]}, 4326))` : sql`true`;
const idIn = (ids: number[] | undefined, column: ReturnType<typeof sql>) =>
  ids
    ? sql`${column} = ANY(${sql.raw(`ARRAY[${ids.map((i) => Math.trunc(i)).join(',') || 'NULL'}]::int[]`)})`
    : sql`true`;
const like = (q: string | undefined) => (q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null);

export interface RoadRow {
  id: number;
  name: string;
  base_name: string;
  segment: string | null;
  aliases: string[];
  district_code: string | null;
  district_name: string | null;
  length_m: number;
  geometry: string;
  /** Midpoint, where a search answer for the whole road points. */
  mid_lng: number;
  mid_lat: number;
}

const ROAD_SELECT = sql`r.id, r.name, r.base_name, r.segment, array_to_json(r.aliases) AS aliases, r.district_code,
  d.name AS district_name, r.length_m, ST_AsGeoJSON(r.geom, 7) AS geometry,
  ST_X(ST_LineInterpolatePoint(r.geom, 0.5)) AS mid_lng, ST_Y(ST_LineInterpolatePoint(r.geom, 0.5)) AS mid_lat`;

export async function roadsWhere(
  db: Db,
  q: { ids?: number[]; bbox?: BBox; q?: string; limit: number; offset: number },
): Promise<RoadRow[]> {
  const text = like(q.q);
  const r = await sql<RoadRow>`
    SELECT ${ROAD_SELECT} FROM gazetteer_roads r LEFT JOIN divisions d ON d.code = r.district_code
    WHERE ${idIn(q.ids, sql`r.id`)}
      AND ${envelope(q.bbox)}
      AND (${text}::text IS NULL OR r.name LIKE ${text} OR array_to_string(r.aliases, '|') LIKE ${text})
    ORDER BY r.id LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db);
  return r.rows;
}

/** A door address or POI with the divisions it lies in. */
interface PlacedRow {
  id: number;
  lng: number;
  lat: number;
  grid_code: string | null;
  community_code: string | null;
  community_name: string | null;
  street_code: string | null;
  street_name: string | null;
  district_code: string | null;
  district_name: string | null;
}
export interface AddressRow extends PlacedRow {
  road_id: number;
  road_name: string;
  road_base: string;
  road_segment: string | null;
  road_aliases: string[];
  number: string;
  number_main: number;
}
export interface PoiRow extends PlacedRow {
  name: string;
  aliases: string[];
  category: string;
  address: string | null;
}

const PLACED = sql`ST_X(t.geom) AS lng, ST_Y(t.geom) AS lat, t.grid_code, t.community_code,
  c.name AS community_name, s.code AS street_code, s.name AS street_name, d.code AS district_code, d.name AS district_name`;
const PLACED_JOIN = sql`LEFT JOIN divisions c ON c.code = t.community_code
  LEFT JOIN divisions s ON s.code = c.parent_code LEFT JOIN divisions d ON d.code = s.parent_code`;
type Fragment = ReturnType<typeof sql>;
const addressFrom = (source: Fragment = sql`gazetteer_addresses`, extra: Fragment = sql`NULL`) => sql`
  SELECT t.id, t.road_id, r.name AS road_name, r.base_name AS road_base, r.segment AS road_segment,
    array_to_json(r.aliases) AS road_aliases, t.number, t.number_main, ${PLACED}, ${extra} AS distance_m
  FROM ${source} t JOIN gazetteer_roads r ON r.id = t.road_id ${PLACED_JOIN}`;
const poiFrom = (source: Fragment = sql`gazetteer_pois`, extra: Fragment = sql`NULL`) => sql`
  SELECT t.id, t.name, array_to_json(t.aliases) AS aliases, t.category, t.address, ${PLACED}, ${extra} AS distance_m
  FROM ${source} t ${PLACED_JOIN}`;

export async function addressesWhere(
  db: Db,
  q: { ids?: number[]; roadId?: number; bbox?: BBox; limit: number; offset: number },
): Promise<AddressRow[]> {
  const r = await sql<AddressRow>`${addressFrom()}
    WHERE ${idIn(q.ids, sql`t.id`)}
      AND ${q.roadId === undefined ? sql`true` : sql`t.road_id = ${q.roadId}`}
      AND ${envelope(q.bbox, sql`t.geom`)}
    ORDER BY t.road_id, t.number_main, t.number LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db);
  return r.rows;
}

export async function poisWhere(
  db: Db,
  q: { ids?: number[]; bbox?: BBox; q?: string; category?: string; limit: number; offset: number },
): Promise<PoiRow[]> {
  const text = like(q.q);
  const r = await sql<PoiRow>`${poiFrom()}
    WHERE ${idIn(q.ids, sql`t.id`)}
      AND ${envelope(q.bbox, sql`t.geom`)}
      AND (${text}::text IS NULL OR t.name LIKE ${text} OR array_to_string(t.aliases, '|') LIKE ${text})
      AND (${q.category ?? null}::text IS NULL OR t.category = ${q.category ?? null})
    ORDER BY t.id LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db);
  return r.rows;
}

/**
 * The nearest rows to a point: a KNN (`<->`, GiST) shortlist in degrees, then exact metres on
 * the spheroid. A degree of longitude is shorter than one of latitude here, so the shortlist is
 * wider than the answer.
 */
const shortlist = (
  table: 'gazetteer_roads' | 'gazetteer_addresses' | 'gazetteer_pois',
  lng: number,
  lat: number,
  n: number,
) => sql`(SELECT * FROM ${sql.table(table)} ORDER BY geom <-> ${point(lng, lat)} LIMIT ${n * 4 + 4})`;
const distance = (lng: number, lat: number) =>
  sql`ST_Distance(t.geom::geography, ${point(lng, lat)}::geography)`;

export type Near<T> = T & { distance_m: number };

export async function nearestRoads(db: Db, lng: number, lat: number, maxM: number, n: number) {
  const r = await sql<Near<RoadRow>>`SELECT * FROM (
      SELECT ${ROAD_SELECT}, ST_Distance(r.geom::geography, ${point(lng, lat)}::geography) AS distance_m
      FROM ${shortlist('gazetteer_roads', lng, lat, n)} r LEFT JOIN divisions d ON d.code = r.district_code) x
    WHERE distance_m <= ${maxM} ORDER BY distance_m, id LIMIT ${n}`.execute(db);
  return r.rows;
}

export async function nearestAddresses(db: Db, lng: number, lat: number, maxM: number, n: number) {
  const r = await sql<Near<AddressRow>>`SELECT * FROM (
      ${addressFrom(shortlist('gazetteer_addresses', lng, lat, n), distance(lng, lat))}) x
    WHERE distance_m <= ${maxM} ORDER BY distance_m, id LIMIT ${n}`.execute(db);
  return r.rows;
}

export async function nearestPois(db: Db, lng: number, lat: number, maxM: number, n: number) {
  const r = await sql<Near<PoiRow>>`SELECT * FROM (
      ${poiFrom(shortlist('gazetteer_pois', lng, lat, n), distance(lng, lat))}) x
    WHERE distance_m <= ${maxM} ORDER BY distance_m, id LIMIT ${n}`.execute(db);
  return r.rows;
}

// — forward search: candidate retrieval by plain text containment (no pg_trgm on PGlite) —

const CANDIDATES = 100;

/** Roads named by the parsed road (or, with no road parsed, whose name occurs in the text). */
export async function roadCandidates(db: Db, q: { road?: string | undefined; text: string }) {
  const cond = q.road
    ? sql`(r.base_name = ${q.road} OR r.name = ${q.road} OR ${q.road} = ANY(r.aliases)
          OR position(${q.road} in r.base_name) > 0)`
    : sql`(position(r.base_name in ${q.text}) > 0
          OR EXISTS (SELECT 1 FROM unnest(r.aliases) a WHERE length(a) >= 2 AND position(a in ${q.text}) > 0))`;
  const r = await sql<RoadRow>`SELECT ${ROAD_SELECT} FROM gazetteer_roads r
    LEFT JOIN divisions d ON d.code = r.district_code WHERE ${cond} ORDER BY r.id LIMIT ${CANDIDATES}`.execute(
    db,
  );
  return r.rows;
}

export async function addressCandidates(db: Db, roadIds: number[], numberMain: number) {
  if (roadIds.length === 0) return [];
  const r = await sql<AddressRow>`${addressFrom()}
    WHERE ${idIn(roadIds, sql`t.road_id`)} AND t.number_main = ${numberMain}
    ORDER BY t.id LIMIT ${CANDIDATES}`.execute(db);
  return r.rows;
}

/** Places whose name or alias contains a term, or whose name occurs in the text. */
export async function poiCandidates(db: Db, terms: string[], text: string) {
  if (terms.length === 0 && !text) return [];
  const termConds = terms.map(
    (term) => sql`(position(lower(${term}) in lower(t.name)) > 0
      OR EXISTS (SELECT 1 FROM unnest(t.aliases) a WHERE position(lower(${term}) in lower(a)) > 0))`,
  );
  const inText = sql`(length(t.name) >= 2 AND position(lower(t.name) in lower(${text})) > 0)`;
  const r = await sql<PoiRow>`${poiFrom()}
    WHERE ${sql.join([...termConds, inText], sql` OR `)}
    ORDER BY t.id LIMIT ${CANDIDATES}`.execute(db);
  return r.rows;
}

export interface DivisionRow {
  code: string;
  name: string;
  level: 'district' | 'street' | 'community';
  parent_name: string | null;
  district_name: string | null;
  lng: number;
  lat: number;
}

/** Districts, streets, communities by exact name: a query that names only places of the org tree. */
export async function divisionCandidates(db: Db, names: string[]) {
  if (names.length === 0) return [];
  const r = await sql<DivisionRow>`
    SELECT v.code, v.name, v.level, p.name AS parent_name,
      (SELECT name FROM divisions x WHERE x.code = substr(v.code, 1, 6)) AS district_name,
      ST_X(ST_PointOnSurface(v.boundary)) AS lng, ST_Y(ST_PointOnSurface(v.boundary)) AS lat
    FROM divisions v LEFT JOIN divisions p ON p.code = v.parent_code
    WHERE v.level IN ('district', 'street', 'community') AND v.boundary IS NOT NULL
      AND v.name = ANY(ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(names)}::jsonb)))
    ORDER BY v.code LIMIT ${CANDIDATES}`.execute(db);
  return r.rows;
}
