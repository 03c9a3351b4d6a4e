/**
 * Case intake throughput against the database's own limit, in one run on one fresh PostgreSQL
 * database (migrated, demo city seeded):
 * - HTTP: the server in a process of its own (bench/intake-server.ts, built like `cityloop start`),
 *   clients here, POST /api/v1/cases by a supervisor at random points of the supervisor's grids
 *   under a handful of 小类; cases/s, p50 and p99 latency, and the statements the server sent per
 *   report (its store's query counter, read over IPC);
 * - raw: the same number of clients inserting one `cases` row and one `case_events` row per
 *   transaction straight into the same tables (same indexes, constraints and triggers);
 * - the ratio HTTP / raw, at 1, 8 and 32 clients, each level `rounds` times for `seconds` seconds,
 *   alternating HTTP and raw so both see the same machine; the medians are the figures to quote.
 * Then the plan of the duplicate check over what the run wrote. Asserts nothing.
 *
 *   npx tsx bench/intake.ts [seconds=10] [rounds=3] [levels=1,8,32]
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (admin connection; default shown)
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { explainDuplicateCheck } from '../src/modules/cases/duplicates.js';
import { activeScheme } from '../src/modules/catalog/scheme.js';
import { migrate } from '../src/platform/db/migrate.js';
import { openPostgres } from '../src/platform/db/store.js';
import { seedDemoCity } from '../src/seed/demo-city.js';

const seconds = Number(process.argv[2] ?? 10);
const rounds = Number(process.argv[3] ?? 3);
const levels = (process.argv[4] ?? '1,8,32').split(',').map(Number);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const say = (s: string) => process.stdout.write(`${s}\n`);

async function admin(query: string) {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(query);
  } finally {
    await c.end();
  }
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const median = (xs: number[]) =>
  pct(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

interface Round {
  rate: number;
  p50: number;
  p99: number;
  failed: number;
  queriesPerCase: number;
  cpuMsPerCase: number;
}

interface Server {
  child: ChildProcess;
  port: number;
  /** Statements sent and CPU time used by the server process so far. */
  queries(): Promise<{ count: number; cpuMs: number }>;
  stop(): Promise<void>;
}

function startServer(url: string): Promise<Server> {
  const child = fork(new URL('./intake-server.ts', import.meta.url).pathname, [url], {
    // BENCH_SERVER_PROF=dir: the server writes a V8 CPU profile there as it stops.
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_SERVER_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROF}`]
        : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: string) =>
    new Promise<Record<string, number>>((resolve, reject) => {
      const onMessage = (m: { type: string } & Record<string, number>) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m);
      };
      const onExit = (code: number | null) => reject(new Error(`bench server exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  return next('ready').then(({ port }) => ({
    child,
    port: port ?? 0,
    async queries() {
      const answer = next('queries');
      child.send({ type: 'queries' });
      const a = await answer;
      return { count: a.count ?? 0, cpuMs: a.cpuMs ?? 0 };
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'stop' });
      await exited;
    },
  }));
}

/** Runs `clients` loops of `once` for `seconds`; latencies of the calls that finished in time. */
async function timed(clients: number, once: (i: number) => Promise<boolean>) {
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const ok = await once(next++);
        latencies.push(performance.now() - t);
        if (!ok) failed++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    done: latencies.length,
    rate: latencies.length / elapsed,
    p50: pct(latencies, 0.5),
    p99: pct(latencies, 0.99),
    failed,
  };
}

