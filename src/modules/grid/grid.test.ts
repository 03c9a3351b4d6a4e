import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { DEMO_LATTICE, type DemoGrid, generateDemoCity, type Ring } from '../../domain/demo-city/index.js';
import type { ApiApp } from '../../platform/http/types.js';
import { geometryProblem } from './repo.js';

const city = generateDemoCity();
const divisionByCode = new Map(city.divisions.map((d) => [d.code, d]));
const gridByCode = new Map(city.grids.map((g) => [g.code, g]));

/** Every 100th grid (by code): 30 grids spread over all three districts. */
const SAMPLE = city.grids.filter((_, i) => i % 100 === 37);

const centroid = (ring: Ring): [number, number] => {
  const corners = ring.slice(0, 4);
  return [
    corners.reduce((a, p) => a + p[0], 0) / corners.length,
    corners.reduce((a, p) => a + p[1], 0) / corners.length,
  ];
};
const bboxOf = (ring: Ring) => ({
  west: Math.min(...ring.map((p) => p[0])),
  east: Math.max(...ring.map((p) => p[0])),
  south: Math.min(...ring.map((p) => p[1])),
  north: Math.max(...ring.map((p) => p[1])),
});
const ringContains = (ring: Ring, [lng, lat]: [number, number]) => {
  const b = bboxOf(ring);
  return lng >= b.west && lng <= b.east && lat >= b.south && lat <= b.north;
};
const cityBox = (() => {
  const boxes = city.grids.map((g) => bboxOf(g.ring));
  return {
    west: Math.min(...boxes.map((b) => b.west)),
    east: Math.max(...boxes.map((b) => b.east)),
    south: Math.min(...boxes.map((b) => b.south)),
    north: Math.max(...boxes.map((b) => b.north)),
  };
})();

function expectedLocation(g: DemoGrid) {
  const community = divisionByCode.get(g.communityCode);
  const street = divisionByCode.get(community?.parentCode ?? '');
  const district = divisionByCode.get(street?.parentCode ?? '');
  return {
    gridCode: g.code,
    areaClass: g.areaClass,
    community: { code: community?.code, name: community?.name },
    street: { code: street?.code, name: street?.name },
    district: { code: district?.code, name: district?.name },
  };
}

/** A square of `size` degrees with its south-west corner at (lng, lat), counter-clockwise. */
const square = (lng: number, lat: number, size = 0.001) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [lng, lat],
      [lng + size, lat],
      [lng + size, lat + size],
      [lng, lat + size],
      [lng, lat],
    ],
  ],
});

