/** The input guard: NUL characters, JSON depth, URL and connection errors, in the API's error format. */
import net from 'node:net';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, DEMO_PASSWORD, testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { StoreKind } from '../db/store.js';
import { AppError } from '../errors.js';
import { jsonDepthExceeds, MAX_JSON_DEPTH, parseJsonBody } from './input-guard.js';
import type { ApiApp } from './types.js';

const nested = (depth: number, leaf = '1') => `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;
const codeOf = (f: () => unknown) => {
  try {
    f();
    return null;
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
};

describe('JSON bounds (pure)', () => {
  it('measures nesting on the raw text, brackets inside strings not counted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 100 }), (depth, limit) => {
        expect(jsonDepthExceeds(nested(depth), limit)).toBe(depth > limit);
        // The same brackets inside a string (with escaped quotes around them) are text.
        expect(jsonDepthExceeds(JSON.stringify({ s: `\\"${nested(depth)}` }), limit)).toBe(limit < 1);
      }),
    );
  });

  it('parses what JSON.parse parses up to the depth bound, and refuses the rest with a stable code', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        expect(parseJsonBody(text)).toEqual(JSON.parse(text));
      }),
    );
    expect(parseJsonBody(nested(MAX_JSON_DEPTH))).toEqual(JSON.parse(nested(MAX_JSON_DEPTH)));
    expect(codeOf(() => parseJsonBody(nested(MAX_JSON_DEPTH + 1)))).toBe('JSON_TOO_DEEP');
    expect(codeOf(() => parseJsonBody(`{"a":${nested(100_000)}}`))).toBe('JSON_TOO_DEEP');
    expect(codeOf(() => parseJsonBody(''))).toBe('MALFORMED_JSON');
    expect(codeOf(() => parseJsonBody('{"a":'))).toBe('MALFORMED_JSON');
    expect(codeOf(() => parseJsonBody('{"__proto__":{"admin":true}}'))).toBe('MALFORMED_JSON');
    expect(codeOf(() => parseJsonBody('{"constructor":{"prototype":{}}}'))).toBe('MALFORMED_JSON');
    expect(parseJsonBody('\ufeff{"a":1}')).toEqual({ a: 1 });
  });

  it('refuses a NUL in any string or key, at any depth, naming its path', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 0, 1), { maxLength: 8 }),
        fc.boolean(),
        (path, inKey) => {
          let value: unknown = inKey ? { 'x\u0000y': 1 } : 'x\u0000y';
          for (const step of [...path].reverse()) {
            value = typeof step === 'number' ? [...Array(step).fill(null), value] : { [step]: value };
          }
          const err = (() => {
            try {
              parseJsonBody(JSON.stringify(value));
            } catch (e) {
              return e as AppError;
            }
            return null;
          })();
          expect(err?.code).toBe('VALIDATION_FAILED');
          const expected = [...path.map(String), ...(inKey ? ['x\u0000y'] : [])];
          expect((err as AppError).details).toMatchObject({ in: 'body', path: expected });
        },
      ),
    );
  });
});

