import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import { COLS, latAt, lngAt, ROWS } from '../../domain/demo-city/lattice.js';
import type { GridLocator } from '../../domain/spatial/index.js';
import type { ApiApp } from '../../platform/http/types.js';
import { locatePoint } from '../grid/repo.js';
import { loadGridLocator } from './locator.js';
import { expectError } from './testkit.js';

const city = generateDemoCity();
const WEST = lngAt(0);
const EAST = lngAt(COLS);
const NORTH = latAt(0);
const SOUTH = latAt(ROWS);
const LATTICE_LNGS = new Set(Array.from({ length: COLS + 1 }, (_, i) => lngAt(i)));
const LATTICE_LATS = new Set(Array.from({ length: ROWS + 1 }, (_, i) => latAt(i)));

/**
 * Points that stress the boundary rule: anywhere in (and a little around) the city, exactly
 * on lattice lines (shared edges), exactly on lattice vertices, and one ulp either side.
 */
const pointArb = fc.oneof(
  fc.tuple(
    fc.double({ min: WEST - 0.002, max: EAST + 0.002, noNaN: true }),
    fc.double({ min: SOUTH - 0.002, max: NORTH + 0.002, noNaN: true }),
  ),
  fc
    .tuple(fc.integer({ min: 0, max: COLS }), fc.double({ min: SOUTH, max: NORTH, noNaN: true }))
    .map(([col, lat]) => [lngAt(col), lat] as [number, number]),
  fc
    .tuple(fc.double({ min: WEST, max: EAST, noNaN: true }), fc.integer({ min: 0, max: ROWS }))
    .map(([lng, row]) => [lng, latAt(row)] as [number, number]),
  fc
    .tuple(fc.integer({ min: 0, max: COLS }), fc.integer({ min: 0, max: ROWS }))
    .map(([col, row]) => [lngAt(col), latAt(row)] as [number, number]),
  fc
    .tuple(fc.integer({ min: 0, max: COLS }), fc.integer({ min: 0, max: ROWS }), fc.constantFrom(-1, 1))
    .map(([col, row, dir]) => {
      const lng = lngAt(col);
      return [lng + dir * Number.EPSILON * Math.abs(lng), latAt(row)] as [number, number];
    }),
);

describe.each(testStores())('in-memory grid locator against PostGIS on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let locator: GridLocator;

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    locator = await loadGridLocator(t.store.db);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('loads every current grid', () => {
    expect(locator.size).toBe(city.grids.length);
  });

  it('returns the same grid as PostGIS for 1,200 points, including shared edges and vertices', async () => {
    let onLattice = 0;
    await fc.assert(
      fc.asyncProperty(pointArb, fc.constantFrom('', '', '510104', '510105'), async ([lng, lat], scope) => {
        if (LATTICE_LNGS.has(lng) || LATTICE_LATS.has(lat)) onLattice++;
        const postgis = await locatePoint(t.store.db, lng, lat, scope);
        expect(locator.locate(lng, lat, scope), `${lng},${lat} in "${scope}"`).toBe(postgis?.code ?? null);
      }),
      { numRuns: 1200 },
    );
    expect(onLattice).toBeGreaterThan(100);
  }, 300_000);

  describe('POST /map/locate', () => {
    let admin: { authorization: string };
    let intake: { authorization: string };
    let citizen: { authorization: string };
    beforeAll(async () => {
      [admin, intake, citizen] = await Promise.all([
        bearer(app, 'admin'),
        bearer(app, 'intake'),
        bearer(app, 'citizen'),
      ]);
    });
    const post = (payload: unknown, headers: Record<string, string> = admin) =>
      app.inject({ method: 'POST', url: '/api/v1/map/locate', payload: payload as object, headers });

    it('answers like GET /grids/locate for each point, within the caller’s scope', async () => {
      const sample = city.grids.filter((_, i) => i % 250 === 3);
      const points = sample.map((g) => {
        const [[w, s], , [e, n]] = g.ring as [[number, number], unknown, [number, number]];
        return [(w + e) / 2, (s + n) / 2] as [number, number];
      });
      points.push([0, 0]);
      const res = await post({ points });
      expect(res.statusCode, res.body).toBe(200);
      const results = res.json().results as Array<{ lng: number; lat: number; gridCode: string | null }>;
      expect(results.map((r) => r.gridCode)).toEqual([...sample.map((g) => g.code), null]);
      expect(results[0]).toEqual({ lng: points[0]![0], lat: points[0]![1], gridCode: sample[0]!.code });
      const scoped = (await post({ points }, intake)).json().results as Array<{ gridCode: string | null }>;
      expect(scoped.map((r) => r.gridCode)).toEqual([
        ...sample.map((g) => (g.code.startsWith('510104') ? g.code : null)),
        null,
      ]);
    });

    it('follows grid changes: a retired grid is no longer found', async () => {
      const g = city.grids[1234]!;
      const [[w, s], , [e, n]] = g.ring as [[number, number], unknown, [number, number]];
      const centre = [(w + e) / 2, (s + n) / 2];
      expect((await post({ points: [centre] })).json().results[0].gridCode).toBe(g.code);
      await sql`UPDATE grids SET valid_to = valid_from WHERE code = ${g.code}`.execute(t.store.db);
      expect((await post({ points: [centre] })).json().results[0].gridCode).toBeNull();
      await sql`UPDATE grids SET valid_to = NULL WHERE code = ${g.code}`.execute(t.store.db);
      expect((await post({ points: [centre] })).json().results[0].gridCode).toBe(g.code);
    });

    it('refuses bad bodies (400), no login (401) and roles without map.read (403)', async () => {
      const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(t.store.db);
      expectError(await post({ points: [] }), 400, 'VALIDATION_FAILED');
      expectError(await post({ points: [[181, 30]] }), 400, 'VALIDATION_FAILED');
      expectError(await post({ points: [[104, null]] }), 400, 'VALIDATION_FAILED');
      expectError(await post({ points: [[104, 30]], extra: 1 }), 400, 'VALIDATION_FAILED');
      expectError(
        await post({ points: Array.from({ length: 1001 }, () => [104, 30]) }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(await post({ points: [[104, 30]] }, {}), 401, 'UNAUTHENTICATED');
      expectError(await post({ points: [[104, 30]] }, citizen), 403, 'FORBIDDEN');
      const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(t.store.db);
      expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
    });
  });
});
