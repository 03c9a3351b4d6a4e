/**
 * Spatial and reference checks of a staged grid file (./stage.ts). Each check reports every
 * offending grid with a WGS84 location: the invalidity point of ST_IsValidDetail, or
 * ST_PointOnSurface of the overlap, gap or part outside the community.
 */
import { type Kysely, sql } from 'kysely';
import { type GridProblemDraft, gridProblem } from '../../domain/grid/problems.js';
import type { Database } from '../../platform/db/schema.js';

export interface LocatedProblem extends GridProblemDraft {
  lng: number | null;
  lat: number | null;
}

export interface CheckOptions {
  toleranceM2: number;
  scopePrefix: string;
  /** The file redraws its communities' outlines instead of tiling the current ones. */
  redrawBoundary: boolean;
}

interface Row {
  feature: number;
  code: string | null;
  community_code: string | null;
  lng: number | null;
  lat: number | null;
}

const round = (v: number | null) => (v === null ? null : Math.round(v * 1e7) / 1e7);
const area = (m2: number) => Math.round(m2 * 10) / 10;

function located(draft: GridProblemDraft, lng: number | null, lat: number | null): LocatedProblem {
  return { ...draft, lng: round(lng), lat: round(lat) };
}

const where = (r: Row) => ({ gridCode: r.code, communityCode: r.community_code, feature: r.feature });

/** Places problems found without the database at their feature's (transformed) position. */
export async function locateDrafts(trx: Kysely<Database>, drafts: GridProblemDraft[]) {
  const anchors = await sql<{ feature: number; lng: number | null; lat: number | null }>`
    SELECT feature, ST_X(anchor) AS lng, ST_Y(anchor) AS lat FROM grid_import`.execute(trx);
  const byFeature = new Map(anchors.rows.map((a) => [a.feature, a]));
  return drafts.map((d) => {
    const a = d.feature === null ? undefined : byFeature.get(d.feature);
    return located(d, a?.lng ?? null, a?.lat ?? null);
  });
}

async function invalidPolygons(trx: Kysely<Database>): Promise<LocatedProblem[]> {
  const r = await sql<Row & { reason: string }>`
    SELECT x.feature, x.code, x.community_code, (x.d).reason AS reason,
      ST_X(COALESCE(ST_Transform(ST_SetSRID((x.d).location, ST_SRID(x.src)), 4326), x.anchor)) AS lng,
      ST_Y(COALESCE(ST_Transform(ST_SetSRID((x.d).location, ST_SRID(x.src)), 4326), x.anchor)) AS lat
    FROM (SELECT feature, code, community_code, src, anchor,
            CASE WHEN ST_IsValid(src) THEN ST_IsValidDetail(geom) ELSE ST_IsValidDetail(src) END AS d
          FROM grid_import WHERE usable) x
    WHERE NOT (x.d).valid ORDER BY x.feature`.execute(trx);
  // Invalid polygons cannot take part in the overlap checks (GEOS refuses them) but still
  // cover their area for the gap check (a bow-tie's hull is the cell it was meant to be).
  await sql`UPDATE grid_import SET usable = false WHERE usable AND NOT (ST_IsValid(src) AND ST_IsValid(geom))`.execute(
    trx,
  );
  await sql`UPDATE grid_import SET cover = CASE WHEN ST_IsValid(geom) THEN geom
      ELSE ST_ConvexHull(geom) END
    WHERE geom IS NOT NULL AND community_code IS NOT NULL`.execute(trx);
  return r.rows.map((row) =>
    located(
      gridProblem('GRID_GEOMETRY_INVALID', where(row), {
        zh: `多边形无效（${row.reason}）`,
        en: `the polygon is invalid (${row.reason})`,
      }),
      row.lng,
      row.lat,
    ),
  );
}

