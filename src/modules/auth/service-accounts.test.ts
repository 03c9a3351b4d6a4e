/**
 * Machine clients act as service accounts with only the permissions granted to their key; keys
 * exist for service accounts only; every use of a key is in the audit log.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, DEMO_PASSWORD, testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';

type Headers = Record<string, string>;
const STRONG = 'Strong#Pass2026';

describe.each(testStores())('service accounts and API keys (%s)', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let admin: Headers;

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    admin = await bearer(app, 'admin');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const call = (headers: Headers, method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  let seq = 0;
  const serviceAccount = async (role: string, divisionCode = '510104', headers = admin) => {
    seq += 1;
    const res = await call(headers, 'POST', '/api/v1/users', {
      username: `machine-${seq}`,
      displayName: `接口${seq}`,
      role,
      divisionCode,
      kind: 'service',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ user: expect.objectContaining({ kind: 'service', role }) });
    return res.json().user.id as number;
  };
  const issue = async (userId: number, permissions: string[], headers = admin) => {
    const res = await call(headers, 'POST', '/api/v1/api-keys', { name: `key ${seq}`, userId, permissions });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; key: string; permissions: string[] };
  };
  const keyCount = async () =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM api_keys`.execute(t.store.db)).rows[0]?.n;
  const idOf = async (username: string) =>
    (await sql<{ id: number }>`SELECT id FROM users WHERE username = ${username}`.execute(t.store.db)).rows[0]
      ?.id as number;

  it("refuses a key for a person's account (an administrator's above all), and so does the database", async () => {
    const before = await keyCount();
    for (const username of ['admin', 'intake', 'dept']) {
      const res = await call(admin, 'POST', '/api/v1/api-keys', {
        name: 'full rights',
        userId: await idOf(username),
        permissions: ['division.read'],
      });
      expect(expectError(res, 400, 'APIKEY_NOT_SERVICE_ACCOUNT').details).toMatchObject({ kind: 'person' });
    }
    expect(await keyCount()).toBe(before);
    await expect(
      sql`INSERT INTO api_keys (name, prefix, key_hash, user_id, permissions)
          VALUES ('raw', 'rawprefx', 'rawhash', ${await idOf('admin')}, '{grid.write}')`.execute(t.store.db),
    ).rejects.toThrow(/service accounts only/);
  });

  it('a key acts with only what it was granted, within its account’s role and data scope', async () => {
    const leader = await serviceAccount('leader', '510100');
    const { key, permissions } = await issue(leader, ['case.read']);
    expect(permissions).toEqual(['case.read']);
    const machine = { 'x-api-key': key };
    const me = await call(machine, 'GET', '/api/v1/auth/me');
    expect(me.json()).toMatchObject({ user: { role: 'leader', via: 'api_key' }, permissions: ['case.read'] });
    expect((await call(machine, 'GET', '/api/v1/cases')).statusCode).toBe(200);
    // The leader role may read users and export lists; this key may not.
    expect(expectError(await call(machine, 'GET', '/api/v1/users'), 403, 'FORBIDDEN').details).toEqual({
      permission: 'user.read',
    });
    const xlsx = await call(machine, 'POST', '/api/v1/export/xlsx', {
      title: 't',
      columns: [{ key: 'a', title: 'A' }],
      rows: [],
    });
    expect(expectError(xlsx, 403, 'FORBIDDEN').details).toEqual({ permission: 'export.xlsx' });
  });

  it('grants outside the account’s role are refused; nobody hands out more than they hold', async () => {
    const svc = await serviceAccount('service');
    const before = await keyCount();
    const res = await call(admin, 'POST', '/api/v1/api-keys', {
      name: 'too much',
      userId: svc,
      permissions: ['case.read', 'user.write', 'audit.read'],
    });
    expect(expectError(res, 400, 'APIKEY_PERMISSION_NOT_IN_ROLE').details).toEqual({
      role: 'service',
      permissions: ['user.write', 'audit.read'],
    });
    expect(await keyCount()).toBe(before);
    // A key that may manage keys (an admin-role service account's) can only pass on its own grants.
    const issuer = await serviceAccount('admin', '510100');
    const manager = { 'x-api-key': (await issue(issuer, ['apikey.manage', 'case.read'])).key };
    const more = await call(manager, 'POST', '/api/v1/api-keys', {
      name: 'escalate',
      userId: svc,
      permissions: ['case.read', 'case.act'],
    });
    expect(expectError(more, 403, 'FORBIDDEN').details).toEqual({ permission: 'case.act' });
    expect((await issue(svc, ['case.read'], manager)).permissions).toEqual(['case.read']);
  });

  it('service accounts never log in and have no password', async () => {
    const svc = await serviceAccount('service');
    const username = `machine-${seq}`;
    for (const password of ['!no-login', DEMO_PASSWORD, STRONG]) {
      const res = await call({}, 'POST', '/api/v1/auth/login', { username, password, client: 'app' });
      expectError(res, 401, 'INVALID_CREDENTIALS');
    }
    expectError(
      await call(admin, 'POST', `/api/v1/users/${svc}/reset-password`, { password: STRONG }),
      400,
      'SERVICE_ACCOUNT_NO_PASSWORD',
    );
    const withPassword = await call(admin, 'POST', '/api/v1/users', {
      username: 'machine-pw',
      displayName: '带密码',
      role: 'service',
      divisionCode: '510104',
      kind: 'service',
      password: STRONG,
    });
    expectError(withPassword, 400, 'SERVICE_ACCOUNT_NO_PASSWORD');
    const personService = await call(admin, 'POST', '/api/v1/users', {
      username: 'person-svc',
      displayName: '人',
      role: 'service',
      divisionCode: '510104',
      kind: 'person',
      password: STRONG,
    });
    expectError(personService, 400, 'VALIDATION_FAILED');
  });

  it('every request made with a key is audited (refused ones too), scoped like the audit log', async () => {
    const svc = await serviceAccount('service', '510104');
    const { id, key } = await issue(svc, ['division.read']);
    const machine = { 'x-api-key': key };
    expect((await call(machine, 'GET', '/api/v1/divisions')).statusCode).toBe(200);
    expectError(await call(machine, 'GET', '/api/v1/cases'), 403, 'FORBIDDEN');
    expectError(await call(machine, 'GET', '/api/v1/divisions/510105'), 404, 'NOT_FOUND');
    // An idempotent POST (its own unit of work) is recorded too, once it has committed.
    const keyed = await call(
      { ...machine, 'idempotency-key': 'machine-export-1' },
      'POST',
      '/api/v1/export/xlsx',
      {
        title: 't',
        columns: [{ key: 'a', title: 'A' }],
        rows: [],
      },
    );
    expectError(keyed, 403, 'FORBIDDEN');
    const uses = await call(admin, 'GET', `/api/v1/audit?action=apikey.use&target=apikey:${id}`);
    expect(uses.statusCode, uses.body).toBe(200);
    expect(
      uses
        .json()
        .items.map((r: { actorId: number; outcome: string; details: object }) => [
          r.actorId,
          r.outcome,
          r.details,
        ])
        .reverse(),
    ).toEqual([
      [svc, 'ok', { method: 'GET', route: '/api/v1/divisions', status: 200 }],
      [svc, 'denied', { method: 'GET', route: '/api/v1/cases', status: 403 }],
      [svc, 'failed', { method: 'GET', route: '/api/v1/divisions/:code', status: 404 }],
      [svc, 'denied', { method: 'POST', route: '/api/v1/export/xlsx', status: 403 }],
    ]);
    // A district administrator elsewhere does not read this district's machine traffic.
    const res = await call(admin, 'POST', '/api/v1/users', {
      username: 'admin-qingyang',
      displayName: '青羊管理',
      role: 'admin',
      divisionCode: '510105',
      password: STRONG,
    });
    expect(res.statusCode, res.body).toBe(201);
    const other = await bearer(app, 'admin-qingyang', STRONG);
    const theirs = await call(other, 'GET', `/api/v1/audit?action=apikey.use&target=apikey:${id}`);
    expect(theirs.json().items).toEqual([]);
  });

  it('the API docs say so', async () => {
    const doc = (await call({}, 'GET', '/api/openapi.json')).json();
    expect(doc.info.description).toMatch(/service accounts only/);
    expect(doc.info.description).toMatch(/only the permissions granted to the key/);
    expect(doc.components.securitySchemes.apiKey.description).toMatch(/every use is audited/);
    expect(
      doc.paths['/api/v1/api-keys'].post.requestBody.content['application/json'].schema.required,
    ).toContain('permissions');
  });
});
