/**
 * A facts evaluation run step by step (a background run's progress): the same set counts as the
 * one-transaction run, progress that moves through every step in order with what each step did,
 * nothing of the store held between steps (the progress callback itself queries the store, which
 * on the embedded store's one session would wait forever otherwise), the temporary tables gone
 * afterwards, and a cancel thrown by the callback stops the run — on both stores.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore, testStores } from '../../../../test/helpers/stores.js';
import { GEN_START, logsArb, SUPERVISOR_GRIDS } from '../../../domain/evaluation/gen.js';
import { factsOfCase } from '../../../domain/evaluation/projection.js';
import { SUBJECT_TYPES } from '../../../domain/evaluation/types.js';
import { evaluateFacts, type FactsQuery } from './evaluate-sql.js';
import { insertCaseFacts } from './store.js';

const DAY = 86_400_000;
const QUERY: FactsQuery = {
  from: new Date(GEN_START),
  to: new Date(GEN_START + 45 * DAY),
  utcOffsetMinutes: 480,
  categoryFilter: 'code',
  supervisorGrids: SUPERVISOR_GRIDS,
  departmentParents: { 'SZ-01': 'SZ' },
  collectionTeams: { supervisor0: { team: 'T1', company: 'C1' } },
};

const plain = (m: Awaited<ReturnType<typeof evaluateFacts>>) =>
  Object.fromEntries([...m].map(([t, bySubject]) => [t, Object.fromEntries(bySubject)]));

describe.each(testStores())('facts evaluation step by step (%s)', (kind) => {
  let ts: TestStore;
  const session = kind === 'pglite' ? 'shared' : 'pooled';
  beforeAll(async () => {
    ts = await openTestStore(kind);
    const cases = fc.sample(logsArb(), { numRuns: 8, seed: 7 }).flat();
    // Ids unique over the samples.
    const facts = cases.map((c, i) => factsOfCase({ ...c, id: String(i + 1) }));
    await insertCaseFacts(
      ts.store.db,
      facts.flatMap((f) => (f.facts ? [f.facts] : [])),
      facts.flatMap((f) => f.steps),
    );
  }, 120_000);
  afterAll(async () => {
    await ts?.dispose();
  });

  it('gives the one-transaction figures, moving through every step, holding nothing between steps', async () => {
    const db = ts.store.db;
    const whole = await evaluateFacts(db, QUERY, SUBJECT_TYPES);
    expect([...whole.values()].some((m) => m.size > 0)).toBe(true);
    const seen: { done: number; total: number; step: string; jobs: number }[] = [];
    const stepped = await evaluateFacts(db, QUERY, SUBJECT_TYPES, undefined, {
      session,
      slices: 5,
      progress: async (done, total, step) => {
        // The store answers another query between steps.
        const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM jobs`.execute(db);
        seen.push({ done, total, step, jobs: n.rows[0]?.n ?? -1 });
      },
    });
    expect(plain(stepped)).toEqual(plain(whole));
    const total = seen[0]?.total ?? 0;
    // 5 spans of events, the overdue steps, two ANALYZE, then the 7 families of subject types.
    expect(total).toBe(5 + 3 + 7);
    expect(seen.map((s) => s.done)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(seen.every((s) => s.total === total && s.jobs === 0)).toBe(true);
    expect(seen[0]?.step).toMatch(/reading the period's events 1/);
    expect(seen.at(-1)?.step).toMatch(/tallying /);
    expect(seen.filter((s) => s.step.includes('tallying')).map((s) => s.step)).toContain(
      '汇总 · tallying grid, community, street, district',
    );
    const temp = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'eval\\_ev\\_%' OR relname LIKE 'eval\\_ovd\\_%'`.execute(
      db,
    );
    expect(temp.rows[0]?.n).toBe(0);
  });

  it('a cancel thrown between steps stops the run and leaves no temporary table', async () => {
    const db = ts.store.db;
    let calls = 0;
    await expect(
      evaluateFacts(db, QUERY, ['department', 'grid'], undefined, {
        session,
        slices: 3,
        progress: async (done) => {
          calls++;
          if (done === 2) throw new Error('cancelled');
        },
      }),
    ).rejects.toThrow('cancelled');
    expect(calls).toBe(2);
    const temp = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'eval\\_ev\\_%' OR relname LIKE 'eval\\_ovd\\_%'`.execute(
      db,
    );
    expect(temp.rows[0]?.n).toBe(0);
    // And the store still answers a whole evaluation.
    expect((await evaluateFacts(db, QUERY, ['grid'])).get('grid')?.size).toBeGreaterThan(0);
  });
});
