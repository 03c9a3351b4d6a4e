/**
 * The 井盖专项 API in-process: the register, the limits, the emergency flow step by step with
 * who may record what, the dashboard and the map; 401/403/400 on every endpoint, and a refused
 * request changes nothing.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, loginAll, type Tokens } from '../cases/testkit.js';
import { coverInSupervisorGrid, flowCount } from './testkit.js';

describe.each(testStores())('covers API on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let api: ReturnType<typeof client>;
  let cover: Awaited<ReturnType<typeof coverInSupervisorGrid>>;
  const anon = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) });
  const coverRows = async () =>
    Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM covers`.execute(t.store.db)).rows[0]?.n);

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    tokens = await loginAll(app);
    api = client(app, tokens);
    cover = await coverInSupervisorGrid(t.store.db);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('registers a cover on a component; refuses strangers, non-admins, bad input and non-cover components', async () => {
    const body = {
      componentId: cover.id,
      type: 'rain',
      ownerDepartment: 'SZ',
      maintainerDepartment: 'SZ-02',
      roadClass: 'arterial',
      roadName: '东大街',
    };
    expectError(await anon('POST', '/covers', body), 401, 'UNAUTHENTICATED');
    expectError(await api.call('intake', 'POST', '/api/v1/covers', body), 403, 'FORBIDDEN');
    expectError(
      await api.call('admin', 'POST', '/api/v1/covers', { ...body, type: 'lava' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api.call('admin', 'POST', '/api/v1/covers', { ...body, roadClass: 'motorway' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api.call('admin', 'POST', '/api/v1/covers', { ...body, ownerDepartment: 'NOPE' }),
      400,
      'COVER_DEPARTMENT_UNKNOWN',
    );
    expectError(
      await api.call('admin', 'POST', '/api/v1/covers', { ...body, componentId: cover.lampId }),
      400,
      'COVER_NOT_A_COVER',
    );
    expect(await coverRows()).toBe(0);

    const created = await api.call('admin', 'POST', '/api/v1/covers', body);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      componentId: cover.id,
      type: 'rain',
      typeLabel: '雨水',
      owner: { code: 'SZ', name: '市政设施管理处' },
      maintainer: { code: 'SZ-02' },
      roadClass: 'arterial',
      roadClassLabel: '主干路',
      state: 'normal',
      openCase: null,
      sensors: [],
    });
    expectError(await api.call('admin', 'POST', '/api/v1/covers', body), 409, 'COVER_TAKEN');

    const patched = await api.call('admin', 'PATCH', `/api/v1/covers/${cover.id}`, {
      roadClass: 'secondary',
    });
    expect(patched.json()).toMatchObject({ roadClass: 'secondary', roadName: '东大街' });
    expectError(await anon('PATCH', `/covers/${cover.id}`, { roadClass: 'branch' }), 401, 'UNAUTHENTICATED');
    expectError(
      await api.call('intake', 'PATCH', `/api/v1/covers/${cover.id}`, { roadClass: 'branch' }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api.call('admin', 'PATCH', `/api/v1/covers/${cover.id}`, { colour: 'red' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await api.call('admin', 'GET', '/api/v1/covers/5101040103999999'), 404, 'NOT_FOUND');
    expectError(await anon('GET', `/covers/${cover.id}`), 401, 'UNAUTHENTICATED');
  });

  it('imports the cover-class components of the scope, then lists them paged with filters and totals', async () => {
    expectError(await anon('POST', '/covers/import', { roadClass: 'branch' }), 401, 'UNAUTHENTICATED');
    expectError(
      await api.call('intake', 'POST', '/api/v1/covers/import', { roadClass: 'branch' }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api.call('admin', 'POST', '/api/v1/covers/import', { roadClass: 'lane' }),
      400,
      'VALIDATION_FAILED',
    );
    const expected = Number(
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM components
          WHERE category_code IN ('0101','0102','0103','0105','0107','0111') AND owning_department_code IS NOT NULL`.execute(
          t.store.db,
        )
      ).rows[0]?.n,
    );
    const imported = await api.call('admin', 'POST', '/api/v1/covers/import', { roadClass: 'branch' });
    expect(imported.statusCode, imported.body).toBe(200);
    // The one registered by hand stays as it was.
    expect(imported.json()).toEqual({ registered: expected - 1, skippedWithoutOwner: 0 });
    expect(await coverRows()).toBe(expected);

    const page = await api.call('intake', 'GET', '/api/v1/covers?type=gas&limit=5');
    expect(page.statusCode, page.body).toBe(200);
    const gasInScope = Number(
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM components
          WHERE category_code = '0111' AND grid_code LIKE '510104%'`.execute(t.store.db)
      ).rows[0]?.n,
    );
    expect(page.json()).toMatchObject({ total: gasInScope, limit: 5, offset: 0, nextOffset: 5 });
    expect(page.json().items).toHaveLength(5);
    for (const c of page.json().items)
      expect(c).toMatchObject({ type: 'gas', owner: { code: 'RQ' }, state: 'normal' });
    const owner = await api.call('intake', 'GET', '/api/v1/covers?owner=GD&limit=1');
    expect(owner.json().items[0]).toMatchObject({ type: 'power', owner: { code: 'GD' } });
    expect((await api.call('intake', 'GET', '/api/v1/covers?state=overdue')).json().total).toBe(0);
    expectError(await api.call('intake', 'GET', '/api/v1/covers?state=burning'), 400, 'VALIDATION_FAILED');
    expectError(await api.call('intake', 'GET', '/api/v1/covers?limit=0'), 400, 'VALIDATION_FAILED');
    expectError(await anon('GET', '/covers'), 401, 'UNAUTHENTICATED');
    expectError(await api.call('citizen', 'GET', '/api/v1/covers'), 403, 'FORBIDDEN');
  });

  it('keeps the limits as versions, refusing limits outside what the rules allow', async () => {
    const limits = {
      ownerOnSiteMinutes: 60,
      temporaryCoverHours: 3,
      repairHours: 6,
      exceptionRepairHours: 36,
      checkHours: 2,
      repeatWindowDays: 14,
    };
    expectError(await anon('PUT', '/covers/limits', limits), 401, 'UNAUTHENTICATED');
    expectError(await api.call('intake', 'PUT', '/api/v1/covers/limits', limits), 403, 'FORBIDDEN');
    const tooSlow = await api.call('admin', 'PUT', '/api/v1/covers/limits', {
      ...limits,
      ownerOnSiteMinutes: 180,
    });
    expectError(tooSlow, 400, 'COVER_LIMITS_INVALID');
    expect(tooSlow.json().error.details).toEqual({ field: 'ownerOnSiteMinutes' });
    expectError(
      await api.call('admin', 'PUT', '/api/v1/covers/limits', { ...limits, repairHours: 'six' }),
      400,
      'VALIDATION_FAILED',
    );
    expect((await api.call('intake', 'GET', '/api/v1/covers/limits')).json()).toMatchObject({
      version: 1,
      ownerOnSiteMinutes: 30,
      repairHours: 6,
    });
    const set = await api.call('admin', 'PUT', '/api/v1/covers/limits', limits);
    expect(set.json()).toMatchObject({ version: 2, ownerOnSiteMinutes: 60, repeatWindowDays: 14 });
    // Back to the Guangzhou/Tianjin defaults for the flow below.
    await api.call('admin', 'PUT', '/api/v1/covers/limits', {
      ...limits,
      ownerOnSiteMinutes: 30,
      repeatWindowDays: 30,
    });
  });

  it('runs the emergency flow: the owner on site, covers and repairs with photos, the supervisor checks', async () => {
    const photo = await api.upload('supervisor');
    const reported = await api.report('supervisor', {
      source: 'supervisor',
      kind: 'component',
      categoryCode: '0103',
      componentCode: cover.id,
      lng: cover.lng,
      lat: cover.lat,
      address: '东大街雨水井',
      description: '雨水井盖缺失',
      urgency: 'urgent',
      photos: [photo],
    });
    const caseId = reported.id as number;
    const flows = `/api/v1/covers/flows`;
    expectError(await anon('POST', '/covers/flows', { caseId, defect: 'missing' }), 401, 'UNAUTHENTICATED');
    expectError(await api.call('citizen', 'POST', flows, { caseId, defect: 'missing' }), 403, 'FORBIDDEN');
    expectError(
      await api.call('intake', 'POST', flows, { caseId, defect: 'gone' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await api.call('intake2', 'POST', flows, { caseId, defect: 'missing' }), 404, 'NOT_FOUND');
    expect(await flowCount(t.store.db)).toBe(0);
    const started = await api.call('intake', 'POST', flows, { caseId, defect: 'missing' });
    expect(started.statusCode, started.body).toBe(201);
    expect(started.json()).toMatchObject({
      caseId,
      defect: 'missing',
      defectLabel: '缺失',
      next: 'barrier',
      overdue: [],
    });
    const due = started.json().steps.map((s: { due: string | null }) => s.due && Date.parse(s.due));
    const noticed = Date.parse(started.json().noticedAt);
    expect(due).toEqual([noticed + 30 * 60_000, noticed + 3 * 3_600_000, noticed + 6 * 3_600_000, null]);
    expectError(
      await api.call('intake', 'POST', flows, { caseId, defect: 'missing' }),
      409,
      'COVER_FLOW_EXISTS',
    );
    expect((await api.call('intake', 'GET', `/api/v1/covers/${cover.id}`)).json()).toMatchObject({
      state: 'open',
      openCase: { id: caseId, defect: 'missing' },
    });

    const step = (s: string) => `${flows}/${caseId}/steps/${s}`;
    expectError(
      await anon('POST', `/covers/flows/${caseId}/steps/barrier`, { photos: [photo] }),
      401,
      'UNAUTHENTICATED',
    );
    // 道路养护所 is neither the owner (市政设施管理处) nor the maintainer (排水管理所), nor sees the case.
    expectError(await api.call('handler', 'POST', step('barrier'), { photos: [photo] }), 404, 'NOT_FOUND');
    expectError(
      await api.call('supervisor', 'POST', step('barrier'), { photos: [photo] }),
      403,
      'COVER_STEP_NOT_YOURS',
    );
    expectError(await api.call('dept', 'POST', step('barrier'), { photos: [] }), 400, 'VALIDATION_FAILED');
    expectError(await api.call('dept', 'POST', step('fly'), { photos: [photo] }), 400, 'VALIDATION_FAILED');
    expectError(
      await api.call('dept', 'POST', step('barrier'), { photos: ['f'.repeat(64)] }),
      400,
      'CASE_PHOTO_UNKNOWN',
    );
    expectError(
      await api.call('dept', 'POST', step('barrier'), {
        photos: [photo],
        at: new Date(Date.now() + 3_600_000).toISOString(),
      }),
      400,
      'COVER_STEP_IN_FUTURE',
    );
    expectError(
      await api.call('dept', 'POST', step('repair'), { photos: [photo] }),
      409,
      'COVER_STEP_OUT_OF_ORDER',
    );
    expect((await api.call('dept', 'GET', `${flows}/${caseId}`)).json().steps[0].at).toBeNull();

    const barrier = await api.call('dept', 'POST', step('barrier'), { photos: [photo], note: '已设置围挡' });
    expect(barrier.statusCode, barrier.body).toBe(200);
    expect(barrier.json()).toMatchObject({ next: 'temporary_cover', overdue: [] });
    expect(barrier.json().steps[0]).toMatchObject({ photos: [photo], note: '已设置围挡', overdue: false });
    // The maintainer's handler (排水管理所) covers it.
    const tempCover = await app.inject({
      method: 'POST',
      url: step('temporary_cover'),
      headers: await bearer(app, 'czy-sz-02'),
      payload: { photos: [photo] },
    });
    expect(tempCover.statusCode, tempCover.body).toBe(200);
    expect(tempCover.json()).toMatchObject({ next: 'repair' });
    expect((await api.call('intake', 'GET', `/api/v1/covers/${cover.id}`)).json().state).toBe('made_safe');
    const exception = `${flows}/${caseId}/exception`;
    expectError(
      await anon('POST', `/covers/flows/${caseId}/exception`, { reason: '夜间封路施工' }),
      401,
      'UNAUTHENTICATED',
    );
    expectError(
      await api.call('intake', 'POST', exception, { reason: '夜间封路施工' }),
      403,
      'COVER_STEP_NOT_YOURS',
    );
    expectError(
      await api.call('dept', 'POST', exception, { reason: ' ' }),
      400,
      'COVER_EXCEPTION_REASON_REQUIRED',
    );
    expectError(await api.call('dept', 'POST', exception, {}), 400, 'VALIDATION_FAILED');
    const excused = await api.call('dept', 'POST', exception, { reason: '需夜间封路施工' });
    expect(excused.json().exception).toMatchObject({ reason: '需夜间封路施工' });
    expect(Date.parse(excused.json().steps[2].due)).toBe(noticed + 36 * 3_600_000);
    expectError(
      await api.call('dept', 'POST', exception, { reason: '需夜间封路施工' }),
      409,
      'COVER_EXCEPTION_ALREADY_TAKEN',
    );

    const repaired = await api.call('dept', 'POST', step('repair'), { photos: [photo] });
    expect(repaired.json()).toMatchObject({ next: 'check' });
    expect(repaired.json().repairMinutes).toBeGreaterThanOrEqual(0);
    expectError(
      await api.call('dept', 'POST', step('check'), { photos: [photo] }),
      403,
      'COVER_STEP_NOT_YOURS',
    );
    const checked = await api.call('supervisor', 'POST', step('check'), { photos: [photo] });
    expect(checked.statusCode, checked.body).toBe(200);
    expect(checked.json()).toMatchObject({ next: null, overdue: [] });
    expect((await api.call('intake', 'GET', `/api/v1/covers/${cover.id}`)).json()).toMatchObject({
      state: 'normal',
      openCase: null,
    });
    const audited = await sql<{
      action: string;
    }>`SELECT action FROM audit_log WHERE target = ${`case:${caseId}`}
      AND action LIKE 'cover.%' ORDER BY id`.execute(t.store.db);
    expect(audited.rows.map((r) => r.action)).toEqual([
      'cover.flow.start',
      'cover.flow.barrier',
      'cover.flow.temporary_cover',
      'cover.flow.exception',
      'cover.flow.repair',
      'cover.flow.check',
    ]);
  });

  it('shows overdue steps, the dashboard by type × owner and the covers on the map by state', async () => {
    // A second report of the same cover two hours ago: on site (30 min) is overdue already.
    const photo = await api.upload('supervisor');
    const reported = await api.report('supervisor', {
      source: 'supervisor',
      kind: 'component',
      categoryCode: '0103',
      componentCode: cover.id,
      lng: cover.lng,
      lat: cover.lat,
      address: '东大街雨水井',
      description: '雨水井盖又缺失',
      photos: [photo],
    });
    await sql`UPDATE cases SET reported_at = now() - interval '2 hours' WHERE id = ${reported.id}`.execute(
      t.store.db,
    );
    const started = await api.call('intake', 'POST', '/api/v1/covers/flows', {
      caseId: reported.id,
      defect: 'missing',
    });
    expect(started.json().overdue).toEqual(['barrier']);

    const late = await api.call('intake', 'GET', '/api/v1/covers/flows?overdue=true');
    expect(late.json()).toMatchObject({ total: 1 });
    expect(late.json().items[0]).toMatchObject({
      caseId: reported.id,
      overdue: ['barrier'],
      next: 'barrier',
    });
    // The owner's staff see it too, even before it is dispatched to them.
    expect((await api.call('dept', 'GET', '/api/v1/covers/flows?overdue=true')).json().total).toBe(1);
    expect((await api.call('intake2', 'GET', '/api/v1/covers/flows')).json().total).toBe(0);
    expectError(
      await api.call('intake', 'GET', '/api/v1/covers/flows?overdue=maybe'),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await anon('GET', '/covers/flows'), 401, 'UNAUTHENTICATED');
    expectError(await api.call('citizen', 'GET', '/api/v1/covers/flows'), 403, 'FORBIDDEN');

    const board = await api.call('intake', 'GET', '/api/v1/covers/dashboard');
    expect(board.statusCode, board.body).toBe(200);
    expect(board.json()).toMatchObject({
      flows: 2,
      repeatWindowDays: 30,
      totals: { open: 1, overdue: 1, repeatCovers: 1 },
    });
    expect(board.json().cells).toEqual([
      expect.objectContaining({
        type: 'rain',
        typeLabel: '雨水',
        owner: 'SZ',
        ownerName: '市政设施管理处',
        open: 1,
        overdue: 1,
        repeatCovers: 1,
      }),
    ]);
    expect(board.json().cells[0].averageRepairMinutes).toBeGreaterThanOrEqual(0);
    expectError(
      await api.call(
        'intake',
        'GET',
        '/api/v1/covers/dashboard?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z',
      ),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api.call('intake', 'GET', '/api/v1/covers/dashboard?from=yesterday'),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await anon('GET', '/covers/dashboard'), 401, 'UNAUTHENTICATED');
    expectError(await api.call('citizen', 'GET', '/api/v1/covers/dashboard'), 403, 'FORBIDDEN');

    const d = 0.003;
    const bbox = [cover.lng - d, cover.lat - d, cover.lng + d, cover.lat + d].join(',');
    const map = await api.call('intake', 'GET', `/api/v1/covers/map?bbox=${bbox}`);
    expect(map.statusCode, map.body).toBe(200);
    const mine = map
      .json()
      .features.find((f: { properties: { componentId: string } }) => f.properties.componentId === cover.id);
    expect(mine).toMatchObject({
      geometry: { type: 'Point' },
      properties: { state: 'overdue', caseId: reported.id, type: 'rain' },
    });
    expect(map.json().counts.overdue).toBe(1);
    expect(map.json().counts.normal).toBe(map.json().features.length - 1);
    expectError(await api.call('intake', 'GET', '/api/v1/covers/map?bbox=1,2,3'), 400, 'VALIDATION_FAILED');
    expectError(await anon('GET', '/covers/map'), 401, 'UNAUTHENTICATED');
    expectError(await api.call('citizen', 'GET', '/api/v1/covers/map'), 403, 'FORBIDDEN');
    expect((await api.call('intake', 'GET', '/api/v1/covers?state=overdue')).json().total).toBe(1);
  });
});