describe.each(testStores())('grid API on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let admin: { authorization: string };
  let intake: { authorization: string };
  let intake2: { authorization: string };
  let citizen: { authorization: string };

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    [admin, intake, intake2, citizen] = await Promise.all([
      bearer(app, 'admin'),
      bearer(app, 'intake'),
      bearer(app, 'intake2'),
      bearer(app, 'citizen'),
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const counts = async () => {
    const r = await sql<{ grids: number; audit: number; divisions: number }>`
      SELECT (SELECT count(*)::int FROM grids) AS grids,
             (SELECT count(*)::int FROM audit_log) AS audit,
             (SELECT count(*)::int FROM divisions) AS divisions`.execute(t.store.db);
    return r.rows[0] as NonNullable<(typeof r.rows)[0]>;
  };
  const locate = (lng: number, lat: number, headers: Record<string, string> = admin) =>
    app.inject({ method: 'GET', url: `/api/v1/grids/locate?lng=${lng}&lat=${lat}`, headers });

  describe('locate', () => {
    it('the sample covers every district', () => {
      expect(SAMPLE).toHaveLength(30);
      expect(new Set(SAMPLE.map((g) => g.code.slice(0, 6)))).toEqual(new Set(['510104', '510105', '510106']));
    });

    it.each(SAMPLE.map((g) => [g.code, g] as const))(
      'the centroid of %s resolves to it',
      async (_code, g) => {
        const [lng, lat] = centroid(g.ring);
        const res = await locate(lng, lat);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toEqual(expectedLocation(g));
      },
    );

    it('a point on a shared lattice vertex resolves to the lowest of the grids touching it', async () => {
      const g = SAMPLE[5] as DemoGrid;
      const b = bboxOf(g.ring);
      const vertex: [number, number] = [b.east, b.north];
      const touching = city.grids.filter((x) => ringContains(x.ring, vertex)).map((x) => x.code);
      expect(touching.length).toBeGreaterThanOrEqual(2);
      const res = await locate(...vertex);
      expect(res.statusCode).toBe(200);
      expect(res.json().gridCode).toBe(touching.sort()[0]);
    });

    it('answers 404 NOT_FOUND outside the city', async () => {
      for (const [lng, lat] of [
        [cityBox.west - 0.01, cityBox.north],
        [cityBox.east + 0.0001, (cityBox.north + cityBox.south) / 2],
        [0, 0],
      ] as const) {
        const err = expectError(await locate(lng, lat), 404, 'NOT_FOUND');
        expect(err.messages.en).toBe('No unit grid covers this point');
        expect(err.details).toEqual({ lng, lat });
      }
    });

    it("answers LOCATION_OUT_OF_SCOPE for a point in another district (intake's scope is 510104)", async () => {
      const other = SAMPLE.find((g) => g.code.startsWith('510105')) as DemoGrid;
      const own = SAMPLE.find((g) => g.code.startsWith('510104')) as DemoGrid;
      const err = expectError(await locate(...centroid(other.ring), intake), 400, 'LOCATION_OUT_OF_SCOPE');
      expect(err.details).toMatchObject({
        gridCode: other.code,
        district: { code: '510105', name: '青羊区' },
        scope: { code: '510104', name: '锦江区' },
      });
      expect(err.messages.zh).toContain('不在您的辖区（锦江区）内');
      expect((await locate(...centroid(own.ring), intake)).json().gridCode).toBe(own.code);
      expect((await locate(...centroid(other.ring), intake2)).json().gridCode).toBe(other.code);
    });

    it('a point on the border of two districts resolves to the grid of the asking district', async () => {
      // Two neighbouring grids, one in 510104 and one in 510105, and a point on their shared edge.
      const key = (lng: number, lat: number) => `${lng.toFixed(7)},${lat.toFixed(7)}`;
      const byNorthWest = new Map(city.grids.map((g) => [key(bboxOf(g.ring).west, bboxOf(g.ring).north), g]));
      let found: { a: DemoGrid; b: DemoGrid; onEdge: [number, number] } | undefined;
      for (const g of city.grids) {
        const b = bboxOf(g.ring);
        const neighbours: Array<[DemoGrid | undefined, [number, number]]> = [
          [byNorthWest.get(key(b.east, b.north)), [b.east, (b.south + b.north) / 2]],
          [byNorthWest.get(key(b.west, b.south)), [(b.west + b.east) / 2, b.south]],
        ];
        for (const [n, onEdge] of neighbours) {
          const districts = new Set([g.code.slice(0, 6), n?.code.slice(0, 6)]);
          if (n && districts.has('510104') && districts.has('510105')) found ??= { a: g, b: n, onEdge };
        }
      }
      expect(found).toBeDefined();
      const { a: west, b: east, onEdge } = found as { a: DemoGrid; b: DemoGrid; onEdge: [number, number] };
      const [low, high] = [west, east].sort((x, y) => x.code.localeCompare(y.code)) as [DemoGrid, DemoGrid];
      // The admin sees both; the lowest code wins.
      expect((await locate(...onEdge)).json().gridCode).toBe(low.code);
      // Each district operator gets the grid of its own district.
      expect((await locate(...onEdge, intake)).json().gridCode).toBe(low.code);
      const res = await locate(...onEdge, intake2);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().gridCode).toBe(high.code);
    });

    it('every random point inside the lattice lies in the ring of the grid it resolves to', async () => {
      const { cols, rows } = DEMO_LATTICE;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: cols * 1000 - 1 }),
          fc.integer({ min: 0, max: rows * 1000 - 1 }),
          async (x, y) => {
            const lng = cityBox.west + ((x + 0.5) / (cols * 1000)) * (cityBox.east - cityBox.west);
            const lat = cityBox.north - ((y + 0.5) / (rows * 1000)) * (cityBox.north - cityBox.south);
            const res = await locate(lng, lat);
            expect(res.statusCode).toBe(200);
            const code = res.json().gridCode as string;
            const grid = gridByCode.get(code);
            expect(grid, code).toBeDefined();
            expect(ringContains((grid as DemoGrid).ring, [lng, lat])).toBe(true);
            expect(res.json()).toEqual(expectedLocation(grid as DemoGrid));
          },
        ),
        { numRuns: kind === 'postgres' ? 200 : 40 },
      );
    });

    it('rejects missing, empty, non-numeric and out-of-range coordinates with VALIDATION_FAILED', async () => {
      for (const query of [
        'lng=104.06',
        'lng=&lat=',
        'lng=abc&lat=30.6',
        'lng=181&lat=30',
        'lng=104&lat=-91',
        'lng=104&lat=30&x=1',
      ]) {
        const res = await app.inject({ method: 'GET', url: `/api/v1/grids/locate?${query}`, headers: admin });
        const err = expectError(res, 400, 'VALIDATION_FAILED');
        expect(err.details?.in).toBe('querystring');
      }
    });

    it('needs a login and the grid.read permission', async () => {
      const [lng, lat] = centroid((SAMPLE[0] as DemoGrid).ring);
      expectError(await locate(lng, lat, {}), 401, 'UNAUTHENTICATED');
      const err = expectError(await locate(lng, lat, citizen), 403, 'FORBIDDEN');
      expect(err.details).toEqual({ permission: 'grid.read' });
    });
  });

  describe('reading grids', () => {
    const expectFeature = (f: Record<string, unknown>, g: DemoGrid) => {
      expect(f).toMatchObject({
        type: 'Feature',
        id: g.code,
        geometry: { type: 'Polygon' },
        properties: {
          code: g.code,
          communityCode: g.communityCode,
          seq: g.seq,
          areaClass: g.areaClass,
          validTo: null,
        },
      });
      const coords = (f.geometry as { coordinates: number[][][] }).coordinates;
      expect(coords).toHaveLength(1);
      expect(bboxOf(coords[0] as Ring)).toEqual(bboxOf(g.ring));
      const area = (f.properties as { areaM2: number }).areaM2;
      expect(area).toBeGreaterThan(9_500);
      expect(area).toBeLessThan(10_500);
    };

    it('GET /grids/:code returns one GeoJSON Feature of ≈ 10,000 m²', async () => {
      for (const g of SAMPLE.slice(0, 6)) {
        const res = await app.inject({ method: 'GET', url: `/api/v1/grids/${g.code}`, headers: admin });
        expect(res.statusCode).toBe(200);
        expectFeature(res.json(), g);
      }
    });

    it('GET /grids/:code answers 404 for an unknown or out-of-scope grid', async () => {
      const other = SAMPLE.find((g) => g.code.startsWith('510105')) as DemoGrid;
      const own = SAMPLE.find((g) => g.code.startsWith('510104')) as DemoGrid;
      expectError(
        await app.inject({ method: 'GET', url: `/api/v1/grids/${other.code}`, headers: intake }),
        404,
        'NOT_FOUND',
      );
      expect(
        (await app.inject({ method: 'GET', url: `/api/v1/grids/${own.code}`, headers: intake })).statusCode,
      ).toBe(200);
      expectError(
        await app.inject({ method: 'GET', url: '/api/v1/grids/510104001001999', headers: admin }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await app.inject({ method: 'GET', url: `/api/v1/grids/${own.code}`, headers: citizen }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await app.inject({ method: 'GET', url: `/api/v1/grids/${own.code}` }),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('GET /grids?communityCode= lists exactly that community as a FeatureCollection', async () => {
      const community = (SAMPLE[3] as DemoGrid).communityCode;
      const expected = city.grids.filter((g) => g.communityCode === community);
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/grids?communityCode=${community}`,
        headers: admin,
      });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.type).toBe('FeatureCollection');
      expect(body.features.map((f: { id: string }) => f.id)).toEqual(expected.map((g) => g.code));
      body.features.forEach((f: Record<string, unknown>, i: number) => {
        expectFeature(f, expected[i] as DemoGrid);
      });
    });

    it('GET /grids?communityCode= of another district is empty for a district operator', async () => {
      const community = (SAMPLE.find((g) => g.code.startsWith('510105')) as DemoGrid).communityCode;
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/grids?communityCode=${community}`,
        headers: intake,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().features).toEqual([]);
    });

    it('GET /grids?bbox= returns the grids overlapping the box, limited to my scope', async () => {
      // A box spanning the whole city width through the middle: all districts.
      const midLat = (cityBox.north + cityBox.south) / 2;
      const box = {
        west: cityBox.west - 0.001,
        east: cityBox.east + 0.001,
        south: midLat + 0.00001,
        north: midLat + 0.00002,
      };
      const expected = city.grids
        .filter((g) => {
          const b = bboxOf(g.ring);
          return b.west <= box.east && b.east >= box.west && b.south <= box.north && b.north >= box.south;
        })
        .map((g) => g.code)
        .sort();
      expect(expected).toHaveLength(DEMO_LATTICE.cols);
      const url = `/api/v1/grids?bbox=${box.west},${box.south},${box.east},${box.north}`;
      const all = await app.inject({ method: 'GET', url, headers: admin });
      expect(all.statusCode).toBe(200);
      expect(all.json().features.map((f: { id: string }) => f.id)).toEqual(expected);
      for (const f of all.json().features) {
        expect(f.properties.areaM2).toBeGreaterThan(9_500);
        expect(f.properties.areaM2).toBeLessThan(10_500);
      }
      const mine = await app.inject({ method: 'GET', url, headers: intake });
      expect(mine.json().features.map((f: { id: string }) => f.id)).toEqual(
        expected.filter((c) => c.startsWith('510104')),
      );
    });

    it('GET /grids pages with limit and offset', async () => {
      const page = await app.inject({ method: 'GET', url: '/api/v1/grids?limit=3&offset=2', headers: admin });
      expect(page.json().features.map((f: { id: string }) => f.id)).toEqual(
        city.grids.slice(2, 5).map((g) => g.code),
      );
      // Every list says its total and where the next page starts: nothing stops silently at 500.
      expect(page.json()).toMatchObject({ total: city.grids.length, limit: 3, offset: 2, nextOffset: 5 });
      const first = (await app.inject({ method: 'GET', url: '/api/v1/grids', headers: admin })).json();
      expect(first).toMatchObject({ total: 3000, limit: 500, offset: 0, nextOffset: 500 });
      expect(first.features).toHaveLength(500);
      const last = await app.inject({ method: 'GET', url: '/api/v1/grids?offset=2500', headers: admin });
      expect(last.json()).toMatchObject({ total: 3000, offset: 2500, nextOffset: null });
      expect(last.json().features).toHaveLength(500);
      // Filters count too: one community's grids, in the intake's scope.
      const community = city.grids[0]?.communityCode ?? '';
      const inCommunity = city.grids.filter((g) => g.communityCode === community);
      const scoped = await app.inject({
        method: 'GET',
        url: `/api/v1/grids?communityCode=${community}&limit=2`,
        headers: admin,
      });
      expect(scoped.json()).toMatchObject({ total: inCommunity.length, nextOffset: 2 });
    });

    it('GET /grids rejects a malformed bbox, community code or limit with VALIDATION_FAILED', async () => {
      for (const q of [
        'bbox=1,2,3',
        'bbox=1..2,30,105,31',
        'bbox=105,30,104,31',
        'bbox=104,31,105,30',
        'communityCode=5101040010',
        'limit=0',
        'limit=5001',
        'foo=bar',
      ]) {
        const res = await app.inject({ method: 'GET', url: `/api/v1/grids?${q}`, headers: admin });
        expectError(res, 400, 'VALIDATION_FAILED');
      }
    });
  });

  describe('POST /grids', () => {
    // Far east of the demo lattice: overlaps nothing.
    const FREE_LNG = cityBox.east + 0.05;
    const FREE_LAT = cityBox.north + 0.05;
    const existingCommunity = (SAMPLE[0] as DemoGrid).communityCode;
    const post = (payload: unknown, headers: Record<string, string> = admin) =>
      app.inject({ method: 'POST', url: '/api/v1/grids', headers, payload: payload as object });

    async function rejected(
      payload: unknown,
      status: number,
      code: string,
      headers: Record<string, string> = admin,
    ) {
      const before = await counts();
      const err = expectError(await post(payload, headers), status, code);
      expect(await counts()).toEqual(before);
      return err;
    }

    it('rejects a code whose prefix is not its community, naming both codes', async () => {
      const err = await rejected(
        { code: '510104002001001', communityCode: existingCommunity, geometry: square(FREE_LNG, FREE_LAT) },
        400,
        'GRID_CODE_COMMUNITY_MISMATCH',
      );
      for (const text of [err.messages.zh, err.messages.en]) {
        expect(text).toContain('510104002001001');
        expect(text).toContain(existingCommunity);
      }
      expect(err.message).toBe(err.messages.zh);
      expect(err.details).toEqual({ code: '510104002001001', communityCode: existingCommunity });
    });

    it('rejects a malformed code with GRID_CODE_FORMAT', async () => {
      for (const code of [
        `${existingCommunity}01`,
        `${existingCommunity}0011`,
        `${existingCommunity}0a1`,
        '510104000001001',
      ]) {
        await rejected(
          { code, communityCode: existingCommunity, geometry: square(FREE_LNG, FREE_LAT) },
          400,
          'GRID_CODE_FORMAT',
        );
      }
    });

    it('rejects grid sequence 000 with GRID_CODE_SEQUENCE', async () => {
      const err = await rejected(
        {
          code: `${existingCommunity}000`,
          communityCode: existingCommunity,
          geometry: square(FREE_LNG, FREE_LAT),
        },
        400,
        'GRID_CODE_SEQUENCE',
      );
      expect(err.messages.en).toContain('000');
    });

    it('rejects a self-intersecting (bow-tie) polygon with GRID_GEOMETRY_INVALID', async () => {
      const [x, y] = [FREE_LNG, FREE_LAT];
      const bowTie = {
        type: 'Polygon',
        coordinates: [
          [
            [x, y],
            [x + 0.001, y + 0.001],
            [x + 0.001, y],
            [x, y + 0.001],
            [x, y],
          ],
        ],
      };
      const err = await rejected(
        { code: `${existingCommunity}999`, communityCode: existingCommunity, geometry: bowTie },
        400,
        'GRID_GEOMETRY_INVALID',
      );
      expect(err.details?.reason).toMatch(/self-intersection/i);
      expect(err.messages.en).toContain(`${existingCommunity}999`);
    });

    it('rejects an unclosed ring with GRID_GEOMETRY_INVALID', async () => {
      const [x, y] = [FREE_LNG, FREE_LAT];
      const open = {
        type: 'Polygon',
        coordinates: [
          [
            [x, y],
            [x + 0.001, y],
            [x + 0.001, y + 0.001],
            [x, y + 0.001],
          ],
        ],
      };
      const err = await rejected(
        { code: `${existingCommunity}999`, communityCode: existingCommunity, geometry: open },
        400,
        'GRID_GEOMETRY_INVALID',
      );
      expect(err.details?.reason).toBe('ring 0 is not closed');
      // The database check alone reports it too (on PGlite the PostGIS error is lost: no row).
      expect(await geometryProblem(t.store.db, JSON.stringify(open)).catch((e: Error) => e.message)).toEqual(
        expect.any(String),
      );
    });

    it('rejects a polygon overlapping an existing grid, naming that grid', async () => {
      const target = SAMPLE[0] as DemoGrid;
      const b = bboxOf(target.ring);
      // Half a cell east of the target: overlaps it and its eastern neighbour.
      const shifted = square(b.west + (b.east - b.west) / 2, b.south + 0.0001, 0.0005);
      const err = await rejected(
        { code: `${target.communityCode}999`, communityCode: target.communityCode, geometry: shifted },
        400,
        'GRID_GEOMETRY_INVALID',
      );
      expect(err.messages.zh).toContain(target.code);
      expect(err.messages.en).toContain(target.code);
      const overlaps = (err.details?.overlaps ?? []) as Array<{ code: string; overlap_m2: number }>;
      expect(overlaps.map((o) => o.code)).toContain(target.code);
    });

    it('rejects coordinates that are not numbers (null is not 0)', async () => {
      const geometry = square(FREE_LNG, FREE_LAT);
      (geometry.coordinates[0] as unknown[])[1] = [null, null];
      (geometry.coordinates[0] as unknown[])[2] = ['104.3', '30.8'];
      await rejected(
        { code: `${existingCommunity}999`, communityCode: existingCommunity, geometry },
        400,
        'VALIDATION_FAILED',
      );
    });

    it('rejects an existing code with CONFLICT and an unknown community with DIVISION_INVALID', async () => {
      const g = SAMPLE[0] as DemoGrid;
      await rejected(
        { code: g.code, communityCode: g.communityCode, geometry: square(FREE_LNG, FREE_LAT) },
        409,
        'CONFLICT',
      );
      await rejected(
        { code: '510104001098001', communityCode: '510104001098', geometry: square(FREE_LNG, FREE_LAT) },
        400,
        'DIVISION_INVALID',
      );
    });

    it('rejects unknown fields and a non-polygon geometry with VALIDATION_FAILED', async () => {
      const base = {
        code: `${existingCommunity}999`,
        communityCode: existingCommunity,
        geometry: square(FREE_LNG, FREE_LAT),
      };
      await rejected({ ...base, extra: 1 }, 400, 'VALIDATION_FAILED');
      await rejected(
        { ...base, geometry: { type: 'Point', coordinates: [104, 30] } },
        400,
        'VALIDATION_FAILED',
      );
      await rejected({ ...base, areaClass: 'D' }, 400, 'VALIDATION_FAILED');
    });

    it('needs the grid.write permission (403) and a login (401)', async () => {
      const body = {
        code: `${existingCommunity}999`,
        communityCode: existingCommunity,
        geometry: square(FREE_LNG, FREE_LAT),
      };
      const err = await rejected(body, 403, 'FORBIDDEN', intake);
      expect(err.details).toEqual({ permission: 'grid.write' });
      await rejected(body, 401, 'UNAUTHENTICATED', {});
    });

    it('creates a valid grid in a new community; locate then finds it', async () => {
      const before = await counts();
      const street = divisionByCode.get(divisionByCode.get(existingCommunity)?.parentCode ?? '');
      const district = divisionByCode.get(street?.parentCode ?? '');
      const communityCode = `${street?.code}099`;
      const div = await app.inject({
        method: 'POST',
        url: '/api/v1/divisions',
        headers: admin,
        payload: { code: communityCode, name: '测试新社区', parentCode: street?.code },
      });
      expect(div.statusCode, div.body).toBe(201);

      const geometry = square(FREE_LNG, FREE_LAT);
      const res = await post({ code: `${communityCode}001`, communityCode, areaClass: 'A', geometry });
      expect(res.statusCode, res.body).toBe(201);
      const f = res.json();
      expect(f).toMatchObject({
        type: 'Feature',
        id: `${communityCode}001`,
        properties: { code: `${communityCode}001`, communityCode, seq: 1, areaClass: 'A', validTo: null },
      });
      // 0.001° × 0.001° at ≈ 30.7° N: ≈ 111 m × 95.7 m.
      expect(f.properties.areaM2).toBeGreaterThan(10_000);
      expect(f.properties.areaM2).toBeLessThan(11_000);
      expect(bboxOf(f.geometry.coordinates[0])).toEqual(bboxOf(geometry.coordinates[0] as Ring));

      const after = await counts();
      expect(after).toEqual({
        grids: before.grids + 1,
        audit: before.audit + 2,
        divisions: before.divisions + 1,
      });
      const lastAudit = await t.store.db
        .selectFrom('audit_log')
        .select(['action', 'target'])
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      expect(lastAudit).toEqual({ action: 'grid.create', target: `grid:${communityCode}001` });

      const found = await locate(FREE_LNG + 0.0005, FREE_LAT + 0.0005);
      expect(found.statusCode, found.body).toBe(200);
      expect(found.json()).toEqual({
        gridCode: `${communityCode}001`,
        areaClass: 'A',
        community: { code: communityCode, name: '测试新社区' },
        street: { code: street?.code, name: street?.name },
        district: { code: district?.code, name: district?.name },
      });
      const got = await app.inject({
        method: 'GET',
        url: `/api/v1/grids/${communityCode}001`,
        headers: admin,
      });
      expect(got.json()).toEqual(f);

      // A second grid touching the first along an edge is no overlap.
      const neighbour = await post({
        code: `${communityCode}002`,
        communityCode,
        geometry: square(FREE_LNG + 0.001, FREE_LAT),
      });
      expect(neighbour.statusCode, neighbour.body).toBe(201);
      expect(neighbour.json().properties.areaClass).toBe('B');
    });
  });
});
