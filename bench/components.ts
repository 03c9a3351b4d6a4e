/**
 * Demo components (部件): generation time, seed (insert) time on each store, and nearest /
 * list query latency over the seeded set. Prints figures; asserts nothing.
 *
 *   npx tsx bench/components.ts [pglite|postgres ...]
 *
 * PostgreSQL uses a throw-away database on TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { generateDemoComponents } from '../src/domain/component/demo.js';
import { generateDemoCity } from '../src/domain/demo-city/index.js';
import { listComponentRows, nearestRows } from '../src/modules/component/repo.js';
import { migrate } from '../src/platform/db/migrate.js';
import { openPglite, openPostgres, type Store, type StoreKind } from '../src/platform/db/store.js';
import { seedDemoComponents } from '../src/seed/components.js';
import { seedDemoCity } from '../src/seed/demo-city.js';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const kinds = (process.argv.slice(2).length ? process.argv.slice(2) : ['postgres', 'pglite']) as StoreKind[];
const ms = (t0: number) => Math.round(performance.now() - t0);

async function withStore(kind: StoreKind, run: (store: Store) => Promise<void>) {
  if (kind === 'pglite') {
    const store = await openPglite(null);
    try {
      await run(store);
    } finally {
      await store.close();
    }
    return;
  }
  const name = `cityloop_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const store = await openPostgres(url.toString(), { max: 2 });
  try {
    await run(store);
  } finally {
    await store.close();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

const city = generateDemoCity();
let t0 = performance.now();
const generated = generateDemoComponents(city);
console.log(`generate: ${generated.length} components in ${ms(t0)} ms`);

for (const kind of kinds) {
  await withStore(kind, async (store) => {
    await migrate(store);
    t0 = performance.now();
    await seedDemoCity(store);
    console.log(`${kind}: whole demo seed (city + components + others) ${ms(t0)} ms`);
    // The component part alone, measured again inside a rolled-back transaction.
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      await store.db
        .transaction()
        .execute(async (trx) => {
          await sql`DELETE FROM components`.execute(trx);
          const t = performance.now();
          await seedDemoComponents(trx, city);
          runs.push(ms(t));
          throw new Error('rollback');
        })
        .catch((e: Error) => {
          if (e.message !== 'rollback') throw e;
        });
    }
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM components`.execute(store.db);
    console.log(`${kind}: seedDemoComponents ${count.rows[0]?.n} rows: ${runs.join(' / ')} ms`);

    const points = generated
      .filter((_, i) => i % 997 === 0)
      .map((c) => ({ lng: c.lng + 0.0003, lat: c.lat }));
    t0 = performance.now();
    for (const p of points) await nearestRows(store.db, p, 10, { scopePrefix: '' });
    console.log(
      `${kind}: nearest 10: ${(ms(t0) / points.length).toFixed(1)} ms per query (${points.length} queries)`,
    );
    t0 = performance.now();
    for (let i = 0; i < 10; i++) {
      await listComponentRows(
        store.db,
        { scopePrefix: '510104', category: '01' },
        { limit: 50, offset: i * 50 },
      );
    }
    console.log(
      `${kind}: list (district scope, class 01, page of 50 + total): ${(ms(t0) / 10).toFixed(1)} ms per query`,
    );
  });
}
