/** A city on GB/T 47678.5 (CATALOG_SCHEME=gbt47678): cases filed with the standard's codes and limits. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { CLOCK_STEPS } from '../../domain/workflow/states.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, expectError, type Fixtures, fixtures, loginAll, type Tokens } from '../cases/testkit.js';
import { filedCode } from '../public/categories.js';

describe.each(testStores())('CATALOG_SCHEME=gbt47678 (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  let photo: string;
  const saved = process.env.CATALOG_SCHEME;

  beforeAll(async () => {
    process.env.CATALOG_SCHEME = 'gbt47678';
    ts = await openTestStore(kind);
    app = await testApp(ts.store, { CATALOG_SCHEME: 'gbt47678' });
    tokens = await loginAll(app);
    fx = await fixtures(ts.store);
    c = client(app, tokens);
    photo = await c.upload('supervisor');
  }, 120_000);
  afterAll(async () => {
    if (saved === undefined) delete process.env.CATALOG_SCHEME;
    else process.env.CATALOG_SCHEME = saved;
    await app?.close();
    await ts?.dispose();
  });

  const report = (k: string, code: string) =>
    c.call('supervisor', 'POST', '/api/v1/cases', {
      kind: k,
      categoryCode: code,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '锦江区测试路 9 号',
      description: `47678 ${code}`,
      photos: [photo],
      source: 'supervisor',
    });

  it('every 47678.5 小类 has a limit for every step and area class in the version in force', async () => {
    const r = await sql<{ classes: number; short: number }>`
      SELECT count(*)::int AS classes,
             count(*) FILTER (WHERE (SELECT count(*) FROM category_time_limits l
                                     WHERE l.version_id = v.id AND l.category_id = k.id
                                       AND l.urgency = 'normal') <> ${CLOCK_STEPS.length * 3})::int AS short
      FROM categories k, (SELECT id FROM standard_versions WHERE status = 'published' ORDER BY effective_from DESC LIMIT 1) v
      WHERE k.scheme = 'gbt47678' AND k.level = 'minor'`.execute(ts.store.db);
    expect(r.rows[0]).toEqual({ classes: 403, short: 0 });
  });

  it.each([
    ['event', '06010', '暴露垃圾'], // derived through the mapping (0102)
    ['event', '01001', '供水井盖异常'], // through its component (0101 上水井盖)
    ['component', '01014', '园林井盖'], // no 30428.2 source: default profile
  ])('files a %s case under %s %s with a running clock', async (k, code, name) => {
    const res = await report(k, code);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      category: { code, name },
      state: 'reported',
      clock: { step: 'intake' },
    });
    expect(res.json().clock.deadline).not.toBeNull();
  });

  it('refuses GB/T 30428.2 codes, and the time-limit lookup reads codes as 47678.5', async () => {
    expectError(await report('event', '0102'), 400, 'CASE_CATEGORY_UNKNOWN');
    const res = await c.call(
      'intake',
      'GET',
      '/api/v1/catalog/time-limit?code=01014&kind=component&areaClass=A&step=handle',
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ amount: 6, unit: 'calendar_hours' });
  });

  it('dispatch finds responsibility rules for the new classes; 街面秩序 (09) goes to the street office', async () => {
    const rules = await sql<{ code: string; n: number; street: number }>`
      SELECT k.code, count(*)::int AS n, count(*) FILTER (WHERE a.level = 'street')::int AS street
      FROM responsibility_rules r JOIN categories k ON k.id = r.category_id JOIN divisions a ON a.code = r.area_code
      WHERE k.scheme = 'gbt47678' AND k.kind = 'event' AND k.code IN ('06010', '09005', '05002')
      GROUP BY k.code ORDER BY k.code`.execute(ts.store.db);
    expect(rules.rows.map((r) => [r.code, r.street > 0])).toEqual([
      ['05002', false],
      ['06010', false],
      ['09005', true],
    ]);
    const filed = await report('event', '06010');
    const id = filed.json().id as number;
    await c.ok('intake', id, 'intake');
    await c.ok('shiftlead', id, 'file');
    const suggestions = await c.call('dispatcher', 'GET', `/api/v1/cases/${id}/dispatch-suggestions`);
    expect(suggestions.statusCode, suggestions.body).toBe(200);
    expect(JSON.stringify(suggestions.json())).toContain('HW');
  });

  it('citizen categories file under 47678.5 codes, also where 30428.2 had an emergency class', async () => {
    expect(await filedCode(ts.store.db, 'garbage')).toEqual({ kind: 'event', code: '06010' });
    expect(await filedCode(ts.store.db, 'streetlight')).toEqual({ kind: 'component', code: '01037' });
    expect(await filedCode(ts.store.db, 'road_collapse')).toEqual({ kind: 'event', code: '06013' });
  });
});
