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

  it('runs a concurrent double submit exactly once', async () => {
    const body = report('并发重复提交');
    const [a, b] = await Promise.all([
      post('supervisor', '/api/v1/cases', body, 'outbox-0004'),
      post('supervisor', '/api/v1/cases', body, 'outbox-0004'),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses[0]).toBe(201);
    // The loser either waited for nothing (409, retry later) or came after the winner (replay).
    const loser = a.headers['idempotent-replayed'] || a.statusCode === 409 ? a : b;
    if (loser.statusCode === 409) {
      expectError(loser, 409, 'IDEMPOTENCY_IN_PROGRESS');
      expect(loser.headers['retry-after']).toBe('2');
    } else {
      expect(loser.headers['idempotent-replayed']).toBe('true');
    }
    expect(await casesWith('并发重复提交')).toBe(1);
    // The app's later retry gets the stored answer.
    const later = await post('supervisor', '/api/v1/cases', body, 'outbox-0004');
    expect(later.statusCode).toBe(201);
    expect(later.headers['idempotent-replayed']).toBe('true');
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
    expect(both.map((r) => r.statusCode)).toContain(200);
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

  it('answers 409 while a claim is fresh, retries a stale one (crashed first attempt), forgets expired keys', async () => {
    const body = report('崩溃窗口');
    expect((await post('supervisor', '/api/v1/cases', body, 'crash-0001')).statusCode).toBe(201);
    const db = ts.store.db;
    // As if the process died after claiming: the claim is open, one minute old.
    await sql`UPDATE idempotency_keys SET completed_at = NULL, status_code = NULL, response_body = NULL,
      claimed_at = now() - interval '1 minute' WHERE key = 'crash-0001'`.execute(db);
    const busy = await post('supervisor', '/api/v1/cases', body, 'crash-0001');
    expectError(busy, 409, 'IDEMPOTENCY_IN_PROGRESS');
    expect(busy.headers['retry-after']).toBe('2');
    // Ten minutes old: presumed dead, the retry runs (the case duplicate check is the backstop).
    await sql`UPDATE idempotency_keys SET claimed_at = now() - interval '10 minutes' WHERE key = 'crash-0001'`.execute(
      db,
    );
    const retried = await post('supervisor', '/api/v1/cases', body, 'crash-0001');
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.json().possibleDuplicates.length).toBeGreaterThan(0);
    expect(await casesWith('崩溃窗口')).toBe(2);
    // Expired: the key is free again, even for another body.
    await sql`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'crash-0001'`.execute(
      db,
    );
    const fresh = await post('supervisor', '/api/v1/cases', report('过期后重用'), 'crash-0001');
    expect(fresh.statusCode).toBe(201);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
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
