/**
 * Open311 intake against the console's own, in one run on one fresh PostgreSQL database
 * (migrated, demo city seeded), one server in this process listening on a local port:
 * - console: POST /api/v1/cases (JSON) by a supervisor at random points of the supervisor's grids;
 * - open311: POST /open311/v2/requests.json (form-encoded, api_key, lat/long) by a registered
 *   client at the same points;
 * each with `clients` concurrent callers for `seconds` seconds, alternating, `rounds` times;
 * prints cases/s of both and the median ratio open311 / console. Asserts nothing.
 *
 *   npx tsx bench/channels-open311.ts [seconds=5] [rounds=3] [clients=8]
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (admin connection; default shown)
 */

import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { activeScheme } from '../src/modules/catalog/scheme.js';
import { loadConfig } from '../src/platform/config.js';
import { migrate } from '../src/platform/db/migrate.js';
import { openPostgres } from '../src/platform/db/store.js';
import { seedDemoCity } from '../src/seed/demo-city.js';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);
const clients = Number(process.argv[4] ?? 8);
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main() {
  const name = `bench_open311_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const store = await openPostgres(url, { max: 8 });
  try {
    const t = performance.now();
    await migrate(store);
    await seedDemoCity(store);
    say(`fresh database migrated and seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      DEMO_LIVE: 'false',
      WEB_DIR: '/nonexistent',
      DATABASE_URL: url,
    });
    const app = await buildApp({ store, config }, { logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const login = async (username: string) => {
      const res = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'CityLoop@2026', client: 'app' }),
      });
      return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
    };
    const adminAuth = await login('admin');
    const supervisor = await login('supervisor');
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}/api/v1${path}`, {
        method: 'POST',
        headers: { ...adminAuth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await res.json()) as Record<string, unknown>;
    };
    const user = (await post('/users', {
      username: 'bench-open311',
      displayName: 'bench',
      role: 'service',
      divisionCode: '510104',
      kind: 'service',
    })) as { user: { id: number } };
    const key = (await post('/api-keys', {
      name: 'bench',
      userId: user.user.id,
      permissions: ['case.report'],
    })) as {
      id: number;
      key: string;
    };
    await post('/open311/clients', { apiKeyId: key.id, name: 'bench', rateLimitPerMinute: 100_000 });
    const points = (
      await sql<{ lng: number; lat: number }>`
        SELECT ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat
        FROM grids g JOIN supervisor_grids sg ON sg.grid_code = g.code JOIN users u ON u.id = sg.user_id
        WHERE u.username = 'supervisor'`.execute(store.db)
    ).rows;
    const category = (
      await sql<{
        code: string;
      }>`SELECT code FROM categories WHERE scheme = ${activeScheme()} AND kind = 'event'
        AND level = 'minor' AND active ORDER BY code LIMIT 1`.execute(store.db)
    ).rows[0]?.code as string;
    const pick = () => points[Math.floor(Math.random() * points.length)] as { lng: number; lat: number };

    const viaConsole = async () => {
      const p = pick();
      const res = await fetch(`${base}/api/v1/cases`, {
        method: 'POST',
        headers: { ...supervisor, 'content-type': 'application/json' },
        body: JSON.stringify({
          source: 'supervisor',
          kind: 'event',
          categoryCode: category,
          lng: p.lng,
          lat: p.lat,
          address: '测试地址',
          description: '基准测试上报',
        }),
      });
      await res.arrayBuffer();
      return res.status === 201;
    };
    // Each POST differs: the same parameters again within minutes would be answered as a repeat.
    let posted = 0;
    const viaOpen311 = async () => {
      const p = pick();
      posted += 1;
      const form = new URLSearchParams({
        api_key: key.key,
        service_code: `E-${category}`,
        lat: String(p.lat),
        long: String(p.lng),
        address_string: '测试地址',
        description: `基准测试上报 ${posted}`,
      });
      const res = await fetch(`${base}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      await res.arrayBuffer();
      return res.status === 200;
    };
    const run = async (one: () => Promise<boolean>) => {
      const until = performance.now() + seconds * 1000;
      let ok = 0;
      let failed = 0;
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (performance.now() < until) {
            if (await one()) ok++;
            else failed++;
          }
        }),
      );
      return { rate: ok / seconds, failed };
    };
    const ratios: number[] = [];
    const consoleRates: number[] = [];
    const openRates: number[] = [];
    for (let r = 1; r <= rounds; r++) {
      const a = await run(viaConsole);
      const b = await run(viaOpen311);
      consoleRates.push(a.rate);
      openRates.push(b.rate);
      ratios.push(b.rate / a.rate);
      say(
        `round ${r}: console ${a.rate.toFixed(1)} cases/s (${a.failed} failed), open311 ${b.rate.toFixed(1)} cases/s (${b.failed} failed), ratio ${(b.rate / a.rate).toFixed(2)}`,
      );
    }
    say(
      `median of ${rounds} rounds, ${clients} clients, ${seconds} s each: console ${median(consoleRates).toFixed(1)} cases/s, open311 ${median(openRates).toFixed(1)} cases/s, open311/console ${median(ratios).toFixed(2)}`,
    );
    await app.close();
  } finally {
    await store.close();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

await main();
