/**
 * Reverse geocodes and forward address searches per second against a freshly migrated and
 * seeded PostgreSQL database (the demo city + gazetteer), through the service layer (no HTTP).
 * Sequential and with 8 concurrent callers; median of several runs. Prints figures only.
 *
 *   npx tsx bench/geocode.ts [runs=5] [n=400]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (admin URL; a scratch database is created)
 */
import pg from 'pg';
import { generateDemoGazetteer } from '../src/domain/geo/demo-gazetteer.js';
import { reverseGeocode, searchAddress } from '../src/modules/geocode/lookup.js';
import { type Ctx, systemActor } from '../src/platform/auth/actor.js';
import { migrate } from '../src/platform/db/migrate.js';
import { openPostgres } from '../src/platform/db/store.js';
import { seedDemoCity } from '../src/seed/demo-city.js';

const runs = Number(process.argv[2] ?? 5);
const n = Number(process.argv[3] ?? 400);
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `cityloop_bench_geocode_${process.pid}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function admin(query: string) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(query);
  await c.end();
}

async function rate(jobs: Array<() => Promise<unknown>>, concurrency: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) await (jobs[next++] as () => Promise<unknown>)();
    }),
  );
  return jobs.length / ((performance.now() - t0) / 1000);
}

await admin(`CREATE DATABASE "${dbName}"`);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
const store = await openPostgres(url.toString(), { max: 8 });
try {
  await migrate(store);
  const seedStart = performance.now();
  const city = await seedDemoCity(store);
  console.log(`seeded demo city + gazetteer in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  const ctx: Ctx = {
    db: store.db,
    actor: systemActor('bench'),
    meta: { ip: null, requestId: null, userAgent: null },
  };
  const g = generateDemoGazetteer(city);
  // Deterministic spread of points over the city and a mix of query shapes.
  const points = Array.from({ length: n }, (_, i) => ({
    lng: 104.0295 + ((i * 7919) % 1000) * 0.0000615,
    lat: 30.638 + ((i * 104729) % 1000) * 0.0000445,
  }));
  const queries = Array.from({ length: n }, (_, i) => {
    const d = g.doors[(i * 7919) % g.doors.length];
    const p = g.pois[(i * 31) % g.pois.length];
    const road = d?.road ?? '';
    switch (i % 4) {
      case 0:
        return `${road}${d?.number}`;
      case 1:
        return `${road.replace(/[一二三]段$/, '')}${d?.number}`;
      case 2:
        return p?.name ?? '';
      default:
        return `${road} ${p?.category ?? ''}`;
    }
  });
  const reverseJobs = points.map((p) => () => reverseGeocode(ctx, { ...p, crs: 'wgs84' }));
  const searchJobs = queries.map((q) => () => searchAddress(ctx, { q, limit: 10, crs: 'wgs84' }));
  await rate(reverseJobs.slice(0, 50), 4); // warm up plans and caches
  await rate(searchJobs.slice(0, 50), 4);
  const results: Record<string, number[]> = { reverse1: [], reverse8: [], search1: [], search8: [] };
  for (let r = 0; r < runs; r++) {
    results.reverse1?.push(await rate(reverseJobs, 1));
    results.reverse8?.push(await rate(reverseJobs, 8));
    results.search1?.push(await rate(searchJobs, 1));
    results.search8?.push(await rate(searchJobs, 8));
  }
  console.log(`PostgreSQL, ${n} calls per run, median of ${runs} runs:`);
  console.log(
    `  reverse geocodes/s: ${median(results.reverse1 ?? []).toFixed(0)} sequential, ${median(results.reverse8 ?? []).toFixed(0)} with 8 callers`,
  );
  console.log(
    `  forward searches/s: ${median(results.search1 ?? []).toFixed(0)} sequential, ${median(results.search8 ?? []).toFixed(0)} with 8 callers`,
  );
} finally {
  await store.close();
  await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
}
