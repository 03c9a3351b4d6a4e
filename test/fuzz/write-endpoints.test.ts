/**
 * Generated malformed requests against every write endpoint of the OpenAPI document, as an
 * administrator and anonymously: each must be refused with a 4xx in the documented error format,
 * and the database must be unchanged afterwards.
 *
 * Bounded: FUZZ_RUNS runs per endpoint and caller (default 25). The seed is printed; replay a
 * failure with FUZZ_SEED=<seed> (each endpoint runs with seed + its index in the document).
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/platform/errors.js';
import type { ApiApp } from '../../src/platform/http/types.js';
import { bearer, testApp } from '../helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../helpers/stores.js';
import { nulText, type Operation, schemaViolation, writeOperations } from './openapi-arbitraries.js';

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

/**
 * Columns that change on every authenticated request by design (touch times), and the public
 * rate-limit counters, which count refused requests too so hammering cannot reopen the window.
 */
const VOLATILE_COLUMNS = ['last_seen_at', 'last_used_at'];
const COUNTER_TABLES = new Set(['public_rate_limits']);

interface Req {
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  defect: string;
}

const DEEP_OPENERS = ['[', '{"a":'];
const NOT_ACCEPTED_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'text/html',
];
const PATH_NOISE = ['1', '2', '510104001001001', 'SZ-01', 'street', 'abc'];

/** A JSON text that does not parse. */
const brokenJson = fc
  .tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat())
  .map(([v, cut]) => {
    const text = JSON.stringify({ v });
    const broken = text.slice(0, cut % text.length);
    return broken === '' ? '{' : broken;
  })
  .filter((t) => {
    try {
      JSON.parse(t);
      return false;
    } catch {
      return true;
    }
  });

