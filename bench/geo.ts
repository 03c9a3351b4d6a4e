/**
 * Geo figures on a real PostgreSQL + PostGIS: point → grid lookups per second (in-memory index
 * and PostGIS side by side, same points), reverse geocodes per second, and the time to build
 * dense vector tiles (grids, components, 100k cases clustered) with both MVT encoders.
 * Builds a fresh database (migrate + demo city) and drops it afterwards. Prints a table;
 * asserts nothing.
 *
 *   npx tsx bench/geo.ts [postgres://postgres@127.0.0.1:5432/postgres]
 */
import { sql } from 'kysely';
import pg from 'pg';
import { locatePoint } from '../src/modules/grid/repo.js';
import { encodeInJs, encodeWithPostgis, type TileEncoder } from '../src/modules/map/encode.js';
import { loadGridLocator } from '../src/modules/map/locator.js';
import { mapTile } from '../src/modules/map/service.js';
import { tileAt } from '../src/modules/map/tile.js';
import { type Ctx, systemActor } from '../src/platform/auth/actor.js';
import { migrate } from '../src/platform/db/migrate.js';
import { openPostgres } from '../src/platform/db/store.js';
import { seedDemoCity } from '../src/seed/demo-city.js';

const ADMIN_URL = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CASE_COUNT = 100_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
}

/** Deterministic points over the demo city and a margin around it (some fall outside). */
function points(n: number): Array<[number, number]> {
  let s = 20260701;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return Array.from({ length: n }, () => [104.026 + rand() * 0.068, 30.635 + rand() * 0.05]);
}

