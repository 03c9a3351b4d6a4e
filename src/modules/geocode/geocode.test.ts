import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import { fromWgs84 } from '../../domain/geo/crs.js';
import { generateDemoGazetteer } from '../../domain/geo/demo-gazetteer.js';
import type { ApiApp } from '../../platform/http/types.js';
import { expectError, q } from './testkit.js';

const city = generateDemoCity();
const gazetteer = generateDemoGazetteer(city);
const divisions = new Map(city.divisions.map((d) => [d.code, d]));
/** 12 grids spread over the city; their centres are the farthest a point gets from the roads. */
const SAMPLE = city.grids.filter((_, i) => i % 250 === 111);
const centre = (ring: Array<[number, number]>): [number, number] => [
  (ring[0]?.[0] ?? 0) / 2 + (ring[2]?.[0] ?? 0) / 2,
  (ring[0]?.[1] ?? 0) / 2 + (ring[2]?.[1] ?? 0) / 2,
];

describe.each(testStores())('geocoding on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let admin: { authorization: string };
  let supervisor: { authorization: string };
  let intake2: { authorization: string };
  let citizen: { authorization: string };

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    [admin, supervisor, intake2, citizen] = await Promise.all([
      bearer(app, 'admin'),
      bearer(app, 'supervisor'),
      bearer(app, 'intake2'),
      bearer(app, 'citizen'),
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const get = (url: string, headers: Record<string, string> = admin) =>
    app.inject({ method: 'GET', url: `/api/v1${url}`, headers });

  describe('reverse', () => {
    it.each(SAMPLE.map((g) => [g.code, g] as const))(
      'the centre of grid %s resolves to it, with a road < 150 m',
      async (_c, g) => {
        const [lng, lat] = centre(g.ring);
        const res = await get(`/geocode/reverse?lng=${lng}&lat=${lat}`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        const community = divisions.get(g.communityCode);
        expect(body.gridCode).toBe(g.code);
        expect(body.community).toEqual({ code: community?.code, name: community?.name });
        expect(body.district.code).toBe(g.code.slice(0, 6));
        expect(body.road.distanceM).toBeLessThan(150);
        expect(gazetteer.roads.some((r) => r.name === body.road.name)).toBe(true);
        expect(body.address.distanceM).toBeLessThan(200);
        expect(body.formatted).toContain(body.district.name);
      },
    );

    it('finds 红星路二段88号 next to its door, and the same place from GCJ-02 and BD-09 input', async () => {
      const door = gazetteer.doors.find((d) => d.road === '红星路二段' && d.number === '88号');
      const [lng, lat] = door?.point ?? [0, 0];
      const wgs = (await get(`/geocode/reverse?lng=${lng}&lat=${lat}`)).json();
      expect(wgs.address).toMatchObject({ label: '红星路二段88号', distanceM: 0 });
      expect(wgs.road.name).toBe('红星路二段');
      // The places nearby are places of 锦江区, like the road.
      const jinjiang = new Set(gazetteer.pois.filter((p) => p.district === '510104').map((p) => p.name));
      expect(wgs.pois.length).toBeGreaterThan(0);
      for (const p of wgs.pois as Array<{ name: string }>) expect(jinjiang.has(p.name), p.name).toBe(true);
      for (const crs of ['gcj02', 'bd09'] as const) {
        const [x, y] = fromWgs84(lng, lat, crs);
        const res = await get(`/geocode/reverse?lng=${x}&lat=${y}&crs=${crs}`);
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body.address.label).toBe('红星路二段88号');
        expect(body.location.wgs84[0]).toBeCloseTo(lng, 6);
        expect(body.location[crs]).toEqual([Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7]);
        expect(body.address.position[crs]).toBeDefined();
      }
    });

    it('is reference data: every internal role reads all districts; citizens may not', async () => {
      const other = SAMPLE.find((g) => g.code.startsWith('510104')) ?? SAMPLE[0];
      const [lng, lat] = centre(other?.ring ?? []);
      for (const h of [supervisor, intake2]) {
        const res = await get(`/geocode/reverse?lng=${lng}&lat=${lat}`, h);
        expect(res.statusCode).toBe(200);
        expect(res.json().gridCode).toBe(other?.code);
      }
      expectError(await get(`/geocode/reverse?lng=${lng}&lat=${lat}`, citizen), 403, 'FORBIDDEN');
      expectError(await get(`/geocode/reverse?lng=${lng}&lat=${lat}`, {}), 401, 'UNAUTHENTICATED');
    });

    it('answers 404 outside the city and 400 for bad input', async () => {
      const err = expectError(await get('/geocode/reverse?lng=100&lat=30'), 404, 'NOT_FOUND');
      expect(err.messages.en).toBe('No unit grid covers this point');
      for (const query of [
        'lng=104.07',
        'lng=&lat=30.6',
        'lng=200&lat=30',
        'lng=104&lat=30&crs=epsg3857',
        'lng=104&lat=30&x=1',
      ]) {
        expectError(await get(`/geocode/reverse?${query}`), 400, 'VALIDATION_FAILED');
      }
    });
  });

  describe('search', () => {
    const search = async (text: string, extra = '', headers: Record<string, string> = admin) => {
      const res = await get(`/geocode/search?q=${q(text)}${extra}`, headers);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as {
        parsed: Record<string, unknown>;
        candidates: Array<{
          kind: string;
          label: string;
          score: number;
          matches: Array<{ part: string; verdict: string }>;
          explanation: { zh: string; en: string };
          position: Record<string, [number, number]>;
          district: { code: string } | null;
          inScope: boolean;
        }>;
      };
    };

    it('ranks the exact address first, with coordinates and an explanation', async () => {
      const body = await search('锦江区红星路二段88号');
      const [first, second] = body.candidates;
      expect(first).toMatchObject({ kind: 'address', label: '锦江区红星路二段88号', score: 1 });
      expect(first?.explanation.zh).toBe(
        '区县 锦江区 一致；道路 红星路 一致；路段 二段 一致；门牌 88号 一致',
      );
      const door = gazetteer.doors.find((d) => d.road === '红星路二段' && d.number === '88号');
      expect(first?.position.wgs84).toEqual(door?.point);
      expect(second?.score).toBeLessThan(1);
    });

    it('without a segment, every segment’s 88号 scores the same and comes before roads', async () => {
      const body = await search('红星路88号', '&limit=5');
      const doors = body.candidates.filter((c) => c.kind === 'address');
      expect(doors.map((c) => c.label).sort()).toEqual(['锦江区红星路一段88号', '锦江区红星路二段88号']);
      expect(body.candidates.slice(0, 2).every((c) => c.kind === 'address' && c.score === 1)).toBe(true);
    });

    it('finds a place by alias next to its road, and a place name the parser splits', async () => {
      // IFS stands by a road of 锦江区; searched with that road's name and its alias.
      const ifsRoad = gazetteer.pois.find((p) => p.aliases.includes('IFS'))?.address.replace(/\d.*$/, '');
      const ifs = await search(`${ifsRoad} IFS`);
      expect(ifs.candidates[0]).toMatchObject({ kind: 'poi', label: '成都国际金融中心', score: 1 });
      const lanes = await search('宽窄巷子');
      expect(lanes.candidates[0]).toMatchObject({ kind: 'poi', label: '宽窄巷子', score: 1 });
      const hospital = await search('省医院');
      expect(hospital.candidates[0]?.label).toBe('四川省人民医院');
    });

    it('finds a street by district and street name', async () => {
      const body = await search('青羊区 光华街道');
      expect(body.candidates[0]).toMatchObject({ kind: 'division', label: '青羊区光华街道', score: 1 });
    });

    it('filters by district and converts answers to GCJ-02 on request', async () => {
      const all = await search('红星路', '&limit=50');
      expect(new Set(all.candidates.map((c) => c.district?.code))).toContain('510104');
      const jinjiang = await search('春熙路', '&district=510104&limit=50');
      expect(jinjiang.candidates.length).toBeGreaterThan(0);
      expect(jinjiang.candidates.every((c) => c.district?.code === '510104')).toBe(true);
      // 春熙路 is in 锦江区: 青羊区 has no road or place of that name.
      const qingyang = await search('春熙路', '&district=510105&limit=50');
      expect(
        qingyang.candidates.every((c) => c.district?.code === '510105' && !c.label.includes('春熙路')),
      ).toBe(true);
      const gcj = await search('锦江区红星路二段88号', '&crs=gcj02&limit=1');
      const [x, y] = gcj.candidates[0]?.position.wgs84 ?? [0, 0];
      const expected = fromWgs84(x, y, 'gcj02').map((v) => Math.round(v * 1e7) / 1e7);
      expect(gcj.candidates[0]?.position.gcj02).toEqual(expected);
    });

    it("ranks candidates in the operator's own area first", async () => {
      // A name found in every district; the operator is the one whose district the city-wide
      // order does not put first, so the ranking has something to move.
      const all = await search('路', '&limit=50');
      const districts = all.candidates.map((c) => c.district?.code);
      const [user, own] =
        districts[0] === '510104' ? (['intake2', '510105'] as const) : (['intake', '510104'] as const);
      expect(districts).toContain(own);
      expect(districts.indexOf(own)).toBeGreaterThan(0);
      expect(all.candidates.every((c) => c.inScope)).toBe(true);
      const token = await bearer(app, user);
      const mine = await search('路', '&limit=50', token);
      const flags = mine.candidates.map((c) => c.inScope);
      expect(flags[0]).toBe(true);
      // Every candidate in the area comes before every one outside it; none is lost.
      expect(flags.indexOf(false)).toBe(flags.filter(Boolean).length);
      expect(mine.candidates.filter((c) => c.inScope).every((c) => c.district?.code === own)).toBe(true);
      expect(mine.candidates.length).toBe(all.candidates.length);
      // With a small limit the operator still gets his own area's candidate.
      const top = await search('路', '&limit=1', token);
      expect(top.candidates[0]?.district?.code).toBe(own);
    });

    it('answers an empty list for text that matches nothing', async () => {
      expect((await search('不存在的地方XYZ')).candidates).toEqual([]);
    });

    it('needs geocode.read, a login and valid parameters', async () => {
      expectError(await get(`/geocode/search?q=${q('红星路')}`, citizen), 403, 'FORBIDDEN');
      expectError(await get(`/geocode/search?q=${q('红星路')}`, {}), 401, 'UNAUTHENTICATED');
      expect((await get(`/geocode/search?q=${q('红星路')}`, supervisor)).statusCode).toBe(200);
      for (const query of [
        '',
        'q=',
        'q=a&limit=0',
        'q=a&limit=51',
        'q=a&district=51',
        'q=a&crs=x',
        'q=a&foo=1',
      ]) {
        expectError(await get(`/geocode/search?${query}`), 400, 'VALIDATION_FAILED');
      }
    });
  });
});
