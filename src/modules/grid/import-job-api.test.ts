/**
 * The grid import as a job over HTTP, on both stores: up-front refusals (401/403/400) queue
 * nothing; a valid file answers 202 with the job, shows its progress and keeps the report for its
 * asker (and an administrator); another user gets 404; a file whose coordinates are found wrong
 * deep in the work fails the job with the report and writes nothing.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collection, featureOf, gridsOf } from '../../../test/fixtures/grids/demo-files.js';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { type JobViewBody, settled } from '../../../test/helpers/jobs.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import type { ApiApp } from '../../platform/http/types.js';

const city = generateDemoCity();
const C1 = city.divisions.find((d) => d.level === 'community' && d.code.startsWith('510104'))?.code as string;
const features = gridsOf(city, C1).map(featureOf);

describe.each(testStores())('grid import job over HTTP (%s)', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  const h: Record<string, Record<string, string>> = {};
  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    for (const u of ['admin', 'intake', 'dispatcher']) h[u] = await bearer(app, u);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const state = async () => {
    const r = await sql<{ grids: number; jobs: number; changes: number }>`
      SELECT (SELECT count(*)::int FROM grids) AS grids, (SELECT count(*)::int FROM jobs) AS jobs,
             (SELECT count(*)::int FROM grid_changes) AS changes`.execute(t.store.db);
    return r.rows[0];
  };
  const post = (body: unknown, query = '', headers: Record<string, string> = h.admin ?? {}) =>
    app.inject({ method: 'POST', url: `/api/v1/grids/import${query}`, headers, payload: body as object });
  const get = (user: string, url: string) =>
    app.inject({ method: 'GET', url: `/api/v1${url}`, headers: h[user] ?? {} });

  it('refuses up front (401, 403, 400) and queues nothing', async () => {
    const before = await state();
    expectError(await post(collection(features), '', {}), 401, 'UNAUTHENTICATED');
    expectError(await post(collection(features), '', h.intake), 403, 'FORBIDDEN');
    expectError(await post(collection(features), '?crs=EPSG:9999'), 400, 'GRID_CRS_UNKNOWN');
    expectError(await post(collection([])), 400, 'GRID_IMPORT_FILE');
    expectError(await post({ type: 'Feature' }), 400, 'VALIDATION_FAILED');
    expect(await state()).toEqual(before);
  });

  it('answers 202 with the job; its progress and report are kept for the asker and an admin only', async () => {
    const res = await post(collection(features), '?dryRun=true');
    expect(res.statusCode, res.body).toBe(202);
    const job = res.json() as JobViewBody;
    expect(job).toMatchObject({ kind: 'grids.import', error: null });
    expect(['queued', 'running', 'succeeded']).toContain(job.state);
    expect(res.headers.location).toBe(`/api/v1/jobs/${job.id}`);
    const seen: JobViewBody[] = [];
    const done = await settled(app, h.admin ?? {}, job.id, seen);
    expect(done).toMatchObject({ state: 'succeeded', progress: 100 });
    const progress = seen.map((v) => v.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const result = await get('admin', `/jobs/${job.id}/result`);
    expect(result.statusCode).toBe(200);
    expect(result.json()).toMatchObject({
      ok: true,
      dryRun: true,
      problems: [],
      changeId: null,
      summary: { features: features.length, changes: { unchanged: features.length } },
    });
    // Not the asker, not an admin: the job does not exist for them.
    expectError(await get('dispatcher', `/jobs/${job.id}`), 404, 'NOT_FOUND');
    expectError(await get('dispatcher', `/jobs/${job.id}/result`), 404, 'NOT_FOUND');
    expectError(await get('admin', '/jobs/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
    expectError(
      await app.inject({ method: 'DELETE', url: `/api/v1/jobs/${job.id}`, headers: h.admin ?? {} }),
      409,
      'JOB_ALREADY_FINISHED',
    );
  });

  it("an administrator reads another user's job", async () => {
    const owner = await t.store.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'dispatcher')
      .executeTakeFirstOrThrow();
    const id = '00000000-0000-4000-8000-0000000000bb';
    await t.store.db
      .insertInto('jobs')
      .values({
        id,
        kind: 'nobody.serves',
        owner_id: owner.id,
        actor: '{}',
        permission: 'case.read',
        params: '{}',
      })
      .execute();
    expect((await get('dispatcher', `/jobs/${id}`)).json()).toMatchObject({ id, state: 'queued' });
    expect((await get('admin', `/jobs/${id}`)).json()).toMatchObject({ id, state: 'queued' });
    expectError(await get('intake', `/jobs/${id}`), 404, 'NOT_FOUND');
    expectError(await get('admin', `/jobs/${id}/result`), 409, 'JOB_NOT_FINISHED');
  });

  it('a file found wrong deep in the work fails the job with its report and writes nothing', async () => {
    const before = await state();
    // Metres where degrees are expected: only the job's checks see it.
    const metres = features.map((f) => ({
      ...f,
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [500000, 3300000],
            [500100, 3300000],
            [500100, 3300100],
            [500000, 3300000],
          ],
        ],
      },
    }));
    const res = await post(collection(metres));
    expect(res.statusCode, res.body).toBe(202);
    const done = await settled(app, h.admin ?? {}, res.json().id);
    expect(done.state).toBe('failed');
    expect(done.error?.code).toBe('GRID_CRS_OUT_OF_RANGE');
    expect(done.error?.details).toMatchObject({ outside: expect.any(Number) });
    expectError(await get('admin', `/jobs/${done.id}/result`), 409, 'JOB_NOT_FINISHED');
    const after = await state();
    expect({ ...after, jobs: before?.jobs }).toEqual(before);
    expect(after?.jobs).toBe((before?.jobs ?? 0) + 1);
  });
});
