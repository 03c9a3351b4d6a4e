/**
 * Camera AI intake against the console's own intake, in one run on one fresh PostgreSQL
 * database (migrated, demo city seeded), in process (app.inject, no network):
 * - camera: POST /api/v1/camera/events in batches of `batch` events from 20 cameras × 4 event
 *   types above the threshold (so mostly repeats merged into the open case, as in a storm);
 * - console: POST /api/v1/cases by the demo supervisor, one report per request, in its grids;
 * each for `seconds` seconds, `rounds` times, alternating; events/s and cases/s, the medians
 * and their ratio. Asserts nothing.
 *
 *   npx tsx bench/channels-camera.ts [seconds=10] [rounds=3] [batch=100]
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (admin connection; default shown)
 */
import { randomBytes } from 'node:crypto';
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

const seconds = Number(process.argv[2] ?? 10);
const rounds = Number(process.argv[3] ?? 3);
const batch = Number(process.argv[4] ?? 100);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const say = (s: string) => process.stdout.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const name = `cityloop_bench_camera_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}"`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;
const store = await openPostgres(url.toString(), { max: 4 });
try {
  await migrate(store);
  await seedDemoCity(store);
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    DATA_DIR: path.join(os.tmpdir(), name),
    WEB_DIR: '/nonexistent',
    HOTLINE_OUTBOX_SENDER: 'false',
  });
  const app = await buildApp({ store, config }, { logger: false });
  await app.ready();
  const login = async (username: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password: 'CityLoop@2026', client: 'app' },
    });
    return { authorization: `Bearer ${res.json().token}` };
  };
  const [adminH, supervisorH] = [await login('admin'), await login('supervisor')];
  const grids = (
    await sql<{ lng: number; lat: number }>`
      SELECT ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat FROM grids g
      WHERE g.code IN (SELECT sg.grid_code FROM supervisor_grids sg JOIN users u ON u.id = sg.user_id
                       WHERE u.username = 'supervisor') ORDER BY g.code LIMIT 20`.execute(store.db)
  ).rows;
  const categories = (
    await sql<{
      code: string;
    }>`SELECT code FROM categories WHERE scheme = ${activeScheme()} AND kind = 'event'
      AND level = 'minor' AND active ORDER BY code LIMIT 4`.execute(store.db)
  ).rows;
  const user = await app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: adminH,
    payload: {
      username: 'bench-video',
      displayName: '视频平台',
      role: 'service',
      divisionCode: '510104',
      kind: 'service',
    },
  });
  const key = (
    await app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: adminH,
      payload: { name: 'bench', userId: user.json().user.id, permissions: ['case.read', 'case.report'] },
    })
  ).json().key as string;
  const cameras = grids.map((_, i) => `510104000013200${String(i + 1).padStart(5, '0')}`);
  for (const [i, g] of grids.entries()) {
    await app.inject({
      method: 'PUT',
      url: `/api/v1/camera/cameras/${cameras[i]}`,
      headers: adminH,
      payload: { name: `bench ${i}`, lng: g.lng, lat: g.lat, districtCode: '510104' },
    });
  }
  for (const [i, c] of categories.entries()) {
    await app.inject({
      method: 'PUT',
      url: '/api/v1/camera/mappings',
      headers: adminH,
      payload: {
        eventCode: `E${i}`,
        label: `E${i}`,
        category: { kind: 'event', code: c.code },
        minConfidence: 0.5,
      },
    });
  }
  let serial = 0;
  const cameraRound = async () => {
    let n = 0;
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      const events = Array.from({ length: batch }, () => {
        serial++;
        return {
          eventId: `b${serial}`,
          deviceId: cameras[serial % cameras.length],
          eventType: `E${serial % categories.length}`,
          occurredAt: new Date().toISOString(),
          confidence: 0.9,
        };
      });
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/camera/events',
        headers: { 'x-api-key': key },
        payload: { events },
      });
      if (res.statusCode !== 200) throw new Error(res.body);
      n += batch;
    }
    return n / seconds;
  };
  const consoleRound = async () => {
    let n = 0;
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      const g = grids[n % grids.length] as { lng: number; lat: number };
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: supervisorH,
        payload: {
          source: 'supervisor',
          kind: 'event',
          categoryCode: categories[n % categories.length]?.code,
          lng: g.lng,
          lat: g.lat,
          address: 'bench',
          description: 'bench',
        },
      });
      if (res.statusCode !== 201) throw new Error(res.body);
      n++;
    }
    return n / seconds;
  };
  const camera: number[] = [];
  const consoleRates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    camera.push(await cameraRound());
    consoleRates.push(await consoleRound());
    say(
      `round ${r + 1}: camera ${camera.at(-1)?.toFixed(1)} events/s · console ${consoleRates.at(-1)?.toFixed(1)} cases/s`,
    );
  }
  const [c, k] = [median(camera), median(consoleRates)];
  say(
    `median: camera ${c.toFixed(1)} events/s (batches of ${batch}) · console POST /cases ${k.toFixed(1)} cases/s · ratio ${(c / k).toFixed(2)}`,
  );
  await app.close();
} finally {
  await store.close();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
