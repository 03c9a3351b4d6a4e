/** Supervisor duty and position track: permission matrix, validation, scope, offline re-sends. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { fromWgs84 } from '../../domain/geo/crs.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, expectError, type Fixtures, fixtures, loginAll, type Tokens } from '../cases/testkit.js';

describe.each(testStores())('patrol API (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  let supervisorId: number;

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store);
    tokens = await loginAll(app);
    fx = await fixtures(ts.store);
    c = client(app, tokens);
    const r = await sql<{ id: number }>`SELECT id FROM users WHERE username = 'supervisor'`.execute(
      ts.store.db,
    );
    supervisorId = r.rows[0]!.id;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  const positions = async () =>
    Number(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM patrol_positions`.execute(ts.store.db)).rows[0]
        ?.n,
    );
  const fix = (at: Date, extra: Record<string, unknown> = {}) => ({
    at: at.toISOString(),
    lng: fx.supervised.lng,
    lat: fx.supervised.lat,
    ...extra,
  });

  it('answers 401 without a login and 403 to roles without the permission', async () => {
    const writes = [
      ['GET', '/api/v1/patrol/duty'],
      ['POST', '/api/v1/patrol/duty', { on: true }],
      ['POST', '/api/v1/patrol/positions', { positions: [fix(new Date())] }],
    ] as const;
    const reads = [
      ['GET', '/api/v1/patrol/positions/latest'],
      ['GET', `/api/v1/patrol/tracks?userId=${supervisorId}`],
    ] as const;
    for (const [method, url, payload] of [...writes, ...reads]) {
      expectError(await app.inject({ method, url, ...(payload ? { payload } : {}) }), 401, 'UNAUTHENTICATED');
      for (const user of ['dept', 'handler', 'citizen'] as const) {
        expectError(await c.call(user, method, url, payload), 403, 'FORBIDDEN');
      }
    }
    // Only supervisors report duty and positions; centre roles and leaders read.
    for (const [method, url, payload] of writes) {
      for (const user of ['leader', 'intake', 'dispatcher', 'shiftlead'] as const) {
        expectError(await c.call(user, method, url, payload), 403, 'FORBIDDEN');
      }
    }
    expectError(await c.call('supervisor', 'GET', '/api/v1/patrol/positions/latest'), 403, 'FORBIDDEN');
    for (const user of ['leader', 'intake', 'dispatcher', 'shiftlead', 'admin'] as const) {
      const res = await c.call(user, 'GET', '/api/v1/patrol/positions/latest');
      expect(res.statusCode, `${user}: ${res.body}`).toBe(200);
    }
    expect(await positions()).toBe(0);
  });

  it('goes on and off duty: idempotent on, 409 off when not on, audited', async () => {
    const state = await c.call('supervisor', 'GET', '/api/v1/patrol/duty');
    expect(state.statusCode, state.body).toBe(200);
    expect(state.json()).toEqual({ onDuty: false, shift: null });
    expectError(
      await c.call('supervisor', 'POST', '/api/v1/patrol/duty', { on: false }),
      409,
      'PATROL_NOT_ON_DUTY',
      { catalogueMessage: true },
    );
    const on = await c.call('supervisor', 'POST', '/api/v1/patrol/duty', { on: true });
    expect(on.statusCode, on.body).toBe(201);
    const shift = on.json().shift;
    expect(on.json()).toMatchObject({ onDuty: true, shift: { endedAt: null } });
    const again = await c.call('supervisor', 'POST', '/api/v1/patrol/duty', { on: true });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ onDuty: true, shift });
    expect((await c.call('supervisor', 'GET', '/api/v1/patrol/duty')).json()).toEqual({
      onDuty: true,
      shift,
    });
    const audit = await sql<{ action: string; target: string }>`
      SELECT action, target FROM audit_log WHERE action LIKE 'patrol.%' ORDER BY id`.execute(ts.store.db);
    expect(audit.rows).toEqual([{ action: 'patrol.duty_on', target: `shift:${shift.id}` }]);
  });

  it('stores a batch once, converts GCJ-02 and refuses bad fixes with a code, storing nothing', async () => {
    const t0 = Date.now();
    const [gx, gy] = fromWgs84(fx.supervised.lng, fx.supervised.lat, 'gcj02');
    const batch = [
      fix(new Date(t0), { accuracyM: 8, speed: 1.2, heading: 90 }),
      fix(new Date(t0 + 1000)),
      { at: new Date(t0 + 2000).toISOString(), lng: gx, lat: gy, crs: 'gcj02' },
    ];
    const first = await c.call('supervisor', 'POST', '/api/v1/patrol/positions', { positions: batch });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ received: 3, stored: 3, duplicates: 0 });
    // The offline outbox re-sends the same batch: nothing new is stored.
    const resent = await c.call('supervisor', 'POST', '/api/v1/patrol/positions', { positions: batch });
    expect(resent.json()).toEqual({ received: 3, stored: 0, duplicates: 3 });
    expect(await positions()).toBe(3);
    const stored = await sql<{ lng: number; lat: number }>`
      SELECT ST_X(geom) AS lng, ST_Y(geom) AS lat FROM patrol_positions ORDER BY at DESC LIMIT 1`.execute(
      ts.store.db,
    );
    expect(stored.rows[0]!.lng).toBeCloseTo(fx.supervised.lng, 7);
    expect(stored.rows[0]!.lat).toBeCloseTo(fx.supervised.lat, 7);

    const bad: Array<[unknown, number, string, number?]> = [
      [[fix(new Date(t0 + 3000)), fix(new Date(t0 + 3_600_000))], 400, 'PATROL_POSITION_IN_FUTURE', 1],
      [[fix(new Date(t0 + 3000), { lng: 10, lat: 10 })], 400, 'PATROL_POSITION_OUT_OF_BOUNDS', 0],
      [[fix(new Date(t0 + 3000), { lng: 116.4, lat: 39.9 })], 400, 'PATROL_POSITION_OUT_OF_BOUNDS', 0],
      [[fix(new Date(t0 + 3000)), fix(new Date(t0 - 86_400_000))], 409, 'PATROL_POSITION_OFF_DUTY', 1],
      [[], 400, 'VALIDATION_FAILED'],
      [Array.from({ length: 501 }, (_, i) => fix(new Date(t0 + 3000 + i))), 400, 'VALIDATION_FAILED'],
      [[{ at: new Date(t0).toISOString(), lng: fx.supervised.lng }], 400, 'VALIDATION_FAILED'],
      [[fix(new Date(t0 + 3000), { heading: 360 })], 400, 'VALIDATION_FAILED'],
      [[fix(new Date(t0 + 3000), { crs: 'utm' })], 400, 'VALIDATION_FAILED'],
      [[fix(new Date(t0 + 3000), { extra: 1 })], 400, 'VALIDATION_FAILED'],
      [[{ ...fix(new Date(t0 + 3000)), at: 'yesterday' }], 400, 'VALIDATION_FAILED'],
    ];
    for (const [list, status, code, index] of bad) {
      const res = await c.call('supervisor', 'POST', '/api/v1/patrol/positions', { positions: list });
      const err = expectError(res, status, code);
      if (index !== undefined)
        expect(err.details.problems.map((p: { index: number }) => p.index)).toEqual([index]);
    }
    expectError(
      await c.call('supervisor', 'POST', '/api/v1/patrol/duty', { on: 'yes' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await c.call('supervisor', 'POST', '/api/v1/patrol/duty', {}), 400, 'VALIDATION_FAILED');
    expect(await positions()).toBe(3);
  });

  it('shows last positions in scope with grid and duty state, and tracks for playback', async () => {
    const latest = async (user: 'leader' | 'intake' | 'intake2', query = '') => {
      const res = await c.call(user, 'GET', `/api/v1/patrol/positions/latest${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items as Array<{
        user: { id: number };
        onDuty: boolean;
        last: Record<string, unknown> | null;
      }>;
    };
    for (const user of ['leader', 'intake'] as const) {
      const mine = (await latest(user)).find((i) => i.user.id === supervisorId);
      expect(mine).toMatchObject({
        onDuty: true,
        last: { gridCode: fx.supervised.code, minutesAgo: 0, accuracyM: null },
      });
    }
    // intake2 works in another district: the supervisor is out of scope.
    expect((await latest('intake2')).some((i) => i.user.id === supervisorId)).toBe(false);
    const gcj = (await latest('leader', '?crs=gcj02')).find((i) => i.user.id === supervisorId)!;
    expect(Object.keys(gcj.last!.position as object).sort()).toEqual(['gcj02', 'wgs84']);
    expect((await latest('leader', '?onDuty=false')).some((i) => i.user.id === supervisorId)).toBe(false);
    expectError(
      await c.call('leader', 'GET', '/api/v1/patrol/positions/latest?crs=x'),
      400,
      'VALIDATION_FAILED',
    );

    const url = `/api/v1/patrol/tracks?userId=${supervisorId}`;
    const t = await c.call('leader', 'GET', url);
    expect(t.statusCode, t.body).toBe(200);
    expect(t.json().points).toHaveLength(3);
    expect(t.json().points[0]).toMatchObject({ accuracyM: 8, speed: 1.2, heading: 90 });
    const ats = t.json().points.map((p: { at: string }) => p.at);
    expect([...ats].sort()).toEqual(ats);
    expect(t.json().shifts).toHaveLength(1);
    expect(t.json().truncated).toBe(false);
    // A supervisor replays their own track; not anyone else's.
    expect((await c.call('supervisor', 'GET', url)).statusCode).toBe(200);
    const leaderId = (
      await sql<{ id: number }>`SELECT id FROM users WHERE username = 'leader'`.execute(ts.store.db)
    ).rows[0]!.id;
    expectError(
      await c.call('supervisor', 'GET', `/api/v1/patrol/tracks?userId=${leaderId}`),
      403,
      'FORBIDDEN',
    );
    expectError(await c.call('intake2', 'GET', url), 404, 'NOT_FOUND');
    expectError(await c.call('leader', 'GET', `/api/v1/patrol/tracks?userId=${leaderId}`), 404, 'NOT_FOUND');
    const now = Date.now();
    const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
    expectError(
      await c.call('leader', 'GET', `${url}&from=${iso(now)}&to=${iso(now - 1000)}`),
      400,
      'PATROL_RANGE_INVALID',
    );
    expectError(
      await c.call('leader', 'GET', `${url}&from=${iso(now - 8 * 86_400_000)}&to=${iso(now)}`),
      400,
      'PATROL_RANGE_INVALID',
    );
    expectError(await c.call('leader', 'GET', '/api/v1/patrol/tracks'), 400, 'VALIDATION_FAILED');
    expectError(await c.call('leader', 'GET', `${url}&from=soon`), 400, 'VALIDATION_FAILED');
    const empty = await c.call(
      'leader',
      'GET',
      `${url}&from=${iso(now - 7 * 86_400_000)}&to=${iso(now - 86_400_000)}`,
    );
    expect(empty.json().points).toEqual([]);
  });

  it('accepts fixes of an ended shift uploaded late (offline outbox), refuses fixes after it', async () => {
    const off = await c.call('supervisor', 'POST', '/api/v1/patrol/duty', { on: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ onDuty: false, shift: { endedAt: expect.any(String) } });
    const { startedAt, endedAt } = off.json().shift;
    const during = new Date((Date.parse(startedAt) + Date.parse(endedAt)) / 2 + 0.5);
    const late = await c.call('supervisor', 'POST', '/api/v1/patrol/positions', {
      positions: [fix(new Date(Date.parse(startedAt))), fix(during)],
    });
    expect(late.statusCode, late.body).toBe(200);
    expect(late.json().stored + late.json().duplicates).toBe(2);
    const after = new Date(Date.parse(endedAt) + 1000);
    expectError(
      await c.call('supervisor', 'POST', '/api/v1/patrol/positions', { positions: [fix(after)] }),
      409,
      'PATROL_POSITION_OFF_DUTY',
    );
    const mine = (await c.call('leader', 'GET', '/api/v1/patrol/positions/latest'))
      .json()
      .items.find((i: { user: { id: number } }) => i.user.id === supervisorId);
    expect(mine).toMatchObject({
      onDuty: false,
      shiftStartedAt: null,
      last: { gridCode: fx.supervised.code },
    });
    expect((await c.call('supervisor', 'GET', '/api/v1/patrol/duty')).json()).toEqual({
      onDuty: false,
      shift: null,
    });
  });
});
