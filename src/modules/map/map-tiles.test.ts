import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import type { ApiApp } from '../../platform/http/types.js';
import { countInTile, decodeTile, expectError, tileUrl } from './testkit.js';
import { type TileCoord, tileAt, tileBounds3857, toWebMercator } from './tile.js';

const city = generateDemoCity();
const gridByCode = new Map(city.grids.map((g) => [g.code, g]));
const CENTRE = tileAt(104.06, 30.66, 15);

/** Grids whose lattice cell meets the tile, from the demo city alone (no PostGIS). */
function latticeGridsIn(t: TileCoord, prefix = '') {
  const b = tileBounds3857(t);
  return city.grids
    .filter((g) => g.code.startsWith(prefix))
    .filter((g) => {
      const [west, south] = toWebMercator(...(g.ring[0] as [number, number]));
      const [east, north] = toWebMercator(...(g.ring[2] as [number, number]));
      return west <= b.east && east >= b.west && south <= b.north && north >= b.south;
    })
    .map((g) => g.code)
    .sort();
}

/** A z14 tile holding grids of both 锦江区 (510104) and 青羊区 (510105). */
const BORDER = (() => {
  for (const g of city.grids) {
    const t = tileAt(...(g.ring[0] as [number, number]), 14);
    const inTile = latticeGridsIn(t);
    if (inTile.some((c) => c.startsWith('510104')) && inTile.some((c) => c.startsWith('510105'))) return t;
  }
  throw new Error('no border tile');
})();

