/**
 * Responsiveness under heavy work: `/api/health` latency (p50, p99, max) of a real server in its
 * own process (`cityloop start`; the clients here, in another), first with nothing running (the
 * baseline, same run), then while a cold yearly evaluation and an .xlsx export of every case of
 * the year run at the same time as background jobs, together with a grid import (the whole city
 * as a zipped shapefile, read in a worker thread, checked and applied as a job) and a history
 * seeding (as `cityloop seed --history` does it: another process writing cases of a later month
 * into the same database). Prints both side by side with their ratio, and how long each job
 * took. Asserts nothing. Target (issue #12): p99 ≤ 50 ms under load.
 *
 *   npx tsx bench/responsiveness.ts [postgres|pglite] [cases]
 *     postgres: database cityloop_bench_responsiveness on 127.0.0.1:5432 (DATABASE_URL overrides),
 *               default 100,000 cases of 2026, kept for the next run
 *     pglite:   embedded store in $TMPDIR/cityloop-bench-responsiveness, default 20,000 cases, kept
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { generateDemoCity } from '../src/domain/demo-city/index.js';
import { clearEvaluationCache } from '../src/modules/evaluation/cache.js';
import { migrate } from '../src/platform/db/migrate.js';
import { openPglite, openPostgres, type Store } from '../src/platform/db/store.js';
import { isSeeded, seedDemoCity } from '../src/seed/demo-city.js';
import { seedHistory } from '../src/seed/history.js';
import { GRID_FIELDS, PRJ, zippedShapefile } from '../test/fixtures/grids/shapefile-writer.js';

/** Cases per day of the seeding run beside the jobs (a month of them). */
const SEED_DAYS = 30;
const SEED_PER_DAY = 300;

const kind = (process.argv[2] ?? 'postgres') as 'postgres' | 'pglite';
const target = Number(process.argv[3] ?? (kind === 'postgres' ? 100_000 : 20_000));
const BASELINE_MS = 10_000;
const GAP_MS = 10;
const READ = '/api/v1/cases?limit=20';
const PASSWORD = 'CityLoop@2026';
const ROOT = path.resolve(import.meta.dirname, '..');
const say = (s: string) => process.stdout.write(`${s}\n`);
const DB = 'cityloop_bench_responsiveness';
const DATA_DIR = path.join(os.tmpdir(), 'cityloop-bench-responsiveness');
const LOG = path.join(os.tmpdir(), `cityloop-bench-responsiveness-${kind}.log`);

async function postgresUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  return `postgres://postgres@127.0.0.1:5432/${DB}`;
}

