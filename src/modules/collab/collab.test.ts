/** 权属确认 at the city collaboration platform, over HTTP: send, claim / decline, settle, joint meeting. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { seedResponsibility } from '../../seed/responsibility.js';
import { sweep } from '../cases/sweeper.js';
import {
  client,
  expectError,
  type Fixtures,
  fixtures,
  loginAll,
  PNG,
  type Tokens,
} from '../cases/testkit.js';

describe.each(testStores())('ownership disputes (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  let coordinator: { authorization: string };
  let deptHw: { authorization: string };
  let deptYl: { authorization: string };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-collab-'));

  beforeAll(async () => {
    ts = await openTestStore(kind);
    await seedResponsibility(ts.store.db);
    // Two more department accounts (环卫处, 园林处) with the demo password.
    await sql`INSERT INTO users (username, display_name, role, department_id, password_hash)
      SELECT v.u, v.n, 'department', d.id, (SELECT password_hash FROM users WHERE username = 'dept')
      FROM (VALUES ('dept_hw', '环卫处', 'HW'), ('dept_yl', '园林处', 'YL')) v(u, n, code)
      JOIN departments d ON d.code = v.code`.execute(ts.store.db);
    app = await testApp(ts.store, { DATA_DIR: dataDir });
    tokens = await loginAll(app);
    coordinator = await bearer(app, 'coordinator');
    deptHw = await bearer(app, 'dept_hw');
    deptYl = await bearer(app, 'dept_yl');
    fx = await fixtures(ts.store);
    c = client(app, tokens);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const as = (headers: { authorization: string }, method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const act = async (headers: { authorization: string }, id: number, action: string, body: object = {}) =>
    as(headers, 'POST', `/api/v1/cases/${id}/actions/${action}`, { version: await c.version(id), ...body });
  const filed = async () => {
    const k = await c.report('supervisor', {
      source: 'supervisor',
      kind: 'event',
      categoryCode: '0102',
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '锦江区某小区门口',
      description: '垃圾堆放，物业与环卫互相推诿',
    });
    await c.ok('intake', k.id, 'intake');
    await c.ok('shiftlead', k.id, 'file');
    return k.id as number;
  };
  const inFuture = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
  const disputes = async () =>
    Number(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ownership_disputes`.execute(ts.store.db))
        .rows[0]?.n,
    );
  const ids = (res: { json(): { items: Array<{ case: { id: number } }> } }) =>
    res.json().items.map((d) => d.case.id);

  it('sends to the platform, takes a decline and a claim, settles and improves the table', async () => {
    const id = await filed();
    const sent = await c.ok('dispatcher', id, 'send_to_collaboration', {
      reason: '小区门口垃圾，权属不清',
      candidateDepartmentCodes: ['HW', 'YL'],
      claimDeadline: inFuture(4),
    });
    expect(sent).toMatchObject({ state: 'ownership_dispute', queue: 'ownership', clock: { step: 'claim' } });

    // Coordinators see the dispute with both candidates pending and the deadline.
    const open = await as(coordinator, 'GET', '/api/v1/ownership-disputes');
    expect(open.statusCode, open.body).toBe(200);
    const mine = open.json().items.find((d: { case: { id: number } }) => d.case.id === id);
    expect(mine).toMatchObject({
      status: 'open',
      reason: '小区门口垃圾，权属不清',
      deadlinePassed: false,
      candidates: [
        { department: { code: 'HW' }, response: 'pending' },
        { department: { code: 'YL' }, response: 'pending' },
      ],
    });
    // Candidates find it in 待权属认领; a department that is not a candidate cannot see the case.
    const todo = await as(deptHw, 'GET', '/api/v1/ownership-disputes?awaiting=me');
    expect(todo.json().queue.zh).toBe('待权属认领');
    expect(ids(todo)).toContain(id);
    // The list says its total and pages: one dispute a page still counts them all.
    const all = todo.json().items.length as number;
    const firstPage = (await as(deptHw, 'GET', '/api/v1/ownership-disputes?awaiting=me&limit=1')).json();
    expect(firstPage).toMatchObject({ total: all, limit: 1, offset: 0, nextOffset: all > 1 ? 1 : null });
    expect(firstPage.items).toHaveLength(1);
    expect(ids(await as(tokens.dept, 'GET', '/api/v1/ownership-disputes'))).not.toContain(id);
    expectError(await c.call('dept', 'GET', `/api/v1/cases/${id}`), 404, 'NOT_FOUND');
    expectError(await c.act('dept', id, 'claim'), 404, 'NOT_FOUND');
    expect((await as(deptYl, 'GET', `/api/v1/cases/${id}/actions`)).json().actions).toEqual(
      expect.arrayContaining(['claim', 'decline']),
    );

    expectError(await act(deptYl, id, 'decline'), 422, 'CASE_GUARD_FAILED');
    const declined = await act(deptYl, id, 'decline', { reason: '非绿地范围，不属园林管养' });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json().state).toBe('ownership_dispute');
    expectError(await act(deptYl, id, 'claim'), 409, 'COLLAB_ALREADY_ANSWERED');
    expect(ids(await as(deptYl, 'GET', '/api/v1/ownership-disputes?awaiting=me'))).not.toContain(id);
    expect((await act(deptHw, id, 'claim', { reason: '属道路保洁范围' })).statusCode).toBe(200);
    expectError(
      await act(tokens.dispatcher, id, 'settle_ownership', { departmentCode: 'HW' }),
      403,
      'CASE_ROLE_NOT_ALLOWED',
    );

    const settled = await act(coordinator, id, 'settle_ownership', {
      departmentCode: 'HW',
      reason: '环卫处认领，予以确认',
      updateResponsibility: true,
    });
    expect(settled.statusCode, settled.body).toBe(200);
    expect(settled.json()).toMatchObject({
      state: 'dispatched',
      department: { code: 'HW' },
      clock: { step: 'sign' },
    });

    const history = (await as(coordinator, 'GET', `/api/v1/cases/${id}/ownership`)).json().items;
    expect(history[0]).toMatchObject({
      status: 'settled',
      candidates: [
        { department: { code: 'HW' }, response: 'claimed', reason: '属道路保洁范围' },
        { department: { code: 'YL' }, response: 'declined', reason: '非绿地范围，不属园林管养' },
      ],
      decision: {
        mode: 'online',
        department: { code: 'HW' },
        jointMeeting: null,
        responsibilityRuleId: expect.any(Number),
      },
    });
    // The table learned: HW first for 0102 in 锦江区, with the reason shown.
    const sugg = (await c.call('dispatcher', 'GET', `/api/v1/cases/${id}/dispatch-suggestions`)).json().items;
    expect(sugg[0]).toMatchObject({
      department: { code: 'HW' },
      reason: { zh: '责任分解表：小类 0102 在 锦江区 → 环境卫生管理处' },
    });
    const audit = await sql<{ action: string; details: { via?: string } }>`
      SELECT action, details FROM audit_log WHERE action LIKE 'responsibility.%' ORDER BY id`.execute(
      ts.store.db,
    );
    expect(audit.rows).toEqual([
      { action: 'responsibility.create', details: expect.objectContaining({ via: 'settle_ownership' }) },
    ]);
    expect(
      (await c.call('admin', 'GET', `/api/v1/cases/${id}/events`))
        .json()
        .items.map((e: { action: string }) => e.action),
    ).toEqual(['report', 'intake', 'file', 'send_to_collaboration', 'decline', 'claim', 'settle_ownership']);
    // The claimant works the case like any dispatched one; the decliner no longer sees it.
    expect((await act(deptHw, id, 'sign')).json().state).toBe('handling');
    expect((await as(deptYl, 'GET', `/api/v1/cases/${id}`)).statusCode).toBe(404);
  });

  it('refuses claims after the deadline and records a joint-meeting decision', async () => {
    const id = await filed();
    const before = await disputes();
    const badSends: Array<[Record<string, unknown>, number, string]> = [
      [{ reason: 'x' }, 400, 'VALIDATION_FAILED'],
      [{ reason: 'x', candidateDepartmentCodes: ['HW', 'NOPE'] }, 400, 'COLLAB_CANDIDATES_INVALID'],
      [{ reason: 'x', candidateDepartmentCodes: ['JD-510105001'] }, 400, 'COLLAB_CANDIDATES_INVALID'],
      [
        { reason: 'x', candidateDepartmentCodes: ['HW'], claimDeadline: inFuture(-1) },
        400,
        'COLLAB_DEADLINE_INVALID',
      ],
      [
        { reason: 'x', candidateDepartmentCodes: ['HW'], claimDeadline: inFuture(24 * 31) },
        400,
        'COLLAB_DEADLINE_INVALID',
      ],
      [{ candidateDepartmentCodes: ['HW'] }, 422, 'CASE_GUARD_FAILED'],
    ];
    for (const [body, status, code] of badSends) {
      expectError(await c.act('dispatcher', id, 'send_to_collaboration', body), status, code);
    }
    expect(await disputes()).toBe(before);
    expect((await c.call('admin', 'GET', `/api/v1/cases/${id}`)).json().state).toBe('filed');

    await c.ok('dispatcher', id, 'send_to_collaboration', {
      reason: '多部门均称不属本部门',
      candidateDepartmentCodes: ['HW', 'YL'],
    });
    // Without a given deadline the claim limit of the standard applies.
    const dispute = (await as(coordinator, 'GET', `/api/v1/cases/${id}/ownership`)).json().items[0];
    const kase = (await c.call('admin', 'GET', `/api/v1/cases/${id}`)).json();
    expect(dispute.claimDeadline).toBe(kase.clock.deadline);

    await sql`UPDATE ownership_disputes SET claim_deadline = now() - interval '1 minute' WHERE case_id = ${id}`.execute(
      ts.store.db,
    );
    expectError(await act(deptHw, id, 'claim'), 409, 'COLLAB_CLAIM_DEADLINE_PASSED');
    expectError(await act(deptYl, id, 'decline', { reason: '太晚' }), 409, 'COLLAB_CLAIM_DEADLINE_PASSED');
    expect(ids(await as(deptHw, 'GET', '/api/v1/ownership-disputes?awaiting=me'))).not.toContain(id);
    const late = (await as(coordinator, 'GET', '/api/v1/ownership-disputes')).json().items;
    expect(late.find((d: { case: { id: number } }) => d.case.id === id)).toMatchObject({
      deadlinePassed: true,
    });

    const upload = await app.inject({
      method: 'POST',
      url: '/api/v1/media',
      headers: { ...coordinator, 'content-type': 'image/png' },
      payload: PNG,
    });
    const minutesScan = upload.json().sha256 as string;
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const meeting = {
      heldOn: today,
      minutes: '经联席会议研究，该处绿化带垃圾由园林处负责清理。',
      attachments: [minutesScan],
    };
    expectError(
      await act(coordinator, id, 'settle_ownership', {
        departmentCode: 'YL',
        jointMeeting: { ...meeting, attachments: ['0'.repeat(64)] },
      }),
      400,
      'COLLAB_ATTACHMENT_UNKNOWN',
    );
    expectError(
      await act(coordinator, id, 'settle_ownership', {
        departmentCode: 'YL',
        jointMeeting: { ...meeting, attachments: [] },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await act(coordinator, id, 'settle_ownership', {
        departmentCode: 'YL',
        jointMeeting: { ...meeting, heldOn: '2999-01-01' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await act(coordinator, id, 'settle_ownership', { jointMeeting: meeting }),
      422,
      'CASE_GUARD_FAILED',
    );
    const settled = await act(coordinator, id, 'settle_ownership', {
      departmentCode: 'YL',
      jointMeeting: meeting,
    });
    expect(settled.statusCode, settled.body).toBe(200);
    expect(settled.json()).toMatchObject({ state: 'dispatched', department: { code: 'YL' } });
    const record = (await as(coordinator, 'GET', `/api/v1/cases/${id}/ownership`)).json().items[0];
    expect(record).toMatchObject({
      status: 'settled',
      deadlinePassed: true,
      decision: {
        mode: 'joint_meeting',
        department: { code: 'YL' },
        jointMeeting: { heldOn: today, minutes: meeting.minutes, attachments: [{ sha256: minutesScan }] },
        responsibilityRuleId: null,
      },
    });
    const last = (await c.call('admin', 'GET', `/api/v1/cases/${id}/events`)).json().items.at(-1);
    expect(last).toMatchObject({
      action: 'settle_ownership',
      payload: { mode: 'joint_meeting', department: { code: 'YL' } },
    });
    expect(ids(await as(coordinator, 'GET', '/api/v1/ownership-disputes'))).not.toContain(id);
    // The meeting minutes are readable by whoever may read the case, not only by the uploader;
    // a reader from another district still gets 404.
    const scan = await c.call('dispatcher', 'GET', `/api/v1/media/${minutesScan}`);
    expect(scan.statusCode, scan.body).toBe(200);
    expect(scan.headers['content-type']).toMatch(/^image\/png/);
    expectError(await c.call('intake2', 'GET', `/api/v1/media/${minutesScan}`), 404, 'NOT_FOUND');
  });

  it('closes a dispute when the case is voided, and the sweeper marks an overdue claim step', async () => {
    const id = await filed();
    await c.ok('dispatcher', id, 'send_to_collaboration', {
      reason: '权属不清',
      candidateDepartmentCodes: ['HW'],
    });
    const result = await sweep(ts.store, new Date(Date.now() + 40 * 86_400_000));
    expect(result.overdueEvents).toBeGreaterThan(0);
    const overdue = (await c.call('admin', 'GET', `/api/v1/cases/${id}/events`)).json().items.at(-1);
    expect(overdue).toMatchObject({ action: 'overdue', payload: { step: 'claim' } });
    await c.ok('dispatcher', id, 'void_request', { reason: '重复上报' });
    await c.ok('shiftlead', id, 'void_approve');
    const [d] = (await as(coordinator, 'GET', `/api/v1/cases/${id}/ownership`)).json().items;
    expect(d).toMatchObject({ status: 'cancelled', decision: null });
  });

  it('answers 401, 403 and 400 on the dispute endpoints', async () => {
    const id = await filed();
    for (const url of ['/api/v1/ownership-disputes', `/api/v1/cases/${id}/ownership`]) {
      expectError(await app.inject({ method: 'GET', url }), 401, 'UNAUTHENTICATED');
      expectError(await c.call('citizen', 'GET', url), 403, 'FORBIDDEN');
    }
    expectError(
      await c.call('dispatcher', 'GET', '/api/v1/ownership-disputes?status=nope'),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await c.call('dispatcher', 'GET', '/api/v1/ownership-disputes?x=1'),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await c.call('dispatcher', 'GET', '/api/v1/cases/abc/ownership'), 400, 'VALIDATION_FAILED');
    expectError(
      await c.call('dispatcher', 'GET', `/api/v1/cases/${id}/ownership?x=1`),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await c.call('intake2', 'GET', `/api/v1/cases/${id}/ownership`), 404, 'NOT_FOUND');
    expectError(
      await c.act('dispatcher', id, 'send_to_collaboration', {
        reason: 'x',
        candidateDepartmentCodes: ['HW'],
        extra: 1,
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await c.act('dispatcher', id, 'settle_ownership', {
        departmentCode: 'HW',
        updateResponsibility: 'yes',
      }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
