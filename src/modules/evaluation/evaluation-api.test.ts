/** Evaluation API: 401/403/400 of every endpoint, schemes as versioned data, frozen publications, xlsx, stats, department scope. */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { jobAnswer } from '../../../test/helpers/jobs.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { NATIONAL_SCHEMES } from '../../domain/evaluation/index.js';
import type { ApiApp } from '../../platform/http/types.js';
import { seedHistory } from '../../seed/history.js';
import { HISTORY } from './testkit.js';

const SMALL = { ...HISTORY, days: 4, casesPerDay: 40 };
const PERIOD = 'period=custom&from=2026-01-05&to=2026-01-08';

describe.each(testStores())('evaluation API (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  const h: Record<string, { authorization: string }> = {};

  beforeAll(async () => {
    ts = await openTestStore(kind);
    await seedHistory(ts.store, SMALL);
    app = await testApp(ts.store);
    for (const u of ['admin', 'leader', 'shiftlead', 'dispatcher', 'dept', 'supervisor', 'intake'])
      h[u] = await bearer(app, u);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  const call = (user: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      ...(user ? { headers: h[user] } : {}),
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  const scheme = (weight: number) => ({
    name: { zh: '测试方案', en: 'Test scheme' },
    indicators: [
      { key: 'closeRate', weight, transform: 'rate' },
      { key: 'reworkRate', weight: 100 - weight, transform: 'one_minus_rate' },
    ],
    grades: NATIONAL_SCHEMES.department.grades,
  });

  it('401 without a login, 403 without the permission, 400 on bad input — on every endpoint', async () => {
    const reads = [
      '/evaluation/schemes',
      '/evaluation/schemes/national-department/versions',
      `/evaluation/results?subjectType=district&${PERIOD}`,
      `/evaluation/drilldown?subjectType=district&subject=510104&indicator=filedCount&${PERIOD}`,
      '/evaluation/stats?from=2026-01-05&to=2026-01-08',
      '/evaluation/publications',
      '/evaluation/publications/1',
      '/evaluation/publications/1/export',
    ];
    for (const url of reads) {
      expectError(await call(null, 'GET', url), 401, 'UNAUTHENTICATED');
      expectError(await call('supervisor', 'GET', url), 403, 'FORBIDDEN');
      expectError(await call('intake', 'GET', url), 403, 'FORBIDDEN');
    }
    const body = { title: 't', period: 'month', from: '2026-01-01' };
    expectError(await call(null, 'POST', '/evaluation/publications', body), 401, 'UNAUTHENTICATED');
    expectError(await call('shiftlead', 'POST', '/evaluation/publications', body), 403, 'FORBIDDEN');
    expectError(
      await call('dispatcher', 'POST', '/evaluation/schemes', {
        id: 'x-1',
        subjectType: 'department',
        ...scheme(50),
      }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await call('leader', 'PUT', '/evaluation/schemes/national-department', scheme(50)),
      403,
      'FORBIDDEN',
    );
    // 400s
    expectError(
      await call('leader', 'GET', '/evaluation/results?subjectType=planet&period=month&from=2026-01-01'),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await call('leader', 'GET', '/evaluation/results?subjectType=grid&period=custom&from=2026-01-05'),
      400,
      'EVALUATION_PERIOD_INVALID',
    );
    expectError(
      await call(
        'leader',
        'GET',
        '/evaluation/results?subjectType=grid&period=custom&from=2026-01-05&to=2026-01-01',
      ),
      400,
      'EVALUATION_PERIOD_INVALID',
    );
    expectError(
      await call('leader', 'GET', '/evaluation/results?subjectType=grid&period=month&from=2026-02-30'),
      400,
      'EVALUATION_PERIOD_INVALID',
    );
    expectError(
      await call('leader', 'GET', `/evaluation/results?subjectType=grid&${PERIOD}&timeSlot=08-08`),
      400,
      'EVALUATION_FILTER_INVALID',
    );
    expectError(
      await call(
        'leader',
        'GET',
        `/evaluation/results?subjectType=grid&${PERIOD}&scheme=national-department`,
      ),
      400,
      'EVALUATION_SCHEME_SUBJECT_MISMATCH',
    );
    expectError(
      await call('leader', 'GET', `/evaluation/results?subjectType=grid&${PERIOD}&scheme=nope-1`),
      404,
      'EVALUATION_SCHEME_UNKNOWN',
    );
    expectError(
      await call(
        'leader',
        'GET',
        `/evaluation/drilldown?subjectType=grid&subject=x&indicator=nope&${PERIOD}`,
      ),
      400,
      'EVALUATION_INDICATOR_UNKNOWN',
    );
    expectError(
      await call('leader', 'GET', '/evaluation/stats?from=2026-01-05&to=2026-01-08&groupBy=color'),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await call('leader', 'POST', '/evaluation/publications', {
        ...body,
        period: 'year',
        from: '2099-01-01',
      }),
      409,
      'EVALUATION_PERIOD_NOT_OVER',
    );
    expectError(
      await call('admin', 'POST', '/evaluation/schemes', {
        id: 'bad-1',
        subjectType: 'department',
        ...scheme(50),
        indicators: [{ key: 'validReportRate', weight: 1, transform: 'rate' }],
      }),
      400,
      'EVALUATION_SCHEME_INVALID',
    );
    expectError(
      await call('admin', 'PUT', '/evaluation/schemes/nope-1', scheme(50)),
      404,
      'EVALUATION_SCHEME_UNKNOWN',
    );
    expectError(await call('leader', 'GET', '/evaluation/publications/999999'), 404, 'NOT_FOUND');
  }, 60_000);

  it('department staff read their own department only', async () => {
    expectError(
      await call('dept', 'GET', `/evaluation/results?subjectType=district&${PERIOD}`),
      403,
      'EVALUATION_SUBJECT_TYPE_NOT_ALLOWED',
    );
    const all = (await call('leader', 'GET', `/evaluation/results?subjectType=department&${PERIOD}`)).json()
      .rows as { subjectId: string }[];
    const own = await call('dept', 'GET', `/evaluation/results?subjectType=department&${PERIOD}`);
    expect(own.statusCode, own.body).toBe(200);
    const ids = (own.json().rows as { subjectId: string }[]).map((r) => r.subjectId);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id === 'SZ' || id.startsWith('SZ-'))).toBe(true);
    expect(all.length).toBeGreaterThan(ids.length);
  }, 60_000);

  it('schemes are versioned data; a publication keeps its scores when the scheme changes', async () => {
    const created = await call('admin', 'POST', '/evaluation/schemes', {
      id: 'test-dept',
      subjectType: 'department',
      ...scheme(70),
    });
    expect(created.statusCode, created.body).toBe(201);
    expectError(
      await call('admin', 'POST', '/evaluation/schemes', {
        id: 'test-dept',
        subjectType: 'department',
        ...scheme(70),
      }),
      409,
      'EVALUATION_SCHEME_EXISTS',
    );
    const pub = await call('leader', 'POST', '/evaluation/publications', {
      title: '2026年1月第2周综合评价',
      period: 'week',
      from: '2026-01-06',
      subjectTypes: ['department', 'district', 'supervisor'],
      schemes: { department: 'test-dept' },
    });
    // Counted and frozen as a background job: 202, then the job's result names the publication.
    expect(pub.statusCode, pub.body).toBe(202);
    expect(pub.json()).toMatchObject({ kind: 'evaluation.publish', error: null });
    const done = await jobAnswer(app, h.leader as Record<string, string>, pub);
    expect(done.statusCode, done.body).toBe(200);
    const p = (await call('leader', 'GET', `/evaluation/publications/${done.json().id}`)).json();
    expect(p.schemes.department).toEqual({ schemeId: 'test-dept', version: 1 });
    expect(Object.keys(p.tables).sort()).toEqual(['department', 'district', 'supervisor']);
    const live = (q: string) =>
      call(
        'leader',
        'GET',
        `/evaluation/results?subjectType=department&period=week&from=2026-01-06&scheme=test-dept${q}`,
      );
    const v1 = (await live('')).json();
    const byId = (rows: { subjectId: string; composite: number | null }[]) =>
      Object.fromEntries(rows.map((r) => [r.subjectId, r.composite]));
    expect(byId(p.tables.department)).toEqual(byId(v1.rows));
    // Edit the scheme: a new version, which live results use and the publication does not.
    const v2res = await call('admin', 'PUT', '/evaluation/schemes/test-dept', scheme(10));
    expect(v2res.statusCode, v2res.body).toBe(200);
    expect(v2res.json().items.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const v2 = (await live('')).json();
    expect(v2.scheme.version).toBe(2);
    expect(byId(v2.rows)).not.toEqual(byId(v1.rows));
    expect(byId((await live('&schemeVersion=1')).json().rows)).toEqual(byId(v1.rows));
    const again = (await call('leader', 'GET', `/evaluation/publications/${p.id}`)).json();
    expect(again.tables).toEqual(p.tables);
    expect(again.schemes.department).toEqual({ schemeId: 'test-dept', version: 1 });
    const list = (await call('shiftlead', 'GET', '/evaluation/publications')).json();
    expect(list.items.map((x: { id: number }) => x.id)).toContain(p.id);
    // Paged with a total, newest first: the first page of one holds the newest.
    expect(list).toMatchObject({ total: list.items.length, limit: 100, offset: 0, nextOffset: null });
    const one = (await call('shiftlead', 'GET', '/evaluation/publications?limit=1')).json();
    expect(one).toMatchObject({ total: list.total, nextOffset: list.total > 1 ? 1 : null });
    expect(one.items.map((x: { id: number }) => x.id)).toEqual([list.items[0]?.id]);
    expectError(await call('shiftlead', 'GET', '/evaluation/publications?limit=0'), 400, 'VALIDATION_FAILED');
    // Department staff see only their department's rows of a publication.
    const deptView = (await call('dept', 'GET', `/evaluation/publications/${p.id}`)).json();
    expect(Object.keys(deptView.tables)).toEqual(['department']);
    // .xlsx: one sheet per subject type with Chinese headers, rows as published.
    const x = await call('leader', 'GET', `/evaluation/publications/${p.id}/export`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['专业部门', '区县', '监督员', '说明']);
    const sheet = wb.getWorksheet('专业部门');
    expect(sheet?.getRow(1).getCell(1).value).toBe('排名');
    expect(sheet?.getRow(1).getCell(4).value).toBe('综合得分');
    expect(sheet?.getRow(1).getCell(6).value).toBe('立案数');
    expect((sheet?.rowCount ?? 0) - 1).toBe(p.tables.department.length);
  }, 60_000);

  it('every subject in scope is listed, scored only with something to judge; 有效上报数 ≤ 上报数', async () => {
    const results = async (type: string, user = 'leader') => {
      const res = await call(user, 'GET', `/evaluation/results?subjectType=${type}&${PERIOD}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().rows as {
        subjectId: string;
        subjectName: string;
        composite: number | null;
        rank: number | null;
        indicators: Record<string, { numerator: number; denominator: number }>;
      }[];
    };
    const grids = await results('grid', 'shiftlead');
    const current = await ts.store.db
      .selectFrom('grids')
      .select('code')
      .where('valid_to', 'is', null)
      .where('code', 'like', '510104%')
      .execute();
    expect(grids.map((r) => r.subjectId).sort()).toEqual(current.map((g) => g.code).sort());
    // A grid with nothing filed has no rate to judge: no score, no rank (its 立案数分值 alone is 100).
    const idle = grids.filter((r) => r.indicators.filedCount?.numerator === 0);
    expect(idle.length).toBeGreaterThan(0);
    for (const r of idle) expect([r.composite, r.rank]).toEqual([null, null]);
    const departments = await results('department');
    const active = await ts.store.db
      .selectFrom('departments')
      .select('code')
      .where('active', '=', true)
      .execute();
    expect(departments.length).toBe(active.length);
    const supervisors = await results('supervisor');
    const enabled = await ts.store.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'supervisor')
      .where('disabled', '=', false)
      .execute();
    expect(supervisors.length).toBe(enabled.length);
    for (const r of supervisors) {
      const reports = r.indicators.reportCount?.numerator ?? 0;
      expect(r.indicators.validReportCount?.numerator ?? 0).toBeLessThanOrEqual(reports);
      expect(r.indicators.validReportRate?.denominator).toBe(
        reports - (r.indicators.pendingReportCount?.numerator ?? 0),
      );
    }
    // The district 数字城管中心: one per district, the city leader sees all three.
    const centres = await results('center');
    expect(centres.map((r) => r.subjectId).sort()).toEqual(['510104', '510105', '510106']);
    const jinjiang = centres.find((r) => r.subjectId === '510104');
    expect(jinjiang?.subjectName).toBe('锦江区数字城管中心');
    expect(jinjiang?.indicators.intakeCount?.numerator).toBeGreaterThan(0);
    expect((await results('center', 'shiftlead')).map((r) => r.subjectId)).toEqual(['510104']);
    expectError(
      await call('dept', 'GET', `/evaluation/results?subjectType=center&${PERIOD}`),
      403,
      'EVALUATION_SUBJECT_TYPE_NOT_ALLOWED',
    );
    expectError(
      await call(null, 'GET', `/evaluation/results?subjectType=center&${PERIOD}`),
      401,
      'UNAUTHENTICATED',
    );
    const schemes = (await call('leader', 'GET', '/evaluation/schemes?subjectType=center')).json();
    expect(schemes.items.map((x: { id: string }) => x.id)).toEqual(['national-center']);
  }, 60_000);

  it('results carry score, grade and rank; stats add up', async () => {
    const r = (await call('shiftlead', 'GET', `/evaluation/results?subjectType=street&${PERIOD}`)).json();
    expect(r.scheme.id).toBe('national-street');
    expect(r.rows.length).toBeGreaterThan(0);
    // The district shift leader sees the streets of his district only.
    expect(r.rows.every((x: { subjectId: string }) => x.subjectId.startsWith('510104'))).toBe(true);
    const ranked = r.rows.filter((x: { rank: number | null }) => x.rank !== null);
    expect(ranked[0].rank).toBe(1);
    for (const x of ranked) expect(['A', 'B', 'C', 'D', 'E']).toContain(x.grade);
    // The catalogue says which way each figure points: a street's 立案数 and 督办数 down (fewer
    // problems, fewer orders), its 结案数 and 结案率 up, its 返工率 down.
    const direction = Object.fromEntries(
      r.indicators.map((i: { key: string; higherIsBetter: boolean }) => [i.key, i.higherIsBetter]),
    );
    expect(direction).toMatchObject({
      filedCount: false,
      urgedCount: false,
      closedCount: true,
      closeRate: true,
      reworkRate: false,
    });
    const s = await call('leader', 'GET', '/evaluation/stats?from=2026-01-05&to=2026-01-08&groupBy=source');
    expect(s.statusCode, s.body).toBe(200);
    const body = s.json();
    const sum = (k: string) =>
      body.groups.reduce((n: number, g: Record<string, number>) => n + (g[k] ?? 0), 0);
    expect(body.total.reported).toBeGreaterThan(0);
    for (const k of [
      'reported',
      'filed',
      'dueClose',
      'suspended',
      'handled',
      'closed',
      'closedOnTime',
      'reworked',
    ])
      expect(sum(k)).toBe(body.total[k]);
    // The domain's outcome definitions (outcome.ts), the ones the region evaluation uses: every
    // rate over 应结案 (filed, not suspended).
    expect(body.total.dueClose).toBe(body.total.filed - body.total.suspended);
    expect(body.total.disposalRate).toBeCloseTo(body.total.handled / body.total.dueClose, 10);
    expect(body.total.onTimeRate).toBeCloseTo(body.total.closedOnTime / body.total.dueClose, 10);
    expect(body.total.reworkRate).toBeCloseTo(body.total.reworked / body.total.dueClose, 10);
    expect(body.topCategories.length).toBeGreaterThan(0);
    expect(body.topPlaces[0].label).toMatch(/号网格$/);
    const byHour = (
      await call('leader', 'GET', '/evaluation/stats?from=2026-01-05&to=2026-01-08&groupBy=hour')
    ).json();
    expect(byHour.groups.reduce((n: number, g: { reported: number }) => n + g.reported, 0)).toBe(
      body.total.reported,
    );
  }, 60_000);
});