/** The demo city and `target` cases of 2026, made once and kept. */
async function prepare(store: Store) {
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
    say(`seeding ${target} cases of 2026 (the store holds ${cases}) …`);
    const r = await seedHistory(store, {
      from: new Date('2026-01-01T00:00:00+08:00'),
      days: 365,
      seed: 7,
      casesPerDay: target / 365,
    });
    say(`seeded ${r.cases} cases in ${r.seconds.toFixed(0)} s`);
    cases = await count();
  }
  // Fresh statistics for the planner (as bench/evaluation does): without them a chunk of the
  // evaluation's case query was seen to run for minutes after a large seeding.
  await sql`ANALYZE cases, case_events`.execute(store.db);
  // The evaluation must be cold: nothing cached from an earlier run; no job of an earlier run
  // (one interrupted would be taken up again by this run's server).
  await clearEvaluationCache(store.db);
  await store.db.deleteFrom('jobs').execute();
  return cases;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/cityloop.mjs', 'start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      WEB_BUILD: 'false',
      WEB_DIR: '/nonexistent/cityloop-web',
      ...env,
    },
    // The server's own output goes to a file (its banner would break up the figures).
    stdio: ['ignore', fs.openSync(LOG, 'w'), fs.openSync(LOG, 'a')],
  });
  child.once('exit', (code, signal) => {
    if (!stopping) say(`the server stopped by itself: code ${code}, signal ${signal}; see ${LOG}`);
  });
  const base = `http://127.0.0.1:${port}`;
  for (const end = Date.now() + 300_000; Date.now() < end; ) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return { child, base };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not start; see ${LOG}`);
}

let stopping = false;
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** Health requests one after another (a pause of GAP_MS between them) until `done()`. */
async function ping(
  base: string,
  done: () => boolean,
  url = '/api/health',
  headers: Record<string, string> = {},
  gapMs = GAP_MS,
) {
  const times: number[] = [];
  while (!done()) {
    const t0 = performance.now();
    const res = await fetch(`${base}${url}`, { headers });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, gapMs));
  }
  times.sort((a, b) => a - b);
  return { n: times.length, p50: pct(times, 0.5), p99: pct(times, 0.99), max: times.at(-1) ?? 0 };
}

async function login(base: string, username: string) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD, client: 'app' }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}

interface Job {
  id: string;
  state: string;
  progress: number;
  error: unknown;
  file: { bytes: number } | null;
}

async function main() {
  let url = '';
  let cases: number;
  if (kind === 'postgres') {
    url = await postgresUrl();
    const store = await openPostgres(url);
    cases = await prepare(store);
    await store.close();
  } else {
    const store = await openPglite(path.join(DATA_DIR, 'pgdata'));
    cases = await prepare(store);
    await store.close();
  }
  const { child, base } = await startServer(
    kind === 'postgres' ? { DATABASE_URL: url } : { DATA_DIR: DATA_DIR, DEMO_SEED: 'false' },
  );
  try {
    const leader = await login(base, 'leader');
    const intake = await login(base, 'intake');
    const admin = await login(base, 'admin');
    // The city's grids as they are, as a zipped shapefile: an import that checks every grid.
    const city = generateDemoCity();
    const CLASS = { A: '一类', B: '二类', C: '三类' } as const;
    const gridZip = zippedShapefile(
      city.grids.map((g) => ({
        rings: [g.ring],
        attributes: { CODE: g.code, COMMUNITY: g.communityCode, AREACLASS: CLASS[g.areaClass] },
      })),
      { fields: GRID_FIELDS, encoding: 'gbk', prj: PRJ.wgs84 },
    );
    // The seeding writes the month after the newest case (a range no earlier run used).
    const seedStore = kind === 'postgres' ? await openPostgres(url) : null;
    const newest = seedStore
      ? (
          await sql<{ day: string | null }>`SELECT max(day)::text AS day FROM case_number_counters`.execute(
            seedStore.db,
          )
        ).rows[0]?.day
      : null;
    const intakeHeaders = () => ({ authorization: intake.authorization });
    // Warm-up, then the baseline with nothing running.
    await ping(
      base,
      (
        (end) => () =>
          Date.now() > end
      )(Date.now() + 1000),
    );
    // Beside health, a read that needs the database (a case list page, 200 ms apart): on the
    // embedded store it waits for the one connection, which health does not.
    const until = (end: number) => () => Date.now() > end;
    const [baseline, baselineRead] = await Promise.all([
      ping(base, until(Date.now() + BASELINE_MS)),
      ping(base, until(Date.now() + BASELINE_MS), READ, intakeHeaders(), 200),
    ]);

    const started = performance.now();
    const start = async (who: { authorization: string }, p: string, body: unknown) => {
      const res = await fetch(`${base}/api/v1${p}`, {
        method: 'POST',
        headers: { ...who, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 202) throw new Error(`${p}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Job;
    };
    const upload = async (who: { authorization: string }, p: string, body: Uint8Array, type: string) => {
      const res = await fetch(`${base}/api/v1${p}`, {
        method: 'POST',
        headers: { ...who, 'content-type': type },
        body: Buffer.from(body),
      });
      if (res.status !== 202) throw new Error(`${p}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Job;
    };
    const jobs = [
      {
        label: 'yearly evaluation (grids, 2026)',
        who: leader,
        job: await start(leader, '/evaluation/runs', {
          subjectType: 'grid',
          period: 'year',
          from: '2026-01-01',
        }),
        ms: 0,
      },
      {
        label: 'xlsx export (every case)',
        who: intake,
        job: await start(intake, '/cases/exports', { state: 'all' }),
        ms: 0,
      },
      {
        label: `grid import (${city.grids.length} grids, shapefile)`,
        who: admin,
        job: await upload(admin, '/grids/import', gridZip, 'application/zip'),
        ms: 0,
      },
    ];
    // History seeding beside them, from this (client) process as the CLI would (PostgreSQL only:
    // the embedded store belongs to the server process).
    const seeding = seedStore
      ? (async () => {
          const t0 = performance.now();
          const from = new Date(Date.parse(`${newest ?? '2026-12-31'}T00:00:00+08:00`) + 2 * 86_400_000);
          const r = await seedHistory(seedStore, {
            from,
            days: SEED_DAYS,
            seed: 99,
            casesPerDay: SEED_PER_DAY,
          });
          return { cases: r.cases, ms: performance.now() - t0 };
        })()
      : Promise.resolve(null);
    let over = false;
    const follow = (async () => {
      while (jobs.some((j) => j.ms === 0)) {
        await new Promise((r) => setTimeout(r, 500));
        for (const j of jobs.filter((x) => x.ms === 0)) {
          j.job = (await (await fetch(`${base}/api/v1/jobs/${j.job.id}`, { headers: j.who })).json()) as Job;
          if (['succeeded', 'failed', 'cancelled'].includes(j.job.state)) j.ms = performance.now() - started;
        }
      }
      await seeding;
      over = true;
    })();
    const busy = () => over || performance.now() - started > 30 * 60_000;
    const [loaded, loadedRead] = await Promise.all([
      ping(base, busy),
      ping(base, busy, READ, intakeHeaders(), 200),
    ]);
    await follow;
    const seeded = await seeding;
    await seedStore?.close();

    say('');
    say(
      `responsiveness — ${kind}, ${cases} cases, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'})`,
    );
    say(`/api/health one request at a time, ${GAP_MS} ms apart; the server in its own process`);
    say('                                  n      p50 ms   p99 ms   max ms');
    const line = (label: string, r: typeof baseline) =>
      say(
        `${label.padEnd(30)} ${String(r.n).padStart(6)} ${r.p50.toFixed(1).padStart(9)} ${r.p99.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)}`,
      );
    line('nothing running', baseline);
    line(seeded ? 'eval+export+import+seed' : 'eval+export+import', loaded);
    line(`${READ}, idle`, baselineRead);
    line(`${READ}, busy`, loadedRead);
    say(
      `case list under load: p50 ×${(loadedRead.p50 / baselineRead.p50).toFixed(1)}, p99 ×${(loadedRead.p99 / baselineRead.p99).toFixed(1)} (load average ${(os.loadavg()[0] ?? 0).toFixed(1)})`,
    );
    say(
      `ratio under load: p50 ×${(loaded.p50 / baseline.p50).toFixed(1)}, p99 ×${(loaded.p99 / baseline.p99).toFixed(1)}; target p99 ≤ 50 ms: ${loaded.p99 <= 50 ? 'met' : 'NOT met'}`,
    );
    for (const j of jobs) {
      const extra = j.job.file ? `, ${(j.job.file.bytes / 1e6).toFixed(1)} MB` : '';
      say(
        `  ${j.label}: ${j.job.state} in ${(j.ms / 1000).toFixed(1)} s${extra}${j.job.error ? ` ${JSON.stringify(j.job.error).slice(0, 300)}` : ''}`,
      );
    }
    if (seeded) {
      say(`  history seeding (another process): ${seeded.cases} cases in ${(seeded.ms / 1000).toFixed(1)} s`);
    }
  } finally {
    stopping = true;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

await main();
