/**
 * The living demo: the background history (newest day first, resumable, never doubled), the
 * live simulation through the real services, and GET /demo/status.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateHistory } from '../../domain/history/index.js';
import type { ApiApp } from '../../platform/http/types.js';
import { demoCityOf, officeDays } from '../../seed/history.js';
import { type DemoHistoryProgress, historyProgress, planDemoHistory, runDemoHistory } from './history-job.js';
import { startLiveSimulation } from './live-sim.js';

const count = async (ts: TestStore, query: string) =>
  Number((await sql<{ n: number }>`${sql.raw(query)}`.execute(ts.store.db)).rows[0]?.n);

describe.each(testStores())('living demo (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  it('writes the history newest day first, continues after an interruption and never writes a case twice', async () => {
    const db = ts.store.db;
    // Evening of yesterday (local): the newest day is a whole day, whatever the time the test runs
    // (just after local midnight today's day would hold no cases yet).
    const yesterday = new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
    const until = new Date(`${yesterday}T20:00:00+08:00`);
    const plan = await planDemoHistory(db, { days: 3, casesPerDay: 60, seed: 7 }, until);
    expect(plan).toMatchObject({ days: 3, casesPerDay: 60, seed: 7, finishedAt: null });
    if (!plan) throw new Error('no plan');
    // A second start finds the same plan, whatever the settings say now.
    expect(await planDemoHistory(db, { days: 30, casesPerDay: 999 })).toEqual(plan);

    // Stopped after the first transaction of small ones.
    const abort = new AbortController();
    const seen: DemoHistoryProgress[] = [];
    const finished = await runDemoHistory(ts.store, plan, {
      chunk: 10,
      pauseMs: 0,
      signal: abort.signal,
      onProgress: (p) => {
        seen.push(p);
        if (p.daysDone >= 1) abort.abort();
      },
    });
    expect(finished).toBe(false);
    const partial = await historyProgress(db, plan);
    expect(partial.daysDone).toBe(1);
    expect(partial.cases).toBeGreaterThan(0);
    expect(await count(ts, 'SELECT count(*)::int AS n FROM cases')).toBe(partial.cases);
    // The newest day (the plan's last) is the one written.
    const days = await db.selectFrom('demo_history_days').selectAll().orderBy('day').execute();
    expect(days.filter((d) => d.done).map((d) => d.day)).toEqual([days[days.length - 1]?.day]);

    // A restart continues (here mid-day of the next one after a second stop) …
    const again = new AbortController();
    await runDemoHistory(ts.store, plan, {
      chunk: 10,
      pauseMs: 0,
      signal: again.signal,
      onProgress: (p) => {
        if (p.cases >= partial.cases + 20) again.abort();
      },
    });
    const mid = await historyProgress(db, plan);
    expect(mid.daysDone).toBe(1);
    expect(mid.cases).toBeGreaterThanOrEqual(partial.cases + 20);
    // … and finishes.
    expect(await runDemoHistory(ts.store, plan, { chunk: 25, pauseMs: 0 })).toBe(true);
    const done = await historyProgress(db, plan);

    // Exactly the generated history: every case once, every event once.
    let cases = 0;
    let events = 0;
    for (const h of generateHistory({
      city: await demoCityOf(db),
      from: new Date(`${plan.firstDay}T00:00:00+08:00`),
      days: 3,
      seed: 7,
      casesPerDay: 60,
      until,
      ...(await officeDays(db)),
    })) {
      if (h.events.length === 0) continue;
      cases++;
      events += h.events.length;
    }
    expect(done).toEqual({ daysDone: 3, days: 3, cases, events });
    expect(await count(ts, 'SELECT count(*)::int AS n FROM cases')).toBe(cases);
    expect(await count(ts, 'SELECT count(DISTINCT number)::int AS n FROM cases')).toBe(cases);
    expect(await count(ts, 'SELECT count(*)::int AS n FROM case_events')).toBe(events);
    // Nothing after the end of the plan; open cases carry their clock and light.
    expect(
      await count(ts, `SELECT count(*)::int AS n FROM case_events WHERE at > '${until.toISOString()}'`),
    ).toBe(0);
    expect(
      await count(
        ts,
        "SELECT count(*)::int AS n FROM cases WHERE state NOT IN ('closed','rejected','voided','merged') AND light IS NULL AND step IS NOT NULL",
      ),
    ).toBe(0);
    expect(
      (await db.selectFrom('demo_history_plans').select('finished_at').executeTakeFirst())?.finished_at,
    ).not.toBeNull();
    // Finished: a further run writes nothing.
    expect(await runDemoHistory(ts.store, { ...plan, finishedAt: new Date() })).toBe(true);
    expect(await count(ts, 'SELECT count(*)::int AS n FROM cases')).toBe(cases);
  }, 300_000);

  it('gives a city that already has cases of its own no generated past', async () => {
    await ts.store.db.deleteFrom('demo_history_plans').execute();
    expect(await planDemoHistory(ts.store.db, { days: 5, casesPerDay: 10 })).toBeNull();
  });

  it('answers GET /demo/status to leaders and the administrator only, refusing unknown parameters', async () => {
    const url = '/api/v1/demo/status';
    expectError(await app.inject({ method: 'GET', url }), 401, 'UNAUTHENTICATED');
    for (const user of ['supervisor', 'handler', 'intake']) {
      expectError(
        await app.inject({ method: 'GET', url, headers: await bearer(app, user) }),
        403,
        'FORBIDDEN',
      );
    }
    const leader = await bearer(app, 'leader');
    expectError(
      await app.inject({ method: 'GET', url: `${url}?x=1`, headers: leader }),
      400,
      'VALIDATION_FAILED',
    );
    // The plan was removed by the previous test: no history to report, the demo mode still on.
    const none = await app.inject({ method: 'GET', url, headers: leader });
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual({ demo: true, history: null, live: null });
    await ts.store.db
      .insertInto('demo_history_plans')
      .values({ first_day: '2026-01-01', days: 4, cases_per_day: 10, seed: 1, until: new Date() })
      .execute();
    const res = await app.inject({ method: 'GET', url, headers: await bearer(app, 'admin') });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const written = await historyProgress(ts.store.db, {
      firstDay: '2026-01-01',
      days: 4,
      casesPerDay: 10,
      seed: 1,
      until: new Date(),
      finishedAt: null,
    });
    expect(body.history).toMatchObject({
      days: 4,
      daysDone: written.daysDone,
      cases: written.cases,
      expectedCases: 40,
      finished: false,
    });
    expect(body.history.dataFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await ts.store.db.deleteFrom('demo_history_plans').execute();
  });

  it('runs the live simulation through the services and stops cleanly', async () => {
    const db = ts.store.db;
    const before = {
      cases: await count(ts, 'SELECT count(*)::int AS n FROM cases'),
      events: await count(ts, 'SELECT count(*)::int AS n FROM case_events'),
    };
    const failures: string[] = [];
    const sim = startLiveSimulation(ts.store, {
      dataDir: ts.dataDir ?? (await import('node:os')).tmpdir(),
      pace: 60,
      tickMs: 100,
      reportEveryMs: 150,
      patrolEveryMs: 100,
      walkers: 3,
      actionsPerTick: 4,
      log: (m, err) => failures.push(`${m}: ${String(err)}`),
    });
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const s = sim.stats();
      if (s.reports >= 4 && s.actions >= 8 && s.positions >= 6) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const during = sim.stats();
    expect(during.onDuty).toBe(3);
    expect(await count(ts, 'SELECT count(*)::int AS n FROM patrol_shifts WHERE ended_at IS NULL')).toBe(3);
    await sim.stop();
    const after = sim.stats();
    expect(failures).toEqual([]);
    expect(after.running).toBe(false);
    expect(after.reports).toBeGreaterThanOrEqual(4);
    expect(after.actions).toBeGreaterThanOrEqual(8);
    expect(after.positions).toBeGreaterThanOrEqual(6);
    // Written by the services: new cases with their report event, audited, by named accounts.
    const cases = await count(ts, 'SELECT count(*)::int AS n FROM cases');
    expect(cases - before.cases).toBe(after.reports);
    expect(await count(ts, 'SELECT count(*)::int AS n FROM case_events')).toBeGreaterThanOrEqual(
      before.events + after.reports + after.actions,
    );
    expect(
      await count(
        ts,
        "SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'case.%' AND actor_id IS NOT NULL",
      ),
    ).toBeGreaterThanOrEqual(after.reports + after.actions);
    const sources = await db.selectFrom('cases').select('source').distinct().where('id', '>', 0).execute();
    expect(sources.length).toBeGreaterThan(1);
    expect(await count(ts, 'SELECT count(*)::int AS n FROM patrol_positions')).toBe(after.positions);
    // Off duty after the stop, and nothing moves any more.
    expect(await count(ts, 'SELECT count(*)::int AS n FROM patrol_shifts WHERE ended_at IS NULL')).toBe(0);
    const events = await count(ts, 'SELECT count(*)::int AS n FROM case_events');
    await new Promise((r) => setTimeout(r, 500));
    expect(await count(ts, 'SELECT count(*)::int AS n FROM case_events')).toBe(events);
  }, 300_000);
});
