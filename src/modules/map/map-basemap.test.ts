/**
 * The base map from the city's own gazetteer: roads with their class, places, parks and rivers,
 * and a label point per division, for the console (in the reader's scope) and for the public.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import { generateDemoGazetteer } from '../../domain/geo/demo-gazetteer.js';
import type { ApiApp } from '../../platform/http/types.js';
import { decodeTile, expectError, tileUrl } from './testkit.js';
import { type TileCoord, tileAt, tileBoundsLngLat } from './tile.js';

const city = generateDemoCity();
const gazetteer = generateDemoGazetteer(city);
const CENTRE = tileAt(104.06, 30.66, 15);
const CITY = tileAt(104.06, 30.66, 12);
/** The z12 tiles covering the demo city (the meridian 104.0625° cuts it at every zoom). */
const CITY_TILES = [
  ...new Map(
    [
      [104.029, 30.638],
      [104.091, 30.638],
      [104.029, 30.682],
      [104.091, 30.682],
    ].map(([lng, lat]) => {
      const t = tileAt(lng as number, lat as number, 12);
      return [`${t.x}/${t.y}`, t] as const;
    }),
  ).values(),
];
const publicUrl = (layer: string, t: TileCoord) =>
  `/api/v1/public/map/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt`;

/** Gazetteer roads that meet a tile's box (widened by `margin` degrees), from the generator alone. */
function roadsIn(t: TileCoord, margin: number) {
  const b = tileBoundsLngLat(t);
  return gazetteer.roads
    .filter((r) => {
      const xs = r.line.map((p) => p[0]);
      const ys = r.line.map((p) => p[1]);
      return (
        Math.min(...xs) <= b.east + margin &&
        Math.max(...xs) >= b.west - margin &&
        Math.min(...ys) <= b.north + margin &&
        Math.max(...ys) >= b.south - margin
      );
    })
    .map((r) => r.name);
}

describe.each(testStores())('base map tiles on %s', (kind) => {
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

  /** A layer's features over the whole city (label points lie in one tile only, so come once). */
  async function overCity(layer: string, who: Record<string, string>) {
    const out = [];
    for (const tile of CITY_TILES) {
      const res = await get(tileUrl(layer, tile), who);
      if (res.statusCode === 200) out.push(...(decodeTile(res.rawPayload, tile)[layer]?.features ?? []));
    }
    return out;
  }
  const cityLabels = (who: Record<string, string>) => overCity('labels', who);

  it('a roads tile holds the gazetteer roads meeting it, each with its name and class', async () => {
    const res = await get(tileUrl('roads', CENTRE));
    expect(res.statusCode, res.body).toBe(200);
    const features = decodeTile(res.rawPayload, CENTRE).roads?.features ?? [];
    const names = features.map((f) => f.properties.name as string);
    const byName = new Map(gazetteer.roads.map((r) => [r.name, r]));
    for (const f of features) {
      expect(f.type).toBe(2);
      expect(f.properties.class).toBe(byName.get(f.properties.name as string)?.roadClass);
    }
    // Roads well inside the tile are all there; nothing comes from beyond its buffer.
    for (const name of roadsIn(CENTRE, -0.0002)) expect(names).toContain(name);
    const near = new Set(roadsIn(CENTRE, 0.0005));
    for (const name of names) expect(near.has(name), name).toBe(true);
    expect(names.length).toBeGreaterThan(5);
  });

  it('places, parks and rivers and division labels come with their names', async () => {
    const landmark = gazetteer.pois.find((p) => p.name === '人民公园');
    const z15 = tileAt(...(landmark?.point ?? [0, 0]), 15);
    const places = decodeTile((await get(tileUrl('places', z15))).rawPayload, z15).places?.features ?? [];
    expect(places.find((f) => f.properties.name === '人民公园')?.properties).toMatchObject({
      category: '公园',
      rank: 1,
    });
    // Places named after their road are the everyday ones, drawn after the landmarks.
    const everyday = new Set(
      gazetteer.pois.filter((p) => p.aliases.length === 0 || p.category === '地铁站').map((p) => p.name),
    );
    const ordinary = places.filter(
      (f) =>
        everyday.has(String(f.properties.name)) &&
        gazetteer.roads.some((r) => String(f.properties.name).startsWith(r.name)),
    );
    expect(ordinary.length).toBeGreaterThan(0);
    for (const f of ordinary) expect(f.properties.rank, String(f.properties.name)).toBe(2);
    const areas = await overCity('areas', admin);
    const areaNames = areas.map((f) => `${f.properties.kind}:${f.properties.name}`);
    expect(areaNames).toEqual(
      expect.arrayContaining(['water:府河', 'water:南河', 'park:人民公园', 'park:杜甫草堂']),
    );
    const labels = await cityLabels(admin);
    const districts = labels.filter((f) => f.properties.level === 'district').map((f) => f.properties.name);
    expect(districts.sort()).toEqual(['金牛区', '锦江区', '青羊区'].sort());
    const communities = city.divisions.filter((d) => d.level === 'community').map((d) => d.name);
    const labelled = labels.filter((f) => f.properties.level === 'community').map((f) => f.properties.name);
    expect(labelled.sort()).toEqual([...communities].sort());
  });

  it('division labels follow the reader’s scope; the gazetteer is reference data for every reader', async () => {
    const labels = await cityLabels(intake);
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.every((f) => String(f.properties.code).startsWith('510104'))).toBe(true);
    const roads = await get(tileUrl('roads', CENTRE), intake);
    expect(roads.statusCode).toBe(200);
  });

  it('the public map gets the same base map without a login', async () => {
    for (const layer of ['roads', 'places', 'areas', 'labels']) {
      const tile = layer === 'places' ? CENTRE : CITY;
      const res = await app.inject({ method: 'GET', url: publicUrl(layer, tile) });
      expect(res.statusCode, `${layer}: ${res.body}`).toBe(200);
      expect(res.headers['cache-control']).toMatch(/^public, /);
      expect(decodeTile(res.rawPayload, tile)[layer]?.features.length).toBeGreaterThan(0);
    }
  });

  it('needs a login and map.read, and refuses bad tiles and filters', async () => {
    expectError(await get(tileUrl('roads', CENTRE), {}), 401, 'UNAUTHENTICATED');
    expectError(await get(tileUrl('roads', CENTRE), citizen), 403, 'FORBIDDEN');
    expectError(await get('/api/v1/map/tiles/roads/15/1/99999.mvt'), 400, 'TILE_OUT_OF_RANGE');
    expectError(await get(`${tileUrl('places', CENTRE)}?light=red`), 400, 'VALIDATION_FAILED');
    expect((await get(tileUrl('places', tileAt(104.06, 30.66, 9)))).statusCode).toBe(204);
  });
});
