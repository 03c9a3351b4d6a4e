/** Moving cases from GB/T 30428.2 to GB/T 47678.5: preview, resolve, apply; evaluating across it. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, expectError, type Fixtures, fixtures, loginAll, type Tokens } from '../cases/testkit.js';
import { chinaDay } from './testkit.js';

interface PreviewItem {
  category: { id: number; scheme: string; code: string };
  cases: number;
  status: string;
  targets: Array<{ id: number; code: string }>;
  via: { code: string } | null;
  note: string | null;
}

describe.each(testStores())('moving cases to GB/T 47678.5 (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  const ids: Record<string, number> = {};

  const db = () => ts.store.db;
  const categoryId = async (scheme: string, k: string, code: string) =>
    (
      await db()
        .selectFrom('categories')
        .select('id')
        .where('scheme', '=', scheme as 'gbt30428')
        .where('kind', '=', k as 'event')
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
    ).id;
  const caseRow = (id: number | undefined) =>
    sql<{ code: string; scheme: string; last_seq: number; version: number; n: number }>`
      SELECT k.code, k.scheme, c.last_seq, c.version, (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id) AS n
      FROM cases c JOIN categories k ON k.id = c.category_id WHERE c.id = ${id ?? 0}`
      .execute(db())
      .then((r) => r.rows[0]);
  const snapshot = async () =>
    (
      await sql<{
        s: string;
      }>`SELECT string_agg(c.id || ':' || c.category_id || ':' || c.last_seq, ',' ORDER BY c.id) ||
        '|' || (SELECT count(*) FROM case_events) || '|' || (SELECT count(*) FROM audit_log WHERE action = 'catalog.case.move') AS s
        FROM cases c`.execute(db())
    ).rows[0]?.s;
  const preview = async (query: string) => {
    const res = await c.call('admin', 'GET', `/api/v1/catalog/moves/preview${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { summary: Record<string, number>; items: PreviewItem[] };
  };
  const item = (p: { items: PreviewItem[] }, code: string) => p.items.find((i) => i.category.code === code);
  const reported = async (codes: string) => {
    const res = await c.call(
      'leader',
      'GET',
      `/api/v1/evaluation/stats?from=${chinaDay(-1)}&to=${chinaDay(1)}&categoryCode=${codes}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json().total.reported as number;
  };

  /** 综合评价: the district's 立案数 cases, filtered by class. */
  const filedIn = async (codes: string) => {
    const res = await c.call(
      'leader',
      'GET',
      `/api/v1/evaluation/drilldown?subjectType=district&subject=510104&indicator=filedCount&period=custom&from=${chinaDay(-1)}&to=${chinaDay(1)}&categoryCode=${codes}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().cases as Array<{ categoryCode: string }>).map((x) => x.categoryCode).sort();
  };

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store);
    tokens = await loginAll(app);
    fx = await fixtures(ts.store);
    c = client(app, tokens);
    const photo = await c.upload('supervisor');
    const body = (k: string, code: string) => ({
      kind: k,
      categoryCode: code,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '锦江区测试路 8 号',
      description: `迁移测试 ${code}`,
      photos: [photo],
      source: 'supervisor',
    });
    ids.garbage = (await c.report('supervisor', body('event', '0102'))).id;
    ids.pole = (await c.report('supervisor', body('component', '0117'))).id;
    ids.collapse = (await c.report('supervisor', body('event', '0401'))).id;
    // Two closed cases: history.
    for (const [key, code] of [
      ['closedGarbage', '0102'],
      ['closedDebris', '0103'],
    ] as const) {
      const after = (
        await app.inject({
          method: 'POST',
          url: '/api/v1/media',
          headers: { ...tokens.supervisor, 'content-type': 'image/png' },
          payload: Buffer.concat([(await import('../cases/testkit.js')).PNG, Buffer.from([key.length])]),
        })
      ).json().sha256 as string;
      const { source: _source, ...selfHandled } = body('event', code);
      const res = await c.call('supervisor', 'POST', '/api/v1/cases/self-handle', {
        ...selfHandled,
        afterPhotos: [after],
      });
      expect(res.statusCode, res.body).toBe(201);
      ids[key] = res.json().id;
      await c.ok('shiftlead', res.json().id, 'close');
    }
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  it('previews open cases: mapped, ambiguous (a split) and unmapped classes with the reason', async () => {
    const p = await preview('?to=gbt47678');
    expect(p.summary).toEqual({ classes: 3, cases: 3, mapped: 1, ambiguous: 1, unmapped: 1 });
    expect(item(p, '0102')).toMatchObject({ cases: 1, status: 'mapped', targets: [{ code: '06010' }] });
    expect(item(p, '0117')?.status).toBe('ambiguous');
    expect(item(p, '0117')?.targets.map((t) => t.code)).toEqual([
      '01030',
      '01031',
      '01032',
      '01033',
      '01034',
    ]);
    expect(item(p, '0401')).toMatchObject({ status: 'unmapped', targets: [] });
    expect(item(p, '0401')?.note).toContain('无「突发事件」大类');
    const all = await preview('?to=gbt47678&scope=all');
    expect([item(all, '0102')?.cases, item(all, '0103')?.status, all.summary.cases]).toEqual([
      2,
      'mapped',
      5,
    ]);
  });

  it('evaluation filters find the cases by either code before the move', async () => {
    expect(await reported('0102')).toBe(2);
    expect(await reported('06010')).toBe(2);
    expect(await reported('06010,06011')).toBe(3);
    expect(await filedIn('06010')).toEqual(['0102']);
    expect(await filedIn('0102')).toEqual(['0102']);
  });

  it('refuses an incomplete or wrong plan and moves nothing', async () => {
    const before = await snapshot();
    const move = (body: Record<string, unknown>) => c.call('admin', 'POST', '/api/v1/catalog/moves', body);
    const e = expectError(await move({ to: 'gbt47678', scope: 'all' }), 400, 'CATALOG_MOVE_UNRESOLVED');
    const problems = (e.details?.problems ?? []) as Array<{ code: string; message: { zh: string } }>;
    expect(problems.map((x) => x.code)).toEqual(['unresolved', 'unresolved']);
    expect(problems[0]?.message.zh).toContain('0117 立杆 对应多个类别');
    const pole = await categoryId('gbt30428', 'component', '0117');
    const collapse = await categoryId('gbt30428', 'event', '0401');
    const wrongKind = await categoryId('gbt47678', 'event', '06013');
    expectError(
      await move({
        to: 'gbt47678',
        scope: 'all',
        resolutions: [
          { categoryId: pole, targetId: wrongKind },
          { categoryId: collapse, targetId: null },
        ],
      }),
      400,
      'CATALOG_MOVE_UNRESOLVED',
    );
    expectError(
      await move({
        to: 'gbt47678',
        scope: 'all',
        resolutions: [{ categoryId: pole, targetId: '5' }],
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await move({
        to: 'gbt47678',
        scope: 'all',
        expectCases: 4,
        resolutions: [
          { categoryId: pole, targetId: await categoryId('gbt47678', 'component', '01031') },
          { categoryId: collapse, targetId: null },
        ],
      }),
      409,
      'CATALOG_MOVE_CHANGED',
    );
    expect(await snapshot()).toBe(before);
  });

  it('moves open cases and history: new class, the original one kept in the log, audited', async () => {
    const before = {
      garbage: await caseRow(ids.garbage),
      closed: await caseRow(ids.closedGarbage),
      collapse: await caseRow(ids.collapse),
    };
    const pole = await categoryId('gbt30428', 'component', '0117');
    const collapse = await categoryId('gbt30428', 'event', '0401');
    const res = await c.call('admin', 'POST', '/api/v1/catalog/moves', {
      to: 'gbt47678',
      scope: 'all',
      expectCases: 5,
      resolutions: [
        { categoryId: pole, targetId: await categoryId('gbt47678', 'component', '01031') },
        { categoryId: collapse, targetId: null },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ to: 'gbt47678', scope: 'all', moved: 4, kept: 1 });
    expect(
      (
        res.json().classes as Array<{ from: { code: string }; to: { code: string } | null; cases: number }>
      ).map((x) => [x.from.code, x.to?.code ?? null, x.cases]),
    ).toEqual([
      ['0117', '01031', 1],
      ['0102', '06010', 2],
      ['0103', '06011', 1],
      ['0401', null, 1],
    ]);
    const garbage = await caseRow(ids.garbage);
    expect(garbage).toMatchObject({
      code: '06010',
      scheme: 'gbt47678',
      last_seq: (before.garbage?.last_seq ?? 0) + 1,
      version: (before.garbage?.version ?? 0) + 1,
      n: (before.garbage?.n ?? 0) + 1,
    });
    expect(await caseRow(ids.closedGarbage)).toMatchObject({ code: '06010', n: (before.closed?.n ?? 0) + 1 });
    expect(await caseRow(ids.collapse)).toEqual(before.collapse);
    const events = (await c.call('admin', 'GET', `/api/v1/cases/${ids.garbage}/events`)).json()
      .items as Array<{
      action: string;
      reason: string | null;
      actorRole: string;
      payload: { recategorized?: { from: { code: string; scheme: string }; to: { code: string } } };
    }>;
    const last = events.at(-1);
    expect(last).toMatchObject({
      action: 'note',
      actorRole: 'admin',
      reason: '类别调整（编码体系迁移）：0102 暴露垃圾 → 06010 暴露垃圾',
      payload: { recategorized: { from: { code: '0102', scheme: 'gbt30428' }, to: { code: '06010' } } },
    });
    const detail = (await c.call('admin', 'GET', `/api/v1/cases/${ids.garbage}`)).json();
    expect(detail.category).toMatchObject({ code: '06010', name: '暴露垃圾' });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'catalog.case.move')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ scope: 'all', moved: 4, kept: 1 });
  });

  it('after the move: the kept class is all that is left, filters still find every case, open cases go on', async () => {
    const p = await preview('?to=gbt47678&scope=all');
    expect(p.items.map((i) => [i.category.code, i.status])).toEqual([['0401', 'unmapped']]);
    expect(await reported('0102')).toBe(2);
    expect(await reported('06010')).toBe(2);
    expect(await reported('06010,06011')).toBe(3);
    expect(await filedIn('0102')).toEqual(['06010']);
    expect(await filedIn('06011')).toEqual(['06011']);
    // A moved open case takes its next step with a time limit (its version, its new class).
    const next = await c.ok('intake', ids.garbage ?? 0, 'intake');
    expect(next).toMatchObject({ state: 'pending_filing', clock: { step: 'file' } });
    expect(next.clock.deadline).not.toBeNull();
  });

  it('a case under a retired placeholder code goes where its 30428.2 class goes', async () => {
    const old = await categoryId('gbt30428', 'event', '0104');
    const retired = await db()
      .insertInto('categories')
      .values({
        scheme: 'gbt47678p',
        kind: 'event',
        level: 'minor',
        code: '01004',
        name: '道路不洁',
        parent_id: old,
        origin: 'provisional',
        active: false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('category_mappings')
      .values({ from_id: old, to_id: retired.id, basis: 'provisional' })
      .execute();
    // A case filed while the placeholder was in use.
    await db()
      .updateTable('cases')
      .set({ category_id: retired.id })
      .where('id', '=', ids.collapse ?? 0)
      .execute();
    // Its evaluation facts were written then too (the statistics count from them).
    await db()
      .updateTable('eval_case_facts')
      .set({ category_id: retired.id, category_code: '01004' })
      .where('case_id', '=', String(ids.collapse ?? 0))
      .execute();
    const p = await preview('?to=gbt47678');
    expect(item(p, '01004')).toMatchObject({
      category: { scheme: 'gbt47678p' },
      status: 'mapped',
      targets: [{ code: '06012' }],
      via: { code: '0104' },
    });
    expect(await reported('06012')).toBe(1);
  });
});
