/**
 * Evaluations as background jobs (POST /evaluation/runs) and the job API (/jobs): 202 with a job
 * id, the same figures as the synchronous GET once done, the job its asker's alone (404 to
 * others, 403 once the asker lost the right), cancel, and 401/403/400 on every endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { seedHistory } from '../../seed/history.js';
import { clearEvaluationCache } from './cache.js';
import { HISTORY } from './testkit.js';

const SMALL = { ...HISTORY, days: 4, casesPerDay: 40 };
const QUERY = { subjectType: 'district', period: 'custom', from: '2026-01-05', to: '2026-01-08' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(testStores())('evaluation runs and the job API (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  const h: Record<string, { authorization: string }> = {};

  beforeAll(async () => {
    ts = await openTestStore(kind);
    await seedHistory(ts.store, SMALL);
    app = await testApp(ts.store);
    for (const u of ['leader', 'dispatcher', 'supervisor', 'dept']) h[u] = await bearer(app, u);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  const call = (user: string | null, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      ...(user ? { headers: h[user] } : {}),
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  async function finished(user: string, id: string) {
    const end = Date.now() + 60_000;
    for (;;) {
      const res = await call(user, 'GET', `/jobs/${id}`);
      expect(res.statusCode).toBe(200);
      const v = res.json();
      if (['succeeded', 'failed', 'cancelled'].includes(v.state)) return v;
      if (Date.now() > end) throw new Error(`job still ${v.state}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('answers 202 with a job at once; done, its result is the synchronous evaluation', async () => {
    const qs = new URLSearchParams(QUERY).toString();
    const sync = await call('leader', 'GET', `/evaluation/results?${qs}`);
    expect(sync.statusCode).toBe(200);
    expect(sync.json().rows.length).toBeGreaterThan(0);
    // Cold: the job must count the period itself, not read what the GET just cached.
    await clearEvaluationCache(ts.store.db);
    const res = await call('leader', 'POST', '/evaluation/runs', QUERY);
    expect(res.statusCode).toBe(202);
    const job = res.json();
    expect(job.id).toMatch(UUID);
    expect(res.headers.location).toBe(`/api/v1/jobs/${job.id}`);
    expect(job).toMatchObject({ kind: 'evaluation.results', file: null, error: null });
    expect(['queued', 'running']).toContain(job.state);
    const done = await finished('leader', job.id);
    expect(done).toMatchObject({ state: 'succeeded', progress: 100 });
    const result = await call('leader', 'GET', `/jobs/${job.id}/result`);
    expect(result.statusCode).toBe(200);
    expect(result.json()).toEqual(sync.json());
    // The asker comes back to it from the list of their jobs.
    const mine = await call('leader', 'GET', '/jobs?kind=evaluation.results');
    expect(mine.json().items.map((j: { id: string }) => j.id)).toContain(job.id);
    expect((await call('dispatcher', 'GET', '/jobs')).json().items).toEqual([]);
  });

  it("another user's job is not found; a finished job cannot be cancelled; a failed run keeps its error", async () => {
    const job = (await call('leader', 'POST', '/evaluation/runs', QUERY)).json();
    await finished('leader', job.id);
    for (const [method, url] of [
      ['GET', `/jobs/${job.id}`],
      ['GET', `/jobs/${job.id}/result`],
      ['DELETE', `/jobs/${job.id}`],
      ['POST', `/jobs/${job.id}/cancel`],
    ] as const) {
      expectError(await call('dispatcher', method, url), 404, 'NOT_FOUND');
    }
    expectError(await call('leader', 'DELETE', `/jobs/${job.id}`), 409, 'JOB_ALREADY_FINISHED');
    expectError(await call('leader', 'POST', `/jobs/${job.id}/cancel`), 409, 'JOB_ALREADY_FINISHED');
    // A department reads only department results: the job fails with the service's own error.
    const bad = (await call('dept', 'POST', '/evaluation/runs', QUERY)).json();
    const failed = await finished('dept', bad.id);
    expect(failed.state).toBe('failed');
    expect(failed.error.code).toBe('EVALUATION_SUBJECT_TYPE_NOT_ALLOWED');
    expectError(await call('dept', 'GET', `/jobs/${bad.id}/result`), 409, 'JOB_NOT_FINISHED');
  });

  it('cancels a queued run: it never runs and has no result', async () => {
    const id = '00000000-0000-4000-8000-0000000000aa';
    const users = await ts.store.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'leader')
      .execute();
    const leaderId = users[0]?.id as number;
    // Of a kind no runner here serves, so it stays queued until cancelled (the race-free way).
    await ts.store.db
      .insertInto('jobs')
      .values({
        id,
        kind: 'evaluation.unknown',
        owner_id: leaderId,
        actor: '{}',
        permission: 'evaluation.read',
        params: '{}',
      })
      .execute();
    const res = await call('leader', 'DELETE', `/jobs/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'cancelled', cancelRequested: true });
    expectError(await call('leader', 'GET', `/jobs/${id}/result`), 409, 'JOB_NOT_FINISHED');
    expectError(await call('leader', 'POST', `/jobs/${id}/cancel`), 409, 'JOB_ALREADY_FINISHED');
  });

  it('an Idempotency-Key run is stored with the request and a retry answers the same job', async () => {
    const send = () =>
      app.inject({
        method: 'POST',
        url: '/api/v1/evaluation/runs',
        headers: { ...h.leader, 'idempotency-key': 'run-once-0001' },
        payload: QUERY,
      });
    const first = await send();
    expect(first.statusCode, first.body).toBe(202);
    const again = await send();
    expect(again.statusCode).toBe(202);
    expect(again.json().id).toBe(first.json().id);
    expect((await finished('leader', first.json().id)).state).toBe('succeeded');
  });

  it('401 without a login, 403 without the right, 400 on bad input — on every endpoint', async () => {
    const job = (await call('leader', 'POST', '/evaluation/runs', QUERY)).json();
    await finished('leader', job.id);
    const endpoints = [
      ['POST', '/evaluation/runs', QUERY],
      ['GET', '/jobs'],
      ['GET', `/jobs/${job.id}`],
      ['GET', `/jobs/${job.id}/result`],
      ['DELETE', `/jobs/${job.id}`],
      ['POST', `/jobs/${job.id}/cancel`],
    ] as const;
    for (const [method, url, body] of endpoints) {
      expectError(await call(null, method, url, body), 401, 'UNAUTHENTICATED');
    }
    expectError(await call('supervisor', 'POST', '/evaluation/runs', QUERY), 403, 'FORBIDDEN');
    expect((await call('supervisor', 'GET', '/jobs')).json().items).toEqual([]);
    for (const body of [
      { ...QUERY, subjectType: 'planet' },
      { ...QUERY, from: '5 Jan' },
      { ...QUERY, extra: 1 },
      { period: 'year' },
    ]) {
      expectError(await call('leader', 'POST', '/evaluation/runs', body), 400, 'VALIDATION_FAILED');
    }
    expectError(
      await call('leader', 'POST', '/evaluation/runs', { ...QUERY, to: '2025-01-01' }),
      400,
      'EVALUATION_PERIOD_INVALID',
    );
    for (const [method, url] of [
      ['GET', '/jobs/123'],
      ['GET', '/jobs/not-a-uuid/result'],
      ['DELETE', '/jobs/1'],
      ['POST', '/jobs/x/cancel'],
      ['GET', '/jobs?limit=0'],
      ['GET', '/jobs?kind=DROP%20TABLE'],
    ] as const) {
      expectError(await call('leader', method, url), 400, 'VALIDATION_FAILED');
    }
    // The asker who lost the right the job needed may no longer read it.
    await ts.store.db
      .updateTable('users')
      .set({ role: 'supervisor' })
      .where('username', '=', 'leader')
      .execute();
    try {
      for (const [method, url] of endpoints.slice(2)) {
        expectError(await call('leader', method, url), 403, 'FORBIDDEN');
      }
    } finally {
      await ts.store.db
        .updateTable('users')
        .set({ role: 'leader' })
        .where('username', '=', 'leader')
        .execute();
    }
  });
});
