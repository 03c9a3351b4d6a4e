import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { expectError as expectApiError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { ERRORS } from '../errors.js';
import type { ApiApp } from './types.js';

type Res = { statusCode: number; headers: Record<string, unknown>; body: string; json(): unknown };

const expectError = (res: Res, status: number, code: keyof typeof ERRORS, lang: 'zh' | 'en' = 'zh') =>
  expectApiError(res, status, code, { lang });

/** Public routes of the API: everything else needs a login. */
const PUBLIC = new Set(['POST /api/v1/auth/login', 'GET /api/health', 'GET /api/openapi.json']);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const PARAM_VALUES: Record<string, string> = { code: '510104001001001', id: '1' };

describe.skipIf(!testStores().includes('postgres'))('HTTP platform (postgres)', () => {
  let t: TestStore;
  let app: ApiApp;
  let admin: { authorization: string };

  beforeAll(async () => {
    t = await openTestStore('postgres');
    app = await testApp(t.store, { BODY_LIMIT_BYTES: '4096' });
    admin = await bearer(app, 'admin');
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const counts = async () => {
    const r = await sql<{ users: number; audit: number; sessions: number }>`
      SELECT (SELECT count(*)::int FROM users) AS users,
             (SELECT count(*)::int FROM audit_log) AS audit,
             (SELECT count(*)::int FROM sessions) AS sessions`.execute(t.store.db);
    return r.rows[0] as NonNullable<(typeof r.rows)[0]>;
  };
  const newUser = { username: 'platformprobe', displayName: '探针', role: 'intake', divisionCode: '510104' };

  describe('OpenAPI and route protection', () => {
    let routes: Array<{ method: (typeof METHODS)[number]; path: string; open: boolean }>;
    beforeAll(async () => {
      const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      const doc = res.json() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
      routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
        METHODS.filter((m) => m in ops).map((method) => ({
          method,
          path,
          // Routes that need no login say so in the document (OpenAPI `security: []`).
          open: Array.isArray(ops[method]?.security) && ops[method]?.security?.length === 0,
        })),
      );
    });

    it('the document marks exactly the routes without login as open', () => {
      const open = routes.filter((r) => r.open).map((r) => `${r.method.toUpperCase()} ${r.path}`);
      for (const route of [
        'POST /api/v1/auth/login',
        'GET /api/v1/client-config',
        'POST /api/v1/public/reports',
      ]) {
        expect(open).toContain(route);
      }
      expect(open).not.toContain('GET /api/v1/cases');
      expect(
        open.every((r) => PUBLIC.has(r) || /^\w+ \/api\/v1\/(public\/|client-config|open-data)/.test(r)),
      ).toBe(true);
    });

    it('/api/openapi.json is an OpenAPI 3 document listing the API routes', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.info).toMatchObject({ title: 'CityLoop API', version: expect.any(String) });
      const listed = routes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
      for (const route of [
        'POST /api/v1/auth/login',
        'GET /api/v1/auth/me',
        'GET /api/v1/grids/locate',
        'GET /api/v1/grids/{code}',
        'POST /api/v1/grids',
        'GET /api/v1/users',
        'POST /api/v1/users',
        'POST /api/v1/users/{id}/reset-password',
        'GET /api/v1/divisions/{code}',
        'GET /api/health',
      ]) {
        expect(listed).toContain(route);
      }
      expect(routes.filter((r) => r.path.startsWith('/api/v1/')).length).toBeGreaterThanOrEqual(20);
      // The locate query parameters are documented.
      const locate = doc.paths['/api/v1/grids/locate'].get;
      expect(locate.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['at', 'lat', 'lng']);
    });

    it('every non-public /api/v1 route answers 401 UNAUTHENTICATED without credentials', async () => {
      const protectedRoutes = routes.filter(
        (r) => r.path.startsWith('/api/v1/') && !r.open && !PUBLIC.has(`${r.method.toUpperCase()} ${r.path}`),
      );
      expect(protectedRoutes.length).toBeGreaterThanOrEqual(19);
      const before = await counts();
      for (const r of protectedRoutes) {
        const url = r.path.replace(/\{(\w+)\}/g, (_, name: string) => PARAM_VALUES[name] ?? '1');
        const withBody = r.method === 'post' || r.method === 'put' || r.method === 'patch';
        const res = await app.inject({
          method: r.method.toUpperCase() as 'GET',
          url,
          ...(withBody ? { payload: {} } : {}),
        });
        expect(res.statusCode, `${r.method} ${url}: ${res.body}`).toBe(401);
        expectError(res, 401, 'UNAUTHENTICATED');
        // A bogus token and an unsupported scheme are refused as well.
        const bogus = await app.inject({
          method: r.method.toUpperCase() as 'GET',
          url,
          headers: { authorization: 'Bearer not-a-session' },
          ...(withBody ? { payload: {} } : {}),
        });
        expect(bogus.statusCode, `${r.method} ${url} with a bogus token`).toBe(401);
      }
      const basic = await app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { authorization: 'Basic eDp5' },
      });
      expect(expectError(basic, 401, 'UNAUTHENTICATED').details).toEqual({
        reason: 'unsupported_authorization_scheme',
      });
      expect(await counts()).toEqual(before);
    });

    it('the public login route is reachable without credentials', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: {} });
      expectError(res, 400, 'VALIDATION_FAILED');
    });
  });

  describe('request errors map onto the catalogue and write nothing', () => {
    const postUsers = (opts: { payload?: string | object; headers?: Record<string, string> }) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { ...admin, ...opts.headers },
        payload: opts.payload,
      });

    async function unchanged(fn: () => Promise<void>) {
      const before = await counts();
      await fn();
      expect(await counts()).toEqual(before);
    }

    it('malformed JSON → 400 MALFORMED_JSON', async () => {
      await unchanged(async () => {
        for (const payload of ['{"username": "x",', '{username: 1}', 'null nope']) {
          expectError(
            await postUsers({ payload, headers: { 'content-type': 'application/json' } }),
            400,
            'MALFORMED_JSON',
          );
        }
      });
    });

    it('an empty JSON body → 400 MALFORMED_JSON', async () => {
      await unchanged(async () => {
        expectError(
          await postUsers({ payload: '', headers: { 'content-type': 'application/json' } }),
          400,
          'MALFORMED_JSON',
        );
      });
    });

    it('wrong types → 400 VALIDATION_FAILED naming the paths', async () => {
      await unchanged(async () => {
        const err = expectError(
          await postUsers({ payload: { ...newUser, username: 42, role: 'emperor', phone: ['1'] } }),
          400,
          'VALIDATION_FAILED',
        );
        const details = err.details as {
          in: string;
          issues: Array<{ path: string[]; message: string; code: string }>;
        };
        expect(details.in).toBe('body');
        expect(details.issues.map((i) => i.path.join('.')).sort()).toEqual(['phone', 'role', 'username']);
        for (const issue of details.issues) {
          expect(issue.message).toEqual(expect.any(String));
          expect(issue.code).toEqual(expect.any(String));
        }
      });
    });

    it('nested issue paths are kept whole', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/grids',
        headers: admin,
        payload: {
          code: '510104001001999',
          communityCode: '510104001001',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [104, 30],
                [104, 'x'],
                [105, 31],
                [104, 30],
              ],
            ],
          },
        },
      });
      const details = expectError(res, 400, 'VALIDATION_FAILED').details as {
        issues: Array<{ path: string[] }>;
      };
      expect(details.issues.map((i) => i.path)).toContainEqual(['geometry', 'coordinates', '0', '1', '1']);
    });

    it('unknown fields → 400 VALIDATION_FAILED', async () => {
      await unchanged(async () => {
        const err = expectError(
          await postUsers({ payload: { ...newUser, isAdmin: true } }),
          400,
          'VALIDATION_FAILED',
        );
        expect(JSON.stringify(err.details)).toContain('isAdmin');
      });
    });

    it('a body over BODY_LIMIT_BYTES → 413 PAYLOAD_TOO_LARGE', async () => {
      await unchanged(async () => {
        const big = { ...newUser, displayName: 'x'.repeat(5000) };
        expectError(await postUsers({ payload: big }), 413, 'PAYLOAD_TOO_LARGE');
      });
    });

    it('a wrong content type → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      await unchanged(async () => {
        for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
          const res = await postUsers({ payload: 'username=x', headers: { 'content-type': type } });
          expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
        }
      });
    });

    it('the same user is created by a valid request (the probes above were the only reason for refusal)', async () => {
      const before = await counts();
      const res = await postUsers({ payload: newUser });
      expect(res.statusCode, res.body).toBe(201);
      expect(await counts()).toEqual({ ...before, users: before.users + 1, audit: before.audit + 1 });
    });

    it('an unknown route → 404 ROUTE_NOT_FOUND (with and without credentials)', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/nope'],
        ['POST', '/api/v2/users'],
        ['GET', '/nothing-here'],
        ['DELETE', '/api/v1/users'],
      ] as const) {
        const err = expectError(await app.inject({ method, url }), 404, 'ROUTE_NOT_FOUND');
        expect(err.details).toEqual({ url });
        expectError(await app.inject({ method, url, headers: admin }), 404, 'ROUTE_NOT_FOUND');
      }
    });

    it('Accept-Language: en picks the English message; anything else Chinese', async () => {
      const url = '/api/v1/nope';
      const en = expectError(
        await app.inject({ url, headers: { 'accept-language': 'en-US,en;q=0.9' } }),
        404,
        'ROUTE_NOT_FOUND',
        'en',
      );
      expect(en.message).toBe(ERRORS.ROUTE_NOT_FOUND.en);
      expect(en.messages).toEqual({ zh: ERRORS.ROUTE_NOT_FOUND.zh, en: ERRORS.ROUTE_NOT_FOUND.en });
      const zh = expectError(
        await app.inject({ url, headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' } }),
        404,
        'ROUTE_NOT_FOUND',
        'zh',
      );
      expect(zh.message).toBe(ERRORS.ROUTE_NOT_FOUND.zh);
      expectError(
        await app.inject({ url: '/api/v1/auth/me', headers: { 'accept-language': 'en' } }),
        401,
        'UNAUTHENTICATED',
        'en',
      );
    });
  });

  describe('headers', () => {
    it('sets the security headers on success, error and docs responses', async () => {
      for (const res of [
        await app.inject({ url: '/api/health' }),
        await app.inject({ url: '/api/v1/auth/me' }),
        await app.inject({ url: '/api/v1/nope' }),
        await app.inject({ url: '/api/v1/auth/me', headers: admin }),
      ]) {
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        const csp = String(res.headers['content-security-policy']);
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("frame-ancestors 'self'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).not.toContain('upgrade-insecure-requests');
        expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('echoes a valid x-request-id, replaces an invalid one by a UUID', async () => {
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
      const kept = await app.inject({ url: '/api/health', headers: { 'x-request-id': 'trace-abc.123_X' } });
      expect(kept.headers['x-request-id']).toBe('trace-abc.123_X');
      const keptOnError = await app.inject({
        url: '/api/v1/auth/me',
        headers: { 'x-request-id': 'trace-err-0001' },
      });
      expect(keptOnError.headers['x-request-id']).toBe('trace-err-0001');
      expect(expectError(keptOnError, 401, 'UNAUTHENTICATED')).toMatchObject({ requestId: 'trace-err-0001' });
      for (const bad of ['short', 'has space in it', 'x'.repeat(65), 'inject<script>', 'ümlaut-äöü-id']) {
        const res = await app.inject({ url: '/api/health', headers: { 'x-request-id': bad } });
        expect(res.headers['x-request-id']).toMatch(uuid);
      }
      const none = await app.inject({ url: '/api/health' });
      const other = await app.inject({ url: '/api/health' });
      expect(none.headers['x-request-id']).toMatch(uuid);
      expect(other.headers['x-request-id']).not.toBe(none.headers['x-request-id']);
    });
  });

  describe('docs', () => {
    it('/api/docs serves the Swagger UI page with local assets only', async () => {
      let res = await app.inject({ url: '/api/docs' });
      if (res.statusCode === 302) res = await app.inject({ url: String(res.headers.location) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const html = res.body;
      expect(html).toMatch(/swagger/i);
      const refs = [...html.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1] as string);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        expect(ref, `${ref} must be local`).not.toMatch(/^(https?:)?\/\//);
        const url = new URL(ref, 'http://localhost/api/docs/').pathname;
        const asset = await app.inject({ url });
        expect(asset.statusCode, url).toBe(200);
      }
      // The UI's initializer and the document it loads are local too.
      const init = await app.inject({ url: '/api/docs/static/swagger-initializer.js' });
      expect(init.statusCode).toBe(200);
      const code = init.body.replace(/\/\/.*$/gm, '').replace(/'data:[^']*'/g, "''");
      expect(code).not.toMatch(/https?:\/\//);
      expect(code).toContain("resolveUrl('./json')");
      expect(code).toContain('validatorUrl: null');
      // The docs page's CSP loads nothing from elsewhere and never upgrades to https.
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/https:|upgrade-insecure-requests|swagger\.io/);
      const json = await app.inject({ url: '/api/docs/json' });
      expect(json.statusCode).toBe(200);
      expect(json.json().openapi).toMatch(/^3\./);
    });
  });

  describe('health', () => {
    it('GET /api/health → 200 with the database ok', async () => {
      const res = await app.inject({ url: '/api/health' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'ok',
        database: 'ok',
        store: 'postgres',
        version: expect.any(String),
      });
      expect(res.json().dbLatencyMs).toBeGreaterThanOrEqual(0);
    });

    it('GET /api/health → 503 once the store is closed', async () => {
      const own = await openTestStore('postgres');
      const ownApp = await testApp(own.store);
      try {
        expect((await ownApp.inject({ url: '/api/health' })).statusCode).toBe(200);
        await own.store.close();
        const res = await ownApp.inject({ url: '/api/health' });
        expect(res.statusCode).toBe(503);
        expect(res.json()).toMatchObject({ status: 'degraded', database: 'unavailable', store: 'postgres' });
      } finally {
        await ownApp.close();
        await own.dispose().catch(() => {});
      }
    });
  });
});

describe.skipIf(!testStores().includes('pglite'))('HTTP platform smoke (pglite)', () => {
  let t: TestStore;
  let app: ApiApp;
  beforeAll(async () => {
    t = await openTestStore('pglite');
    app = await testApp(t.store);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('health, login, an authenticated read and the error shape work on the embedded store', async () => {
    const health = await app.inject({ url: '/api/health' });
    expect(health.json()).toMatchObject({ status: 'ok', database: 'ok', store: 'pglite' });
    const admin = await bearer(app, 'admin');
    const me = await app.inject({ url: '/api/v1/auth/me', headers: admin });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('admin');
    expectError(await app.inject({ url: '/api/v1/auth/me' }), 401, 'UNAUTHENTICATED');
    expectError(
      await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { ...admin, 'content-type': 'application/json' },
        payload: '{',
      }),
      400,
      'MALFORMED_JSON',
    );
  });

  it('GET /api/health → 503 once the embedded store is closed', async () => {
    const own = await openTestStore('pglite');
    const ownApp = await testApp(own.store);
    try {
      await own.store.close();
      const res = await ownApp.inject({ url: '/api/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'degraded', database: 'unavailable', store: 'pglite' });
    } finally {
      await ownApp.close();
      await own.dispose().catch(() => {});
    }
    // Opens a store of its own (a PGlite start): as long as a beforeAll may take.
  }, 180_000);
});
