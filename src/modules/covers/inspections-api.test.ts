/**
 * 井盖巡查 in-process: plans by road class make supervisor tasks for a day and for a storm,
 * once; the supervisor records a result per cover (a defect with photos); 401/403/400.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, loginAll } from '../cases/testkit.js';

describe.each(testStores())('cover inspections API on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let api: ReturnType<typeof client>;
  const anon = (method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    api = client(app, await loginAll(app));
    const imported = await api.call('admin', 'POST', '/api/v1/covers/import', { roadClass: 'arterial' });
    expect(imported.statusCode, imported.body).toBe(200);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('makes tasks from plans by road class, daily, weekly and around storms, each once', async () => {
    const plans = '/api/v1/covers/inspections/plans';
    const daily = { name: '主干路每日巡查', roadClass: 'arterial', frequency: 'daily' };
    expectError(await anon('POST', '/covers/inspections/plans', daily), 401, 'UNAUTHENTICATED');
    expectError(await api.call('supervisor', 'POST', plans, daily), 403, 'FORBIDDEN');
    expectError(
      await api.call('admin', 'POST', plans, { ...daily, frequency: 'weekly' }),
      400,
      'VALIDATION_FAILED',
    );
    expect((await api.call('admin', 'POST', plans, daily)).statusCode).toBe(201);
    const weekly = {
      name: '支路每周巡查',
      roadClass: 'branch',
      frequency: 'weekly',
      weekday: 1,
      stormChecks: false,
    };
    expect((await api.call('admin', 'POST', plans, weekly)).statusCode).toBe(201);
    expect((await api.call('intake', 'GET', plans)).json().items).toHaveLength(2);

    const gen = '/api/v1/covers/inspections/generate';
    expectError(
      await anon('POST', '/covers/inspections/generate', { date: '2026-12-07' }),
      401,
      'UNAUTHENTICATED',
    );
    expectError(await api.call('intake', 'POST', gen, { date: '2026-12-07' }), 403, 'FORBIDDEN');
    expectError(await api.call('admin', 'POST', gen, { date: '7 Dec' }), 400, 'VALIDATION_FAILED');
    const monday = await api.call('admin', 'POST', gen, { date: '2026-12-07' });
    expect(monday.statusCode, monday.body).toBe(200);
    // Both plans are due on a Monday; only the arterial one has covers (all were imported as arterial).
    expect(monday.json()).toMatchObject({ plans: 2 });
    expect(monday.json().created).toBeGreaterThan(0);
    expect((await api.call('admin', 'POST', gen, { date: '2026-12-07' })).json().created).toBe(0);
    const storm = await api.call('admin', 'POST', gen, { date: '2026-12-07', storm: 'before' });
    expect(storm.json()).toMatchObject({ plans: 1, created: monday.json().created });
  });

  it('lets the supervisor record a result per cover of his task, a defect only with a photo', async () => {
    const tasks = (
      await api.call('supervisor', 'GET', '/api/v1/covers/inspections/tasks?date=2026-12-07')
    ).json().items;
    expect(tasks.map((x: { reason: string }) => x.reason).sort()).toEqual(['before_storm', 'routine']);
    const task = tasks.find((x: { reason: string }) => x.reason === 'routine');
    expect(task.covers.length).toBeGreaterThan(0);
    expect(task.done).toBe(false);
    const url = `/api/v1/covers/inspections/tasks/${task.id}/results`;
    const cover = task.covers[0].componentId;
    expectError(
      await anon('POST', `/covers/inspections/tasks/${task.id}/results`, {
        componentId: cover,
        result: 'ok',
      }),
      401,
      'UNAUTHENTICATED',
    );
    expectError(await api.call('dept', 'POST', url, { componentId: cover, result: 'ok' }), 404, 'NOT_FOUND');
    expectError(
      await api.call('citizen', 'POST', url, { componentId: cover, result: 'ok' }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api.call('supervisor', 'POST', url, { componentId: cover, result: 'gone' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api.call('supervisor', 'POST', url, { componentId: cover, result: 'broken' }),
      400,
      'COVER_INSPECTION_PHOTOS_REQUIRED',
    );
    expectError(
      await api.call('supervisor', 'POST', url, { componentId: '5101040118000001', result: 'ok' }),
      400,
      'COVER_INSPECTION_NOT_IN_TASK',
    );
    const photo = await api.upload('supervisor');
    const broken = await api.call('supervisor', 'POST', url, {
      componentId: cover,
      result: 'broken',
      photos: [photo],
    });
    expect(broken.statusCode, broken.body).toBe(200);
    expect(broken.json().covers[0]).toMatchObject({ componentId: cover, result: 'broken', photos: [photo] });
    const second = task.covers[1].componentId;
    const ok = await api.call('supervisor', 'POST', url, { componentId: second, result: 'ok' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ id: task.id, done: task.covers.length === 2 });
    // The rest found fine too (written directly: a community has hundreds of covers).
    await sql`INSERT INTO cover_inspection_results (task_id, component_id, result)
      SELECT ${task.id}, x, 'ok' FROM unnest(${task.covers.slice(2).map((c: { componentId: string }) => c.componentId)}::text[]) x`.execute(
      t.store.db,
    );
    const after = (await api.call('intake', 'GET', '/api/v1/covers/inspections/tasks?date=2026-12-07')).json()
      .items;
    expect(after.find((x: { id: number }) => x.id === task.id)).toMatchObject({ done: true });
    expectError(await anon('GET', '/covers/inspections/tasks'), 401, 'UNAUTHENTICATED');
    expectError(await api.call('dept', 'GET', '/api/v1/covers/inspections/tasks'), 403, 'FORBIDDEN');
  });
});
