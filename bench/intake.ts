/**
 * Case intake throughput: a real server (buildApp + listen on a random port) over a fresh,
 * migrated and demo-seeded PostgreSQL database; N cases created through POST /api/v1/cases by C
 * concurrent clients (supervisor logins). Prints cases/second and p50 / p99 latency; asserts nothing.
 *
 *   npx tsx bench/intake.ts [cases=2000] [clients=16]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (admin connection; default shown)
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { activeScheme } from '../src/modules/catalog/scheme.js';
import { loadConfig } from '../src/platform/config.js';
import { migrate } from '../src/platform/db/migrate.js';
import { openPostgres } from '../src/platform/db/store.js';
import { seedDemoCity } from '../src/seed/demo-city.js';

const total = Number(process.argv[2] ?? 2000);
const clients = Number(process.argv[3] ?? 16);
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

async function main() {
  const name = `cityloop_bench_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-bench-'));
  const store = await openPostgres(url.toString(), { max: 10 });
  try {
    let t = performance.now();
    await migrate(store);
    await seedDemoCity(store);
    say(`fresh database migrated and seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const grids = await sql<{ lng: number; lat: number }>`
      SELECT ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat
      FROM supervisor_grids sg JOIN users u ON u.id = sg.user_id JOIN grids g ON g.code = sg.grid_code
      WHERE u.username = 'supervisor' ORDER BY g.code`.execute(store.db);
    const cat = await sql<{ code: string }>`
      SELECT code FROM categories WHERE scheme = ${activeScheme()} AND kind = 'event' AND level = 'minor'
      ORDER BY code LIMIT 1`.execute(store.db);
    const categoryCode = cat.rows[0]?.code;
    if (!categoryCode || grids.rows.length === 0)
      throw new Error('seed lacks categories or supervised grids');

    const app = await buildApp(
      { store, config: loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir }) },
      { logger: false },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'supervisor', password: 'CityLoop@2026', client: 'app' }),
    });
    const { token } = (await login.json()) as { token: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

    const latencies: number[] = [];
    let next = 0;
    let failed = 0;
    t = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let i = next++; i < total; i = next++) {
          const p = grids.rows[i % grids.rows.length];
          const started = performance.now();
          const res = await fetch(`${base}/api/v1/cases`, {
            method: 'POST',
            headers,
            body: JSON.stringify({
              source: 'supervisor',
              kind: 'event',
              categoryCode,
              lng: p?.lng,
              lat: p?.lat,
              address: `压测地址 ${i}`,
              description: `压测案卷 ${i}`,
            }),
          });
          await res.arrayBuffer();
          latencies.push(performance.now() - started);
          if (res.status !== 201) failed++;
        }
      }),
    );
    const seconds = (performance.now() - t) / 1000;
    latencies.sort((a, b) => a - b);
    say(`cases: ${total} with ${clients} concurrent clients, ${failed} failed`);
    say(`throughput: ${(total / seconds).toFixed(1)} cases/s (${seconds.toFixed(1)} s)`);
    say(`latency: p50 ${pct(latencies, 0.5).toFixed(1)} ms, p99 ${pct(latencies, 0.99).toFixed(1)} ms`);
    await app.close();
  } finally {
    await store.close();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
