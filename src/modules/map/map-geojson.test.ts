import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import type { ApiApp } from '../../platform/http/types.js';
import { expectError } from './testkit.js';

const city = generateDemoCity();
/** About 1.4 km × 1.2 km near the centre, its edges off the lattice lines. */
const BBOX = [104.0555, 30.6555, 104.0705, 30.6665] as const;

function latticeGridsIn([w, s, e, n]: readonly number[]) {
  return city.grids
    .filter((g) => {
      const [[gw, gs], , [ge, gn]] = g.ring as [[number, number], unknown, [number, number]];
      return gw <= e! && ge >= w! && gs <= n! && gn >= s!;
    })
    .map((g) => g.code)
    .sort();
}

describe.each(testStores())('map GeoJSON layers on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let admin: { authorization: string };
  let intake: { authorization: string };
  let citizen: { authorization: string };

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    [admin, intake, citizen] = await Promise.all([
      bearer(app, 'admin'),
      bearer(app, 'intake'),
      bearer(app, 'citizen'),
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const get = (url: string, headers: Record<string, string> = admin) =>
    app.inject({ method: 'GET', url, headers });

  it('districts: the whole layer in scope, with boundaries and names', async () => {
    const res = await get('/api/v1/map/layers/districts.geojson');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    const body = res.json();
    expect(body.type).toBe('FeatureCollection');
    const districts = city.divisions.filter((d) => d.level === 'district');
    expect(body.features.map((f: { id: string }) => f.id)).toEqual(districts.map((d) => d.code).sort());
    for (const f of body.features) {
      const d = districts.find((x) => x.code === f.id)!;
      expect(f.properties).toEqual({
        code: d.code,
        name: d.name,
        level: 'district',
        parentCode: d.parentCode,
      });
      expect(f.geometry.type).toBe('MultiPolygon');
    }
    const mine = (await get('/api/v1/map/layers/districts.geojson', intake)).json();
    expect(mine.features.map((f: { id: string }) => f.id)).toEqual(['510104']);
  });

  it('grids by bbox: exactly the grids meeting the box', async () => {
    const res = await get(`/api/v1/map/layers/grids.geojson?bbox=${BBOX.join(',')}`);
    expect(res.statusCode, res.body).toBe(200);
    const features = res.json().features as Array<{
      id: string;
      properties: Record<string, unknown>;
      geometry: { type: string };
    }>;
    expect(features.map((f) => f.id)).toEqual(latticeGridsIn(BBOX));
    const g = city.grids.find((x) => x.code === features[0]!.id)!;
    expect(features[0]!.properties).toEqual({
      code: g.code,
      communityCode: g.communityCode,
      areaClass: g.areaClass,
    });
    expect(features[0]!.geometry.type).toBe('Polygon');
  });

  it('communities by bbox agree with PostGIS', async () => {
    const res = await get(`/api/v1/map/layers/communities.geojson?bbox=${BBOX.join(',')}`);
    const r = await sql<{ code: string }>`SELECT code FROM divisions WHERE level = 'community'
      AND ST_Intersects(boundary, ST_MakeEnvelope(${BBOX[0]}, ${BBOX[1]}, ${BBOX[2]}, ${BBOX[3]}, 4326)) ORDER BY code`.execute(
      t.store.db,
    );
    expect(res.json().features.map((f: { id: string }) => f.id)).toEqual(r.rows.map((x) => x.code));
    expect(r.rows.length).toBeGreaterThan(0);
  });

  it('too many grids → 400 TOO_MANY_FEATURES pointing to the tiles', async () => {
    const error = expectError(
      await get('/api/v1/map/layers/grids.geojson?bbox=103,30,105,31&limit=100'),
      400,
      'TOO_MANY_FEATURES',
    );
    expect(error.details).toEqual({
      layer: 'grids',
      count: 3000,
      limit: 100,
      tiles: '/api/v1/map/tiles/grids/{z}/{x}/{y}.mvt',
    });
    expect(error.messages.en).toBe(
      '3000 features in this area, more than the limit of 100; narrow the bbox or use vector tiles /api/v1/map/tiles/grids/{z}/{x}/{y}.mvt',
    );
    // Without a bbox the default limit (1,000) applies.
    expectError(await get('/api/v1/map/layers/grids.geojson'), 400, 'TOO_MANY_FEATURES');
    const scoped = await get('/api/v1/map/layers/grids.geojson?limit=5000', intake);
    expect(scoped.statusCode).toBe(200);
    expect(scoped.json().features.every((f: { id: string }) => f.id.startsWith('510104'))).toBe(true);
  });

  it.each([
    ['bbox=104.1,30,104,31', 'west > east'],
    ['bbox=104,30,105', 'three numbers'],
    ['bbox=104,30,181,31', 'east beyond 180'],
    ['limit=0', 'limit 0'],
    ['limit=5001', 'limit above 5000'],
    ['format=kml', 'unknown parameter'],
  ])('%s (%s) → 400 VALIDATION_FAILED', async (query) => {
    expectError(await get(`/api/v1/map/layers/grids.geojson?${query}`), 400, 'VALIDATION_FAILED');
  });

  it('unknown or tile-only layers → 404 LAYER_UNKNOWN; no login → 401; no map.read → 403', async () => {
    for (const layer of ['parcels', 'cases', 'components']) {
      const error = expectError(await get(`/api/v1/map/layers/${layer}.geojson`), 404, 'LAYER_UNKNOWN');
      expect(error.details).toEqual({ layer, layers: ['grids', 'communities', 'streets', 'districts'] });
    }
    expectError(await get('/api/v1/map/layers/districts.geojson', {}), 401, 'UNAUTHENTICATED');
    expectError(await get('/api/v1/map/layers/districts.geojson', citizen), 403, 'FORBIDDEN');
  });
});
