import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, DEMO_PASSWORD, testApp } from '../../../test/helpers/app.js';
import { expectError as expectApiError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { ROLE_NAMES, ROLE_PERMISSIONS, type Role } from '../../domain/access/permissions.js';
import { ERRORS, type ErrorCode } from '../../platform/errors.js';
import type { ApiApp } from '../../platform/http/types.js';
import { tokenHash } from './crypto.js';
import { LOCKOUT_MINUTES, MAX_FAILED_LOGINS } from './service.js';

type Headers = Record<string, string>;

/** Asserts the catalogue error body `{ error: { code, message, messages: { zh, en }, details } }`. */
const expectError = (
  res: LightMyRequestResponse,
  status: number,
  code: ErrorCode,
  opts: { customMessage?: boolean } = {},
) => expectApiError(res, status, code, { catalogueMessage: !opts.customMessage });

interface DemoSpec {
  role: Role;
  divisionCode: string | null;
  scopePrefix: string;
}

/** What each demo account must resolve to (supervisor / department staff completed from the database). */
const DEMO: Record<string, DemoSpec> = {
  admin: { role: 'admin', divisionCode: '510100', scopePrefix: '5101' },
  leader: { role: 'leader', divisionCode: '510100', scopePrefix: '5101' },
  coordinator: { role: 'coordinator', divisionCode: '510100', scopePrefix: '5101' },
  shiftlead: { role: 'shift_leader', divisionCode: '510104', scopePrefix: '510104' },
  dispatcher: { role: 'dispatcher', divisionCode: '510104', scopePrefix: '510104' },
  intake: { role: 'intake', divisionCode: '510104', scopePrefix: '510104' },
  supervisor: { role: 'supervisor', divisionCode: 'community', scopePrefix: 'community' },
  dept: { role: 'department', divisionCode: null, scopePrefix: '5101' },
  handler: { role: 'handler', divisionCode: null, scopePrefix: '5101' },
  citizen: { role: 'citizen', divisionCode: '510100', scopePrefix: '5101' },
  intake2: { role: 'intake', divisionCode: '510105', scopePrefix: '510105' },
};

const STRONG = 'Str0ng#Passphrase';

describe.each(testStores())('auth API on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let admin: Headers;
  const ids: Record<string, number> = {};
  const deptIds: Record<string, number> = {};
  let supervisorCommunity = '';

  const login = (username: string, password = DEMO_PASSWORD, client: 'web' | 'app' = 'app') =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, client } });
  const me = (headers: Headers = {}, cookies: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url: '/api/v1/auth/me', headers, cookies });
  const userRow = (id: number) =>
    t.store.db
      .selectFrom('users')
      .select(['failed_attempts', 'locked_until', 'must_change_password', 'disabled'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  let seq = 0;
  /** A fresh intake account in 510104 for tests that lock, disable or re-password it. */
  async function freshUser(role: Role = 'intake', divisionCode = '510104') {
    seq += 1;
    const username = `auth-t${seq}`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      // Service accounts have no password.
      payload: {
        username,
        displayName: `测试${seq}`,
        role,
        divisionCode,
        ...(role === 'service' ? {} : { password: STRONG }),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { id: res.json().user.id as number, username, password: STRONG };
  }

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    admin = await bearer(app, 'admin');
    for (const u of await t.store.db
      .selectFrom('users')
      .select(['id', 'username', 'division_code'])
      .execute()) {
      ids[u.username] = u.id;
      if (u.username === 'supervisor') supervisorCommunity = u.division_code ?? '';
    }
    for (const d of await t.store.db.selectFrom('departments').select(['id', 'code']).execute()) {
      deptIds[d.code] = d.id;
    }
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  function expectedActor(username: string) {
    const spec = DEMO[username]!;
    const sz = deptIds.SZ!;
    const sz01 = deptIds['SZ-01']!;
    return {
      userId: ids[username],
      username,
      role: spec.role,
      divisionCode: spec.divisionCode === 'community' ? supervisorCommunity : spec.divisionCode,
      departmentId: username === 'dept' ? sz : username === 'handler' ? sz01 : null,
      scopePrefix: spec.scopePrefix === 'community' ? supervisorCommunity : spec.scopePrefix,
      departmentPath: username === 'dept' ? `/${sz}/` : username === 'handler' ? `/${sz}/${sz01}/` : null,
      via: 'session',
      mustChangePassword: false,
    };
  }

  describe('login', () => {
    it('knows the supervisor community (sanity of the demo city)', () => {
      expect(supervisorCommunity).toMatch(/^510104\d{6}$/);
      expect(Object.keys(ids)).toEqual(expect.arrayContaining(Object.keys(DEMO)));
    });

    it.each(Object.keys(DEMO))(
      'app client: %s gets a bearer token that works on /auth/me',
      async (username) => {
        const before = Date.now();
        const res = await login(username, DEMO_PASSWORD, 'app');
        expect(res.statusCode, res.body).toBe(200);
        expect(res.headers['set-cookie']).toBeUndefined();
        const body = res.json();
        expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(body.user).toMatchObject(expectedActor(username));
        expect(body.permissions).toEqual(ROLE_PERMISSIONS[DEMO[username]!.role]);
        expect(body.mustChangePassword).toBe(false);
        const ttl = Date.parse(body.expiresAt) - before;
        expect(ttl).toBeGreaterThan(11.9 * 3_600_000);
        expect(ttl).toBeLessThanOrEqual(12 * 3_600_000 + 60_000);

        const who = await me({ authorization: `Bearer ${body.token}` });
        expect(who.statusCode, who.body).toBe(200);
        expect(who.json()).toEqual({
          user: { ...expectedActor(username), displayName: expect.any(String) },
          roleName: ROLE_NAMES[DEMO[username]!.role],
          permissions: ROLE_PERMISSIONS[DEMO[username]!.role],
        });
        // The session is stored only as a hash.
        const row = await t.store.db
          .selectFrom('sessions')
          .select(['user_id', 'client'])
          .where('token_hash', '=', tokenHash(body.token))
          .executeTakeFirstOrThrow();
        expect(row).toEqual({ user_id: ids[username], client: 'app' });
        const raw = await t.store.db
          .selectFrom('sessions')
          .select('token_hash')
          .where('token_hash', '=', body.token)
          .executeTakeFirst();
        expect(raw).toBeUndefined();
      },
    );

    it.each(Object.keys(DEMO))(
      'web client: %s gets an httpOnly SameSite=Strict cookie and no token',
      async (username) => {
        const res = await login(username, DEMO_PASSWORD, 'web');
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        expect(body).not.toHaveProperty('token');
        expect(body.user).toMatchObject(expectedActor(username));
        const cookies = res.cookies as Array<Record<string, unknown>>;
        expect(cookies).toHaveLength(1);
        const c = cookies[0]!;
        expect(c.name).toBe('cl_session');
        expect(c.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(c.httpOnly).toBe(true);
        expect(c.sameSite).toBe('Strict');
        expect(c.path).toBe('/');
        expect(c.secure).toBeUndefined();
        // HTTP dates have whole seconds.
        expect((c.expires as Date).getTime()).toBe(Math.floor(Date.parse(body.expiresAt) / 1000) * 1000);
        expect(JSON.stringify(body)).not.toContain(c.value as string);

        const who = await me({}, { cl_session: c.value as string });
        expect(who.statusCode, who.body).toBe(200);
        expect(who.json().user).toMatchObject(expectedActor(username));
      },
    );

    it('marks the cookie Secure when COOKIE_SECURE is set', async () => {
      const secureApp = await testApp(t.store, { COOKIE_SECURE: 'true' });
      try {
        const res = await secureApp.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'leader', password: DEMO_PASSWORD },
        });
        expect(res.statusCode).toBe(200);
        const c = (res.cookies as Array<Record<string, unknown>>)[0]!;
        expect(c).toMatchObject({ name: 'cl_session', secure: true, httpOnly: true, sameSite: 'Strict' });
      } finally {
        await secureApp.close();
      }
    });

    it('defaults to the web client and accepts a username in any case with surrounding spaces', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: '  LeAdEr ', password: DEMO_PASSWORD },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().user.username).toBe('leader');
      expect(res.json()).not.toHaveProperty('token');
      expect(res.cookies).toHaveLength(1);
    });

    it('refuses a wrong password with 401 INVALID_CREDENTIALS and no cookie', async () => {
      const res = await login('coordinator', 'Wrong#Password1', 'web');
      const err = expectError(res, 401, 'INVALID_CREDENTIALS');
      expect(err.details).toBeNull();
      expect(res.headers['set-cookie']).toBeUndefined();
      // The password is case-sensitive.
      expectError(await login('coordinator', DEMO_PASSWORD.toLowerCase()), 401, 'INVALID_CREDENTIALS');
      // Counted, but the account is not locked after a single failure; reset by a good login.
      expect((await userRow(ids.coordinator!)).failed_attempts).toBe(2);
      expect((await login('coordinator')).statusCode).toBe(200);
      expect((await userRow(ids.coordinator!)).failed_attempts).toBe(0);
    });

    it('answers in English when the client prefers it', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'accept-language': 'en-US,en;q=0.9' },
        payload: { username: 'coordinator', password: 'Wrong#Password1' },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.message).toBe(ERRORS.INVALID_CREDENTIALS.en);
      expect((await login('coordinator')).statusCode).toBe(200);
    });

    it('uses SESSION_TTL_HOURS for the session lifetime', async () => {
      const shortApp = await testApp(t.store, { SESSION_TTL_HOURS: '1' });
      try {
        const before = Date.now();
        const res = await shortApp.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'leader', password: DEMO_PASSWORD, client: 'app' },
        });
        const ttl = Date.parse(res.json().expiresAt) - before;
        expect(ttl).toBeGreaterThan(3_500_000);
        expect(ttl).toBeLessThanOrEqual(3_600_000 + 60_000);
        const row = await t.store.db
          .selectFrom('sessions')
          .select('expires_at')
          .where('token_hash', '=', tokenHash(res.json().token))
          .executeTakeFirstOrThrow();
        expect(row.expires_at.toISOString()).toBe(res.json().expiresAt);
      } finally {
        await shortApp.close();
      }
    });

    it('answers an unknown username exactly like a wrong password (no enumeration)', async () => {
      const unknown = await login('no-such-user', 'Wrong#Password1');
      const wrong = await login('dispatcher', 'Wrong#Password1');
      const a = expectError(unknown, 401, 'INVALID_CREDENTIALS');
      const b = expectError(wrong, 401, 'INVALID_CREDENTIALS');
      const { requestId: _a, ...restA } = a as unknown as Record<string, unknown>;
      const { requestId: _b, ...restB } = b as unknown as Record<string, unknown>;
      expect(restA).toEqual(restB);
      expect(Object.keys(unknown.headers).sort()).toEqual(Object.keys(wrong.headers).sort());
      expect((await login('dispatcher')).statusCode).toBe(200);
    });

    it(`locks the account after ${MAX_FAILED_LOGINS} wrong passwords, refuses even the right one, unlocks on expiry`, async () => {
      const u = await freshUser();
      for (let i = 1; i < MAX_FAILED_LOGINS; i++) {
        expectError(await login(u.username, `Wrong#Guess${i}`), 401, 'INVALID_CREDENTIALS');
        expect((await userRow(u.id)).failed_attempts).toBe(i);
      }
      const started = Date.now();
      const locked = expectError(await login(u.username, 'Wrong#Guess5'), 423, 'ACCOUNT_LOCKED');
      const until = Date.parse(locked.details.lockedUntil);
      expect(until - started).toBeGreaterThan((LOCKOUT_MINUTES - 1) * 60_000);
      expect(until - started).toBeLessThanOrEqual(LOCKOUT_MINUTES * 60_000 + 60_000);
      const row = await userRow(u.id);
      expect(row.locked_until?.getTime()).toBe(until);

      // Locked: even the right password is refused, and no session is created.
      const right = await login(u.username, u.password, 'web');
      const again = expectError(right, 423, 'ACCOUNT_LOCKED');
      expect(Date.parse(again.details.lockedUntil)).toBe(until);
      expect(right.headers['set-cookie']).toBeUndefined();
      const sessions = await t.store.db
        .selectFrom('sessions')
        .select('user_id')
        .where('user_id', '=', u.id)
        .execute();
      expect(sessions).toEqual([]);

      // The lock expires.
      await t.store.db
        .updateTable('users')
        .set({ locked_until: new Date(Date.now() - 60_000) })
        .where('id', '=', u.id)
        .execute();
      const ok = await login(u.username, u.password);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(await userRow(u.id)).toMatchObject({ failed_attempts: 0, locked_until: null });
      // A fresh count: four more failures do not lock again.
      for (let i = 1; i < MAX_FAILED_LOGINS; i++) {
        expectError(await login(u.username, `Wrong#Again${i}`), 401, 'INVALID_CREDENTIALS');
      }
      expect((await login(u.username, u.password)).statusCode).toBe(200);
    });

    it('counts concurrent wrong passwords exactly (row lock): the fifth locks, the rest see the lock', async () => {
      const u = await freshUser();
      const results = await Promise.all(
        Array.from({ length: MAX_FAILED_LOGINS + 3 }, (_, i) => login(u.username, `Wrong#Burst${i}`)),
      );
      const codes = results.map((r) => r.json().error.code as string).sort();
      expect(codes).toEqual([
        ...Array(4).fill('ACCOUNT_LOCKED'),
        ...Array(MAX_FAILED_LOGINS - 1).fill('INVALID_CREDENTIALS'),
      ]);
      expect((await userRow(u.id)).locked_until).not.toBeNull();
      expectError(await login(u.username, u.password), 423, 'ACCOUNT_LOCKED');
    });

    it('resets the failure counter on a successful login', async () => {
      const u = await freshUser();
      for (let i = 1; i < MAX_FAILED_LOGINS; i++) {
        expectError(await login(u.username, 'Wrong#Guess00'), 401, 'INVALID_CREDENTIALS');
      }
      expect((await userRow(u.id)).failed_attempts).toBe(MAX_FAILED_LOGINS - 1);
      expect((await login(u.username, u.password)).statusCode).toBe(200);
      expect((await userRow(u.id)).failed_attempts).toBe(0);
      for (let i = 1; i < MAX_FAILED_LOGINS; i++) {
        expectError(await login(u.username, 'Wrong#Guess00'), 401, 'INVALID_CREDENTIALS');
      }
      expect(await userRow(u.id)).toMatchObject({
        failed_attempts: MAX_FAILED_LOGINS - 1,
        locked_until: null,
      });
      expect((await login(u.username, u.password)).statusCode).toBe(200);
    });

    it('refuses a disabled account with 403 ACCOUNT_DISABLED (wrong password still 401)', async () => {
      const u = await freshUser();
      const off = await app.inject({ method: 'POST', url: `/api/v1/users/${u.id}/disable`, headers: admin });
      expect(off.statusCode, off.body).toBe(200);
      expectError(await login(u.username, u.password), 403, 'ACCOUNT_DISABLED');
      expectError(await login(u.username, 'Wrong#Guess00'), 401, 'INVALID_CREDENTIALS');
      const on = await app.inject({ method: 'POST', url: `/api/v1/users/${u.id}/enable`, headers: admin });
      expect(on.statusCode, on.body).toBe(200);
      expect((await login(u.username, u.password)).statusCode).toBe(200);
    });

    it.each([
      ['missing password', { username: 'admin' }, ['password']],
      ['missing username', { password: DEMO_PASSWORD }, ['username']],
      ['empty username', { username: '', password: DEMO_PASSWORD }, ['username']],
      ['too long username', { username: 'a'.repeat(41), password: DEMO_PASSWORD }, ['username']],
      ['unknown client', { username: 'admin', password: DEMO_PASSWORD, client: 'desktop' }, ['client']],
      ['number as password', { username: 'admin', password: 12345678901 }, ['password']],
    ])('400 VALIDATION_FAILED on %s', async (_name, payload, path) => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
      const err = expectError(res, 400, 'VALIDATION_FAILED');
      expect(err.details.in).toBe('body');
      expect(err.details.issues.map((i: { path: string[] }) => i.path)).toContainEqual(path);
    });

    it('400 VALIDATION_FAILED on an unknown field, MALFORMED_JSON on broken JSON', async () => {
      const extra = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'admin', password: DEMO_PASSWORD, remember: true },
      });
      const err = expectError(extra, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(err.details)).toContain('remember');
      const broken = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"username": "admin", ',
      });
      expectError(broken, 400, 'MALFORMED_JSON');
    });
  });

  describe('sessions', () => {
    it('/auth/me without credentials is 401 UNAUTHENTICATED', async () => {
      const err = expectError(await me(), 401, 'UNAUTHENTICATED');
      expect(err.details).toBeNull();
      expectError(await me({}, { cl_session: 'not-a-session' }), 401, 'UNAUTHENTICATED');
      expectError(await me({ authorization: 'Bearer not-a-session' }), 401, 'UNAUTHENTICATED');
    });

    it('accepts the scheme name in any case', async () => {
      const { authorization } = await bearer(app, 'leader');
      const token = authorization.slice('Bearer '.length);
      expect((await me({ authorization: `bearer ${token}` })).statusCode).toBe(200);
      expect((await me({ authorization: `BEARER ${token}` })).statusCode).toBe(200);
    });

    it.each([
      ['Basic', 'Basic YWRtaW46Q2l0eUxvb3BAMjAyNg=='],
      ['Token', 'Token abc'],
      ['Bearer without a value', 'Bearer'],
      ['a bare token', 'abcdefabcdef'],
    ])(
      'an unsupported Authorization (%s) is 401 UNAUTHENTICATED even with a valid cookie',
      async (_n, value) => {
        const web = await login('leader', DEMO_PASSWORD, 'web');
        const cookie = (web.cookies as Array<{ value: string }>)[0]!.value;
        expect((await me({}, { cl_session: cookie })).statusCode).toBe(200);
        const err = expectError(
          await me({ authorization: value }, { cl_session: cookie }),
          401,
          'UNAUTHENTICATED',
        );
        expect(err.details).toEqual({ reason: 'unsupported_authorization_scheme' });
      },
    );

    it('logout ends a bearer session: the same token is then refused', async () => {
      const auth = await bearer(app, 'shiftlead');
      const token = auth.authorization.slice('Bearer '.length);
      expect((await me(auth)).statusCode).toBe(200);
      const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: auth });
      expect(out.statusCode, out.body).toBe(204);
      expect(out.body).toBe('');
      expectError(await me(auth), 401, 'UNAUTHENTICATED');
      expectError(
        await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: auth }),
        401,
        'UNAUTHENTICATED',
      );
      const left = await t.store.db
        .selectFrom('sessions')
        .select('user_id')
        .where('token_hash', '=', tokenHash(token))
        .executeTakeFirst();
      expect(left).toBeUndefined();
      // Other sessions of the same user are untouched.
      const other = await bearer(app, 'shiftlead');
      expect((await me(other)).statusCode).toBe(200);
    });

    it('logout of a web session clears the cookie and ends the session', async () => {
      const web = await login('dispatcher', DEMO_PASSWORD, 'web');
      const cookie = (web.cookies as Array<{ value: string }>)[0]!.value;
      const out = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        cookies: { cl_session: cookie },
      });
      expect(out.statusCode).toBe(204);
      const cleared = (out.cookies as Array<{ name: string; value: string; expires?: Date }>)[0]!;
      expect(cleared.name).toBe('cl_session');
      expect(cleared.value).toBe('');
      expect(cleared.expires!.getTime()).toBeLessThan(Date.now());
      expectError(await me({}, { cl_session: cookie }), 401, 'UNAUTHENTICATED');
    });

    it('logout without credentials is 401', async () => {
      expectError(await app.inject({ method: 'POST', url: '/api/v1/auth/logout' }), 401, 'UNAUTHENTICATED');
    });

    it('an expired session is 401 SESSION_EXPIRED, then forgotten', async () => {
      const auth = await bearer(app, 'intake');
      const token = auth.authorization.slice('Bearer '.length);
      await t.store.db
        .updateTable('sessions')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('token_hash', '=', tokenHash(token))
        .execute();
      expectError(await me(auth), 401, 'SESSION_EXPIRED');
      expectError(await me(auth), 401, 'UNAUTHENTICATED');
      // An expired web session as well.
      const web = await login('intake', DEMO_PASSWORD, 'web');
      const cookie = (web.cookies as Array<{ value: string }>)[0]!.value;
      await t.store.db
        .updateTable('sessions')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('token_hash', '=', tokenHash(cookie))
        .execute();
      expectError(await me({}, { cl_session: cookie }), 401, 'SESSION_EXPIRED');
    });

    it('refreshes last_seen_at of an active session at most once a minute', async () => {
      const auth = await bearer(app, 'coordinator');
      const hash = tokenHash(auth.authorization.slice('Bearer '.length));
      const seen = async () =>
        (
          await t.store.db
            .selectFrom('sessions')
            .select('last_seen_at')
            .where('token_hash', '=', hash)
            .executeTakeFirstOrThrow()
        ).last_seen_at.getTime();
      const first = await seen();
      expect((await me(auth)).statusCode).toBe(200);
      expect(await seen()).toBe(first);
      const old = new Date(Date.now() - 5 * 60_000);
      await t.store.db
        .updateTable('sessions')
        .set({ last_seen_at: old })
        .where('token_hash', '=', hash)
        .execute();
      expect((await me(auth)).statusCode).toBe(200);
      expect(await seen()).toBeGreaterThan(Date.now() - 10_000);
    });

    it('a session of a disabled user stops working at once', async () => {
      const u = await freshUser();
      const auth = await bearer(app, u.username, u.password);
      expect((await me(auth)).statusCode).toBe(200);
      await t.store.db.updateTable('users').set({ disabled: true }).where('id', '=', u.id).execute();
      expectError(await me(auth), 403, 'ACCOUNT_DISABLED');
    });
  });

  describe('password change', () => {
    const change = (headers: Headers, payload: unknown, cookies: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers,
        cookies,
        payload: payload as object,
      });

    it('401 without credentials', async () => {
      expectError(
        await change({}, { currentPassword: DEMO_PASSWORD, newPassword: STRONG }),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('400 PASSWORD_WRONG when the current password is wrong (and nothing changes)', async () => {
      const u = await freshUser();
      const auth = await bearer(app, u.username, u.password);
      const err = expectError(
        await change(auth, { currentPassword: 'Not#MyPassword1', newPassword: 'Brand#New#Pass9' }),
        400,
        'PASSWORD_WRONG',
      );
      expect(err.details).toBeNull();
      expect((await login(u.username, u.password)).statusCode).toBe(200);
      expectError(await login(u.username, 'Brand#New#Pass9'), 401, 'INVALID_CREDENTIALS');
    });

    it.each([
      ['too short', 'Ab#1', ['length']],
      ['one character class', 'abcdefghijklmnop', ['classes']],
      ['a common password', 'Password@123', ['common']],
      ['contains the username', 'xAUTH-T%d#Long1', ['username']],
    ])('400 PASSWORD_WEAK with reasons for a %s new password', async (_n, pw, rules) => {
      const u = await freshUser();
      const auth = await bearer(app, u.username, u.password);
      const next = pw.replace('AUTH-T%d', u.username.toUpperCase());
      const err = expectError(
        await change(auth, { currentPassword: u.password, newPassword: next }),
        400,
        'PASSWORD_WEAK',
        { customMessage: true },
      );
      const reasons = err.details.reasons as Array<{ rule: string; zh: string; en: string }>;
      expect(reasons.map((r) => r.rule)).toEqual(rules);
      for (const r of reasons) {
        expect(err.messages.zh).toContain(r.zh);
        expect(err.messages.en).toContain(r.en);
      }
      expect((await login(u.username, u.password)).statusCode).toBe(200);
    });

    it('success ends the other sessions, keeps the current one, and the new password logs in', async () => {
      const u = await freshUser();
      const current = await bearer(app, u.username, u.password);
      const otherApp = await bearer(app, u.username, u.password);
      const web = await login(u.username, u.password, 'web');
      const cookie = (web.cookies as Array<{ value: string }>)[0]!.value;
      const other = await bearer(app, 'leader');
      const next = 'Brand#New#Pass9';
      const res = await change(current, { currentPassword: u.password, newPassword: next });
      expect(res.statusCode, res.body).toBe(204);
      expect((await me(current)).statusCode).toBe(200);
      expectError(await me(otherApp), 401, 'UNAUTHENTICATED');
      expectError(await me({}, { cl_session: cookie }), 401, 'UNAUTHENTICATED');
      // Somebody else's session is not affected.
      expect((await me(other)).statusCode).toBe(200);
      expectError(await login(u.username, u.password), 401, 'INVALID_CREDENTIALS');
      expect((await login(u.username, next)).statusCode).toBe(200);
    });

    it('changing from a web session keeps that cookie session', async () => {
      const u = await freshUser();
      const web = await login(u.username, u.password, 'web');
      const cookie = (web.cookies as Array<{ value: string }>)[0]!.value;
      const app2 = await bearer(app, u.username, u.password);
      const res = await change(
        {},
        { currentPassword: u.password, newPassword: 'Another#Pass77' },
        { cl_session: cookie },
      );
      expect(res.statusCode, res.body).toBe(204);
      expect((await me({}, { cl_session: cookie })).statusCode).toBe(200);
      expectError(await me(app2), 401, 'UNAUTHENTICATED');
    });

    it('clears mustChangePassword of a one-time password', async () => {
      const username = 'auth-otp';
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin,
        payload: { username, displayName: '一次性', role: 'intake', divisionCode: '510104' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const otp = created.json().temporaryPassword as string;
      const first = await login(username, otp);
      expect(first.statusCode).toBe(200);
      expect(first.json().mustChangePassword).toBe(true);
      const auth = { authorization: `Bearer ${first.json().token}` };
      expect((await change(auth, { currentPassword: otp, newPassword: 'Mine#Own#Pass1' })).statusCode).toBe(
        204,
      );
      const second = await login(username, 'Mine#Own#Pass1');
      expect(second.json().mustChangePassword).toBe(false);
    });

    it.each([
      ['missing newPassword', { currentPassword: DEMO_PASSWORD }],
      ['empty currentPassword', { currentPassword: '', newPassword: STRONG }],
      ['unknown field', { currentPassword: DEMO_PASSWORD, newPassword: STRONG, confirm: STRONG }],
      ['too long newPassword', { currentPassword: DEMO_PASSWORD, newPassword: `Aa1#${'x'.repeat(253)}` }],
    ])('400 VALIDATION_FAILED on %s', async (_n, payload) => {
      const auth = await bearer(app, 'coordinator');
      expectError(await change(auth, payload), 400, 'VALIDATION_FAILED');
    });
  });

  describe('API keys', () => {
    let serviceId: number;

    beforeAll(async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin,
        payload: {
          username: 'camera-bridge',
          displayName: '视频接入',
          role: 'service',
          divisionCode: '510104',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      serviceId = res.json().user.id;
    });

    /** What the keys below are granted: a subset of the service role's permissions. */
    const GRANTS = ['division.read', 'case.read', 'case.report'];
    const createKey = (payload: unknown, headers: Headers = admin) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers,
        payload: { permissions: GRANTS, ...(payload as object) },
      });
    const listKeys = (headers: Headers = admin) =>
      app.inject({ method: 'GET', url: '/api/v1/api-keys', headers });

    it('admin creates a key that is shown once and authenticates as its user (X-API-Key and ApiKey scheme)', async () => {
      const res = await createKey({ name: 'camera gateway', userId: serviceId });
      expect(res.statusCode, res.body).toBe(201);
      const created = res.json();
      expect(created).toEqual({
        id: expect.any(Number),
        name: 'camera gateway',
        prefix: expect.any(String),
        userId: serviceId,
        permissions: GRANTS,
        key: expect.stringMatching(/^clk_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/),
        createdAt: expect.any(String),
      });
      expect(created.key.startsWith(`clk_${created.prefix}_`)).toBe(true);

      const list = await listKeys();
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain(created.key);
      expect(list.body).not.toContain(created.key.slice(-43));
      const item = list.json().items.find((k: { id: number }) => k.id === created.id);
      expect(item).toEqual({
        id: created.id,
        name: 'camera gateway',
        prefix: created.prefix,
        userId: serviceId,
        username: 'camera-bridge',
        permissions: GRANTS,
        createdAt: created.createdAt,
        lastUsedAt: null,
        expiresAt: null,
        revokedAt: null,
      });
      // Only the hash is stored.
      const stored = await t.store.db
        .selectFrom('api_keys')
        .select(['key_hash', 'created_by'])
        .where('id', '=', created.id)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({ key_hash: tokenHash(created.key), created_by: ids.admin });

      for (const headers of [
        { 'x-api-key': created.key },
        { authorization: `ApiKey ${created.key}` },
      ] as Headers[]) {
        const who = await me(headers);
        expect(who.statusCode, who.body).toBe(200);
        expect(who.json().user).toMatchObject({
          userId: serviceId,
          username: 'camera-bridge',
          role: 'service',
          scopePrefix: '510104',
          via: 'api_key',
        });
        // The key's grants, not everything the service role could do.
        expect(who.json().permissions).toEqual(GRANTS);
        expect(who.json().permissions.length).toBeLessThan(ROLE_PERMISSIONS.service.length);
      }
      // The key carries its user's role and data scope.
      const divisions = await app.inject({
        method: 'GET',
        url: '/api/v1/divisions',
        headers: { 'x-api-key': created.key },
      });
      expect(divisions.statusCode).toBe(200);
      const codes = divisions.json().items.map((d: { code: string }) => d.code) as string[];
      expect(codes).toContain('510104');
      expect(codes.every((c) => c.startsWith('510104'))).toBe(true);
      expectError(
        await app.inject({
          method: 'GET',
          url: '/api/v1/divisions/510105',
          headers: { 'x-api-key': created.key },
        }),
        404,
        'NOT_FOUND',
      );
      const users = await app.inject({
        method: 'GET',
        url: '/api/v1/users',
        headers: { 'x-api-key': created.key },
      });
      expect(expectError(users, 403, 'FORBIDDEN').details).toEqual({ permission: 'user.read' });
      // Use is recorded.
      const after = (await listKeys()).json().items.find((k: { id: number }) => k.id === created.id);
      expect(after.lastUsedAt).not.toBeNull();
      // Logging out with a key ends nothing: the key keeps working.
      const out = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { 'x-api-key': created.key },
      });
      expect(out.statusCode).toBe(204);
      expect((await me({ 'x-api-key': created.key })).statusCode).toBe(200);
    });

    it('a revoked key is 401 INVALID_API_KEY', async () => {
      const created = (await createKey({ name: 'to revoke', userId: serviceId })).json();
      expect((await me({ 'x-api-key': created.key })).statusCode).toBe(200);
      const del = await app.inject({
        method: 'DELETE',
        url: `/api/v1/api-keys/${created.id}`,
        headers: admin,
      });
      expect(del.statusCode, del.body).toBe(204);
      expectError(await me({ 'x-api-key': created.key }), 401, 'INVALID_API_KEY');
      expectError(await me({ authorization: `ApiKey ${created.key}` }), 401, 'INVALID_API_KEY');
      const item = (await listKeys()).json().items.find((k: { id: number }) => k.id === created.id);
      expect(item.revokedAt).not.toBeNull();
    });

    it('an unknown key, an expired key and a key of a disabled user are 401 INVALID_API_KEY', async () => {
      expectError(await me({ 'x-api-key': 'clk_nothing_here' }), 401, 'INVALID_API_KEY');
      expectError(await me({ authorization: 'ApiKey clk_nothing_here' }), 401, 'INVALID_API_KEY');

      const expiring = (await createKey({ name: 'expiring', userId: serviceId })).json();
      expect((await me({ 'x-api-key': expiring.key })).statusCode).toBe(200);
      await t.store.db
        .updateTable('api_keys')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', expiring.id)
        .execute();
      expectError(await me({ 'x-api-key': expiring.key }), 401, 'INVALID_API_KEY');

      const u = await freshUser('service');
      const key = (await createKey({ name: 'of disabled', userId: u.id })).json();
      expect((await me({ 'x-api-key': key.key })).statusCode).toBe(200);
      expect(
        (await app.inject({ method: 'POST', url: `/api/v1/users/${u.id}/disable`, headers: admin }))
          .statusCode,
      ).toBe(200);
      expectError(await me({ 'x-api-key': key.key }), 401, 'INVALID_API_KEY');
    });

    it('refuses an expiresAt in the past at creation, accepts one in the future', async () => {
      const before = (await listKeys()).json().items.length;
      const past = await createKey({ name: 'old', userId: serviceId, expiresAt: '2020-01-01T00:00:00Z' });
      const err = expectError(past, 400, 'VALIDATION_FAILED', { customMessage: true });
      expect(err.details).toEqual({ field: 'expiresAt' });
      expect((await listKeys()).json().items.length).toBe(before);

      const future = new Date(Date.now() + 86_400_000).toISOString();
      const ok = await createKey({ name: 'tomorrow', userId: serviceId, expiresAt: future });
      expect(ok.statusCode, ok.body).toBe(201);
      const item = (await listKeys()).json().items.find((k: { id: number }) => k.id === ok.json().id);
      expect(item.expiresAt).toBe(future);
      expect((await me({ 'x-api-key': ok.json().key })).statusCode).toBe(200);
    });

    it('404 for an unknown user or key', async () => {
      const err = expectError(await createKey({ name: 'ghost', userId: 999_999 }), 404, 'NOT_FOUND');
      expect(err.details).toEqual({ resource: 'user' });
      expectError(
        await app.inject({ method: 'DELETE', url: '/api/v1/api-keys/999999', headers: admin }),
        404,
        'NOT_FOUND',
      );
    });

    it.each(['leader', 'intake', 'dept', 'supervisor', 'citizen'])(
      '403 FORBIDDEN for %s',
      async (username) => {
        const auth = await bearer(app, username);
        const key = (await createKey({ name: 'victim', userId: serviceId })).json();
        for (const res of [
          await listKeys(auth),
          await createKey({ name: 'mine', userId: ids[username] }, auth),
          await app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${key.id}`, headers: auth }),
        ]) {
          expect(expectError(res, 403, 'FORBIDDEN').details).toEqual({ permission: 'apikey.manage' });
        }
        // The key was not revoked by the refused request.
        expect((await me({ 'x-api-key': key.key })).statusCode).toBe(200);
      },
    );

    it('401 without credentials', async () => {
      expectError(await listKeys({}), 401, 'UNAUTHENTICATED');
      expectError(await createKey({ name: 'x', userId: serviceId }, {}), 401, 'UNAUTHENTICATED');
      expectError(await app.inject({ method: 'DELETE', url: '/api/v1/api-keys/1' }), 401, 'UNAUTHENTICATED');
    });

    it.each([
      ['missing name', { userId: 1 }],
      ['empty name', { name: '', userId: 1 }],
      ['userId as string', { name: 'x', userId: '1' }],
      ['negative userId', { name: 'x', userId: -1 }],
      ['malformed expiresAt', { name: 'x', userId: 1, expiresAt: 'tomorrow' }],
      ['unknown field', { name: 'x', userId: 1, scope: 'all' }],
      ['no permissions', { name: 'x', userId: 1, permissions: [] }],
      ['an unknown permission', { name: 'x', userId: 1, permissions: ['everything'] }],
    ])('POST 400 VALIDATION_FAILED on %s', async (_n, payload) => {
      expectError(await createKey(payload), 400, 'VALIDATION_FAILED');
    });

    it('DELETE 400 VALIDATION_FAILED on a non-numeric id', async () => {
      const err = expectError(
        await app.inject({ method: 'DELETE', url: '/api/v1/api-keys/abc', headers: admin }),
        400,
        'VALIDATION_FAILED',
      );
      expect(err.details.in).toBe('params');
    });

    it('a district admin cannot create keys for users outside the district', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin,
        payload: {
          username: 'admin-510105',
          displayName: '区管理',
          role: 'admin',
          divisionCode: '510105',
          password: STRONG,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const district = await bearer(app, 'admin-510105', STRONG);
      expectError(await createKey({ name: 'x', userId: serviceId }, district), 404, 'NOT_FOUND');
      const districtService = await freshUser('service', '510105');
      const inside = await createKey({ name: 'x', userId: districtService.id }, district);
      expect(inside.statusCode, inside.body).toBe(201);
      const visible = (await listKeys(district)).json().items as Array<{ userId: number }>;
      expect(visible.map((k) => k.userId)).toEqual([districtService.id]);
      // Nor revoke keys outside the district.
      const cityKey = (await createKey({ name: 'city', userId: serviceId })).json();
      expectError(
        await app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${cityKey.id}`, headers: district }),
        404,
        'NOT_FOUND',
      );
      expect((await me({ 'x-api-key': cityKey.key })).statusCode).toBe(200);
    });
  });

  describe('one-time passwords and guessing through a session', () => {
    it('allows nothing but /auth/me, /auth/password and logout until a one-time password is changed', async () => {
      seq += 1;
      const username = `auth-otp${seq}`;
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin,
        payload: { username, displayName: '一次性', role: 'intake', divisionCode: '510104' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const otp = created.json().temporaryPassword as string;
      const res = await login(username, otp);
      expect(res.json().mustChangePassword).toBe(true);
      const h = { authorization: `Bearer ${res.json().token}` };
      expectError(
        await app.inject({ method: 'GET', url: '/api/v1/divisions', headers: h }),
        403,
        'PASSWORD_CHANGE_REQUIRED',
      );
      expect((await me(h)).json().user.mustChangePassword).toBe(true);
      const changed = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: h,
        payload: { currentPassword: otp, newPassword: STRONG },
      });
      expect(changed.statusCode, changed.body).toBe(204);
      expect((await app.inject({ method: 'GET', url: '/api/v1/divisions', headers: h })).statusCode).toBe(
        200,
      );
    });

    it('counts wrong current passwords like failed logins and locks the account on the fifth', async () => {
      const u = await freshUser();
      const h = await bearer(app, u.username, u.password);
      const wrong = () =>
        app.inject({
          method: 'POST',
          url: '/api/v1/auth/password',
          headers: h,
          payload: { currentPassword: 'not-the-password', newPassword: 'An0ther#Passphrase' },
        });
      for (let i = 1; i < MAX_FAILED_LOGINS; i++) {
        expectError(await wrong(), 400, 'PASSWORD_WRONG');
        expect((await userRow(u.id)).failed_attempts).toBe(i);
      }
      expectError(await wrong(), 400, 'PASSWORD_WRONG');
      const row = await userRow(u.id);
      expect(row.locked_until!.getTime()).toBeGreaterThan(Date.now() + (LOCKOUT_MINUTES - 1) * 60_000);
      // The session used for guessing is gone, and the right password is refused while locked.
      expectError(await me(h), 401, 'UNAUTHENTICATED');
      expectError(await login(u.username, u.password), 423, 'ACCOUNT_LOCKED');
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['action'])
        .where('target', '=', `user:${u.id}`)
        .where('action', 'in', ['auth.password_change_failed', 'auth.locked'])
        .execute();
      expect(audit.map((a) => a.action).sort()).toEqual([
        'auth.locked',
        ...Array(MAX_FAILED_LOGINS - 1).fill('auth.password_change_failed'),
      ]);
    });

    it('resets the failure counter after a successful change', async () => {
      const u = await freshUser();
      const h = await bearer(app, u.username, u.password);
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: h,
        payload: { currentPassword: 'nope-nope-nope', newPassword: 'An0ther#Passphrase' },
      });
      expect((await userRow(u.id)).failed_attempts).toBe(1);
      const ok = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: h,
        payload: { currentPassword: u.password, newPassword: 'An0ther#Passphrase' },
      });
      expect(ok.statusCode, ok.body).toBe(204);
      expect((await userRow(u.id)).failed_attempts).toBe(0);
    });
  });
});
