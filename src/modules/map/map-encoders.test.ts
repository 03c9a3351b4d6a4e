import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { systemActor } from '../../platform/auth/actor.js';
import { encodeInJs, encodeWithPostgis } from './encode.js';
import { DEFAULT_CLUSTER_BELOW_ZOOM, LAYERS, type LayerName } from './layers.js';
import { tileSource } from './service.js';
import { type DecodedFeature, decodeTile, fixtureCases, insertCases } from './testkit.js';
import { type TileCoord, tileAt } from './tile.js';

const at = (z: number, lng = 104.06, lat = 30.66) => tileAt(lng, lat, z);

/** Tiles across zooms, layers and both geometry kinds (clusters and points included). */
const CASES: Array<[LayerName, TileCoord]> = [
  ['grids', at(12)],
  ['grids', at(14)],
  ['grids', at(15, 104.035, 30.68)],
  ['grids', at(16)],
  ['grids', at(19)],
  ['communities', at(11)],
  ['communities', at(13, 104.08, 30.64)],
  ['streets', at(12)],
  ['districts', at(8)],
  ['districts', at(14, 104.07, 30.67)],
  ['components', at(10)],
  ['components', at(13)],
  ['components', at(16)],
  ['components', at(18)],
  ['cases', at(11)],
  ['cases', at(13)],
  ['cases', at(15, 104.05, 30.65)],
];

const key = (f: DecodedFeature) =>
  JSON.stringify(Object.fromEntries(Object.entries(f.properties).sort(([a], [b]) => (a < b ? -1 : 1))));

/** The PostGIS encoder needs protobuf support, which only the real PostgreSQL store has. */
describe.runIf(testStores().includes('postgres'))('ST_AsMVT and geojson-vt + vt-pbf agree', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore('postgres');
    await insertCases(t.store, fixtureCases(1500, 7));
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it.each(CASES)('%s %o', async (layer, tile) => {
    const ctx = {
      db: t.store.db,
      actor: systemActor(),
      meta: { ip: null, requestId: null, userAgent: null },
    };
    const source = tileSource(ctx, LAYERS[layer], tile, { clusterBelowZoom: DEFAULT_CLUSTER_BELOW_ZOOM });
    const [fromPostgis, fromJs] = await Promise.all([
      encodeWithPostgis(t.store.db, layer, source, tile),
      encodeInJs(t.store.db, layer, source, tile),
    ]);
    const a = decodeTile(fromPostgis, tile);
    const b = decodeTile(fromJs, tile);
    expect(Object.keys(a)).toEqual([layer]);
    expect(Object.keys(b)).toEqual([layer]);
    expect(b[layer]!.extent).toBe(a[layer]!.extent);
    const pg = a[layer]!.features;
    const js = b[layer]!.features;
    expect(pg.length).toBeGreaterThan(0);
    expect(js.length).toBe(pg.length);
    expect(js.map(key).sort()).toEqual(pg.map(key).sort());
    // Same geometry type and, within a tile unit, the same extent for each feature.
    const byKey = new Map<string, DecodedFeature[]>();
    for (const f of js) byKey.set(key(f), [...(byKey.get(key(f)) ?? []), f]);
    for (const f of pg) {
      const twins = byKey.get(key(f))!;
      const twin = twins.find((g) => g.box.every((v, i) => Math.abs(v - f.box[i]!) <= 1));
      expect(
        twin,
        `${key(f)} at ${f.box.join(',')} vs ${twins.map((g) => g.box.join(',')).join(' | ')}`,
      ).toBeDefined();
      expect(twin!.type).toBe(f.type);
      twins.splice(twins.indexOf(twin!), 1);
    }
  });
});