async function unknownCommunities(trx: Kysely<Database>, scopePrefix: string) {
  const r = await sql<Row>`
    SELECT i.feature, i.code, i.community_code, ST_X(i.anchor) AS lng, ST_Y(i.anchor) AS lat
    FROM grid_import i LEFT JOIN divisions d ON d.code = i.community_code
    WHERE i.community_code IS NOT NULL AND i.community_code ~ '^[0-9]{12}$'
      AND (d.level IS DISTINCT FROM 'community' OR NOT starts_with(d.code, ${scopePrefix}))
    ORDER BY i.feature`.execute(trx);
  await sql`UPDATE grid_import i SET usable = false
    WHERE NOT EXISTS (SELECT 1 FROM divisions d WHERE d.code = i.community_code AND d.level = 'community'
                      AND starts_with(d.code, ${scopePrefix}))`.execute(trx);
  return r.rows.map((row) =>
    located(
      gridProblem('GRID_COMMUNITY_UNKNOWN', where(row), {
        zh: `所属社区 ${row.community_code} 不存在或不在您的管辖范围内`,
        en: `community ${row.community_code} does not exist or is outside your scope`,
      }),
      row.lng,
      row.lat,
    ),
  );
}

async function retiredCodes(trx: Kysely<Database>) {
  const r = await sql<Row & { valid_to: string }>`
    SELECT i.feature, i.code, i.community_code, g.valid_to, ST_X(i.anchor) AS lng, ST_Y(i.anchor) AS lat
    FROM grid_import i JOIN grids g ON g.code = i.code AND g.valid_to IS NOT NULL ORDER BY i.feature`.execute(
    trx,
  );
  return r.rows.map((row) =>
    located(
      gridProblem('GRID_CODE_RETIRED', where(row), {
        zh: `编码已被一个于 ${row.valid_to} 停用的网格使用，编码不能重复使用`,
        en: `the code belongs to a grid retired on ${row.valid_to}; codes are never reused`,
      }),
      row.lng,
      row.lat,
    ),
  );
}

async function outsideCommunity(trx: Kysely<Database>, toleranceM2: number) {
  const r = await sql<Row & { area_m2: number }>`
    SELECT i.feature, i.code, i.community_code, ST_Area(x.part::geography) AS area_m2,
      ST_X(ST_PointOnSurface(x.part)) AS lng, ST_Y(ST_PointOnSurface(x.part)) AS lat
    FROM grid_import i
    JOIN divisions d ON d.code = i.community_code AND d.boundary IS NOT NULL
    CROSS JOIN LATERAL (SELECT ST_CollectionExtract(ST_Difference(i.geom, d.boundary), 3) AS part) x
    WHERE i.usable AND NOT ST_IsEmpty(x.part) AND ST_Area(x.part::geography) > ${toleranceM2}
    ORDER BY i.feature`.execute(trx);
  return r.rows.map((row) =>
    located(
      gridProblem(
        'GRID_OUTSIDE_COMMUNITY',
        where(row),
        {
          zh: `有 ${area(row.area_m2)} 平方米超出社区 ${row.community_code} 的边界`,
          en: `${area(row.area_m2)} m² lie outside the boundary of community ${row.community_code}`,
        },
        { areaM2: area(row.area_m2) },
      ),
      row.lng,
      row.lat,
    ),
  );
}

