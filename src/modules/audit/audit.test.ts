import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, DEMO_PASSWORD, testApp } from '../../../test/helpers/app.js';
import { expectError as expectApiError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import type { ErrorCode } from '../../platform/errors.js';
import type { ApiApp } from '../../platform/http/types.js';
import { MAX_FAILED_LOGINS } from '../auth/service.js';

type Headers = Record<string, string>;

interface AuditItem {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string | null;
  action: string;
  target: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

const expectError = (res: LightMyRequestResponse, status: number, code: ErrorCode) =>
  expectApiError(res, status, code, { catalogueMessage: true });

const STRONG = 'Str0ng#Passphrase';

describe.each(testStores())('audit API on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let admin: Headers;
  const ids: Record<string, number> = {};

  const login = (username: string, password = DEMO_PASSWORD, headers: Headers = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers,
      payload: { username, password, client: 'app' },
    });
  const audit = (query: Record<string, string | number> = {}, headers: Headers = admin) =>
    app.inject({ method: 'GET', url: '/api/v1/audit', headers, query: stringify(query) });
  const stringify = (q: Record<string, string | number>) =>
    Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)]));
  async function items(query: Record<string, string | number> = {}): Promise<AuditItem[]> {
    const res = await audit(query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  }
  /** The newest audit row of an action, which must have been written within the last minute. */
  async function latest(action: string, extra: Record<string, string | number> = {}): Promise<AuditItem> {
    const [row] = await items({ action, limit: 1, ...extra });
    expect(row, `no ${action} audit row`).toBeDefined();
    expect(Date.now() - Date.parse(row!.at)).toBeLessThan(60_000);
    expect(Date.parse(row!.at)).toBeLessThanOrEqual(Date.now() + 1000);
    return row!;
  }
  /** A service account (keys are issued to those only). */
  const serviceAccount = async (username: string, role = 'service') => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { username, displayName: '接口账号', role, divisionCode: '510104', kind: 'service' },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().user.id as number;
  };

  async function createUser(username: string, extra: Record<string, unknown> = {}) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: {
        username,
        displayName: '审计测试',
        role: 'intake',
        divisionCode: '510104',
        password: STRONG,
        ...extra,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res;
  }

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    admin = await bearer(app, 'admin');
    for (const u of await t.store.db.selectFrom('users').select(['id', 'username']).execute())
      ids[u.username] = u.id;
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  describe('what is recorded', () => {
    it('the demo seed is in the log, written by "system"', async () => {
      const [seed] = await items({ action: 'system.seed_demo' });
      expect(seed).toMatchObject({ actorId: null, actorName: 'system', outcome: 'ok', target: null });
      expect(seed!.details).toMatchObject({ users: generateDemoCity().users.length, grids: 3000 });
    });

    it('a login: actor, action, target, ip, time, request id, client', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'x-request-id': 'audit-login-0001' },
        payload: { username: 'leader', password: DEMO_PASSWORD, client: 'web' },
      });
      expect(res.statusCode).toBe(200);
      const row = await latest('auth.login', { actorId: ids.leader! });
      expect(row).toMatchObject({
        actorId: ids.leader,
        actorName: 'leader',
        action: 'auth.login',
        target: `user:${ids.leader}`,
        outcome: 'ok',
        ip: '127.0.0.1',
        requestId: 'audit-login-0001',
        details: { client: 'web' },
      });
      expect(typeof row.id).toBe('number');
    });

    it('a failed login of a known user: denied, with the failure count, never the password', async () => {
      const guess = 'Secret#Guess-4711';
      const res = await login('coordinator', guess);
      expect(res.statusCode).toBe(401);
      const row = await latest('auth.login_failed');
      expect(row).toMatchObject({
        actorId: ids.coordinator,
        actorName: 'coordinator',
        target: `user:${ids.coordinator}`,
        outcome: 'denied',
        ip: '127.0.0.1',
        requestId: res.headers['x-request-id'],
        details: { reason: 'wrong_password', failures: 1 },
      });
      const all = await audit({ limit: 500 });
      expect(all.body).not.toContain(guess);
      expect(all.body).not.toContain(DEMO_PASSWORD);
    });

    it('a failed login of an unknown user: no actor id, the name tried, no target', async () => {
      expect((await login('nobody-here', 'Whatever#123')).statusCode).toBe(401);
      const row = await latest('auth.login_failed');
      expect(row).toMatchObject({
        actorId: null,
        actorName: 'nobody-here',
        target: null,
        outcome: 'denied',
        ip: '127.0.0.1',
        details: { reason: 'unknown_user' },
      });
    });

    it('a disabled account trying to log in: denied with reason', async () => {
      const id = (await createUser('audit-disabled')).json().user.id;
      await t.store.db.updateTable('users').set({ disabled: true }).where('id', '=', id).execute();
      expect((await login('audit-disabled', STRONG)).statusCode).toBe(403);
      const row = await latest('auth.login_failed');
      expect(row).toMatchObject({ actorId: id, outcome: 'denied', details: { reason: 'disabled' } });
    });

    it('a lockout and a login attempt while locked', async () => {
      const id = (await createUser('audit-lock')).json().user.id;
      for (let i = 0; i < MAX_FAILED_LOGINS; i++) await login('audit-lock', `Wrong#Guess${i}`);
      const locked = await latest('auth.locked');
      expect(locked).toMatchObject({
        actorId: id,
        actorName: 'audit-lock',
        target: `user:${id}`,
        outcome: 'denied',
        ip: '127.0.0.1',
        details: { failures: MAX_FAILED_LOGINS },
      });
      const fails = await items({ action: 'auth.login_failed', actorId: id });
      expect(fails.map((f) => f.details.failures)).toEqual([4, 3, 2, 1]);
      expect((await login('audit-lock', STRONG)).statusCode).toBe(423);
      const attempt = await latest('auth.login_locked');
      expect(attempt).toMatchObject({ actorId: id, outcome: 'denied', target: `user:${id}` });
      expect(attempt.id).toBeGreaterThan(locked.id);
    });

    it('a logout', async () => {
      const auth = await bearer(app, 'dispatcher');
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: auth });
      expect(res.statusCode).toBe(204);
      expect(await latest('auth.logout')).toMatchObject({
        actorId: ids.dispatcher,
        actorName: 'dispatcher',
        target: `user:${ids.dispatcher}`,
        outcome: 'ok',
        ip: '127.0.0.1',
        requestId: res.headers['x-request-id'],
      });
    });

    it('a password change, without the passwords', async () => {
      const id = (await createUser('audit-pw')).json().user.id;
      const auth = await bearer(app, 'audit-pw', STRONG);
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: auth,
        payload: { currentPassword: STRONG, newPassword: 'Changed#Pass-2026' },
      });
      expect(res.statusCode).toBe(204);
      expect(await latest('auth.password_change')).toMatchObject({
        actorId: id,
        actorName: 'audit-pw',
        target: `user:${id}`,
      });
      const all = await audit({ limit: 500 });
      expect(all.body).not.toContain('Changed#Pass-2026');
      expect(all.body).not.toContain(STRONG);
    });

    it('user create, reset-password, disable and enable, by the admin', async () => {
      const created = await createUser('audit-managed', { phone: '13900001111' });
      const id = created.json().user.id;
      expect(await latest('user.create')).toMatchObject({
        actorId: ids.admin,
        actorName: 'admin',
        target: `user:${id}`,
        outcome: 'ok',
        ip: '127.0.0.1',
        requestId: created.headers['x-request-id'],
        details: { username: 'audit-managed', role: 'intake', division_code: '510104', department_id: null },
      });
      const steps: Array<[string, string]> = [
        ['reset-password', 'user.reset_password'],
        ['disable', 'user.disable'],
        ['enable', 'user.enable'],
      ];
      for (const [path, action] of steps) {
        const res = await app.inject({ method: 'POST', url: `/api/v1/users/${id}/${path}`, headers: admin });
        expect(res.statusCode, res.body).toBe(200);
        expect(await latest(action)).toMatchObject({
          actorId: ids.admin,
          actorName: 'admin',
          target: `user:${id}`,
          outcome: 'ok',
          ip: '127.0.0.1',
          requestId: res.headers['x-request-id'],
        });
      }
      // A generated one-time password is never written to the log.
      const reset = await app.inject({
        method: 'POST',
        url: `/api/v1/users/${id}/reset-password`,
        headers: admin,
      });
      const otp = reset.json().temporaryPassword as string;
      expect(otp.length).toBeGreaterThanOrEqual(10);
      expect((await audit({ limit: 500 })).body).not.toContain(otp);
      // The whole history of that user, newest first.
      const history = await items({ target: `user:${id}` });
      expect(history.map((h) => h.action)).toEqual([
        'user.reset_password',
        'user.enable',
        'user.disable',
        'user.reset_password',
        'user.create',
      ]);
    });

    it('division and department creation', async () => {
      const div = await app.inject({
        method: 'POST',
        url: '/api/v1/divisions',
        headers: admin,
        payload: { code: '510104090', name: '审计街道', parentCode: '510104' },
      });
      expect(div.statusCode, div.body).toBe(201);
      expect(await latest('division.create')).toMatchObject({
        actorId: ids.admin,
        target: 'division:510104090',
        details: { code: '510104090', parentCode: '510104' },
      });
      const dep = await app.inject({
        method: 'POST',
        url: '/api/v1/departments',
        headers: admin,
        payload: { code: 'AUD-1', name: '审计部门', divisionCode: '510104' },
      });
      expect(dep.statusCode, dep.body).toBe(201);
      expect(await latest('department.create')).toMatchObject({
        actorId: ids.admin,
        target: `department:${dep.json().id}`,
      });
    });

    it('API key creation and revocation, never the key', async () => {
      const machine = await serviceAccount('audit-machine');
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: admin,
        payload: { name: 'audit key', userId: machine, permissions: ['case.read'] },
      });
      expect(res.statusCode, res.body).toBe(201);
      const { id, key } = res.json();
      expect(await latest('apikey.create')).toMatchObject({
        actorId: ids.admin,
        target: `apikey:${id}`,
        details: { name: 'audit key', userId: machine, permissions: ['case.read'] },
      });
      const del = await app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers: admin });
      expect(del.statusCode).toBe(204);
      expect(await latest('apikey.revoke')).toMatchObject({ actorId: ids.admin, target: `apikey:${id}` });
      expect((await audit({ limit: 500 })).body).not.toContain(key);
    });

    it('records the client address from X-Forwarded-For only behind a trusted proxy', async () => {
      await login('citizen', DEMO_PASSWORD, { 'x-forwarded-for': '203.0.113.9' });
      expect((await latest('auth.login', { actorId: ids.citizen! })).ip).toBe('127.0.0.1');
      const proxied = await testApp(t.store, { TRUST_PROXY: '127.0.0.1' });
      try {
        const res = await proxied.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'x-forwarded-for': '203.0.113.9' },
          payload: { username: 'citizen', password: DEMO_PASSWORD },
        });
        expect(res.statusCode).toBe(200);
      } finally {
        await proxied.close();
      }
      expect((await latest('auth.login', { actorId: ids.citizen! })).ip).toBe('203.0.113.9');
    });

    it('a refused request writes nothing', async () => {
      const before = (await items({ limit: 1 }))[0]!.id;
      const intake = await bearer(app, 'intake');
      const after = (await items({ limit: 1 }))[0]!.id; // the login above
      await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: intake,
        payload: { username: 'sneaky', displayName: 'x', role: 'admin', divisionCode: '510100' },
      });
      await app.inject({ method: 'POST', url: `/api/v1/users/${ids.leader}/disable`, headers: intake });
      expect(after).toBeGreaterThan(before);
      // The admin's own audit reads are not audited either, so the newest row is still intake's login.
      const [newest] = await items({ limit: 1 });
      expect(newest!.id).toBe(after);
      expect(newest!.action).toBe('auth.login');
    });
  });

  describe('GET /audit', () => {
    it('a district admin reads only what users of its district did; the city admin reads everything', async () => {
      await createUser('audit-d5admin', { role: 'admin', divisionCode: '510105' });
      const d5 = await bearer(app, 'audit-d5admin', STRONG);
      await login('intake2');
      await login('intake');
      const res = await audit({ limit: 500 }, d5);
      expect(res.statusCode, res.body).toBe(200);
      const rows: AuditItem[] = res.json().items;
      const d5Users = new Set(
        (
          await t.store.db
            .selectFrom('users')
            .select('id')
            .where('division_code', 'like', '510105%')
            .execute()
        ).map((u) => u.id),
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.actorId !== null && d5Users.has(r.actorId))).toBe(true);
      expect(rows.some((r) => r.action === 'auth.login' && r.actorId === ids.intake2)).toBe(true);
      expect(rows.some((r) => r.actorId === ids.intake)).toBe(false);
      const cityRows = await items({ limit: 500 });
      expect(cityRows.some((r) => r.actorId === ids.intake)).toBe(true);
      expect(cityRows.some((r) => r.actorId === null)).toBe(true);
    });

    it('401 without credentials', async () => {
      expectError(await audit({}, {}), 401, 'UNAUTHENTICATED');
    });

    it.each([
      'leader',
      'coordinator',
      'shiftlead',
      'dispatcher',
      'intake',
      'supervisor',
      'dept',
      'handler',
      'citizen',
    ])('403 FORBIDDEN for %s', async (username) => {
      const err = expectError(await audit({}, await bearer(app, username)), 403, 'FORBIDDEN');
      expect(err.details).toEqual({ permission: 'audit.read' });
    });

    it('403 for an API key of a non-admin user', async () => {
      const { key } = (
        await app.inject({
          method: 'POST',
          url: '/api/v1/api-keys',
          headers: admin,
          payload: {
            name: 'reader?',
            userId: await serviceAccount('audit-leader', 'leader'),
            permissions: ['case.read'],
          },
        })
      ).json();
      expectError(await audit({}, { 'x-api-key': key }), 403, 'FORBIDDEN');
    });

    it('newest first, with all fields', async () => {
      const list = await items({ limit: 20 });
      expect(list.length).toBe(20);
      const idsDesc = list.map((i) => i.id);
      expect(idsDesc).toEqual([...idsDesc].sort((a, b) => b - a));
      for (const i of list) {
        expect(Object.keys(i).sort()).toEqual(
          [
            'action',
            'actorId',
            'actorName',
            'at',
            'details',
            'id',
            'ip',
            'outcome',
            'requestId',
            'target',
          ].sort(),
        );
        expect(i.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(typeof i.details).toBe('object');
      }
    });

    it('filters by exact action', async () => {
      const list = await items({ action: 'auth.login', limit: 500 });
      expect(list.length).toBeGreaterThan(3);
      expect(new Set(list.map((i) => i.action))).toEqual(new Set(['auth.login']));
    });

    it('filters by action family with a trailing dot', async () => {
      const list = await items({ action: 'auth.', limit: 500 });
      const actions = new Set(list.map((i) => i.action));
      for (const a of [
        'auth.login',
        'auth.login_failed',
        'auth.logout',
        'auth.locked',
        'auth.login_locked',
      ]) {
        expect(actions).toContain(a);
      }
      expect([...actions].every((a) => a.startsWith('auth.'))).toBe(true);
      const users = await items({ action: 'user.', limit: 500 });
      expect(users.length).toBeGreaterThan(0);
      expect(users.every((i) => i.action.startsWith('user.'))).toBe(true);
      // "auth" without the dot is not a family, and matches nothing.
      expect(await items({ action: 'auth' })).toEqual([]);
      expect(await items({ action: 'au.' })).toEqual([]);
    });

    it('filters by actorId, and combines filters', async () => {
      const mine = await items({ actorId: ids.admin!, limit: 500 });
      expect(mine.length).toBeGreaterThan(3);
      expect(mine.every((i) => i.actorId === ids.admin)).toBe(true);
      const both = await items({ actorId: ids.admin!, action: 'user.create', limit: 500 });
      expect(both.length).toBeGreaterThan(0);
      expect(both.every((i) => i.actorId === ids.admin && i.action === 'user.create')).toBe(true);
      expect(both.length).toBeLessThan(mine.length);
      expect(await items({ actorId: 999_999 })).toEqual([]);
    });

    it('filters by time window', async () => {
      expect(await items({ from: new Date(Date.now() + 3_600_000).toISOString() })).toEqual([]);
      expect(await items({ to: '2000-01-01T00:00:00Z' })).toEqual([]);
      const recent = await items({ from: new Date(Date.now() - 3_600_000).toISOString(), limit: 500 });
      const all = await items({ limit: 500 });
      expect(recent.length).toBeGreaterThan(0);
      expect(recent.length).toBeLessThanOrEqual(all.length);
      const cut = recent[Math.floor(recent.length / 2)]!;
      const older = await items({ to: cut.at, limit: 500 });
      expect(older.every((i) => Date.parse(i.at) < Date.parse(cut.at))).toBe(true);
    });

    it('pages with beforeId and nextBeforeId until the end', async () => {
      const everything = await items({ limit: 500 });
      expect(everything.length).toBeLessThan(500);
      expect(everything.length).toBeGreaterThan(7);
      const seen: number[] = [];
      let beforeId: number | undefined;
      for (let page = 0; page < 200; page++) {
        const res = await audit({ limit: 3, ...(beforeId ? { beforeId } : {}) });
        expect(res.statusCode).toBe(200);
        const body = res.json();
        // Every page says how many entries there are in all, whatever the page.
        expect(body.total).toBe(everything.length);
        seen.push(...body.items.map((i: AuditItem) => i.id));
        if (body.items.length < 3) {
          expect(body.nextBeforeId).toBeUndefined();
          break;
        }
        expect(body.nextBeforeId).toBe(body.items[2].id);
        beforeId = body.nextBeforeId;
      }
      expect(seen).toEqual(everything.map((i) => i.id));
      // beforeId is exclusive.
      const anchor = everything[2]!.id;
      const page = await items({ beforeId: anchor, limit: 2 });
      expect(page.map((i) => i.id)).toEqual([everything[3]!.id, everything[4]!.id]);
    });

    it('the default page is 100 rows', async () => {
      const res = await audit();
      const body = res.json();
      expect(body.items.length).toBeLessThanOrEqual(100);
      const total = (await items({ limit: 500 })).length;
      expect(body.items.length).toBe(Math.min(100, total));
    });

    it.each([
      ['limit 0', { limit: 0 }],
      ['limit 501', { limit: 501 }],
      ['limit not a number', { limit: 'ten' }],
      ['actorId not a number', { actorId: 'admin' }],
      ['actorId 0', { actorId: 0 }],
      ['beforeId negative', { beforeId: -5 }],
      ['upper-case action', { action: 'AUTH.LOGIN' }],
      ['action with a wildcard', { action: 'auth.%' }],
      ['from not a date', { from: 'yesterday' }],
      ['to without a zone', { to: '2026-01-01T00:00:00' }],
      ['an unknown parameter', { sort: 'asc' }],
    ])('400 VALIDATION_FAILED on %s', async (_n, query) => {
      const err = expectError(await audit(query), 400, 'VALIDATION_FAILED');
      expect(err.details.in).toBe('querystring');
    });

    it('audit rows cannot be changed through SQL either', async () => {
      await expect(t.store.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    });
  });
});
