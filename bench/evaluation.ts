/**
 * Evaluation on real PostgreSQL: seeds a year of generated history (default 1,000,000 cases;
 * kept between runs — the database is reused when it already holds it), then times a monthly and
 * a yearly evaluation of every subject type (median of 3, reading the log each time), then the same
 * evaluation answered from the cache of finished periods, and prints the figures. Asserts nothing.
 *
 *   npx tsx bench/evaluation.ts [cases=1000000] [runs=3]
 *   DATABASE_URL=postgres://… npx tsx bench/evaluation.ts   (else a database cityloop_bench_evaluation on 127.0.0.1:5432)
 */
import { sql } from 'kysely';
import pg from 'pg';
import { SUBJECT_TYPES } from '../src/domain/evaluation/index.js';
import { clearEvaluationCache } from '../src/modules/evaluation/cache.js';
import { compute } from '../src/modules/evaluation/compute.js';
import { periodOf } from '../src/modules/evaluation/period.js';
import { loadReference } from '../src/modules/evaluation/repo.js';
import { migrate } from '../src/platform/db/migrate.js';
import { openPostgres } from '../src/platform/db/store.js';
import { isSeeded, seedDemoCity } from '../src/seed/demo-city.js';
import { seedHistory } from '../src/seed/history.js';

const target = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
const say = (s: string) => process.stdout.write(`${s}\n`);
const NAME = 'cityloop_bench_evaluation';

async function databaseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [NAME]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${NAME}`);
  await admin.end();
  return `postgres://postgres@127.0.0.1:5432/${NAME}`;
}

const store = await openPostgres(await databaseUrl());
await migrate(store);
if (!(await isSeeded(store.db))) await seedDemoCity(store);
const count = async () =>
  Number(
    (
      await store.db
        .selectFrom('cases')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
let cases = await count();
if (cases < target * 0.9) {
  say(`seeding ${target} cases of history for 2026 (database holds ${cases}) …`);
  const r = await seedHistory(store, {
    from: new Date('2026-01-01T00:00:00+08:00'),
    days: 365,
    seed: 1,
    casesPerDay: target / 365,
    onProgress: ({ cases: n }) => {
      if (n % 100_000 < 5000) say(`  … ${n}`);
    },
  });
  say(
    `seeded ${r.cases} cases, ${r.events} events in ${r.seconds.toFixed(1)} s (${Math.round(r.cases / r.seconds)} cases/s, ${Math.round(r.events / r.seconds)} events/s)`,
  );
  cases = await count();
} else say(`reusing ${cases} cases of history`);
await sql`ANALYZE cases, case_events`.execute(store.db);

const ref = await loadReference(store.db);
async function time(label: string, kind: 'month' | 'year', from: string) {
  const p = periodOf(kind, from);
  const input = { from: p.from, to: p.to, filters: {}, gridPrefix: '', types: SUBJECT_TYPES, ref };
  const times: number[] = [];
  let subjects = 0;
  // Cold: every run reads the event log; the first, on an empty cache, also fills it.
  await clearEvaluationCache(store.db);
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const { tallies } = await compute(store.db, { ...input, cache: i === 0 });
    times.push((performance.now() - t0) / 1000);
    subjects = [...tallies.values()].reduce((n, m) => n + m.size, 0);
  }
  times.sort((a, b) => a - b);
  say(
    `${label}: median ${times[Math.floor(times.length / 2)]?.toFixed(2)} s of ${runs} (${times.map((t) => t.toFixed(2)).join(', ')}), ${subjects} subjects of ${SUBJECT_TYPES.length} types`,
  );
  // Warm: once the period is over, another evaluation reads the cached counts.
  if (p.to.getTime() > Date.now()) {
    say(`${label}: not over yet, so not cached`);
    return;
  }
  const t0 = performance.now();
  await compute(store.db, input);
  say(`${label}, again from the cache of finished periods: ${(performance.now() - t0).toFixed(0)} ms`);
}
say(`evaluation of all subject types over ${cases} cases (PostgreSQL)`);
await time('monthly (2026-06)', 'month', '2026-06-01');
await time('yearly (2026)', 'year', '2026-01-01');
await store.close();
