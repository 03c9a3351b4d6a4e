/**
 * Evaluation on real PostgreSQL: seeds a year of generated history (default 1,000,000 cases) into
 * a database of its own, then times, side by side in one run, a monthly and a yearly evaluation
 * of every subject type
 *   - from the evaluation facts (aggregate SQL, what the server does; no cache: cold),
 *   - by the old replay of the event log (the pure engine over every case of the period),
 *   - and a bare aggregate over the same facts tables (one GROUP BY over the period's step rows
 *     and case rows: the floor any evaluation over these tables pays),
 * each the median of `runs`, with the ratios. Asserts nothing.
 *
 *   npx tsx bench/evaluation.ts [cases=1000000] [runs=3] [replayRuns=1] [yearRuns=runs]
 *   BENCH_DB=name keeps (and reuses) that database; without it a fresh one is created and dropped.
 *   runs = 0 only seeds; replayRuns = 0 leaves the replay out (minutes on a million cases).
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { SUBJECT_TYPES } from '../src/domain/evaluation/index.js';
import { compute } from '../src/modules/evaluation/compute.js';
import { periodOf } from '../src/modules/evaluation/period.js';
import { loadReference } from '../src/modules/evaluation/repo.js';
import { migrate } from '../src/platform/db/migrate.js';
import { openPostgres } from '../src/platform/db/store.js';
import { isSeeded, seedDemoCity } from '../src/seed/demo-city.js';
import { seedHistory } from '../src/seed/history.js';

const target = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
const replayRuns = Number(process.argv[4] ?? 1);
const yearRuns = Number(process.argv[5] ?? runs);
const say = (s: string) => process.stdout.write(`${s}\n`);
const ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';
const keep = process.env.BENCH_DB;
const NAME = keep ?? `cityloop_bench_facts_${randomBytes(3).toString('hex')}`;

async function admin(statement: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: ADMIN });
  await c.connect();
  try {
    return await c.query(statement, params);
  } finally {
    await c.end();
  }
}

if ((await admin('SELECT 1 FROM pg_database WHERE datname = $1', [NAME])).rowCount === 0)
  await admin(`CREATE DATABASE ${NAME}`);
const store = await openPostgres(`postgres://postgres@127.0.0.1:5432/${NAME}`);
try {
  await migrate(store);
  if (!(await isSeeded(store.db))) await seedDemoCity(store);
  const count = async (table: 'cases' | 'eval_step_facts') =>
    Number(
      (await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(table)}`.execute(store.db))
        .rows[0]?.n,
    );
  let cases = await count('cases');
  if (cases < target * 0.9) {
    say(`seeding ${target} cases of history for 2026 into ${NAME} (holds ${cases}) …`);
    const r = await seedHistory(store, {
      from: new Date('2026-01-01T00:00:00+08:00'),
      days: 365,
      seed: 1,
      casesPerDay: target / 365,
      onProgress: ({ cases: n }) => {
        if (n % 100_000 < 5000) say(`  … ${n}`);
      },
    });
    say(`seeded ${r.cases} cases, ${r.events} events (with their facts) in ${r.seconds.toFixed(1)} s`);
    cases = await count('cases');
  } else say(`reusing ${cases} cases of history in ${NAME}`);
  await sql`VACUUM ANALYZE cases, case_events, eval_case_facts, eval_step_facts`.execute(store.db);

  const events = await count('eval_step_facts');
  const ref = await loadReference(store.db);

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  async function timed(n: number, fn: () => Promise<unknown>) {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await fn();
      times.push((performance.now() - t0) / 1000);
    }
    return { median: median(times), times };
  }
  const fmt = (t: { median: number; times: number[] }) =>
    `${t.median.toFixed(3)} s (runs ${t.times.map((x) => x.toFixed(3)).join(', ')})`;

  async function period(label: string, kind: 'month' | 'year', from: string, runs: number) {
    const p = periodOf(kind, from);
    const input = {
      from: p.from,
      to: p.to,
      filters: {},
      gridPrefix: '',
      types: SUBJECT_TYPES,
      ref,
      cache: false,
    };
    let subjects = 0;
    const facts = await timed(runs, async () => {
      const { tallies } = await compute(store.db, input);
      subjects = [...tallies.values()].reduce((n, m) => n + m.size, 0);
    });
    // The floor: one pass over the period's step rows and the case rows filed in it, grouped.
    const floor = await timed(runs, () =>
      sql`SELECT s.action, c.district_code, count(*), count(DISTINCT s.case_id), bool_or(s.act_late)
          FROM eval_step_facts s JOIN eval_case_facts c ON c.case_id = s.case_id
          WHERE s.at >= ${p.from} AND s.at < ${p.to} GROUP BY 1, 2`.execute(store.db),
    );
    say(`${label}: facts ${fmt(facts)}, ${subjects} subjects of ${SUBJECT_TYPES.length} types`);
    say(`${label}: floor (bare aggregate over the facts) ${fmt(floor)}`);
    say(`${label}: facts / floor ${(facts.median / floor.median).toFixed(1)}×`);
    // Once more as a background run does it: step by step with progress, each step timed.
    const marks: [string, number][] = [];
    let last = performance.now();
    const t0 = last;
    await compute(store.db, {
      ...input,
      session: 'pooled',
      progress: async (_done, _total, step) => {
        const now = performance.now();
        if (step) marks.push([step, (now - last) / 1000]);
        last = now;
      },
    });
    say(
      `${label}: in steps (a background run) ${((performance.now() - t0) / 1000).toFixed(3)} s: ${marks
        .map(([step, s]) => `${step.replace(/^.* · /, '')} ${s.toFixed(2)}`)
        .join('; ')}`,
    );
    if (replayRuns > 0) {
      const replay = await timed(replayRuns, () => compute(store.db, { ...input, engine: 'replay' }));
      say(`${label}: replay of the log ${fmt(replay)}`);
      say(`${label}: replay / facts ${(replay.median / facts.median).toFixed(1)}×`);
    }
  }
  say(
    `evaluation of all ${SUBJECT_TYPES.length} subject types over ${cases} cases, ${events} events (PostgreSQL)`,
  );
  // runs = 0: only seed (a later run with BENCH_DB times the kept database).
  if (runs > 0) {
    await period('monthly (2026-06)', 'month', '2026-06-01', runs);
    await period('yearly (2026)', 'year', '2026-01-01', yearRuns);
  }
} finally {
  await store.close();
  if (!keep) await admin(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
}
