import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { deadlineFor } from '../../domain/timelimit/index.js';
import type { ApiApp } from '../../platform/http/types.js';
import { loadCalendar } from '../calendar/repo.js';
import { stepLimit } from './repo.js';
import { client, expectError, type Fixtures, fixtures, loginAll, type Tokens } from './testkit.js';

describe.each(testStores())('case loop over HTTP (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-cases-'));

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store, { DATA_DIR: dataDir });
    tokens = await loginAll(app);
    fx = await fixtures(ts.store);
    c = client(app, tokens);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const events = async (id: number) =>
    (await c.call('admin', 'GET', `/api/v1/cases/${id}/events`)).json().items as Array<
      Record<string, unknown>
    >;
  const supervisorReport = async (photos: string[] = []) =>
    c.report('supervisor', {
      source: 'supervisor',
      kind: 'event',
      categoryCode: fx.category.code,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '锦江区测试路 1 号',
      description: '暴露垃圾一处',
      photos,
      reporterName: '王小明',
      reporterPhone: '13800001234',
    });
  /** A supervisor report taken in, filed and dispatched to `departmentCode`. */
  const dispatched = async (departmentCode = 'SZ-01') => {
    const k = await supervisorReport();
    await c.ok('intake', k.id, 'intake');
    await c.ok('shiftlead', k.id, 'file');
    return c.ok('dispatcher', k.id, 'dispatch', { departmentCode });
  };

  it('walks a supervisor report through filing, dispatch, rework and close', async () => {
    const before = await c.upload('supervisor');
    const k = await supervisorReport([before]);
    expect(k).toMatchObject({
      state: 'reported',
      queue: 'intake',
      source: 'supervisor',
      gridCode: fx.supervised.code,
      areaClass: fx.supervised.area_class,
      districtCode: '510104',
      category: { code: fx.category.code },
      photos: { before: [before], after: [] },
      // The reporter's personal data is masked even for the supervisor (only intake, shift leader, admin).
      reporter: { name: '王**', phone: '138****1234' },
      clock: { step: 'intake', light: 'green' },
      version: 1,
    });
    expect(k.number).toMatch(/^510104-\d{8}-E-\d{4}$/);
    expect(k.standardVersionId).toEqual(expect.any(Number));
    // The deadline comes from the store's limit and calendar through the domain arithmetic.
    const limit = await stepLimit(ts.store.db, {
      versionId: k.standardVersionId,
      categoryId: fx.category.id,
      step: 'intake',
      areaClass: fx.supervised.area_class as 'A',
      urgency: 'normal',
    });
    // 受理 is the centre's step: it runs on the centre's duty calendar (clock rules).
    expect(k.clock.calendarId).toBe('centre');
    const centre = await loadCalendar(ts.store.db, 'centre');
    if (!limit || !centre) throw new Error('store lacks the intake limit or the centre calendar');
    expect(k.clock.deadline).toBe(
      deadlineFor(centre, new Date(k.clock.startedAt), limit.limit).toISOString(),
    );

    // Personal data: full for intake, masked for the dispatcher.
    const asDispatcher = (await c.call('dispatcher', 'GET', `/api/v1/cases/${k.id}`)).json();
    expect(asDispatcher.reporter).toMatchObject({ name: '王**', phone: '138****1234' });
    expect((await c.call('intake', 'GET', `/api/v1/cases/${k.id}`)).json().reporter.name).toBe('王小明');

    const intakeQueue = (await c.call('intake', 'GET', '/api/v1/cases?queue=intake&limit=200')).json();
    expect(intakeQueue.items.map((x: { id: number }) => x.id)).toContain(k.id);
    expect((await c.call('intake', 'GET', `/api/v1/cases/${k.id}/actions`)).json().actions).toContain(
      'intake',
    );

    expect((await c.ok('intake', k.id, 'intake')).state).toBe('pending_filing');
    expectError(await c.act('supervisor', k.id, 'file'), 403, 'CASE_ROLE_NOT_ALLOWED');
    expect((await c.ok('shiftlead', k.id, 'file')).state).toBe('filed');
    expectError(await c.act('dispatcher', k.id, 'dispatch'), 422, 'CASE_GUARD_FAILED');
    expectError(
      await c.act('dispatcher', k.id, 'dispatch', { departmentCode: 'NOPE' }),
      400,
      'CASE_DEPARTMENT_UNKNOWN',
    );
    const d = await c.ok('dispatcher', k.id, 'dispatch', { departmentCode: 'SZ-01' });
    expect(d).toMatchObject({ state: 'dispatched', department: { code: 'SZ-01' }, clock: { step: 'sign' } });
    expect(
      (await c.call('handler', 'GET', '/api/v1/cases?queue=sign'))
        .json()
        .items.map((x: { id: number }) => x.id),
    ).toContain(k.id);
    expect((await c.ok('dept', k.id, 'sign')).clock.step).toBe('handle');

    expectError(await c.act('handler', k.id, 'feedback'), 422, 'CASE_GUARD_FAILED');
    const after = await c.upload('handler');
    expect((await c.ok('handler', k.id, 'feedback', { photos: [after] })).state).toBe('handled');
    // Nobody closes a case that has not passed its check.
    expectError(await c.act('shiftlead', k.id, 'close'), 409, 'CASE_ACTION_NOT_ALLOWED');
    expect((await c.ok('intake', k.id, 'request_check')).state).toBe('checking');
    expectError(await c.act('supervisor', k.id, 'check_fail'), 422, 'CASE_GUARD_FAILED');
    const rework = await c.ok('supervisor', k.id, 'check_fail', { reason: '垃圾未清理干净' });
    expect(rework).toMatchObject({ state: 'handling', counters: { rework: 1 }, clock: { step: 'handle' } });
    await c.ok('handler', k.id, 'feedback', { photos: [after] });
    await c.ok('intake', k.id, 'request_check');
    expect((await c.ok('supervisor', k.id, 'check_pass')).state).toBe('pending_close');
    const closed = await c.ok('shiftlead', k.id, 'close');
    expect(closed).toMatchObject({ state: 'closed', queue: null, clock: null, photos: { after: [after] } });
    expect(closed.closedAt).not.toBeNull();

    const timeline = await events(k.id);
    expect(timeline.map((e) => e.action)).toEqual([
      'report',
      'intake',
      'file',
      'dispatch',
      'sign',
      'feedback',
      'request_check',
      'check_fail',
      'feedback',
      'request_check',
      'check_pass',
      'close',
    ]);
    expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));
    expect(timeline[2]).toMatchObject({
      actorRole: 'shift_leader',
      actor: { username: 'shiftlead' },
      fromState: 'pending_filing',
      toState: 'filed',
    });
    expect(timeline[7]).toMatchObject({ reason: '垃圾未清理干净', payload: { counters: ['rework'] } });
    // Photos are served back to whoever may see the case, not to others.
    const img = await app.inject({
      method: 'GET',
      url: `/api/v1/media/${after}`,
      headers: tokens.dispatcher,
    });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(img.rawPayload, (await import('./testkit.js')).PNG)).toBe(0);
    expectError(
      await app.inject({ method: 'GET', url: `/api/v1/media/${after}`, headers: tokens.intake2 }),
      404,
      'NOT_FOUND',
    );
  });

  it('verifies a public report, and rejects it after a denial', async () => {
    const k = await c.report('intake', {
      source: 'public',
      kind: 'event',
      categoryCode: fx.category.code,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '公众来电地址',
      description: '市民反映有垃圾',
    });
    expectError(await c.act('intake', k.id, 'intake'), 422, 'CASE_GUARD_FAILED');
    expect((await c.ok('intake', k.id, 'request_verification')).clock.step).toBe('verify');
    expectError(await c.act('intake', k.id, 'request_verification'), 409, 'CASE_ACTION_NOT_ALLOWED');
    expect(
      (await c.call('supervisor', 'GET', '/api/v1/cases?queue=verify&limit=200'))
        .json()
        .items.map((x: { id: number }) => x.id),
    ).toContain(k.id);
    expect((await c.ok('supervisor', k.id, 'deny', { reason: '现场未发现' })).state).toBe('pending_filing');
    expectError(await c.act('shiftlead', k.id, 'file'), 422, 'CASE_GUARD_FAILED');
    expectError(await c.act('shiftlead', k.id, 'reject'), 422, 'CASE_GUARD_FAILED');
    const rejected = await c.ok('shiftlead', k.id, 'reject', { reason: '核实不属实' });
    expect(rejected).toMatchObject({ state: 'rejected', closedAt: expect.any(String) });
  });

  it('returns, re-dispatches, extends, suspends, resumes, urges and voids', async () => {
    const k = await dispatched('SZ');
    expect((await c.ok('dept', k.id, 'return_request', { reason: '不属本部门' })).pending).toMatchObject({
      kind: 'return',
    });
    const approvals = (await c.call('dispatcher', 'GET', '/api/v1/cases?queue=approve&limit=200')).json();
    expect(approvals.items.map((x: { id: number }) => x.id)).toContain(k.id);
    const back = await c.ok('dispatcher', k.id, 'return_approve');
    expect(back).toMatchObject({ state: 'filed', department: null, pending: null, counters: { return: 1 } });
    expectError(await c.call('dept', 'GET', `/api/v1/cases/${k.id}`), 404, 'NOT_FOUND');
    await c.ok('dispatcher', k.id, 'dispatch', { departmentCode: 'SZ-01' });
    const handling = await c.ok('dept', k.id, 'sign');
    const deadline0 = Date.parse(handling.clock.deadline);

    await c.ok('dept', k.id, 'extend_request', { reason: '需要采购材料', amount: 1, unit: 'working_days' });
    expectError(
      await c.act('handler', k.id, 'feedback', { photos: [await c.upload('handler')] }),
      422,
      'CASE_GUARD_FAILED',
    );
    const extended = await c.ok('dispatcher', k.id, 'extend_approve');
    expect(Date.parse(extended.clock.deadline)).toBeGreaterThan(deadline0);
    expect(extended.clock.extensions).toEqual([{ amount: 1, unit: 'working_days' }]);

    await c.ok('dept', k.id, 'suspend_request', { reason: '待拆迁' });
    const suspended = await c.ok('dispatcher', k.id, 'suspend_approve');
    expect(suspended).toMatchObject({
      state: 'suspended',
      queue: 'suspended',
      clock: { suspended: true, deadline: null },
    });
    const resumed = await c.ok('dispatcher', k.id, 'resume');
    expect(resumed).toMatchObject({ state: 'handling', clock: { suspended: false } });
    expect(Date.parse(resumed.clock.deadline)).toBeGreaterThanOrEqual(Date.parse(extended.clock.deadline));

    expectError(await c.act('dispatcher', k.id, 'urge'), 403, 'CASE_ROLE_NOT_ALLOWED');
    expect((await c.ok('leader', k.id, 'urge', { reason: '尽快处理' })).counters).toMatchObject({ urge: 1 });
    await c.ok('dispatcher', k.id, 'void_request', { reason: '重复立案' });
    const voided = await c.ok('shiftlead', k.id, 'void_approve');
    expect(voided).toMatchObject({ state: 'voided', counters: { void: 1 } });
    expect((await events(k.id)).map((e) => e.action)).toEqual([
      'report',
      'intake',
      'file',
      'dispatch',
      'return_request',
      'return_approve',
      'dispatch',
      'sign',
      'extend_request',
      'extend_approve',
      'suspend_request',
      'suspend_approve',
      'resume',
      'urge',
      'void_request',
      'void_approve',
    ]);
  });

  it('merges a duplicate into an open case', async () => {
    const a = await supervisorReport();
    const b = await supervisorReport();
    expectError(await c.act('intake', b.id, 'merge'), 422, 'CASE_GUARD_FAILED');
    expectError(await c.act('intake', b.id, 'merge', { targetCaseId: b.id }), 400, 'CASE_TARGET_INVALID');
    const merged = await c.ok('intake', b.id, 'merge', { targetCaseId: a.id });
    expect(merged).toMatchObject({ state: 'merged', mergedIntoId: a.id });
    expect((await events(b.id)).at(-1)).toMatchObject({
      action: 'merge',
      payload: { mergedInto: { id: a.id } },
    });
  });

  it('keeps cases in scope: other districts and departments get 404, stale versions 409', async () => {
    const k = await dispatched('HW-01');
    expectError(await c.act('dept', k.id, 'sign'), 404, 'NOT_FOUND');
    expectError(await c.call('intake2', 'GET', `/api/v1/cases/${k.id}`), 404, 'NOT_FOUND');
    expectError(await c.call('intake2', 'GET', `/api/v1/cases/${k.id}/events`), 404, 'NOT_FOUND');
    expect(
      (await c.call('intake2', 'GET', '/api/v1/cases?limit=200'))
        .json()
        .items.map((x: { id: number }) => x.id),
    ).not.toContain(k.id);
    const stale = await c.call('dispatcher', 'POST', `/api/v1/cases/${k.id}/actions/urge`, { version: 1 });
    expectError(stale, 409, 'CASE_VERSION_CONFLICT');
    // A supervisor cannot report outside the grids of its scope.
    const outside = await c.call('supervisor', 'POST', '/api/v1/cases', {
      source: 'supervisor',
      kind: 'event',
      categoryCode: fx.category.code,
      lng: fx.otherDistrict.lng,
      lat: fx.otherDistrict.lat,
      address: 'x',
      description: 'y',
    });
    expectError(outside, 400, 'LOCATION_OUT_OF_SCOPE');
  });

  it('tells a hotline operator that a point in a grid lies outside his area, and names both', async () => {
    const before = await ts.store.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    // intake2 takes calls for 青羊区; the point is in a grid of 锦江区.
    const res = await c.call('intake2', 'POST', '/api/v1/cases', {
      source: 'hotline_12345',
      kind: 'event',
      categoryCode: fx.category.code,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '锦江区测试路 9 号',
      description: '热线反映',
    });
    const err = expectError(res, 400, 'LOCATION_OUT_OF_SCOPE');
    expect(err.details).toMatchObject({
      gridCode: fx.supervised.code,
      district: { code: '510104', name: '锦江区' },
      scope: { code: '510105', name: '青羊区' },
    });
    expect(err.messages.zh).toMatch(/^该位置在锦江区.+街道，不在您的辖区（青羊区）内/);
    expect(err.messages.en).toContain('outside your area (青羊区)');
    // A point in no grid at all still says so.
    const nowhere = await c.call('intake2', 'POST', '/api/v1/cases', {
      source: 'hotline_12345',
      kind: 'event',
      categoryCode: fx.category.code,
      lng: 10,
      lat: 10,
      address: 'x',
      description: 'y',
    });
    expectError(nowhere, 400, 'CASE_LOCATION_UNKNOWN');
    const after = await ts.store.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('paginates a queue by deadline with a cursor', async () => {
    for (let i = 0; i < 3; i++) await supervisorReport();
    const seen: number[] = [];
    let cursor: string | null = null;
    let deadlines: string[] = [];
    do {
      const url: string = `/api/v1/cases?queue=intake&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await c.call('intake', 'GET', url)).json();
      seen.push(...page.items.map((x: { id: number }) => x.id));
      deadlines = deadlines.concat(page.items.map((x: { clock: { deadline: string } }) => x.clock.deadline));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect([...deadlines].sort()).toEqual(deadlines);
    const counts = (await c.call('intake', 'GET', '/api/v1/cases/queues')).json().counts;
    expect(counts.intake).toBe(seen.length);
  });

  it('refuses edits of the event log in the database', async () => {
    await expect(sql`UPDATE case_events SET reason = 'x'`.execute(ts.store.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM case_events`.execute(ts.store.db)).rejects.toThrow(/append-only/);
  });
});
