/** The admins' mapping API: many-to-many pairs, no-counterpart marks, audit, refusals. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { catalogClient, catalogCounts, expectError, type Headers } from './testkit.js';

interface ClassView {
  from: { id: number; code: string };
  status: string;
  to: Array<{ id: number; code: string; basis: string; note: string | null }>;
  noCounterpart: { note: string; basis: string } | null;
}

describe.each(testStores())('class mapping API on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let admin: Headers;
  const { call, byCode } = catalogClient({ app: () => app, admin: () => admin });
  const view = async (code: string, k = 'event') => {
    const res = await call('GET', `/catalog/mappings?kind=${k}`, admin);
    expect(res.statusCode, res.body).toBe(200);
    const found = (res.json().items as ClassView[]).find((i) => i.from.code === code);
    if (!found) throw new Error(`no class ${code}`);
    return found;
  };
  const audits = async (action: string) =>
    (
      await sql<{
        details: Record<string, unknown>;
      }>`SELECT details FROM audit_log WHERE action = ${action} ORDER BY id`.execute(t.store.db)
    ).rows.map((r) => r.details);

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    admin = await bearer(app, 'admin');
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('lists every 30428.2 class with its counterparts, basis and notes', async () => {
    const res = await call('GET', '/catalog/mappings?kind=component', admin);
    expect(res.json().summary).toEqual({ classes: 85, one: 79, split: 3, none: 3, open: 0 });
    expect(await view('0101', 'component')).toMatchObject({
      status: 'one',
      to: [
        {
          code: '01001',
          basis: 'reviewed',
          note: '更名：上水井盖 → 供水井盖（同一设施，名称自动匹配未命中）',
        },
      ],
    });
    expect((await view('0117', 'component')).status).toBe('split');
    expect(await view('0502', 'component')).toMatchObject({
      status: 'none',
      to: [],
      noCounterpart: { basis: 'reviewed', note: '无对应：47678.5 部件目录不含人防工事' },
    });
  });

  it('an admin adds a second counterpart (many-to-many), removes it, marks and unmarks "no counterpart"; all audited', async () => {
    const road = await byCode('0110');
    const before = await view('0110');
    expect(before.to.map((x) => x.code)).toEqual(['06013']);
    // Class filters read the mapping: a change empties the evaluation cache.
    await sql`INSERT INTO evaluation_cache (key, tallies) VALUES (${'a'.repeat(64)}, '{}'::jsonb)`.execute(
      t.store.db,
    );
    const kerb = await byCode('06050', 'event', 'gbt47678');
    const put = await call('PUT', '/catalog/mappings', admin, {
      fromId: road.id,
      toId: kerb.id,
      note: '路缘石缺损也报道路破损',
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ from: { code: '0110' }, to: { code: '06050' }, basis: 'admin' });
    expect(await view('0110')).toMatchObject({
      status: 'split',
      to: [
        { code: '06013', basis: 'name' },
        { code: '06050', basis: 'admin', note: '路缘石缺损也报道路破损' },
      ],
    });
    const cache = await sql<{ n: number }>`SELECT count(*)::int AS n FROM evaluation_cache`.execute(
      t.store.db,
    );
    expect(cache.rows[0]?.n).toBe(0);
    // The same pair again rewrites its note, adds nothing.
    const counts = await catalogCounts(t.store);
    await call('PUT', '/catalog/mappings', admin, { fromId: kerb.id, toId: road.id });
    expect((await catalogCounts(t.store))?.mappings).toBe(counts?.mappings);
    expect((await view('0110')).to[1]?.note).toBeNull();

    // Marking a mapped class "no counterpart" is refused.
    const refused = expectError(
      await call('PUT', `/catalog/mappings/unmapped/${road.id}`, admin, { note: '不再对应' }),
      409,
      'CATALOG_MAPPING_CONFLICT',
    );
    expect(refused.details?.mappedTo).toEqual(['06013', '06050']);

    expect((await call('DELETE', `/catalog/mappings/${road.id}/${kerb.id}`, admin)).statusCode).toBe(204);
    const orig = (await view('0110')).to[0]?.id ?? 0;
    expect((await call('DELETE', `/catalog/mappings/${orig}/${road.id}`, admin)).statusCode).toBe(204);
    expect((await view('0110')).status).toBe('open');
    expectError(await call('DELETE', `/catalog/mappings/${road.id}/${kerb.id}`, admin), 404, 'NOT_FOUND');

    const mark = await call('PUT', `/catalog/mappings/unmapped/${road.id}`, admin, {
      note: '  本市不再使用  ',
    });
    expect(mark.statusCode, mark.body).toBe(200);
    expect(await view('0110')).toMatchObject({
      status: 'none',
      noCounterpart: { note: '本市不再使用', basis: 'admin' },
    });
    // A mapping takes the mark away.
    await call('PUT', '/catalog/mappings', admin, { fromId: road.id, toId: orig });
    expect(await view('0110')).toMatchObject({ status: 'one', noCounterpart: null });
    expectError(await call('DELETE', `/catalog/mappings/unmapped/${road.id}`, admin), 404, 'NOT_FOUND');
    await call('DELETE', `/catalog/mappings/${road.id}/${orig}`, admin);
    await call('PUT', `/catalog/mappings/unmapped/${road.id}`, admin, { note: '暂不对应' });
    expect((await call('DELETE', `/catalog/mappings/unmapped/${road.id}`, admin)).statusCode).toBe(204);
    expect((await view('0110')).status).toBe('open');

    expect((await audits('catalog.mapping.set')).map((d) => [d.from, d.to, d.unmarkedNoCounterpart])).toEqual(
      [
        ['0110', '06050', false],
        ['0110', '06050', false],
        ['0110', '06013', true],
      ],
    );
    expect(await audits('catalog.mapping.delete')).toHaveLength(3);
    expect((await audits('catalog.mapping.mark_none')).map((d) => d.note)).toEqual([
      '本市不再使用',
      '暂不对应',
    ]);
    expect(await audits('catalog.mapping.unmark_none')).toHaveLength(1);
  });

  it.each([
    [
      'two classes of one scheme',
      async () => ({ fromId: (await byCode('0101')).id, toId: (await byCode('0102')).id }),
    ],
    [
      'classes of different kinds',
      async () => ({
        fromId: (await byCode('0101')).id,
        toId: (await byCode('01001', 'component', 'gbt47678')).id,
      }),
    ],
    [
      'a major and a minor',
      async () => ({
        fromId: (await byCode('01')).id,
        toId: (await byCode('06001', 'event', 'gbt47678')).id,
      }),
    ],
    [
      'an unknown class',
      async () => ({ fromId: 999999, toId: (await byCode('06001', 'event', 'gbt47678')).id }),
    ],
  ])('refuses a pair of %s (400) and writes nothing', async (_label, body) => {
    const before = await catalogCounts(t.store);
    expectError(await call('PUT', '/catalog/mappings', admin, await body()), 400, 'CATALOG_MAPPING_INVALID');
    expect(await catalogCounts(t.store)).toEqual(before);
  });

  it('refuses marks on a 47678.5 class (400) or an unknown one (404), and malformed bodies (400)', async () => {
    const before = await catalogCounts(t.store);
    const neu = await byCode('06001', 'event', 'gbt47678');
    expectError(
      await call('PUT', `/catalog/mappings/unmapped/${neu.id}`, admin, { note: 'x' }),
      400,
      'CATALOG_MAPPING_INVALID',
    );
    expectError(
      await call('PUT', '/catalog/mappings/unmapped/999999', admin, { note: 'x' }),
      404,
      'NOT_FOUND',
    );
    const old = await byCode('0101');
    for (const body of [{}, { note: '' }, { note: 'x'.repeat(501) }, { note: 'x', extra: 1 }]) {
      expectError(
        await call('PUT', `/catalog/mappings/unmapped/${old.id}`, admin, body),
        400,
        'VALIDATION_FAILED',
      );
    }
    for (const body of [
      { fromId: '1', toId: 2 },
      { fromId: [1], toId: 2 },
      { fromId: 1, toId: 2, note: '' },
    ]) {
      expectError(await call('PUT', '/catalog/mappings', admin, body), 400, 'VALIDATION_FAILED');
    }
    expect(await catalogCounts(t.store)).toEqual(before);
  });
});