function requests(op: Operation, auth: Record<string, string>): fc.Arbitrary<Req> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const pathValues = fc.record(
    Object.fromEntries(pathParams.map((p) => [p.name, fc.constantFrom(...PATH_NOISE)])),
  );
  const urlOf = (values: Record<string, string>, query = '') =>
    op.path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '1') + query;
  const json = (defect: string, payload: string, extra: Record<string, string> = {}) =>
    pathValues.map(
      (values): Req => ({
        url: urlOf(values),
        headers: { ...auth, 'content-type': 'application/json', ...extra },
        payload,
        defect,
      }),
    );

  const defects: fc.Arbitrary<Req>[] = [
    brokenJson.chain((t) => json('broken JSON', t)),
    fc
      .tuple(fc.integer({ min: 65, max: 5000 }), fc.constantFrom(...DEEP_OPENERS), fc.boolean())
      .chain(([depth, opener, keyed]) => {
        const closer = opener === '[' ? ']' : '}';
        const text = `${opener.repeat(depth)}1${closer.repeat(depth)}`;
        // With an Idempotency-Key the body used to be fingerprinted (walked) before validation.
        return json(`JSON nested ${depth} deep`, text, keyed ? { 'idempotency-key': `deep-${depth}` } : {});
      }),
    fc
      .tuple(fc.jsonValue({ maxDepth: 2 }), nulText, fc.boolean())
      .chain(([value, text, asKey]) =>
        json(
          asKey ? 'NUL in a key' : 'NUL in a string',
          JSON.stringify(asKey ? { [text]: value } : { value, note: text }),
        ),
      ),
    fc
      .tuple(fc.constantFrom(...NOT_ACCEPTED_TYPES), fc.string({ minLength: 1, maxLength: 40 }), pathValues)
      .map(([type, body, values]) => ({
        url: urlOf(values),
        headers: { ...auth, 'content-type': type },
        payload: body,
        defect: `content type ${type}`,
      })),
    fc.tuple(pathValues, fc.string({ maxLength: 5 })).map(([values, key]) => ({
      url: urlOf(values, `?${encodeURIComponent(key) || 'q'}=a%00b`),
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{}',
      defect: 'NUL in the query',
    })),
    fc
      .tuple(pathValues, nulText, fc.constantFrom('user-agent', 'x-device-id', 'accept-language', 'x-fuzz'))
      .map(([values, text, name]) => ({
        url: urlOf(values),
        headers: { ...auth, 'content-type': 'application/json', [name]: text },
        payload: '{}',
        defect: `NUL in header ${name}`,
      })),
  ];
  if (pathParams.length > 0) {
    const bad = fc.oneof(
      fc.constantFrom('%00', 'a%00', '%zz', '%E4%B8', 'x'.repeat(3000)),
      nulText.map((t) => encodeURIComponent(t)),
    );
    defects.push(
      fc
        .tuple(pathValues, fc.constantFrom(...pathParams.map((p) => p.name)), bad)
        .map(([values, name, value]) => ({
          url: urlOf({ ...values, [name]: value }),
          headers: { ...auth, 'content-type': 'application/json' },
          payload: '{}',
          defect: `impossible path parameter ${name}`,
        })),
    );
    const patterned = pathParams.filter((p) => p.schema.pattern || p.schema.enum);
    if (patterned.length > 0) {
      defects.push(
        fc
          .tuple(
            pathValues,
            fc.constantFrom(...patterned),
            fc.oneof(
              fc.constantFrom('0x1', '1e0', '+1', '01', '1.0', '-1', '2147483648', '99999999999999999', '١'),
              fc.string({ minLength: 1, maxLength: 20 }),
            ),
          )
          .filter(([, p, v]) =>
            p.schema.enum ? !p.schema.enum.includes(v) : !new RegExp(p.schema.pattern as string).test(v),
          )
          .map(([values, p, v]) => ({
            url: urlOf({ ...values, [p.name]: encodeURIComponent(v) }),
            headers: { ...auth, 'content-type': 'application/json' },
            payload: '{}',
            defect: `path parameter ${p.name} = ${JSON.stringify(v)}`,
          })),
      );
    }
  }
  if (op.body) {
    defects.push(
      schemaViolation(op.body).chain(({ body, defect }) => json(`schema: ${defect}`, JSON.stringify(body))),
    );
  }
  if (op.method === 'POST') {
    defects.push(
      fc
        .oneof(
          fc.string({ maxLength: 10 }).map((s) => `${s} ${s}`),
          fc.constant('k'.repeat(101)),
          fc.constantFrom('', '键', 'a/b', 'a b'),
        )
        .chain((key) => json(`Idempotency-Key ${JSON.stringify(key)}`, '{}', { 'idempotency-key': key })),
    );
  }
  // Raw uploads (photos, xlsx imports): bytes that are not what the content type says.
  const rawTypes = [
    ...op.rawTypes,
    ...(/\/media$/.test(op.path) ? ['image/png', 'image/jpeg', 'image/webp'] : []),
  ];
  if (rawTypes.length > 0) {
    const magic: Record<string, number[]> = {
      'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      'image/jpeg': [0xff, 0xd8, 0xff],
      'image/webp': [...Buffer.from('RIFF\u0020\0\0\0WEBP', 'latin1')],
    };
    defects.push(
      fc
        .tuple(
          pathValues,
          fc.constantFrom(...rawTypes),
          fc.uint8Array({ minLength: 1, maxLength: 300 }),
          fc.boolean(),
        )
        .map(([values, type, bytes, withMagic]) => ({
          url: urlOf(values),
          headers: { ...auth, 'content-type': type },
          payload: Buffer.concat([Buffer.from(withMagic ? (magic[type] ?? []) : []), Buffer.from(bytes)]),
          defect: `garbage ${type}${withMagic ? ' behind its magic bytes' : ''}`,
        })),
    );
  }
  const noise = fc.record(
    {
      'accept-language': fc.constantFrom('en', 'zh-CN', 'fr;q=0.1', ''),
      'x-request-id': fc.stringMatching(/^[A-Za-z0-9._-]{0,70}$/),
    },
    { requiredKeys: [] },
  );
  return fc.tuple(fc.oneof(...defects), noise).map(([req, extra]) => ({
    ...req,
    headers: { ...extra, ...req.headers },
  }));
}