async function overlaps(trx: Kysely<Database>, toleranceM2: number) {
  type Overlap = Row & { other: string | null; other_feature: number | null; area_m2: number };
  // Within the file, each pair once; then against current grids of communities the file leaves alone.
  const inFile = await sql<Overlap>`
    SELECT a.feature, a.code, a.community_code, b.code AS other, b.feature AS other_feature,
      ST_Area(x.part::geography) AS area_m2,
      ST_X(ST_PointOnSurface(x.part)) AS lng, ST_Y(ST_PointOnSurface(x.part)) AS lat
    FROM grid_import a JOIN grid_import b ON a.feature < b.feature AND ST_Intersects(a.geom, b.geom)
    CROSS JOIN LATERAL (SELECT ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3) AS part) x
    WHERE a.usable AND b.usable AND NOT ST_IsEmpty(x.part) AND ST_Area(x.part::geography) > ${toleranceM2}
    ORDER BY a.feature, b.feature`.execute(trx);
  const existing = await sql<Overlap>`
    SELECT i.feature, i.code, i.community_code, g.code AS other, NULL::int AS other_feature,
      ST_Area(x.part::geography) AS area_m2,
      ST_X(ST_PointOnSurface(x.part)) AS lng, ST_Y(ST_PointOnSurface(x.part)) AS lat
    FROM grid_import i JOIN grids g ON g.valid_to IS NULL AND ST_Intersects(g.geom, i.geom)
    CROSS JOIN LATERAL (SELECT ST_CollectionExtract(ST_Intersection(g.geom, i.geom), 3) AS part) x
    WHERE i.usable AND NOT ST_IsEmpty(x.part) AND ST_Area(x.part::geography) > ${toleranceM2}
      AND g.community_code NOT IN (SELECT community_code FROM grid_import WHERE community_code IS NOT NULL)
    ORDER BY i.feature, g.code`.execute(trx);
  return [...inFile.rows, ...existing.rows].map((row) => {
    const other = row.other ?? `#${(row.other_feature ?? 0) + 1}`;
    const kind =
      row.other_feature === null ? { zh: '现有网格', en: 'existing grid' } : { zh: '网格', en: 'grid' };
    return located(
      gridProblem(
        'GRID_OVERLAP',
        where(row),
        {
          zh: `与${kind.zh} ${other} 重叠 ${area(row.area_m2)} 平方米`,
          en: `overlaps ${kind.en} ${other} by ${area(row.area_m2)} m²`,
        },
        { otherGridCode: row.other, otherFeature: row.other_feature, areaM2: area(row.area_m2) },
      ),
      row.lng,
      row.lat,
    );
  });
}

async function gaps(trx: Kysely<Database>, toleranceM2: number, redrawBoundary: boolean) {
  // A community with an outline must be tiled completely; otherwise (new community, or a
  // redrawn outline) the holes inside the union of its grids are the gaps.
  const r = await sql<{ community_code: string; area_m2: number; lng: number; lat: number }>`
    WITH cov AS (
      SELECT community_code, ST_Union(cover) AS u FROM grid_import
      WHERE cover IS NOT NULL AND NOT ST_IsEmpty(cover) GROUP BY community_code),
    target AS (
      SELECT d.code, d.boundary, cov.u FROM divisions d JOIN cov ON cov.community_code = d.code
      WHERE d.level = 'community'),
    pieces AS (
      SELECT code, (ST_Dump(ST_CollectionExtract(ST_Difference(boundary, u), 3))).geom AS g
      FROM target WHERE boundary IS NOT NULL AND NOT ${redrawBoundary}::boolean
      UNION ALL
      SELECT t.code, ST_MakePolygon(ST_InteriorRingN(p.geom, n)) AS g
      FROM target t CROSS JOIN LATERAL ST_Dump(t.u) p
      CROSS JOIN LATERAL generate_series(1, ST_NumInteriorRings(p.geom)) n
      WHERE (t.boundary IS NULL OR ${redrawBoundary}::boolean) AND ST_GeometryType(p.geom) = 'ST_Polygon')
    SELECT code AS community_code, ST_Area(g::geography) AS area_m2,
      ST_X(ST_PointOnSurface(g)) AS lng, ST_Y(ST_PointOnSurface(g)) AS lat
    FROM pieces WHERE ST_Area(g::geography) > ${toleranceM2} ORDER BY code, lng, lat`.execute(trx);
  return r.rows.map((row) =>
    located(
      gridProblem(
        'GRID_GAP',
        { gridCode: null, communityCode: row.community_code, feature: null },
        {
          zh: `有 ${area(row.area_m2)} 平方米未被任何网格覆盖`,
          en: `${area(row.area_m2)} m² are covered by no grid`,
        },
        { areaM2: area(row.area_m2) },
      ),
      row.lng,
      row.lat,
    ),
  );
}

/** Every problem of the staged file that needs the database, in a stable order. */
export async function checkStaged(trx: Kysely<Database>, o: CheckOptions): Promise<LocatedProblem[]> {
  const problems = [
    ...(await invalidPolygons(trx)),
    ...(await unknownCommunities(trx, o.scopePrefix)),
    ...(await retiredCodes(trx)),
  ];
  if (!o.redrawBoundary) problems.push(...(await outsideCommunity(trx, o.toleranceM2)));
  problems.push(...(await overlaps(trx, o.toleranceM2)));
  problems.push(...(await gaps(trx, o.toleranceM2, o.redrawBoundary)));
  return problems;
}