describe.each(testStores())('map tiles on %s', (kind) => {
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

  const get = (url: string, headers: Record<string, string> = admin) =>
    app.inject({ method: 'GET', url, headers });

  it('a grids tile over the centre decodes to exactly the grids meeting it, in EPSG:3857 tile space', async () => {
    const res = await get(tileUrl('grids', CENTRE));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(res.headers['cache-control']).toBe('private, max-age=3600');
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    const layers = decodeTile(res.rawPayload, CENTRE);
    expect(Object.keys(layers)).toEqual(['grids']);
    const layer = layers.grids!;
    expect(layer.extent).toBe(4096);
    expect(layer.version).toBe(2);
    const codes = layer.features.map((f) => f.properties.code as string).sort();
    expect(codes).toEqual(latticeGridsIn(CENTRE));
    expect(codes.length).toBe(await countInTile(t.store, 'grids', 'geom', 'valid_to IS NULL', CENTRE));
    expect(codes.length).toBeGreaterThan(50);
    const pixel = (tileBounds3857(CENTRE).east - tileBounds3857(CENTRE).west) / 4096;
    for (const f of layer.features) {
      const g = gridByCode.get(f.properties.code as string)!;
      expect(f.type).toBe(3);
      expect(f.properties).toEqual({ code: g.code, communityCode: g.communityCode, areaClass: g.areaClass });
      // Clipped to the tile plus its 64-unit buffer, and back in WGS84 within a pixel of the grid.
      expect(Math.min(...f.box)).toBeGreaterThanOrEqual(-64);
      expect(Math.max(...f.box)).toBeLessThanOrEqual(4096 + 64);
      const b = tileBounds3857(CENTRE);
      const [gw, gs] = toWebMercator(...(g.ring[0] as [number, number]));
      const [ge, gn] = toWebMercator(...(g.ring[2] as [number, number]));
      const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
      const pad = 64 * pixel;
      const ring = (f.geojson.geometry as { coordinates: number[][][] }).coordinates[0]!;
      const xs = ring.map((p) => toWebMercator(p[0]!, p[1]!)[0]);
      const ys = ring.map((p) => toWebMercator(p[0]!, p[1]!)[1]);
      expect(Math.abs(Math.min(...xs) - clip(gw, b.west - pad, b.east + pad))).toBeLessThan(1.5 * pixel);
      expect(Math.abs(Math.max(...xs) - clip(ge, b.west - pad, b.east + pad))).toBeLessThan(1.5 * pixel);
      expect(Math.abs(Math.min(...ys) - clip(gs, b.south - pad, b.north + pad))).toBeLessThan(1.5 * pixel);
      expect(Math.abs(Math.max(...ys) - clip(gn, b.south - pad, b.north + pad))).toBeLessThan(1.5 * pixel);
    }
  });

  it('answers If-None-Match with 304 for the same tile, plain, weak or in a list', async () => {
    const first = await get(tileUrl('grids', CENTRE));
    const etag = first.headers.etag as string;
    for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
      const again = await get(tileUrl('grids', CENTRE), { ...admin, 'if-none-match': inm });
      expect(again.statusCode, inm).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(etag);
      expect(again.headers['cache-control']).toBe('private, max-age=3600');
    }
    const other = await get(tileUrl('grids', CENTRE), { ...admin, 'if-none-match': '"something-else"' });
    expect(other.statusCode).toBe(200);
    expect(other.rawPayload.equals(first.rawPayload)).toBe(true);
    // A neighbouring tile has other bytes and so another tag.
    const east = await get(tileUrl('grids', { ...CENTRE, x: CENTRE.x + 1 }));
    expect(east.statusCode).toBe(200);
    expect(east.headers.etag).not.toBe(etag);
  });

  it('an empty tile is 204 without a body, and so is a zoom below the layer minimum', async () => {
    const empty = await get(tileUrl('grids', { z: 15, x: 0, y: 0 }));
    expect(empty.statusCode).toBe(204);
    expect(empty.body).toBe('');
    expect(empty.headers.etag).toBeUndefined();
    const low = await get(tileUrl('grids', tileAt(104.06, 30.66, 11)));
    expect(low.statusCode).toBe(204);
  });

  it.each([
    ['communities', 11, 'community'],
    ['streets', 12, 'street'],
    ['districts', 10, 'district'],
  ] as const)(
    'the %s layer at z%i: every division once over the tiles covering the city',
    async (layer, z, level) => {
      const expected = new Map(city.divisions.filter((d) => d.level === level).map((d) => [d.code, d]));
      const corners = city.grids.flatMap((g) => [g.ring[0]!, g.ring[2]!]);
      const nw = tileAt(Math.min(...corners.map((p) => p[0])), Math.max(...corners.map((p) => p[1])), z);
      const se = tileAt(Math.max(...corners.map((p) => p[0])), Math.min(...corners.map((p) => p[1])), z);
      const seen = new Set<string>();
      for (let x = nw.x; x <= se.x; x++) {
        for (let y = nw.y; y <= se.y; y++) {
          const tile = { z, x, y };
          const res = await get(tileUrl(layer, tile));
          expect(res.statusCode, res.body).toBe(200);
          const decoded = decodeTile(res.rawPayload, tile);
          expect(Object.keys(decoded)).toEqual([layer]);
          const features = decoded[layer]!.features;
          const where = `level = '${level}' AND boundary IS NOT NULL`;
          expect(features.length).toBe(await countInTile(t.store, 'divisions', 'boundary', where, tile));
          for (const f of features) {
            const d = expected.get(f.properties.code as string)!;
            expect(f.type).toBe(3);
            expect(f.properties).toEqual({ code: d.code, name: d.name, parentCode: d.parentCode });
            seen.add(d.code);
          }
        }
      }
      expect([...seen].sort()).toEqual([...expected.keys()].sort());
    },
  );

  it('shows each district operator only the grids of their district', async () => {
    const codesFor = async (headers: Record<string, string>) => {
      const res = await get(tileUrl('grids', BORDER), headers);
      expect(res.statusCode).toBe(200);
      return decodeTile(res.rawPayload, BORDER)
        .grids!.features.map((f) => f.properties.code as string)
        .sort();
    };
    const [all, jinjiang, qingyang] = await Promise.all([
      codesFor(admin),
      codesFor(intake),
      codesFor(intake2),
    ]);
    expect(jinjiang).toEqual(latticeGridsIn(BORDER, '510104'));
    expect(qingyang).toEqual(latticeGridsIn(BORDER, '510105'));
    expect(jinjiang.length).toBeGreaterThan(0);
    expect(qingyang.length).toBeGreaterThan(0);
    expect(all).toEqual(expect.arrayContaining([...jinjiang, ...qingyang]));
    const districts = await get(tileUrl('districts', tileAt(104.06, 30.66, 10)), intake);
    expect(
      decodeTile(districts.rawPayload, tileAt(104.06, 30.66, 10)).districts!.features.map(
        (f) => f.properties.code,
      ),
    ).toEqual(['510104']);
  });

  it.each([
    ['23', '0', '0', 'z must be an integer from 0 to 22'],
    ['-1', '0', '0', 'z must be an integer from 0 to 22'],
    ['1.5', '0', '0', 'z must be an integer from 0 to 22'],
    ['abc', '0', '0', 'z must be an integer from 0 to 22'],
    ['3', '8', '0', 'x must be an integer from 0 to 7 at zoom 3'],
    ['3', '0', '8', 'y must be an integer from 0 to 7 at zoom 3'],
    ['0', '0', '1', 'y must be an integer from 0 to 0 at zoom 0'],
    ['15', '007', '1', 'x must be an integer from 0 to 32767 at zoom 15'],
  ])('z/x/y %s/%s/%s → 400 TILE_OUT_OF_RANGE', async (z, x, y, en) => {
    const res = await get(`/api/v1/map/tiles/grids/${z}/${x}/${y}.mvt`);
    const error = expectError(res, 400, 'TILE_OUT_OF_RANGE');
    expect(error.messages.en).toBe(`Tile coordinates out of range: ${en}`);
    expect(error.details).toMatchObject({ z, x, y, maxZoom: 22 });
  });

  it('refuses unknown layers (404), no login (401), roles without map.read (403) and query parameters (400)', async () => {
    const unknown = expectError(await get('/api/v1/map/tiles/parcels/15/0/0.mvt'), 404, 'LAYER_UNKNOWN');
    expect(unknown.details.layers).toEqual([
      'grids',
      'communities',
      'streets',
      'districts',
      'components',
      'cases',
      'roads',
      'places',
      'areas',
      'labels',
    ]);
    expectError(await get(tileUrl('grids', CENTRE), {}), 401, 'UNAUTHENTICATED');
    expectError(await get(tileUrl('grids', CENTRE), citizen), 403, 'FORBIDDEN');
    expectError(await get(`${tileUrl('grids', CENTRE)}?v=2`), 400, 'VALIDATION_FAILED');
  });
});