async function main() {
  const name = `cityloop_bench_geo_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const store = await openPostgres(url.toString(), { max: 8 });
  const rows: Array<[string, string, string]> = [];
  const row = (what: string, figure: string, note = '') => {
    rows.push([what, figure, note]);
    console.error(`  ${what}: ${figure} ${note}`);
  };
  try {
    const [, migrateMs] = await timed(() => migrate(store));
    const [, seedMs] = await timed(() => seedDemoCity(store));
    row(
      'setup: migrate + seed demo city',
      `${fmt((migrateMs + seedMs) / 1000, 1)} s`,
      '3,000 grids, ~25k components',
    );
    const ctx: Ctx = {
      db: store.db,
      actor: systemActor('bench'),
      meta: { ip: null, requestId: null, userAgent: null },
    };
    const pts = points(20_000);

    // Point → grid: the in-memory index against PostGIS, same points, same answers.
    const [locator, loadMs] = await timed(() => loadGridLocator(store.db));
    row('locator: load from store', `${fmt(loadMs, 1)} ms`, `${fmt(locator.size)} grids`);
    const memoryRates: number[] = [];
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now();
      for (const [lng, lat] of pts) locator.locate(lng, lat);
      memoryRates.push(pts.length / ((performance.now() - t0) / 1000));
    }
    row(
      'point → grid, in-memory index',
      `${fmt(median(memoryRates))} /s`,
      `median of 5 × ${fmt(pts.length)} points`,
    );
    const sample = pts.slice(0, 2_000);
    let mismatches = 0;
    const sequential: number[] = [];
    for (let run = 0; run < 3; run++) {
      const t0 = performance.now();
      for (const [lng, lat] of sample) {
        const hit = await locatePoint(store.db, lng, lat);
        if (run === 0 && (hit?.code ?? null) !== locator.locate(lng, lat)) mismatches++;
      }
      sequential.push(sample.length / ((performance.now() - t0) / 1000));
    }
    row(
      'point → grid, PostGIS (1 connection)',
      `${fmt(median(sequential))} /s`,
      `median of 3 × ${fmt(sample.length)}`,
    );
    const parallel: number[] = [];
    for (let run = 0; run < 3; run++) {
      const t0 = performance.now();
      for (let i = 0; i < sample.length; i += 8) {
        await Promise.all(sample.slice(i, i + 8).map(([lng, lat]) => locatePoint(store.db, lng, lat)));
      }
      parallel.push(sample.length / ((performance.now() - t0) / 1000));
    }
    row(
      'point → grid, PostGIS (8 connections)',
      `${fmt(median(parallel))} /s`,
      `median of 3 × ${fmt(sample.length)}`,
    );
    row('in-memory vs PostGIS disagreements', `${mismatches}`, `of ${fmt(sample.length)} points`);

    // Reverse geocoding, if the geocode module offers it.
    const geocode = await import('../src/modules/geocode/lookup.js').catch(() => null);
    if (geocode && typeof geocode.reverseGeocode === 'function') {
      const inside = sample.filter(([lng, lat]) => locator.locate(lng, lat) !== null).slice(0, 500);
      const rates: number[] = [];
      for (let run = 0; run < 3; run++) {
        const t0 = performance.now();
        for (const [lng, lat] of inside) await geocode.reverseGeocode(ctx, { lng, lat, crs: 'wgs84' });
        rates.push(inside.length / ((performance.now() - t0) / 1000));
      }
      row('reverse geocode (1 connection)', `${fmt(median(rates))} /s`, `median of 3 × ${inside.length}`);
    } else {
      row('reverse geocode', 'n/a', 'src/modules/geocode has no reverseGeocode yet');
    }

    // 100k open cases spread over every grid, to time the cluster path.
    const [, casesMs] = await timed(() =>
      sql`
        INSERT INTO cases (number, source, kind, category_id, grid_code, community_code, street_code, district_code,
          area_class, location, address, description, reporter_role, state, light)
        SELECT substr(g.code, 1, 6) || '-20260701-E-' || lpad((row_number() OVER ())::text, 6, '0'), 'supervisor',
          'event', (SELECT min(id) FROM categories WHERE kind = 'event'), g.code, c.code, s.code, s.parent_code,
          g.area_class,
          ST_SetSRID(ST_MakePoint(ST_XMin(g.geom) + random() * (ST_XMax(g.geom) - ST_XMin(g.geom)),
                                  ST_YMin(g.geom) + random() * (ST_YMax(g.geom) - ST_YMin(g.geom))), 4326),
          '压测地址', '压测案卷', 'supervisor', 'dispatched', (ARRAY['green', 'yellow', 'red'])[1 + (i % 3)]
        FROM grids g
        JOIN divisions c ON c.code = g.community_code
        JOIN divisions s ON s.code = c.parent_code
        CROSS JOIN generate_series(1, ${Math.ceil(CASE_COUNT / 3000)}::int) i
        WHERE g.valid_to IS NULL`.execute(store.db),
    );
    await sql`ANALYZE`.execute(store.db);
    const caseCount = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(store.db);
    row('setup: open cases inserted', fmt(caseCount.rows[0]?.n ?? 0), `${fmt(casesMs / 1000, 1)} s`);

    const tiles: Array<[string, number, number, number, string]> = [
      ['grids', 14, 104.06, 30.66, 'city centre'],
      ['grids', 15, 104.06, 30.66, 'city centre'],
      ['components', 16, 104.06, 30.66, 'points'],
      ['components', 13, 104.06, 30.66, 'clusters'],
      ['cases', 12, 104.06, 30.66, 'clusters, whole city'],
      ['cases', 14, 104.06, 30.66, 'points'],
    ];
    const encoders: Array<[string, TileEncoder]> = [
      ['ST_AsMVT', encodeWithPostgis],
      ['geojson-vt', encodeInJs],
    ];
    for (const [layer, z, lng, lat, note] of tiles) {
      const t = tileAt(lng, lat, z);
      for (const [label, encode] of encoders) {
        const times: number[] = [];
        let bytes = 0;
        for (let run = 0; run < 7; run++) {
          const [res, ms] = await timed(() =>
            mapTile(ctx, encode, { layer, z: String(t.z), x: String(t.x), y: String(t.y) }),
          );
          if (res.status === 200) bytes = res.body.length;
          times.push(ms);
        }
        row(
          `MVT ${layer} z${z}/${t.x}/${t.y} (${label})`,
          `${fmt(median(times), 1)} ms`,
          `${note}, ${fmt(bytes / 1024, 1)} KiB, median of 7`,
        );
      }
    }
  } finally {
    await store.close();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }

  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), 8));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(
    `\nCityLoop geo bench — PostgreSQL ${ADMIN_URL.replace(/\/[^/]*$/, '')}, Node ${process.version}\n`,
  );
  console.log(line(['measure', 'figure', 'note']));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
}

await main();
