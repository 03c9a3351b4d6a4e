import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import {
  countInTile,
  decodeTile,
  expectError,
  type FixtureCase,
  fixtureCases,
  insertCases,
  tileUrl,
} from './testkit.js';
import { type TileCoord, tileAt, tileBounds3857, toWebMercator } from './tile.js';

const LIGHTS = ['green', 'yellow', 'red', null] as const;
const OPEN = new Set(['reported', 'filed', 'dispatched', 'handling']);
const CASES = fixtureCases(800, 42);

function inTile(t: TileCoord, lng: number, lat: number) {
  const b = tileBounds3857(t);
  const [x, y] = toWebMercator(lng, lat);
  return x >= b.west && x <= b.east && y >= b.south && y <= b.north;
}

/** The clusters a tile should hold, computed here from the fixture alone. */
function expectedClusters(t: TileCoord, cases: FixtureCase[]) {
  const b = tileBounds3857(t);
  const cell = (b.east - b.west) / 16;
  const groups = new Map<string, { cx: number; cy: number; count: number; worst: number }>();
  for (const c of cases.filter((x) => inTile(t, x.lng, x.lat))) {
    const [x, y] = toWebMercator(c.lng, c.lat);
    const cx = Math.floor((x - b.west) / cell);
    const cy = Math.floor((y - b.south) / cell);
    const g = groups.get(`${cx},${cy}`) ?? { cx, cy, count: 0, worst: -1 };
    g.count++;
    g.worst = Math.max(g.worst, c.light === null ? -1 : LIGHTS.indexOf(c.light));
    groups.set(`${cx},${cy}`, g);
  }
  return [...groups.values()].map((g) => ({ ...g, light: g.worst === -1 ? undefined : LIGHTS[g.worst] }));
}