/** Row count and a content checksum per table (touch-time columns left out). */
async function fingerprint(t: TestStore): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(t.store.db);
  const out: Record<string, string> = {};
  const volatile = await sql<{ table: string }>`
    SELECT DISTINCT table_name AS table FROM information_schema.columns
    WHERE table_schema = 'public' AND column_name IN (${sql.join(VOLATILE_COLUMNS)})`.execute(t.store.db);
  const touched = new Set(volatile.rows.map((r) => r.table));
  const drop = sql.raw(`ARRAY[${VOLATILE_COLUMNS.map((c) => `'${c}'`).join(',')}]`);
  for (const { name } of tables.rows) {
    if (COUNTER_TABLES.has(name) || name === 'spatial_ref_sys') continue;
    // The row's text form is cheap (geometry as hex WKB); jsonb only where columns are left out.
    const row = touched.has(name) ? sql`(to_jsonb(t) - ${drop})::text` : sql`t::text`;
    const r = await sql<{ n: string; h: string }>`
      SELECT count(*)::text AS n, coalesce(sum(hashtext(${row})::bigint), 0)::text AS h
      FROM ${sql.table(name)} t`.execute(t.store.db);
    out[name] = `${r.rows[0]?.n}:${r.rows[0]?.h}`;
  }
  return out;
}

describe.skipIf(!testStores().includes('postgres'))(
  'malformed requests to every write endpoint (postgres)',
  () => {
    let t: TestStore;
    let app: ApiApp;
    let admin: Record<string, string>;
    let operations: Operation[];
    let before: Record<string, string>;

    beforeAll(async () => {
      t = await openTestStore('postgres');
      // A generous public rate limit: refusals must come from the input, not from the counter.
      app = await testApp(t.store, {
        PUBLIC_RATE_LIMIT_PER_IP: '100000',
        PUBLIC_RATE_LIMIT_PER_DEVICE: '100000',
      });
      admin = await bearer(app, 'admin');
      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      operations = writeOperations(doc);
      before = await fingerprint(t);
      console.log(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} replays), ${RUNS} runs per endpoint and caller`);
    });
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    it('the document lists the write endpoints', () => {
      expect(operations.length).toBeGreaterThanOrEqual(60);
      expect(operations.map((o) => `${o.method} ${o.path}`)).toContain('POST /api/v1/auth/login');
    });

    for (const caller of ['admin', 'anonymous'] as const) {
      it(`as ${caller}: every malformed request is a 4xx in the documented error format`, async () => {
        for (const [index, op] of operations.entries()) {
          await fc.assert(
            fc.asyncProperty(requests(op, caller === 'admin' ? admin : {}), async (req) => {
              const res = await app.inject({
                method: op.method,
                url: req.url,
                headers: req.headers,
                ...(req.payload === undefined ? {} : { payload: req.payload }),
              });
              const what = `${op.method} ${op.path} (${req.defect}) → ${res.statusCode} ${res.body.slice(0, 300)}`;
              expect(res.statusCode, what).toBeGreaterThanOrEqual(400);
              expect(res.statusCode, what).toBeLessThan(500);
              const body = res.json() as { error: Record<string, unknown> };
              expect(Object.keys(body), what).toEqual(['error']);
              expect(Object.keys(body.error).sort(), what).toEqual([
                'code',
                'details',
                'message',
                'messages',
                'requestId',
              ]);
              const entry = ERRORS[body.error.code as keyof typeof ERRORS];
              expect(entry?.status, what).toBe(res.statusCode);
              const messages = body.error.messages as { zh: string; en: string };
              expect(typeof messages.zh === 'string' && typeof messages.en === 'string', what).toBe(true);
              expect([messages.zh, messages.en], what).toContain(body.error.message);
            }),
            { seed: SEED + index, numRuns: RUNS, endOnFailure: true },
          );
        }
      }, 120_000);
    }

    it('wrote nothing: every table has the rows and content it had before', async () => {
      expect(await fingerprint(t)).toEqual(before);
    });
  },
);
