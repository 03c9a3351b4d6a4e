import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import { fromWgs84 } from '../../domain/geo/crs.js';
import { generateDemoGazetteer } from '../../domain/geo/demo-gazetteer.js';
import type { ApiApp } from '../../platform/http/types.js';
import { expectError, q } from './testkit.js';

const DOOR_88 = generateDemoGazetteer(generateDemoCity()).doors.find(
  (d) => d.road === '红星路二段' && d.number === '88号',
);
/** A free spot inside the demo city between lattice roads (grid 510104… area, east side). */
const SPOT: [number, number] = [104.0745, 30.6455];
const line = (name: string, props: Record<string, unknown> = {}) => ({
  type: 'Feature',
  geometry: { type: 'LineString', coordinates: [SPOT, [SPOT[0] + 0.002, SPOT[1]]] },
  properties: { name, ...props },
});
const door = (road: string, number: string, at: [number, number] = SPOT) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: at },
  properties: { road, number },
});
const place = (name: string, props: Record<string, unknown> = {}, at: [number, number] = SPOT) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: at },
  properties: { name, category: '商场', ...props },
});

describe.each(testStores())('gazetteer on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let admin: Record<string, string>;
  let dispatcher: Record<string, string>;
  let citizen: Record<string, string>;

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    [admin, dispatcher, citizen] = await Promise.all([
      bearer(app, 'admin'),
      bearer(app, 'dispatcher'),
      bearer(app, 'citizen'),
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    headers = admin,
  ) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const counts = async () => {
    const r = await sql<{ roads: number; addresses: number; pois: number; audit: number }>`
      SELECT (SELECT count(*)::int FROM gazetteer_roads) AS roads, (SELECT count(*)::int FROM gazetteer_addresses) AS addresses,
             (SELECT count(*)::int FROM gazetteer_pois) AS pois, (SELECT count(*)::int FROM audit_log) AS audit`.execute(
      t.store.db,
    );
    return r.rows[0];
  };

  it('lists roads, addresses and places as paged GeoJSON, by bbox and name, for every internal role', async () => {
    const roads = (await call('GET', '/gazetteer/roads?limit=5', undefined, dispatcher)).json();
    expect(roads.type).toBe('FeatureCollection');
    expect(roads.features).toHaveLength(5);
    expect(roads.nextOffset).toBe(5);
    const next = (await call('GET', '/gazetteer/roads?limit=5&offset=5')).json();
    expect(next.features[0].id).toBeGreaterThan(roads.features[4].id);
    const named = (await call('GET', `/gazetteer/roads?q=${q('红星路')}`)).json();
    const names: string[] = named.features.map((f: { properties: { name: string } }) => f.properties.name);
    expect(names.every((n) => n.startsWith('红星路'))).toBe(true);
    expect(names.filter((n) => n.endsWith('段'))).toEqual(['红星路一段', '红星路二段']);
    const [x88, y88] = DOOR_88?.point ?? [0, 0];
    const [w, s, e, n] = [x88 - 0.0005, y88 - 0.0005, x88 + 0.0005, y88 + 0.0005];
    const box = [w, s, e, n].join(',');
    const doors = (await call('GET', `/gazetteer/addresses?bbox=${box}`)).json();
    expect(doors.features.map((f: { properties: { label: string } }) => f.properties.label)).toContain(
      '红星路二段88号',
    );
    for (const f of doors.features) {
      const [x, y] = f.geometry.coordinates;
      expect(x >= w && x <= e && y >= s && y <= n).toBe(true);
    }
    const schools = (await call('GET', `/gazetteer/pois?category=${q('学校')}&limit=1000`)).json();
    expect(schools.features.length).toBeGreaterThan(20);
    expect(schools.nextOffset).toBeNull();
    const one = (
      await call('GET', `/gazetteer/pois/${schools.features[0].id}`, undefined, dispatcher)
    ).json();
    expect(one.properties.gridCode).toMatch(/^[0-9]{15}$/);
    expectError(await call('GET', '/gazetteer/pois/999999'), 404, 'NOT_FOUND');
    expectError(await call('GET', '/gazetteer/roads', undefined, citizen), 403, 'FORBIDDEN');
    expectError(await call('GET', '/gazetteer/roads', undefined, {}), 401, 'UNAUTHENTICATED');
    for (const url of [
      '/gazetteer/streets',
      '/gazetteer/roads?bbox=1,2,3',
      '/gazetteer/roads?limit=0',
      '/gazetteer/roads?x=1',
      '/gazetteer/roads/abc',
    ]) {
      expect((await call('GET', url)).statusCode, url).toBe(400);
    }
  });

  it('creates, edits and deletes a road, a door and a place; each write is audited; search finds them', async () => {
    const before = await counts();
    const road = await call('POST', '/gazetteer/roads', { ...line('锦城路一段', { aliases: ['锦城一段'] }) });
    expect(road.statusCode, road.body).toBe(201);
    expect(road.json().properties).toMatchObject({
      name: '锦城路一段',
      baseName: '锦城路',
      segment: '一段',
      districtCode: '510104',
    });
    const roadId = road.json().id;
    const d = await call('POST', '/gazetteer/addresses', door('锦城路一段', '7'));
    expect(d.statusCode, d.body).toBe(201);
    expect(d.json().properties).toMatchObject({
      roadId,
      number: '7号',
      label: '锦城路一段7号',
      gridCode: expect.stringMatching(/^510104/),
    });
    const [gx, gy] = fromWgs84(SPOT[0], SPOT[1] + 0.0004, 'gcj02');
    const p = await call('POST', '/gazetteer/pois', {
      ...place('锦城广场', { aliases: ['JC'] }),
      geometry: { type: 'Point', coordinates: [gx, gy] },
      crs: 'gcj02',
    });
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json().geometry.coordinates[1]).toBeCloseTo(SPOT[1] + 0.0004, 6);
    const found = (await call('GET', `/geocode/search?q=${q('锦城路一段7号')}`)).json();
    expect(found.candidates[0]).toMatchObject({ kind: 'address', id: d.json().id, score: 1 });

    const renamed = await call('PATCH', `/gazetteer/pois/${p.json().id}`, {
      properties: { name: '锦城中心' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().properties).toMatchObject({ name: '锦城中心', aliases: ['JC'], category: '商场' });
    expect(renamed.json().geometry).toEqual(p.json().geometry);
    const moved = await call('PATCH', `/gazetteer/addresses/${d.json().id}`, {
      properties: { number: '9号' },
    });
    expect(moved.json().properties.label).toBe('锦城路一段9号');
    expect((await counts())?.audit).toBe((before?.audit ?? 0) + 5);

    expectError(await call('DELETE', `/gazetteer/roads/${roadId}`), 409, 'GAZETTEER_ROAD_IN_USE');
    expect((await call('DELETE', `/gazetteer/addresses/${d.json().id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/gazetteer/roads/${roadId}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/gazetteer/pois/${p.json().id}`)).statusCode).toBe(204);
    expectError(await call('DELETE', `/gazetteer/pois/${p.json().id}`), 404, 'NOT_FOUND');
    const after = await counts();
    expect({ ...after, audit: 0 }).toEqual({ ...before, audit: 0 });
    expect(after?.audit).toBe((before?.audit ?? 0) + 8);
    const actions = await sql<{
      action: string;
    }>`SELECT action FROM audit_log ORDER BY id DESC LIMIT 8`.execute(t.store.db);
    expect(actions.rows.map((r) => r.action).reverse()).toEqual([
      'gazetteer.roads.create',
      'gazetteer.addresses.create',
      'gazetteer.pois.create',
      'gazetteer.pois.update',
      'gazetteer.addresses.update',
      'gazetteer.addresses.delete',
      'gazetteer.roads.delete',
      'gazetteer.pois.delete',
    ]);
  });

  it('refuses bad single entries with a named field and writes nothing', async () => {
    const before = await counts();
    const cases: Array<[string, unknown, string, string]> = [
      [
        '/gazetteer/roads',
        line('红星路二段', { districtCode: '510104' }),
        'name',
        'Road 红星路二段 already exists',
      ],
      [
        '/gazetteer/roads',
        line('锦城路', { districtCode: '999999' }),
        'districtCode',
        'District 999999 does not exist',
      ],
      ['/gazetteer/addresses', door('红星路二段', '88号'), 'number', 'Door 88号 already exists on this road'],
      ['/gazetteer/addresses', door('没有这条路', '1'), 'road', 'Road 没有这条路 does not exist'],
      [
        '/gazetteer/addresses',
        door('红星路二段', '88号楼'),
        'number',
        'door number "88号楼" is malformed (e.g. 88号, 88-1号)',
      ],
      ['/gazetteer/pois', place('城外', {}, [100, 30]), 'geometry', 'The place is not inside any unit grid'],
    ];
    for (const [url, body, field, en] of cases) {
      const err = expectError(await call('POST', url, body), 400, 'GAZETTEER_ENTRY_INVALID');
      expect(err.messages.en).toBe(en);
      expect((err.details?.errors as Array<{ field: string }> | undefined)?.[0]?.field).toBe(field);
    }
    // Shape errors are caught by the schema: unknown fields, wrong geometry, empty patch.
    expectError(
      await call('POST', '/gazetteer/roads', { ...line('甲乙路'), extra: 1 }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await call('POST', '/gazetteer/pois', {
        ...place('甲'),
        geometry: { type: 'Point', coordinates: [null, 1] },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await call('PATCH', '/gazetteer/pois/1', {}), 400, 'VALIDATION_FAILED');
    expectError(
      await call('PATCH', '/gazetteer/roads/1', { properties: { name: 'x' } }),
      400,
      'GAZETTEER_ENTRY_INVALID',
    );
    expectError(
      await call('PATCH', '/gazetteer/roads/999999', { properties: { name: '甲乙路' } }),
      404,
      'NOT_FOUND',
    );
    expect(await counts()).toEqual(before);
  });

  it('gazetteer writes are admin-only (403) and need a login (401)', async () => {
    const before = await counts();
    for (const [method, url, body] of [
      ['POST', '/gazetteer/pois', place('某地')],
      ['PATCH', '/gazetteer/pois/1', { properties: { name: '某地' } }],
      ['DELETE', '/gazetteer/pois/1', undefined],
      ['POST', '/gazetteer/import?kind=pois', { type: 'FeatureCollection', features: [place('某地')] }],
    ] as const) {
      expectError(await call(method, url, body, dispatcher), 403, 'FORBIDDEN');
      expectError(await call(method, url, body, {}), 401, 'UNAUTHENTICATED');
    }
    expect(await counts()).toEqual(before);
  });

  describe('import', () => {
    const importing = (kindName: string, features: unknown[], extra = '') =>
      call('POST', `/gazetteer/import?kind=${kindName}${extra}`, { type: 'FeatureCollection', features });

    it('names every bad row (index, field, zh/en) and writes nothing', async () => {
      const before = await counts();
      const res = await importing('addresses', [
        door('红星路二段', '2001'),
        door('红星路二段', 'abc'),
        door('无名路', '1'),
        door('红星路二段', '2001'),
        door('红星路二段', '88'),
        door('红星路二段', '2003', [100, 30]),
        { type: 'Feature', geometry: null, properties: { road: '红星路二段', number: '5' } },
      ]);
      const err = expectError(res, 400, 'GAZETTEER_IMPORT_INVALID');
      expect(err.messages).toEqual({
        zh: '导入数据有 6 处错误，未写入任何记录',
        en: 'The import has 6 error(s); nothing was written',
      });
      const errors = err.details?.errors as Array<{
        index: number;
        field: string;
        message: { zh: string; en: string };
      }>;
      expect(errors.map((e) => [e.index, e.field])).toEqual([
        [1, 'number'],
        [2, 'road'],
        [3, 'number'],
        [4, 'number'],
        [5, 'geometry'],
        [6, 'geometry'],
      ]);
      expect(errors[2]?.message).toEqual({
        zh: '门牌 2001号 与第 0 条重复',
        en: 'Door 2001号 repeats feature 0',
      });
      expect(errors[3]?.message.zh).toBe('门牌 88号 在该道路上已存在');
      expect(await counts()).toEqual(before);
    });

    it('dry run validates only; a real run writes all rows and one audit entry', async () => {
      const before = await counts();
      const roads = [
        line('试验路', { aliases: ['试验大道'] }),
        {
          ...line('试验街'),
          geometry: { type: 'LineString', coordinates: [SPOT, [SPOT[0], SPOT[1] + 0.002]] },
        },
      ];
      const dry = await importing('roads', roads, '&dryRun=true');
      expect(dry.statusCode, dry.body).toBe(200);
      expect(dry.json()).toEqual({ kind: 'roads', dryRun: true, valid: 2, created: 0 });
      expect(await counts()).toEqual(before);
      const real = await importing('roads', roads);
      expect(real.statusCode, real.body).toBe(201);
      expect(real.json()).toEqual({ kind: 'roads', dryRun: false, valid: 2, created: 2 });
      const doors = await importing('addresses', [
        door('试验路', '1'),
        door('试验路', '2-1号', [SPOT[0] + 0.0005, SPOT[1]]),
      ]);
      expect(doors.json().created).toBe(2);
      const [bx, by] = fromWgs84(SPOT[0] + 0.001, SPOT[1], 'bd09');
      const pois = await importing(
        'pois',
        [place('试验中心', { aliases: ['TC'], address: '试验路1号' }, [bx, by])],
        '&crs=bd09',
      );
      expect(pois.statusCode, pois.body).toBe(201);
      const after = await counts();
      expect(after).toEqual({
        roads: (before?.roads ?? 0) + 2,
        addresses: (before?.addresses ?? 0) + 2,
        pois: (before?.pois ?? 0) + 1,
        audit: (before?.audit ?? 0) + 3,
      });
      const hit = (await call('GET', `/geocode/search?q=${q('试验路 TC')}`)).json();
      expect(hit.candidates[0]).toMatchObject({ kind: 'poi', label: '试验中心', score: 1 });
      expect(hit.candidates[0].position.wgs84[0]).toBeCloseTo(SPOT[0] + 0.001, 6);
    });

    it('rejects a body that is not a FeatureCollection, an unknown kind and bad flags with 400', async () => {
      const before = await counts();
      expectError(
        await call('POST', '/gazetteer/import?kind=pois', { type: 'Feature', features: [] }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await call('POST', '/gazetteer/import?kind=pois', { type: 'FeatureCollection', features: [] }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await call('POST', '/gazetteer/import?kind=streets', {
          type: 'FeatureCollection',
          features: [place('甲')],
        }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await call('POST', '/gazetteer/import?kind=pois&dryRun=yes', {
          type: 'FeatureCollection',
          features: [place('甲')],
        }),
        400,
        'VALIDATION_FAILED',
      );
      expect(await counts()).toEqual(before);
    });
  });
});
