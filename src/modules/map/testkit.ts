/** Shared helpers of the map module's tests (decoding tiles, error bodies, tile lookups). */
import { VectorTile } from '@mapbox/vector-tile';
import type { Feature } from 'geojson';
import { sql } from 'kysely';
import { PbfReader } from 'pbf';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import type { Store } from '../../platform/db/store.js';
import type { TileCoord } from './tile.js';

export interface DecodedFeature {
  type: number;
  properties: Record<string, number | string | boolean>;
  /** Bounding box of the geometry in tile units (0..4096, the buffer beyond). */
  box: [number, number, number, number];
  /** The geometry back in WGS84. */
  geojson: Feature;
}

export function decodeTile(body: Uint8Array, tile: TileCoord) {
  const vt = new VectorTile(new PbfReader(body));
  const layers: Record<string, { extent: number; version: number; features: DecodedFeature[] }> = {};
  for (const [name, layer] of Object.entries(vt.layers)) {
    const features: DecodedFeature[] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      const [x0, y0, x1, y1] = f.bbox() as [number, number, number, number];
      features.push({
        type: f.type,
        properties: f.properties,
        box: [x0, y0, x1, y1],
        geojson: f.toGeoJSON(tile.x, tile.y, tile.z),
      });
    }
    layers[name] = { extent: layer.extent, version: layer.version, features };
  }
  return layers;
}

export { expectError } from '../../../test/helpers/errors.js';

/** Features of a table intersecting a tile, counted by PostGIS directly (the reference answer). */
export async function countInTile(
  store: Store,
  from: string,
  geomColumn: string,
  where: string,
  t: TileCoord,
) {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM ${sql.raw(from)}
    WHERE ${sql.raw(where)}
      AND ST_Intersects(ST_Transform(${sql.raw(geomColumn)}, 3857), ST_TileEnvelope(${t.z}::int, ${t.x}::int, ${t.y}::int))`.execute(
    store.db,
  );
  return r.rows[0]?.n ?? -1;
}

export const tileUrl = (layer: string, t: TileCoord) => `/api/v1/map/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt`;

const city = generateDemoCity();
const division = new Map(city.divisions.map((d) => [d.code, d]));

export interface FixtureCase {
  number: string;
  lng: number;
  lat: number;
  gridCode: string;
  state: string;
  light: 'green' | 'yellow' | 'red' | null;
  /** 0: none, 1: the 市政 (SZ) department, 2: a department outside its subtree. */
  department: 0 | 1 | 2;
}

/** `count` cases at deterministic pseudo-random points strictly inside demo grids. */
export function fixtureCases(count: number, seed: number): FixtureCase[] {
  const states = ['reported', 'filed', 'dispatched', 'handling', 'closed', 'voided'];
  const lights = ['green', 'yellow', 'red', null] as const;
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return Array.from({ length: count }, (_, i) => {
    const g = city.grids[Math.floor(rand() * city.grids.length)]!;
    const [[w, south], , [e, n]] = g.ring as [[number, number], unknown, [number, number]];
    return {
      number: `${g.code.slice(0, 6)}-20260701-E-${String(i + 1).padStart(4, '0')}`,
      lng: w + (0.05 + 0.9 * rand()) * (e - w),
      lat: south + (0.05 + 0.9 * rand()) * (n - south),
      gridCode: g.code,
      state: states[i % states.length]!,
      light: lights[Math.floor(rand() * 4)]!,
      department: (i % 3) as 0 | 1 | 2,
    };
  });
}

/** Writes fixture cases straight into the `cases` projection (the map only reads it). */
export async function insertCases(store: Store, cases: FixtureCase[]) {
  const values = cases.map((c) => {
    const community = division.get(c.gridCode.slice(0, 12))!;
    const street = division.get(community.parentCode!)!;
    const dept =
      c.department === 1
        ? sql`(SELECT id FROM departments WHERE code = 'SZ')`
        : c.department === 2
          ? sql`(SELECT min(id) FROM departments WHERE path NOT LIKE (SELECT path FROM departments WHERE code = 'SZ') || '%')`
          : sql`NULL::int`;
    return sql`(${c.number}, ${c.gridCode}, ${community.code}, ${street.code}, ${street.parentCode},
      ST_SetSRID(ST_MakePoint(${c.lng}, ${c.lat}), 4326), ${c.state}, ${c.light}, ${dept})`;
  });
  await sql`
    INSERT INTO cases (number, source, kind, category_id, grid_code, community_code, street_code, district_code,
      area_class, location, address, description, reporter_role, state, light, department_id)
    SELECT v.number, 'supervisor', 'event', (SELECT min(id) FROM categories WHERE kind = 'event'), v.grid,
      v.community, v.street, v.district, 'B', v.location, '测试地址', '地图图层测试案卷', 'supervisor', v.state,
      v.light, v.department
    FROM (VALUES ${sql.join(values)}) AS v(number, grid, community, street, district, location, state, light, department)`.execute(
    store.db,
  );
}
