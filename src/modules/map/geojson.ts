/** Small layers as GeoJSON by bounding box: divisions by level, and grids up to a limit. */
import { sql } from 'kysely';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { layerDef } from './service.js';

export const GEOJSON_LAYERS = ['grids', 'communities', 'streets', 'districts'] as const;
const LEVEL = { communities: 'community', streets: 'street', districts: 'district' } as const;

export type Bbox = [number, number, number, number];

interface Row {
  geometry: string;
  properties: Record<string, unknown>;
}

function rows(
  layer: (typeof GEOJSON_LAYERS)[number],
  scopePrefix: string,
  bbox: Bbox | undefined,
  limit: number | null,
) {
  const cap = limit === null ? sql`` : sql`LIMIT ${limit}`;
  const box = bbox ? sql`ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4326)` : null;
  if (layer === 'grids') {
    return sql<Row>`
      SELECT ST_AsGeoJSON(g.geom, 7) AS geometry,
        json_build_object('code', g.code, 'communityCode', g.community_code, 'areaClass', g.area_class) AS properties
      FROM grids g
      WHERE g.valid_to IS NULL AND g.code LIKE ${`${scopePrefix}%`}
        ${box ? sql`AND g.geom && ${box} AND ST_Intersects(g.geom, ${box})` : sql``}
      ORDER BY g.code ${cap}`;
  }
  return sql<Row>`
    SELECT ST_AsGeoJSON(d.boundary, 7) AS geometry,
      json_build_object('code', d.code, 'name', d.name, 'level', d.level, 'parentCode', d.parent_code) AS properties
    FROM divisions d
    WHERE d.level = ${LEVEL[layer]} AND d.boundary IS NOT NULL AND d.code LIKE ${`${scopePrefix}%`}
      ${box ? sql`AND d.boundary && ${box} AND ST_Intersects(d.boundary, ${box})` : sql``}
    ORDER BY d.code ${cap}`;
}

export async function layerGeojson(ctx: Ctx, name: string, q: { bbox?: Bbox | undefined; limit: number }) {
  requirePermission(ctx.actor, 'map.read');
  const layer = layerDef(name, GEOJSON_LAYERS).name as (typeof GEOJSON_LAYERS)[number];
  // One more than the limit tells "too many" without counting everything first.
  const found = await rows(layer, ctx.actor.scopePrefix, q.bbox, q.limit + 1).execute(ctx.db);
  if (found.rows.length > q.limit) {
    const total = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM (${rows(layer, ctx.actor.scopePrefix, q.bbox, null)}) r`.execute(
      ctx.db,
    );
    const count = total.rows[0]?.n ?? found.rows.length;
    throw new AppError('TOO_MANY_FEATURES', {
      details: { layer, count, limit: q.limit, tiles: `/api/v1/map/tiles/${layer}/{z}/{x}/{y}.mvt` },
      message: {
        zh: `范围内有 ${count} 个要素，超过上限 ${q.limit}；请缩小范围，或改用矢量瓦片 /api/v1/map/tiles/${layer}/{z}/{x}/{y}.mvt`,
        en: `${count} features in this area, more than the limit of ${q.limit}; narrow the bbox or use vector tiles /api/v1/map/tiles/${layer}/{z}/{x}/{y}.mvt`,
      },
    });
  }
  return {
    type: 'FeatureCollection' as const,
    features: found.rows.map((r) => ({
      type: 'Feature' as const,
      id: r.properties.code as string,
      geometry: JSON.parse(r.geometry) as unknown,
      properties: r.properties,
    })),
  };
}
