/** Idempotency-Key on POSTs under /api/v1 (the field apps' offline outbox), on both stores. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import {
  client,
  type DemoUser,
  expectError,
  type Fixtures,
  fixtures,
  loginAll,
  type Tokens,
} from '../../modules/cases/testkit.js';
import { storable } from './idempotency.js';
import type { ApiApp } from './types.js';

describe('which responses are stored', () => {
  it('stores final answers (2xx, 4xx) and releases server errors and transient refusals', () => {
    expect([200, 201, 400, 403, 404, 415, 422].every(storable)).toBe(true);
    expect([408, 409, 423, 429, 500, 502, 503].some(storable)).toBe(false);
  });
});

describe.each(testStores())('idempotent POSTs (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-idem-'));

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

  const report = (description: string, extra: Record<string, unknown> = {}) => ({
    source: 'supervisor',
    kind: 'event',
    categoryCode: fx.category.code,
    lng: fx.supervised.lng,
    lat: fx.supervised.lat,
    address: '幂等测试地址',
    description,
    ...extra,
  });
  const post = (user: DemoUser, url: string, payload: unknown, key?: string) =>
    app.inject({
      method: 'POST',
      url,
      headers: { ...tokens[user], ...(key ? { 'idempotency-key': key } : {}) },
      payload: payload as Record<string, unknown>,
    });
  const casesWith = async (description: string) =>
    Number(
      (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM cases WHERE description = ${description}`.execute(ts.store.db)
      ).rows[0]?.n,
    );
  const events = async (caseId: number, action: string) =>
    Number(
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_events
          WHERE case_id = ${caseId} AND action = ${action}`.execute(ts.store.db)
      ).rows[0]?.n,
    );

  it('creates one case for a replayed report and answers the stored response', async () => {
    const first = await post('supervisor', '/api/v1/cases', report('离线上报一次'), 'outbox-0001');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('supervisor', '/api/v1/cases', report('离线上报一次'), 'outbox-0001');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    expect(await casesWith('离线上报一次')).toBe(1);
    // Without a key every POST runs.
    await c.report('supervisor', report('无键上报'));
    await c.report('supervisor', report('无键上报'));
    expect(await casesWith('无键上报')).toBe(2);
  });

  it('refuses the same key with another body (422) and a malformed key (400)', async () => {
    await post('supervisor', '/api/v1/cases', report('键A'), 'outbox-0002');
    const other = await post('supervisor', '/api/v1/cases', report('键A但内容不同'), 'outbox-0002');
    expectError(other, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await casesWith('键A但内容不同')).toBe(0);
    for (const bad of ['has space', 'x'.repeat(101), '键']) {
      expectError(
        await post('supervisor', '/api/v1/cases', report('坏键'), bad),
        400,
        'IDEMPOTENCY_KEY_INVALID',
      );
    }
    expect(await casesWith('坏键')).toBe(0);
  });

  it('stores a validation refusal too: the replay is the same 400, another body with that key is 422', async () => {
    const invalid = report('校验失败', { lng: 'x' });
    expectError(await post('supervisor', '/api/v1/cases', invalid, 'outbox-0003'), 400, 'VALIDATION_FAILED');
    const replay = await post('supervisor', '/api/v1/cases', invalid, 'outbox-0003');
    // The stored body is replayed as it was (with the first request's id).
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error.code).toBe('VALIDATION_FAILED');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expectError(
      await post('supervisor', '/api/v1/cases', report('校验失败'), 'outbox-0003'),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
  });

  it('runs concurrent double submits exactly once: the twin waits for the first and replays its answer', async () => {
    for (let i = 0; i < 4; i++) {
      const body = report(`并发重复提交 ${i}`);
      const key = `outbox-0004-${i}`;
      const both = await Promise.all([
        post('supervisor', '/api/v1/cases', body, key),
        post('supervisor', '/api/v1/cases', body, key),
      ]);
      // Never "still in progress": the twin waited on the uncommitted key row.
      expect(both.map((r) => r.statusCode)).toEqual([201, 201]);
      expect(both.map((r) => r.headers['idempotent-replayed'] ?? 'first').sort()).toEqual(['first', 'true']);
      expect(both[0]?.body).toBe(both[1]?.body);
      expect(await casesWith(`并发重复提交 ${i}`)).toBe(1);
    }
  });

  it('replays workflow actions without acting twice, also when sent concurrently', async () => {
    const k = await c.report('supervisor', report('动作幂等'));
    const url = `/api/v1/cases/${k.id}/actions/intake`;
    const first = await post('intake', url, { version: k.version }, 'act-0001');
    expect(first.statusCode, first.body).toBe(200);
    const again = await post('intake', url, { version: k.version }, 'act-0001');
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    expect(await events(k.id, 'intake')).toBe(1);

    const v = first.json().version;
    const fileUrl = `/api/v1/cases/${k.id}/actions/file`;
    const both = await Promise.all([
      post('shiftlead', fileUrl, { version: v }, 'act-0002'),
      post('shiftlead', fileUrl, { version: v }, 'act-0002'),
    ]);
    expect(both.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(both.map((r) => r.headers['idempotent-replayed'] ?? 'first').sort()).toEqual(['first', 'true']);
    expect(await events(k.id, 'file')).toBe(1);
  });

  it('keeps keys per user: another user’s equal key is independent', async () => {
    const mine = await post('supervisor', '/api/v1/cases', report('用户甲的键'), 'shared-key-1');
    expect(mine.statusCode).toBe(201);
    const theirs = await post(
      'intake',
      '/api/v1/cases',
      report('用户乙的键', { source: 'hotline_12345' }),
      'shared-key-1',
    );
    expect(theirs.statusCode, theirs.body).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(await casesWith('用户甲的键')).toBe(1);
    expect(await casesWith('用户乙的键')).toBe(1);
  });

  it('commits the key with what it guards: an answer that cannot be stored leaves nothing, and the retry runs at once', async () => {
    const db = ts.store.db;
    const body = report('提交失败');
    // The database refuses to store this one answer, as a crash between the case and its answer would.
    await sql`CREATE FUNCTION refuse_answer() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'answer refused for the test'; END $$`.execute(db);
    await sql`CREATE TRIGGER refuse_answer BEFORE UPDATE ON idempotency_keys FOR EACH ROW
      WHEN (NEW.key = 'commit-0001') EXECUTE FUNCTION refuse_answer()`.execute(db);
    try {
      const failed = await post('supervisor', '/api/v1/cases', body, 'commit-0001');
      expectError(failed, 503, 'IDEMPOTENCY_NOT_COMMITTED');
      // Nothing of it is kept: no case, no event, no key.
      expect(await casesWith('提交失败')).toBe(0);
      const key = await db
        .selectFrom('idempotency_keys')
        .select('key')
        .where('key', '=', 'commit-0001')
        .execute();
      expect(key).toEqual([]);
    } finally {
      await sql`DROP TRIGGER refuse_answer ON idempotency_keys`.execute(db);
      await sql`DROP FUNCTION refuse_answer()`.execute(db);
    }
    const retried = await post('supervisor', '/api/v1/cases', body, 'commit-0001');
    expect(retried.statusCode, retried.body).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await casesWith('提交失败')).toBe(1);
    const replay = await post('supervisor', '/api/v1/cases', body, 'commit-0001');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(retried.body);
  });

  it('forgets expired keys: the key runs again, also for another body', async () => {
    expect((await post('supervisor', '/api/v1/cases', report('过期前'), 'expire-0001')).statusCode).toBe(201);
    await sql`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'expire-0001'`.execute(
      ts.store.db,
    );
    const fresh = await post('supervisor', '/api/v1/cases', report('过期后重用'), 'expire-0001');
    expect(fresh.statusCode).toBe(201);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    expect(await casesWith('过期后重用')).toBe(1);
    const replay = await post('supervisor', '/api/v1/cases', report('过期后重用'), 'expire-0001');
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it('refuses a key where the answer or body holds a secret, and does nothing', async () => {
    const user = {
      username: 'idem-secret',
      displayName: '密钥',
      role: 'intake',
      divisionCode: '510104',
      password: 'Gx7#kLq9!mWz2026',
    };
    const cases: [string, string, unknown][] = [
      ['admin', '/api/v1/users', user],
      ['admin', '/api/v1/users/1/reset-password', {}],
      ['admin', '/api/v1/api-keys', { name: 'idem', userId: 1 }],
      ['supervisor', '/api/v1/auth/password', { currentPassword: 'x', newPassword: 'y' }],
    ];
    for (const [who, url, payload] of cases) {
      expectError(await post(who as DemoUser, url, payload, 'secret-0001'), 400, 'IDEMPOTENCY_NOT_SUPPORTED');
    }
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'idempotency-key': 'secret-0002' },
      payload: { username: 'admin', password: 'CityLoop@2026', client: 'app' },
    });
    expectError(login, 400, 'IDEMPOTENCY_NOT_SUPPORTED');
    const users = await ts.store.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'idem-secret')
      .execute();
    expect(users).toEqual([]);
    const keys = await ts.store.db
      .selectFrom('idempotency_keys')
      .select('key')
      .where('key', 'like', 'secret-%')
      .execute();
    expect(keys).toEqual([]);
  });

  it('covers every outbox call: self-handled reports and patrol positions run once under their key', async () => {
    const before = await c.upload('supervisor');
    const after = await c.upload('supervisor');
    const selfHandled = report('自行处置离线', { photos: [before], afterPhotos: [after] });
    delete (selfHandled as Record<string, unknown>).source;
    const first = await post('supervisor', '/api/v1/cases/self-handle', selfHandled, 'outbox-self-1');
    expect(first.statusCode, first.body).toBe(201);
    const again = await post('supervisor', '/api/v1/cases/self-handle', selfHandled, 'outbox-self-1');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    expect(await casesWith('自行处置离线')).toBe(1);

    expect((await c.call('supervisor', 'POST', '/api/v1/patrol/duty', { on: true })).statusCode).toBeLessThan(
      300,
    );
    const fix = {
      at: new Date().toISOString(),
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      crs: 'wgs84',
    };
    const positions = { positions: [fix] };
    const sent = await post('supervisor', '/api/v1/patrol/positions', positions, 'outbox-pos-1');
    expect(sent.statusCode, sent.body).toBeLessThan(300);
    const resent = await post('supervisor', '/api/v1/patrol/positions', positions, 'outbox-pos-1');
    expect(resent.headers['idempotent-replayed']).toBe('true');
    expect(resent.body).toBe(sent.body);
  });

  it('does not store a refusal worth retrying (409 version conflict)', async () => {
    const k = await c.report('supervisor', report('冲突不存储'));
    const url = `/api/v1/cases/${k.id}/actions/intake`;
    expectError(
      await post('intake', url, { version: k.version + 5 }, 'act-0009'),
      409,
      'CASE_VERSION_CONFLICT',
    );
    const row = await ts.store.db
      .selectFrom('idempotency_keys')
      .select('key')
      .where('key', '=', 'act-0009')
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });
});