async function main() {
  const name = `cityloop_bench_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  const store = await openPostgres(dbUrl, { max: 4 });
  let server: Server | null = null;
  const raw = new pg.Pool({ connectionString: dbUrl, max: Math.max(...levels) });
  // The database is dropped at the end with its connections: an idle one's error is expected.
  raw.on('error', () => {});
  try {
    const t = performance.now();
    await migrate(store);
    await seedDemoCity(store);
    say(`fresh database migrated and seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // Random points inside the supervisor's grids (reports spread over the grids, as in a day's
    // patrol) and the first few event 小类: the duplicate check sees realistic neighbours.
    const points = (
      await sql<{ lng: number; lat: number; grid: string }>`
        SELECT ST_X(p.geom) AS lng, ST_Y(p.geom) AS lat, g.code AS grid
        FROM supervisor_grids sg JOIN users u ON u.id = sg.user_id JOIN grids g ON g.code = sg.grid_code
        CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(g.geom, 40, 1)) p
        WHERE u.username = 'supervisor' ORDER BY g.code, p.path`.execute(store.db)
    ).rows;
    const categories = (
      await sql<{ code: string; id: number }>`
        SELECT code, id FROM categories WHERE scheme = ${activeScheme()} AND kind = 'event' AND level = 'minor'
          AND active ORDER BY code LIMIT 8`.execute(store.db)
    ).rows;
    const place = (
      await sql<{ grid: string; community: string; street: string; district: string }>`
        SELECT g.code AS grid, c.code AS community, s.code AS street, s.parent_code AS district
        FROM grids g JOIN divisions c ON c.code = g.community_code JOIN divisions s ON s.code = c.parent_code
        WHERE g.valid_to IS NULL ORDER BY g.code LIMIT 1`.execute(store.db)
    ).rows[0];
    if (categories.length === 0 || points.length === 0 || !place)
      throw new Error('seed lacks categories or supervised grids');
    say(`${points.length} report points in the supervisor's grids, ${categories.length} 小类`);

    server = await startServer(dbUrl);
    const base = `http://127.0.0.1:${server.port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'supervisor', password: 'CityLoop@2026', client: 'app' }),
    });
    const { token } = (await login.json()) as { token: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    let reportNo = 0;
    const report = async () => {
      const i = reportNo++;
      const p = points[(i * 7919) % points.length];
      const res = await fetch(`${base}/api/v1/cases`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          source: 'supervisor',
          kind: 'event',
          categoryCode: categories[i % categories.length]?.code,
          lng: p?.lng,
          lat: p?.lat,
          address: `压测地址 ${i}`,
          description: `压测案卷 ${i}`,
        }),
      });
      await res.arrayBuffer();
      return res.status === 201;
    };

    // The same two rows intake writes, with nothing computed: the database's own pace.
    let rawNo = 0;
    const rawInsert = async () => {
      const i = rawNo++;
      const p = points[i % points.length];
      const c = await raw.connect();
      try {
        await c.query('BEGIN');
        const r = await c.query<{ id: number }>(
          `INSERT INTO cases (number, source, kind, category_id, grid_code, community_code, street_code,
             district_code, area_class, location, address, description, reporter_role, state)
           VALUES ($1, 'supervisor', 'event', $2, $3, $4, $5, $6, 'A', ST_SetSRID(ST_MakePoint($7, $8), 4326),
             $9, $10, 'supervisor', 'closed') RETURNING id`,
          [
            `${place.district}-19990101-E-${String(i + 1).padStart(6, '0')}`,
            categories[i % categories.length]?.id,
            place.grid,
            place.community,
            place.street,
            place.district,
            p?.lng,
            p?.lat,
            `基线 ${i}`,
            `基线 ${i}`,
          ],
        );
        await c.query(
          `INSERT INTO case_events (case_id, seq, action, actor_role, to_state, payload)
           VALUES ($1, 1, 'report', 'supervisor', 'closed', $2)`,
          [r.rows[0]?.id, JSON.stringify({ source: 'supervisor' })],
        );
        await c.query('COMMIT');
        return true;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        c.release();
      }
    };

    // Warm-up: the server's first requests compile routes and fill caches.
    for (let i = 0; i < 20; i++) await report();

    const summary: string[] = [];
    for (const clients of levels) {
      const http: Round[] = [];
      const base: Round[] = [];
      for (let r = 0; r < rounds; r++) {
        const q0 = await server.queries();
        const h = await timed(clients, () => report());
        const q1 = await server.queries();
        const perCase = (q1.count - q0.count) / h.done;
        const cpuPerCase = (q1.cpuMs - q0.cpuMs) / h.done;
        http.push({ ...h, queriesPerCase: perCase, cpuMsPerCase: cpuPerCase });
        const b = await timed(clients, () => rawInsert());
        base.push({ ...b, queriesPerCase: 4, cpuMsPerCase: 0 });
        say(
          `  ${String(clients).padStart(2)} clients, round ${r + 1}: HTTP ${h.rate.toFixed(1)} cases/s ` +
            `(p50 ${h.p50.toFixed(1)} ms, p99 ${h.p99.toFixed(1)} ms, ${h.failed} failed, ` +
            `${perCase.toFixed(1)} queries and ${cpuPerCase.toFixed(1)} ms server CPU per report) · ` +
            `raw ${b.rate.toFixed(0)}/s ` +
            `(p50 ${b.p50.toFixed(2)} ms) · ${((100 * h.rate) / b.rate).toFixed(1)} %`,
        );
      }
      const m = (rs: Round[], k: keyof Round) => median(rs.map((x) => x[k]));
      summary.push(
        `${String(clients).padStart(2)} clients: HTTP ${m(http, 'rate').toFixed(1)} cases/s, ` +
          `p50 ${m(http, 'p50').toFixed(1)} ms, p99 ${m(http, 'p99').toFixed(1)} ms, ` +
          `${m(http, 'queriesPerCase').toFixed(1)} queries/report, ${m(http, 'cpuMsPerCase').toFixed(1)} ms server CPU/report | raw ${m(base, 'rate').toFixed(0)}/s | ` +
          `ratio ${median(http.map((h, i) => (100 * h.rate) / (base[i]?.rate ?? 1))).toFixed(1)} %`,
      );
    }
    say(`\nmedians of ${rounds} rounds of ${seconds} s (target: >= 25 % at 32 clients, p99 < 250 ms):`);
    for (const line of summary) say(`  ${line}`);

    const cases = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(store.db);
    say(`\nduplicate check over ${cases.rows[0]?.n} cases — plan:`);
    const p = points[0];
    const plan = await explainDuplicateCheck(store.db, {
      lng: p?.lng ?? 0,
      lat: p?.lat ?? 0,
      categoryId: categories[0]?.id ?? 0,
    });
    for (const line of plan) say(`  ${line}`);
  } finally {
    await server?.stop().catch(() => server?.child.kill('SIGKILL'));
    await raw.end();
    await store.close();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
