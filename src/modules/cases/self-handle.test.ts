/** 自行处置 through POST /cases/self-handle, and 指派处置人员 (assign_handler), over HTTP. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, expectError, type Fixtures, fixtures, loginAll, type Tokens } from './testkit.js';

describe.each(testStores())('self-handle and assign handler (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-self-'));

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

  const count = async (table: 'cases' | 'case_events' | 'case_photos') =>
    Number(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(ts.store.db))
        .rows[0]?.n,
    );
  const body = (extra: Record<string, unknown>) => ({
    kind: 'event',
    categoryCode: fx.category.code,
    lng: fx.supervised.lng,
    lat: fx.supervised.lat,
    address: '锦江区测试路 3 号',
    description: '小广告一处，已当场清除',
    ...extra,
  });
  const userId = async (username: string) =>
    (await sql<{ id: number }>`SELECT id FROM users WHERE username = ${username}`.execute(ts.store.db))
      .rows[0]?.id;

  it('records a problem fixed on the spot with before and after photos; the shift leader closes it', async () => {
    const before = await c.upload('supervisor');
    const after = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/media',
        headers: { ...tokens.supervisor, 'content-type': 'image/png' },
        // Another image than `before` (a different sha256).
        payload: Buffer.concat([(await import('./testkit.js')).PNG, Buffer.from([0])]),
      })
    ).json().sha256 as string;
    const res = await c.call(
      'supervisor',
      'POST',
      '/api/v1/cases/self-handle',
      body({ photos: [before], afterPhotos: [after] }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const k = res.json();
    expect(k).toMatchObject({
      state: 'pending_close',
      queue: 'close',
      source: 'supervisor',
      gridCode: fx.supervised.code,
      photos: { before: [before], after: [after] },
      clock: { step: 'close' },
    });
    const events = (await c.call('admin', 'GET', `/api/v1/cases/${k.id}/events`)).json().items;
    expect(events).toMatchObject([
      { action: 'self_handle', actorRole: 'supervisor', fromState: null, toState: 'pending_close' },
    ]);
    expect((await c.call('shiftlead', 'GET', `/api/v1/cases/${k.id}/actions`)).json().actions).toContain(
      'close',
    );
    expect((await c.ok('shiftlead', k.id, 'close')).state).toBe('closed');
    const audit = await sql<{ action: string }>`
      SELECT action FROM audit_log WHERE target = ${`case:${k.number}`} ORDER BY id`.execute(ts.store.db);
    expect(audit.rows.map((r) => r.action)).toEqual(['case.self_handle', 'case.close']);
  });

  it('refuses self-handling without photos, by other roles, or outside the supervisor’s grids', async () => {
    const photo = await c.upload('supervisor');
    const counts = async () => Promise.all([count('cases'), count('case_events'), count('case_photos')]);
    const start = await counts();
    const url = '/api/v1/cases/self-handle';
    const ok = body({ photos: [photo], afterPhotos: [photo] });
    expectError(await app.inject({ method: 'POST', url, payload: ok }), 401, 'UNAUTHENTICATED');
    expectError(await c.call('citizen', 'POST', url, ok), 403, 'FORBIDDEN');
    expectError(await c.call('intake', 'POST', url, ok), 403, 'CASE_ROLE_NOT_ALLOWED');
    const bad: Array<[Record<string, unknown>, string]> = [
      [body({ photos: [photo] }), 'VALIDATION_FAILED'],
      [body({ photos: [photo], afterPhotos: [] }), 'VALIDATION_FAILED'],
      [body({ afterPhotos: [photo] }), 'VALIDATION_FAILED'],
      [body({ photos: [photo], afterPhotos: [photo], source: 'supervisor' }), 'VALIDATION_FAILED'],
      [body({ photos: [photo], afterPhotos: ['0'.repeat(64)] }), 'CASE_PHOTO_UNKNOWN'],
      [
        body({ photos: [photo], afterPhotos: [photo], lng: fx.otherDistrict.lng, lat: fx.otherDistrict.lat }),
        'LOCATION_OUT_OF_SCOPE',
      ],
    ];
    for (const [payload, code] of bad)
      expectError(await c.call('supervisor', 'POST', url, payload), 400, code);
    expect(await counts()).toEqual(start);
  });

  it('lets the department assign one of its handlers after signing', async () => {
    const k = await c.report('supervisor', body({ source: 'supervisor' }));
    await c.ok('intake', k.id, 'intake');
    await c.ok('shiftlead', k.id, 'file');
    await c.ok('dispatcher', k.id, 'dispatch', { departmentCode: 'SZ-01' });
    const handler = await userId('handler');
    expectError(
      await c.act('dept', k.id, 'assign_handler', { handlerId: handler }),
      409,
      'CASE_ACTION_NOT_ALLOWED',
    );
    await c.ok('dept', k.id, 'sign');
    expectError(await c.act('dept', k.id, 'assign_handler'), 400, 'VALIDATION_FAILED');
    expectError(
      await c.act('dept', k.id, 'assign_handler', { handlerId: await userId('dispatcher') }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await c.act('handler', k.id, 'assign_handler', { handlerId: handler }),
      403,
      'CASE_ROLE_NOT_ALLOWED',
    );
    expectError(
      await c.act('dispatcher', k.id, 'assign_handler', { handlerId: handler }),
      403,
      'CASE_ROLE_NOT_ALLOWED',
    );
    const assigned = await c.ok('dept', k.id, 'assign_handler', { handlerId: handler });
    expect(assigned).toMatchObject({ state: 'handling', handlerId: handler });
    const last = (await c.call('admin', 'GET', `/api/v1/cases/${k.id}/events`)).json().items.at(-1);
    expect(last).toMatchObject({
      action: 'assign_handler',
      actorRole: 'department',
      payload: { handlerId: handler },
    });
    // The handler finds it in the handling queue and reports back.
    const queue = (await c.call('handler', 'GET', '/api/v1/cases?queue=handle')).json().items;
    expect(queue.map((x: { id: number }) => x.id)).toContain(k.id);
    // A department outside the assignment does not see the case at all.
    const other = await c.report('supervisor', body({ source: 'supervisor' }));
    await c.ok('intake', other.id, 'intake');
    await c.ok('shiftlead', other.id, 'file');
    await c.ok('dispatcher', other.id, 'dispatch', { departmentCode: 'HW-01' });
    expectError(await c.act('dept', other.id, 'assign_handler', { handlerId: handler }), 404, 'NOT_FOUND');
  });
  it('lets a handler of a sub-unit see and act on the case the department assigned him', async () => {
    // Dispatched to 市政设施管理处 itself; its handler sits in the sub-unit 道路养护所 (SZ-01).
    const k = await c.report('supervisor', body({ source: 'supervisor' }));
    await c.ok('intake', k.id, 'intake');
    await c.ok('shiftlead', k.id, 'file');
    await c.ok('dispatcher', k.id, 'dispatch', { departmentCode: 'SZ' });
    await c.ok('dept', k.id, 'sign');
    // Before he is assigned, the case of the unit above him is not his.
    expectError(await c.call('handler', 'GET', `/api/v1/cases/${k.id}`), 404, 'NOT_FOUND');
    const handler = await userId('handler');
    const assigned = await c.ok('dept', k.id, 'assign_handler', { handlerId: handler });
    const who = { id: handler, name: '冯处置', department: { code: 'SZ-01', name: '道路养护所' } };
    expect(assigned).toMatchObject({ department: { code: 'SZ' }, handlerId: handler, handler: who });
    const last = (await c.call('admin', 'GET', `/api/v1/cases/${k.id}/events`)).json().items.at(-1);
    expect(last).toMatchObject({
      action: 'assign_handler',
      actor: { name: '郑部门' },
      payload: { handlerId: handler, handler: who },
    });

    const seen = await c.call('handler', 'GET', `/api/v1/cases/${k.id}`);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json()).toMatchObject({ id: k.id, handler: who });
    const queue = (await c.call('handler', 'GET', '/api/v1/cases?queue=handle&limit=100')).json();
    expect(queue.items.map((x: { id: number }) => x.id)).toContain(k.id);
    const counts = (await c.call('handler', 'GET', '/api/v1/cases/queues')).json();
    expect(counts.counts.handle).toBeGreaterThanOrEqual(1);
    expect((await c.call('handler', 'GET', `/api/v1/cases/${k.id}/events`)).statusCode).toBe(200);
    const actions = (await c.call('handler', 'GET', `/api/v1/cases/${k.id}/actions`)).json();
    expect(actions.actions).toContain('feedback');

    // Another sub-unit's handler sees nothing of it.
    const other = await bearer(app, 'czy-sz-02');
    const foreign = await app.inject({ method: 'GET', url: `/api/v1/cases/${k.id}`, headers: other });
    expectError(foreign, 404, 'NOT_FOUND');

    const photo = await c.upload('handler');
    expect(await c.ok('handler', k.id, 'feedback', { photos: [photo] })).toMatchObject({ state: 'handled' });
  });
});
