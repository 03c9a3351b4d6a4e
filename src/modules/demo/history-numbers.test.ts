/**
 * The demo history and live reports number cases of the same day without a collision (the
 * kill -9 test once got a 409 where the background history wrote the demo's "today" while the
 * server already filed reports): a day whose numbering live reports began is left as it is; a
 * day the history took first is reserved, so a live report numbers after every generated case.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateHistory } from '../../domain/history/index.js';
import { demoCityOf, officeDays } from '../../seed/history.js';
import { caseNumberSequence } from '../cases/repo.js';
import { planDemoHistory, runDemoHistory } from './history-job.js';

const DAY_MS = 86_400_000;
const localDay = (at: number) => new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);

describe.each(testStores())('demo history and live case numbers (%s)', (kind) => {
  let ts: TestStore;
  beforeAll(async () => {
    ts = await openTestStore(kind);
  }, 120_000);
  afterAll(async () => {
    await ts?.dispose();
  });

  it('leaves a day live reports numbered first and reserves the numbers of a day it took first', async () => {
    const db = ts.store.db;
    // Two whole past days: the newer is taken by the history first, the older by a live report.
    const newer = localDay(Date.now() - DAY_MS);
    const older = localDay(Date.now() - 2 * DAY_MS);
    const until = new Date(`${newer}T20:00:00+08:00`);
    const plan = await planDemoHistory(db, { days: 2, casesPerDay: 60, seed: 11 }, until);
    if (!plan) throw new Error('no plan');
    const generated = [
      ...generateHistory({
        city: await demoCityOf(db),
        from: new Date(`${plan.firstDay}T00:00:00+08:00`),
        days: 2,
        seed: 11,
        casesPerDay: 60,
        until,
        ...(await officeDays(db)),
      }),
    ].filter((h) => h.events.length > 0);
    const keysOf = (day: string) =>
      generated.map((h) => h.case.caseKey).filter((k) => k.includes(`-${day.replaceAll('-', '')}-`));
    const newerKeys = keysOf(newer);
    expect(newerKeys.length).toBeGreaterThan(10);
    expect(keysOf(older).length).toBeGreaterThan(0);
    const [district] = (newerKeys[0] as string).split('-') as [string];

    // A live report numbers an event of the older day before the history gets there.
    const live = async (day: string) => {
      const seq = await caseNumberSequence(db, { district, day, kind: 'event' });
      const r = await sql<{ n: string }>`SELECT nextval(${seq}::regclass)::text AS n`.execute(db);
      return Number(r.rows[0]?.n);
    };
    expect(await live(older)).toBe(1);

    // The history starts with the newer day and is stopped after its first small transaction.
    const abort = new AbortController();
    await runDemoHistory(ts.store, plan, {
      chunk: 5,
      pauseMs: 0,
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    const written = Number(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(db)).rows[0]?.n,
    );
    expect(written).toBe(5);
    // Now a live report on the newer day: its number comes after every generated one of the day,
    // not only after those written so far.
    const generatedMax = Math.max(
      ...newerKeys
        .filter((k) => k.startsWith(`${district}-`) && k.includes('-E-'))
        .map((k) => Number(k.split('-')[3])),
    );
    expect(await live(newer)).toBe(generatedMax + 1);

    // The history finishes without a collision; the older day is left to the live numbering.
    expect(await runDemoHistory(ts.store, plan, { chunk: 25, pauseMs: 0 })).toBe(true);
    const days = await db
      .selectFrom('demo_history_days')
      .select(['day', 'skipped', 'cases'])
      .orderBy('day')
      .execute();
    expect(days).toEqual([
      { day: older, skipped: true, cases: 0 },
      { day: newer, skipped: false, cases: newerKeys.length },
    ]);
    const numbers = await db.selectFrom('cases').select('number').execute();
    expect(numbers.map((r) => r.number).sort()).toEqual([...newerKeys].sort());
  }, 300_000);
});