describe.each(testStores())('point layers (components, cases) on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  const who: Record<string, { authorization: string }> = {};

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    for (const u of ['admin', 'intake2', 'dept', 'citizen']) who[u] = await bearer(app, u);
    await insertCases(t.store, CASES);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const get = (url: string, headers = who.admin!) => app.inject({ method: 'GET', url, headers });
  const tileOf = async (layer: string, tile: TileCoord, headers = who.admin!) => {
    const res = await get(tileUrl(layer, tile), headers);
    expect(res.statusCode, res.body).toBe(200);
    const decoded = decodeTile(res.rawPayload, tile);
    expect(Object.keys(decoded)).toEqual([layer]);
    return { res, features: decoded[layer]!.features };
  };

  describe('components', () => {
    it('below z14: clusters whose counts add up to the components in the tile', async () => {
      for (const tile of [tileAt(104.06, 30.66, 13), tileAt(104.06, 30.66, 11), tileAt(104.03, 30.69, 13)]) {
        const { res, features } = await tileOf('components', tile);
        expect(res.headers['cache-control']).toBe('private, max-age=300');
        expect(features.every((f) => f.type === 1 && f.properties.cluster === true)).toBe(true);
        expect(features.length).toBeLessThanOrEqual(17 * 17);
        const total = features.reduce((n, f) => n + (f.properties.count as number), 0);
        expect(total).toBe(await countInTile(t.store, 'components', 'geom', 'true', tile));
        expect(total).toBeGreaterThan(features.length);
      }
    });

    it('from z14: every component in the tile as a point with its registry properties', async () => {
      const tile = tileAt(104.06, 30.66, 16);
      const { features } = await tileOf('components', tile);
      expect(features.length).toBe(await countInTile(t.store, 'components', 'geom', 'true', tile));
      expect(features.length).toBeGreaterThan(10);
      const rows = await t.store.db
        .selectFrom('components')
        .select(['id', 'name', 'category_code', 'state', 'grid_code'])
        .where(
          'id',
          'in',
          features.map((f) => f.properties.id as string),
        )
        .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const f of features) {
        const r = byId.get(f.properties.id as string)!;
        expect(f.properties).toEqual({
          cluster: false,
          id: r.id,
          name: r.name,
          categoryCode: r.category_code,
          state: r.state,
          gridCode: r.grid_code,
        });
      }
    });

    it('MAP_CLUSTER_BELOW_ZOOM moves the zoom from which single points are served', async () => {
      const tile = tileAt(104.06, 30.66, 13);
      const points = await testApp(t.store, { MAP_CLUSTER_BELOW_ZOOM: '12' });
      try {
        const res = await points.inject({
          method: 'GET',
          url: tileUrl('components', tile),
          headers: who.admin!,
        });
        expect(res.statusCode, res.body).toBe(200);
        const features = decodeTile(res.rawPayload, tile).components!.features;
        expect(features.every((f) => f.properties.cluster === false)).toBe(true);
        expect(features.length).toBe(await countInTile(t.store, 'components', 'geom', 'true', tile));
      } finally {
        await points.close();
      }
    });

    it('a district operator counts only the components of their district', async () => {
      const tile = tileAt(104.06, 30.66, 13);
      const { features } = await tileOf('components', tile, who.intake2);
      const total = features.reduce((n, f) => n + (f.properties.count as number), 0);
      const where = "(id LIKE '510105%' OR grid_code LIKE '510105%')";
      expect(total).toBe(await countInTile(t.store, 'components', 'geom', where, tile));
      expect(total).toBeLessThan(await countInTile(t.store, 'components', 'geom', 'true', tile));
    });
  });

  describe('cases', () => {
    const visible = (filter: (c: FixtureCase) => boolean = () => true) =>
      CASES.filter((c) => OPEN.has(c.state) && filter(c));

    it.each([12, 13])(
      'z%i: clusters by cell with count and the worst light, matching the fixture',
      async (z) => {
        const tile = tileAt(104.06, 30.66, z);
        const { res, features } = await tileOf('cases', tile);
        expect(res.headers['cache-control']).toBe('private, max-age=15');
        const expected = expectedClusters(tile, visible());
        expect(features).toHaveLength(expected.length);
        const total = features.reduce((n, f) => n + (f.properties.count as number), 0);
        expect(total).toBe(
          await countInTile(
            t.store,
            'cases',
            'location',
            `state IN ('reported', 'filed', 'dispatched', 'handling')`,
            tile,
          ),
        );
        expect(total).toBe(visible((c) => inTile(tile, c.lng, c.lat)).length);
        // Each cluster sits in its cell (give or take the rounding to a tile unit) with that cell's figures.
        const unmatched = [...expected];
        for (const f of features) {
          const [px, py] = [f.box[0], 4096 - f.box[1]];
          const near = (g: (typeof expected)[number]) =>
            px >= g.cx * 256 - 1 &&
            px <= (g.cx + 1) * 256 + 1 &&
            py >= g.cy * 256 - 1 &&
            py <= (g.cy + 1) * 256 + 1;
          const props = (g: (typeof expected)[number]) => ({
            cluster: true,
            count: g.count,
            ...(g.light ? { light: g.light } : {}),
          });
          const i = unmatched.findIndex(
            (g) => near(g) && JSON.stringify(props(g)) === JSON.stringify(f.properties),
          );
          expect(i, `cluster ${JSON.stringify(f.properties)} at ${px},${py}`).toBeGreaterThanOrEqual(0);
          unmatched.splice(i, 1);
        }
        expect(unmatched).toEqual([]);
      },
    );

    it('z14 and up: the open cases themselves, with state and light', async () => {
      const tile = tileAt(CASES[0]!.lng, CASES[0]!.lat, 14);
      const { features } = await tileOf('cases', tile);
      const expected = visible((c) => inTile(tile, c.lng, c.lat));
      expect(features.map((f) => f.properties.number).sort()).toEqual(expected.map((c) => c.number).sort());
      for (const f of features) {
        const c = CASES.find((x) => x.number === f.properties.number)!;
        expect(f.properties).toMatchObject({
          cluster: false,
          state: c.state,
          kind: 'event',
          urgency: 'normal',
          gridCode: c.gridCode,
        });
        expect(f.properties.light).toBe(c.light ?? undefined);
        expect(typeof f.properties.id).toBe('number');
      }
    });

    it('shows a district operator their district and a department its own cases', async () => {
      const tile = tileAt(104.06, 30.66, 12);
      const count = async (user: string) =>
        (await tileOf('cases', tile, who[user])).features.reduce(
          (n, f) => n + (f.properties.count as number),
          0,
        );
      const here = (c: FixtureCase) => inTile(tile, c.lng, c.lat);
      expect(await count('intake2')).toBe(visible((c) => here(c) && c.gridCode.startsWith('510105')).length);
      expect(await count('dept')).toBe(visible((c) => here(c) && c.department === 1).length);
    });

    it('is unavailable (404 LAYER_UNAVAILABLE) while its table does not exist', async () => {
      const tile = tileAt(104.06, 30.66, 12);
      await sql`ALTER TABLE cases RENAME TO cases_hidden`.execute(t.store.db);
      try {
        const error = expectError(await get(tileUrl('cases', tile)), 404, 'LAYER_UNAVAILABLE');
        expect(error.details).toEqual({ layer: 'cases', table: 'cases' });
        expect((await get(tileUrl('grids', tileAt(104.06, 30.66, 14)))).statusCode).toBe(200);
      } finally {
        await sql`ALTER TABLE cases_hidden RENAME TO cases`.execute(t.store.db);
      }
      expect((await get(tileUrl('cases', tile))).statusCode).toBe(200);
    });

    it('is refused to citizens (403) and without login (401)', async () => {
      const tile = tileAt(104.06, 30.66, 12);
      expectError(await get(tileUrl('cases', tile), who.citizen), 403, 'FORBIDDEN');
      expectError(await app.inject({ method: 'GET', url: tileUrl('cases', tile) }), 401, 'UNAUTHENTICATED');
    });
  });
});
