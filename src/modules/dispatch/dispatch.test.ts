/** Dispatch suggestions from the responsibility table (责任分解表) and its editing, over HTTP. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { seedResponsibility } from '../../seed/responsibility.js';
import { client, expectError, type Fixtures, fixtures, loginAll, type Tokens } from '../cases/testkit.js';

interface Suggestion {
  rank: number;
  department: { code: string; name: string };
  source: string;
  reason: { zh: string; en: string };
  rule: { id: number } | null;
}

describe.each(testStores())('dispatch suggestions and the responsibility table (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  let streetName: string;
  let communityCode: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-dispatch-'));

  beforeAll(async () => {
    ts = await openTestStore(kind);
    // No-op once the demo seed runs it; the table must be seeded either way.
    await seedResponsibility(ts.store.db);
    app = await testApp(ts.store, { DATA_DIR: dataDir });
    tokens = await loginAll(app);
    fx = await fixtures(ts.store);
    c = client(app, tokens);
    const where = await sql<{ street: string; community: string }>`
      SELECT s.name AS street, g.community_code AS community FROM grids g
      JOIN divisions m ON m.code = g.community_code JOIN divisions s ON s.code = m.parent_code
      WHERE g.code = ${fx.supervised.code}`.execute(ts.store.db);
    streetName = where.rows[0]?.street ?? '';
    communityCode = where.rows[0]?.community ?? '';
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const report = (categoryCode: string, extra: Record<string, unknown> = {}) =>
    c.report('supervisor', {
      source: 'supervisor',
      kind: 'event',
      categoryCode,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '锦江区测试路 8 号',
      description: '测试派遣建议',
      ...extra,
    });
  const suggestions = async (id: number, user: 'dispatcher' | 'admin' = 'dispatcher') => {
    const res = await c.call(user, 'GET', `/api/v1/cases/${id}/dispatch-suggestions`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Suggestion[];
  };
  const rules = async () =>
    Number(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM responsibility_rules`.execute(ts.store.db))
        .rows[0]?.n,
    );

  it('seeds the table from the standards and the street offices', async () => {
    const seeded = await sql<{ area_code: string; department_codes: string[] }>`
      SELECT r.area_code, r.department_codes FROM responsibility_rules r JOIN categories c ON c.id = r.category_id
      WHERE c.kind = 'event' AND c.code = '0102' AND c.scheme = 'gbt30428'`.execute(ts.store.db);
    expect(seeded.rows).toEqual([{ area_code: '510100', department_codes: ['HW'] }]);
    // 街面秩序: the street office of the case's street first, the city default after it.
    const k = await report('0501');
    const items = await suggestions(k.id);
    expect(items[0]).toMatchObject({
      rank: 1,
      source: 'rule',
      department: { code: `JD-${k.streetCode}` },
      reason: { zh: `责任分解表：小类 0501 在 ${streetName} → ${streetName}办事处` },
    });
    expect(items[1]).toMatchObject({
      department: { code: 'ZF', name: '城市管理综合行政执法局' },
      reason: {
        zh: '责任分解表：小类 0501 在 成都市 → 城市管理综合行政执法局',
        en: 'Responsibility table: class 0501 in 成都市 → 城市管理综合行政执法局',
      },
    });
    expect(await seedResponsibility(ts.store.db)).toBe(0);
  });

  it('names the field crew where the table gives the work to one (道路破损 → 道路养护所)', async () => {
    const seeded = await sql<{ department_codes: string[] }>`
      SELECT r.department_codes FROM responsibility_rules r JOIN categories c ON c.id = r.category_id
      WHERE c.kind = 'event' AND c.code = '0110' AND c.scheme = 'gbt30428'`.execute(ts.store.db);
    expect(seeded.rows).toEqual([{ department_codes: ['SZ-01'] }]);
    const k = await report('0110');
    expect((await suggestions(k.id))[0]).toMatchObject({
      rank: 1,
      department: { code: 'SZ-01', name: '道路养护所' },
      reason: { zh: '责任分解表：小类 0110 在 成都市 → 道路养护所' },
    });
  });

  it('ranks the most specific area first; admins edit rules and the suggestion follows', async () => {
    const k = await report('0102');
    expect((await suggestions(k.id)).map((s) => s.department.code)).toEqual(['HW']);

    const district = await c.call('admin', 'POST', '/api/v1/responsibility-rules', {
      kind: 'event',
      categoryCode: '0102',
      areaCode: '510104',
      departmentCodes: ['HW-02'],
      note: '锦江区垃圾清运外包',
    });
    expect(district.statusCode, district.body).toBe(201);
    expect(district.json()).toMatchObject({
      area: { code: '510104', name: '锦江区', level: 'district' },
      departments: [{ code: 'HW-02', name: '垃圾清运所' }],
    });
    let items = await suggestions(k.id);
    expect(items.map((s) => s.department.code)).toEqual(['HW-02', 'HW']);
    expect(items[0]?.reason.zh).toBe('责任分解表：小类 0102 在 锦江区 → 垃圾清运所');

    const community = await c.call('admin', 'POST', '/api/v1/responsibility-rules', {
      kind: 'event',
      categoryCode: '0102',
      areaCode: communityCode,
      departmentCodes: ['HW-01'],
    });
    expect(community.statusCode, community.body).toBe(201);
    const ruleId = community.json().id as number;
    expect((await suggestions(k.id)).map((s) => s.department.code)).toEqual(['HW-01', 'HW-02', 'HW']);

    const edited = await c.call('admin', 'PATCH', `/api/v1/responsibility-rules/${ruleId}`, {
      departmentCodes: ['YL-01', 'HW-01'],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    items = await suggestions(k.id);
    expect(items.map((s) => s.department.code)).toEqual(['YL-01', 'HW-01', 'HW-02', 'HW']);
    expect(items[0]?.rule?.id).toBe(ruleId);

    // A rule outside its validity no longer applies.
    await c.call('admin', 'PATCH', `/api/v1/responsibility-rules/${ruleId}`, {
      validFrom: '2020-01-01',
      validTo: '2020-12-31',
    });
    expect((await suggestions(k.id))[0]?.department.code).toBe('HW-02');
    // An area-class rule beats the plain rule of the same area.
    const cls = await c.call('admin', 'POST', '/api/v1/responsibility-rules', {
      kind: 'event',
      categoryCode: '0102',
      areaCode: '510104',
      areaClass: fx.supervised.area_class,
      departmentCodes: ['HW-01'],
    });
    expect(cls.statusCode, cls.body).toBe(201);
    expect((await suggestions(k.id)).slice(0, 2).map((s) => s.department.code)).toEqual(['HW-01', 'HW-02']);
    expect(
      (await c.call('admin', 'DELETE', `/api/v1/responsibility-rules/${cls.json().id}`)).statusCode,
    ).toBe(204);
    expect((await suggestions(k.id))[0]?.department.code).toBe('HW-02');

    const listed = await c.call(
      'dispatcher',
      'GET',
      '/api/v1/responsibility-rules?kind=event&categoryCode=0102',
    );
    expect(listed.json().items.map((r: { area: { code: string } }) => r.area.code)).toEqual([
      '510100',
      '510104',
      communityCode,
    ]);
    const audit = await sql<{ action: string }>`
      SELECT action FROM audit_log WHERE action LIKE 'responsibility.%' ORDER BY id`.execute(ts.store.db);
    expect(audit.rows.map((r) => r.action)).toEqual([
      'responsibility.create',
      'responsibility.create',
      'responsibility.update',
      'responsibility.update',
      'responsibility.create',
      'responsibility.delete',
    ]);

    // Dispatch to a suggestion, or to any department serving the case's area — not beyond it.
    await c.ok('intake', k.id, 'intake');
    await c.ok('shiftlead', k.id, 'file');
    const other = await sql<{ code: string }>`
      SELECT code FROM departments WHERE code LIKE 'JD-510105%' ORDER BY code LIMIT 1`.execute(ts.store.db);
    expectError(
      await c.act('dispatcher', k.id, 'dispatch', { departmentCode: other.rows[0]?.code }),
      400,
      'CASE_DEPARTMENT_OUT_OF_SCOPE',
    );
    const done = await c.ok('dispatcher', k.id, 'dispatch', { departmentCode: 'HW-02' });
    expect(done).toMatchObject({ state: 'dispatched', department: { code: 'HW-02' } });
  });

  it('puts the owner of the component a case names first', async () => {
    const comp = await sql<{ id: string; category_code: string; owner: string; owner_name: string }>`
      SELECT c.id, c.category_code, c.owning_department_code AS owner, d.name AS owner_name
      FROM components c JOIN departments d ON d.code = c.owning_department_code
      WHERE c.scheme = 'gbt30428' AND c.grid_code = ${fx.supervised.code}
      ORDER BY c.id LIMIT 1`.execute(ts.store.db);
    const row = comp.rows[0];
    if (!row) throw new Error('no owned component in the supervised grid');
    const k = await report(row.category_code, { kind: 'component', componentCode: row.id });
    const items = await suggestions(k.id);
    expect(items[0]).toMatchObject({
      rank: 1,
      source: 'component',
      department: { code: row.owner },
      reason: { zh: `部件权属：部件 ${row.id} 的权属单位 → ${row.owner_name}` },
      rule: null,
    });
    // The table's departments follow (one entry per department: the owner may be one of them).
    const seeded = await sql<{ department_codes: string[] }>`
      SELECT r.department_codes FROM responsibility_rules r JOIN categories c ON c.id = r.category_id
      WHERE c.scheme = 'gbt30428' AND c.kind = 'component' AND c.code = ${row.category_code}`.execute(
      ts.store.db,
    );
    const codes = items.map((s) => s.department.code);
    expect(codes).toEqual(expect.arrayContaining(seeded.rows[0]?.department_codes ?? ['?']));
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('answers 401, 403 and 400 and writes nothing on bad input', async () => {
    const k = await report('0102');
    const rule = (extra: Record<string, unknown> = {}) => ({
      kind: 'event',
      categoryCode: '0104',
      areaCode: '510104',
      departmentCodes: ['HW-01'],
      ...extra,
    });
    const first = (await c.call('admin', 'GET', '/api/v1/responsibility-rules?limit=1')).json();
    const anyRule = first.items[0].id;
    // The rule list says its total and where the next page starts.
    expect(first).toMatchObject({ total: await rules(), limit: 1, offset: 0, nextOffset: 1 });
    const last = (
      await c.call('admin', 'GET', `/api/v1/responsibility-rules?limit=1&offset=${first.total - 1}`)
    ).json();
    expect(last).toMatchObject({ total: first.total, nextOffset: null });
    expect(last.items).toHaveLength(1);
    const endpoints: Array<['GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown]> = [
      ['GET', `/api/v1/cases/${k.id}/dispatch-suggestions`, undefined],
      ['GET', '/api/v1/responsibility-rules', undefined],
      ['GET', `/api/v1/responsibility-rules/${anyRule}`, undefined],
      ['POST', '/api/v1/responsibility-rules', rule()],
      ['PATCH', `/api/v1/responsibility-rules/${anyRule}`, { note: 'x' }],
      ['DELETE', `/api/v1/responsibility-rules/${anyRule}`, undefined],
    ];
    const before = await rules();
    for (const [method, url, payload] of endpoints) {
      const opts = { method, url, ...(payload === undefined ? {} : { payload: payload as object }) };
      expectError(await app.inject(opts), 401, 'UNAUTHENTICATED');
      expectError(await app.inject({ ...opts, headers: tokens.citizen }), 403, 'FORBIDDEN');
    }
    // Editing the table is for admins only.
    for (const [method, url, payload] of endpoints.slice(3)) {
      const opts = { method, url, ...(payload === undefined ? {} : { payload: payload as object }) };
      expectError(await app.inject({ ...opts, headers: tokens.dispatcher }), 403, 'FORBIDDEN');
    }
    const bad: Array<['GET' | 'POST' | 'PATCH', string, unknown, number, string]> = [
      ['GET', '/api/v1/cases/abc/dispatch-suggestions', undefined, 400, 'VALIDATION_FAILED'],
      ['GET', `/api/v1/cases/${k.id}/dispatch-suggestions?x=1`, undefined, 400, 'VALIDATION_FAILED'],
      ['GET', '/api/v1/responsibility-rules?x=1', undefined, 400, 'VALIDATION_FAILED'],
      ['GET', '/api/v1/responsibility-rules/abc', undefined, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/v1/responsibility-rules', rule({ extra: 1 }), 400, 'VALIDATION_FAILED'],
      ['POST', '/api/v1/responsibility-rules', rule({ departmentCodes: [] }), 400, 'VALIDATION_FAILED'],
      [
        'POST',
        '/api/v1/responsibility-rules',
        rule({ departmentCodes: ['HW', 'HW'] }),
        400,
        'VALIDATION_FAILED',
      ],
      ['POST', '/api/v1/responsibility-rules', rule({ validFrom: '2026-02-30' }), 400, 'VALIDATION_FAILED'],
      [
        'POST',
        '/api/v1/responsibility-rules',
        rule({ departmentCodes: ['NOPE'] }),
        400,
        'RESPONSIBILITY_DEPARTMENT_UNKNOWN',
      ],
      // A street office of another district serves no part of 锦江区.
      [
        'POST',
        '/api/v1/responsibility-rules',
        rule({ departmentCodes: ['JD-510105001'] }),
        400,
        'RESPONSIBILITY_DEPARTMENT_UNKNOWN',
      ],
      [
        'POST',
        '/api/v1/responsibility-rules',
        rule({ areaCode: '510199' }),
        400,
        'RESPONSIBILITY_AREA_UNKNOWN',
      ],
      [
        'POST',
        '/api/v1/responsibility-rules',
        rule({ categoryCode: '9999' }),
        400,
        'RESPONSIBILITY_CATEGORY_UNKNOWN',
      ],
      ['POST', '/api/v1/responsibility-rules', rule({ categoryCode: '01' }), 400, 'VALIDATION_FAILED'],
      [
        'POST',
        '/api/v1/responsibility-rules',
        rule({ validFrom: '2027-01-02', validTo: '2027-01-01' }),
        400,
        'RESPONSIBILITY_VALIDITY_INVALID',
      ],
      [
        'POST',
        '/api/v1/responsibility-rules',
        rule({ categoryCode: '0102', areaCode: '510100' }),
        409,
        'RESPONSIBILITY_RULE_EXISTS',
      ],
      ['PATCH', `/api/v1/responsibility-rules/${anyRule}`, {}, 400, 'VALIDATION_FAILED'],
      [
        'PATCH',
        `/api/v1/responsibility-rules/${anyRule}`,
        { departmentCodes: ['NOPE'] },
        400,
        'RESPONSIBILITY_DEPARTMENT_UNKNOWN',
      ],
      ['PATCH', '/api/v1/responsibility-rules/999999', { note: 'x' }, 404, 'NOT_FOUND'],
    ];
    const audits = async () =>
      Number(
        (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(ts.store.db)).rows[0]?.n,
      );
    const auditBefore = await audits();
    for (const [method, url, payload, status, code] of bad) {
      expectError(await c.call('admin', method as 'GET', url, payload), status, code);
    }
    expect(await rules()).toBe(before);
    expect(await audits()).toBe(auditBefore);
    // Out of scope: another district's intake cannot see the case at all.
    expectError(
      await c.call('intake2', 'GET', `/api/v1/cases/${k.id}/dispatch-suggestions`),
      404,
      'NOT_FOUND',
    );
  });
});
