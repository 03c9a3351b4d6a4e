/** Races that need real parallel connections: PostgreSQL only. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { openPostgres } from '../../platform/db/store.js';
import type { ApiApp } from '../../platform/http/types.js';
import { sweep } from './sweeper.js';
import { client, expectError, type Fixtures, fixtures, loginAll } from './testkit.js';

const run = testStores().includes('postgres') ? describe : describe.skip;

run('case races (postgres)', () => {
  let ts: TestStore;
  let app: ApiApp;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    ts = await openTestStore('postgres');
    app = await testApp(ts.store);
    c = client(app, await loginAll(app));
    fx = await fixtures(ts.store);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  const report = () =>
    c.report('supervisor', {
      source: 'supervisor',
      kind: 'event',
      categoryCode: fx.category.code,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '并发测试',
      description: '并发测试案卷',
    });

  it('lets exactly one of two dispatchers acting on the same version win', async () => {
    const k = await report();
    await c.ok('intake', k.id, 'intake');
    await c.ok('shiftlead', k.id, 'file');
    const version = await c.version(k.id);
    const [a, b] = await Promise.all(
      ['SZ-01', 'HW-01'].map((departmentCode) =>
        c.call('dispatcher', 'POST', `/api/v1/cases/${k.id}/actions/dispatch`, { version, departmentCode }),
      ),
    );
    const codes = [a?.statusCode, b?.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const loser = a?.statusCode === 409 ? a : b;
    if (loser) expectError(loser, 409, 'CASE_VERSION_CONFLICT');
    const r = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM case_events WHERE case_id = ${k.id} AND action = 'dispatch'`.execute(
      ts.store.db,
    );
    expect(r.rows[0]?.n).toBe(1);
  });

  it('numbers concurrent reports uniquely with a daily sequence', async () => {
    const made = await Promise.all(Array.from({ length: 12 }, () => report()));
    const numbers = made.map((k) => k.number as string);
    expect(new Set(numbers).size).toBe(12);
    const seqs = numbers.map((n) => Number(n.split('-')[3])).sort((x, y) => x - y);
    expect(seqs.at(-1)! - seqs[0]!).toBe(11);
  });

  it('writes exactly one overdue event per case and step with two sweepers at once', async () => {
    const made = await Promise.all(Array.from({ length: 8 }, () => report()));
    const ids = made.map((k) => k.id as number);
    // Move the running steps 60 days into the past: every one of them is overdue now.
    await sql`UPDATE cases SET step_started_at = step_started_at - interval '60 days',
      step_deadline = now() - interval '1 day', step_yellow_at = now() - interval '2 days'
      WHERE id IN (${sql.join(ids)})`.execute(ts.store.db);
    const urlStores = await Promise.all([openPostgres(ts.url ?? ''), openPostgres(ts.url ?? '')]);
    try {
      const results = await Promise.all([...urlStores, ...urlStores].map((s) => sweep(s)));
      const r = await sql<{ case_id: number; n: number }>`
        SELECT case_id, count(*)::int AS n FROM case_events
        WHERE action = 'overdue' AND case_id IN (${sql.join(ids)}) GROUP BY case_id`.execute(ts.store.db);
      expect(r.rows.length).toBe(ids.length);
      expect(r.rows.every((row) => row.n === 1)).toBe(true);
      expect(results.reduce((a, x) => a + x.overdueEvents, 0)).toBe(ids.length);
      const again = await sweep(ts.store);
      expect(again.overdueEvents).toBe(0);
    } finally {
      await Promise.all(urlStores.map((s) => s.close()));
    }
    const k = (await c.call('admin', 'GET', `/api/v1/cases/${ids[0]}`)).json();
    expect(k).toMatchObject({ clock: { light: 'red' }, counters: { overdue: 1 }, version: 1 });
    const timeline = (await c.call('admin', 'GET', `/api/v1/cases/${ids[0]}/events`)).json().items;
    expect(timeline.at(-1)).toMatchObject({
      action: 'overdue',
      actorRole: 'service',
      payload: { step: 'intake', stepNo: 1 },
    });
  });
});