function httpSuite(kind: StoreKind, full: boolean) {
  let t: TestStore;
  let app: ApiApp;
  let admin: { authorization: string };

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    admin = await bearer(app, 'admin');
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  /** Rows of the tables these requests could write to. */
  const counts = async () =>
    (
      await sql<Record<string, number>>`
        SELECT (SELECT count(*)::int FROM users) AS users,
               (SELECT count(*)::int FROM sessions) AS sessions,
               (SELECT count(*)::int FROM audit_log) AS audit,
               (SELECT count(*)::int FROM cases) AS cases,
               (SELECT count(*)::int FROM idempotency_keys) AS keys`.execute(t.store.db)
    ).rows[0];

  const nulRequests = () => [
    // Anonymous.
    {
      method: 'POST' as const,
      url: '/api/v1/auth/login',
      payload: { username: 'admin\u0000', password: DEMO_PASSWORD, client: 'app' },
    },
    {
      method: 'POST' as const,
      url: '/api/v1/auth/login',
      headers: { 'user-agent': 'probe\u0000' },
      payload: { username: 'admin', password: DEMO_PASSWORD, client: 'app' },
    },
    {
      method: 'POST' as const,
      url: '/api/v1/public/reports',
      headers: { 'x-device-id': 'device-nul-00001' },
      payload: {
        category: 'garbage',
        description: '垃圾\u0000堆积',
        location: { lng: 104.07, lat: 30.66, crs: 'wgs84' },
      },
    },
    { method: 'GET' as const, url: '/api/v1/public/reports/%00abc' },
    // Logged in: a search, a path parameter, a key in a body.
    { method: 'GET' as const, url: '/api/v1/cases?q=%00', headers: admin },
    { method: 'GET' as const, url: '/api/v1/grids/%00', headers: admin },
    {
      method: 'POST' as const,
      url: '/api/v1/users',
      headers: admin,
      payload: { username: 'nulprobe', displayName: '探\u0000针', role: 'intake', divisionCode: '510104' },
    },
  ];

  it('a NUL character in a body field, a key, the query, the path or a header → 400 VALIDATION_FAILED, nothing written', async () => {
    const before = await counts();
    const requests = full ? nulRequests() : nulRequests().slice(0, 2);
    for (const r of requests) {
      const res = await app.inject(r);
      const err = expectError(res, 400, 'VALIDATION_FAILED');
      expect(err.details.reason, `${r.method} ${r.url}`).toBe('nul_character');
      expect(err.messages.en).toMatch(/NUL character/);
    }
    expect(await counts()).toEqual(before);
  });

  it('deeply nested JSON with an Idempotency-Key → 400 JSON_TOO_DEEP before anything walks it, anonymous or not', async () => {
    const before = await counts();
    const deep = `{"username":${nested(50_000)}}`;
    for (const [url, headers] of [
      ['/api/v1/auth/login', {}],
      ['/api/v1/public/reports', { 'x-device-id': 'device-deep-00001' }],
      ['/api/v1/users', admin],
    ] as const) {
      const res = await app.inject({
        method: 'POST',
        url,
        headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': `deep-${url.length}` },
        payload: deep,
      });
      const err = expectError(res, 400, 'JSON_TOO_DEEP');
      expect(err.details).toEqual({ maxDepth: MAX_JSON_DEPTH });
    }
    // The GeoJSON import parsers share the bound.
    const geo = await app.inject({
      method: 'POST',
      url: '/api/v1/grids/import',
      headers: { ...admin, 'content-type': 'application/geo+json', 'idempotency-key': 'deep-geo' },
      payload: `{"type":"FeatureCollection","features":${nested(20_000, '{}')}}`,
    });
    expectError(geo, 400, 'JSON_TOO_DEEP');
    expect(await counts()).toEqual(before);
  });

  if (!full) return;

  it('a 3,000-character path → 414 URI_TOO_LONG in the documented format; a malformed escape → 400', async () => {
    for (const url of [`/api/v1/users/${'1'.repeat(3000)}`, `/api/v1/public/reports/${'A'.repeat(3000)}`]) {
      const res = await app.inject({ method: 'GET', url, headers: admin });
      expectError(res, 414, 'URI_TOO_LONG', { catalogueMessage: true });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    }
    const bad = await app.inject({ method: 'GET', url: '/api/v1/users/%zz', headers: admin });
    expect(expectError(bad, 400, 'VALIDATION_FAILED').details).toEqual({
      in: 'url',
      reason: 'malformed_url',
    });
  });

  it('over a real socket: a NUL byte in a header and oversized headers get the documented error body', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(request));
        let out = '';
        socket.on('data', (d) => {
          out += d.toString('utf8');
        });
        socket.on('close', () => resolve(out));
        socket.on('error', reject);
      });
    const parse = (response: string) => {
      const [head, body] = response.split('\r\n\r\n');
      return { status: Number(head?.split(' ')[1]), json: JSON.parse(body ?? '') };
    };
    const nul = parse(await raw('GET /api/health HTTP/1.1\r\nHost: x\r\nX-Probe: a\u0000b\r\n\r\n'));
    expect(nul.status).toBe(400);
    expect(nul.json.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { reason: 'malformed_http' },
    });
    expect(Object.keys(nul.json.error).sort()).toEqual([
      'code',
      'details',
      'message',
      'messages',
      'requestId',
    ]);
    const big = parse(
      await raw(`GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
    );
    expect(big.status).toBe(431);
    expect(big.json.error.code).toBe('HEADERS_TOO_LARGE');
  });
}

describe.skipIf(!testStores().includes('postgres'))('input guard over HTTP (postgres)', () => {
  httpSuite('postgres', true);
});

describe.skipIf(!testStores().includes('pglite'))('input guard over HTTP (pglite)', () => {
  httpSuite('pglite', false);
});
