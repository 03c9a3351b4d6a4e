/** Possible duplicates at intake (疑似重复): same 小类, within the radius and the time window. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { ConfigError, loadConfig } from '../../platform/config.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, expectError, loginAll, type Tokens } from './testkit.js';

const M_PER_DEG_LAT = 111_320;

describe.each(testStores())('duplicate detection (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let c: ReturnType<typeof client>;
  let p: { lng: number; lat: number };
  let far: { lng: number; lat: number };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-dup-'));

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store, { DATA_DIR: dataDir });
    tokens = await loginAll(app);
    c = client(app, tokens);
    // Two grid centres of 锦江区 about 500 m apart, the first with room for 20 m around it.
    const r = await sql<{ lng: number; lat: number; lng2: number; lat2: number }>`
      SELECT ST_X(a.p) AS lng, ST_Y(a.p) AS lat, ST_X(b.p) AS lng2, ST_Y(b.p) AS lat2
      FROM (SELECT code, ST_Centroid(geom) AS p, geom FROM grids WHERE code LIKE '510104%') a
      JOIN (SELECT code, ST_Centroid(geom) AS p FROM grids WHERE code LIKE '510104%') b
        ON ST_Distance(a.p::geography, b.p::geography) BETWEEN 480 AND 520
      WHERE ST_Contains(a.geom, a.p)
      ORDER BY a.code, b.code LIMIT 1`.execute(ts.store.db);
    const row = r.rows[0];
    if (!row) throw new Error('no grid pair 500 m apart');
    p = { lng: row.lng, lat: row.lat };
    far = { lng: row.lng2, lat: row.lat2 };
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const north = (m: number) => ({ lng: p.lng, lat: p.lat + m / M_PER_DEG_LAT });
  const report = (at: { lng: number; lat: number }, categoryCode = '0102') =>
    c.report('intake', {
      source: 'hotline_12345',
      kind: 'event',
      categoryCode,
      ...at,
      address: '锦江区热线地址',
      description: '市民来电反映垃圾',
    });
  const duplicates = async (id: number) => {
    const res = await c.call('intake', 'GET', `/api/v1/cases/${id}/duplicates`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      radiusM: number;
      windowHours: number;
      items: Array<{ id: number; distanceM: number }>;
    };
  };

  it('offers open cases of the same 小类 nearby and within the window, nearest first; merge works', async () => {
    const a = await report(p);
    expect(a.possibleDuplicates).toEqual([]);
    const b = await report(north(20));
    expect(b.possibleDuplicates).toHaveLength(1);
    expect(b.possibleDuplicates[0]).toMatchObject({ id: a.id, number: a.number });
    expect(b.possibleDuplicates[0].distanceM).toBeGreaterThan(19);
    expect(b.possibleDuplicates[0].distanceM).toBeLessThan(21);

    // Not offered: 500 m away, another 小类, or reported outside the window.
    const distant = await report(far);
    expect(distant.possibleDuplicates).toEqual([]);
    const other = await report(north(10), '0103');
    expect(other.possibleDuplicates).toEqual([]);
    const old = await report(north(5));
    await sql`UPDATE cases SET reported_at = now() - interval '73 hours' WHERE id = ${old.id}`.execute(
      ts.store.db,
    );

    const near = await report(north(12));
    const list = await duplicates(near.id);
    expect(list).toMatchObject({ radiusM: 50, windowHours: 72 });
    // b is 8 m away, a 12 m: nearest first.
    expect(list.items.map((d) => d.id)).toEqual([b.id, a.id]);
    expect(list.items[0]?.distanceM).toBeCloseTo(8, 0);
    const forA = (await duplicates(a.id)).items.map((d) => d.id);
    expect(forA).toEqual([near.id, b.id]);
    expect(forA).not.toContain(distant.id);
    expect(forA).not.toContain(other.id);
    expect(forA).not.toContain(old.id);

    // Merge the new report into the offered case; merged cases are no longer offered.
    const merged = await c.ok('intake', near.id, 'merge', { targetCaseId: list.items[0]?.id });
    expect(merged).toMatchObject({ state: 'merged', mergedIntoId: b.id });
    expect((await duplicates(a.id)).items.map((d) => d.id)).toEqual([b.id]);
    expect((await duplicates(b.id)).items.map((d) => d.id)).toEqual([a.id]);
  });

  it('takes the radius and window from the configuration', async () => {
    const narrow = await testApp(ts.store, {
      DATA_DIR: dataDir,
      DUPLICATE_RADIUS_M: '5',
      DUPLICATE_WINDOW_HOURS: '1',
    });
    try {
      const n = client(narrow, await loginAll(narrow));
      const a = await n.report('intake', {
        source: 'public',
        kind: 'event',
        categoryCode: '0104',
        ...north(-30),
        address: 'x',
        description: 'y',
      });
      const b = await n.report('intake', {
        source: 'public',
        kind: 'event',
        categoryCode: '0104',
        ...north(-20),
        address: 'x',
        description: 'y',
      });
      expect(b.possibleDuplicates).toEqual([]);
      expect((await n.call('intake', 'GET', `/api/v1/cases/${b.id}/duplicates`)).json()).toMatchObject({
        radiusM: 5,
        windowHours: 1,
        items: [],
      });
      // The default configuration does see them.
      expect((await duplicates(b.id)).items.map((d) => d.id)).toContain(a.id);
    } finally {
      await narrow.close();
    }
    expect(() => loadConfig({ DUPLICATE_RADIUS_M: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ DUPLICATE_WINDOW_HOURS: 'x' })).toThrow(ConfigError);
    expect(loadConfig({})).toMatchObject({ duplicateRadiusM: 50, duplicateWindowHours: 72 });
  });

  it('answers 401, 403, 400 and 404 out of scope', async () => {
    const k = await report(north(40));
    const url = `/api/v1/cases/${k.id}/duplicates`;
    expectError(await app.inject({ method: 'GET', url }), 401, 'UNAUTHENTICATED');
    expectError(await c.call('citizen', 'GET', url), 403, 'FORBIDDEN');
    expectError(await c.call('intake', 'GET', '/api/v1/cases/x/duplicates'), 400, 'VALIDATION_FAILED');
    expectError(await c.call('intake', 'GET', `${url}?radius=5`), 400, 'VALIDATION_FAILED');
    expectError(await c.call('intake2', 'GET', url), 404, 'NOT_FOUND');
  });
});
