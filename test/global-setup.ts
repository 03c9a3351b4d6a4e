import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { migrate } from '../src/platform/db/migrate.js';
import { openPglite, openPostgres } from '../src/platform/db/store.js';
import { ensureWebBuilt, webSourceHash } from '../src/platform/web-build.js';
import { seedDemoCity } from '../src/seed/demo-city.js';
import { WEB_CACHE } from './helpers/browser-paths.js';
import { testStores } from './helpers/stores.js';
import {
  PG_ADMIN_URL,
  PG_TEMPLATE_PREFIX,
  PG_TEST_PREFIX,
  PGLITE_CACHE,
  pgUrl,
  templateHash,
} from './helpers/templates.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
    pgliteTemplate: string;
    webDir: string;
    webBuildError: string;
  }
}

async function buildPgTemplate(hash: string): Promise<string> {
  const name = `${PG_TEMPLATE_PREFIX}${hash}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    // Templates of older schemas go, except the twelve newest: other runs on this machine (parallel work trees) may be
    // testing another version of the tree right now. Test databases and half-built templates
    // left by killed runs carry their creation time and go after three hours.
    const stale = await admin.query<{ datname: string; oid: number }>(
      `SELECT datname, oid::int AS oid FROM pg_database
       WHERE (starts_with(datname, $1) AND datname <> $2) OR starts_with(datname, $3)
       ORDER BY oid DESC`,
      [PG_TEMPLATE_PREFIX, name, PG_TEST_PREFIX],
    );
    const cutoff = Date.now() / 1000 - 3 * 3600;
    let keptTemplates = 0;
    for (const { datname } of stale.rows) {
      const building = /_b\d+_(\d+)$/.exec(datname);
      if (datname.startsWith(PG_TEST_PREFIX) || building) {
        const stamp = building
          ? Number(building[1])
          : Number(datname.slice(PG_TEST_PREFIX.length).split('_')[0]);
        if (stamp > cutoff) continue;
      } else if (keptTemplates++ < 12) {
        continue;
      }
      await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
    }
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (exists.rowCount) return name;
    // Built under a name of this process, published by rename: concurrent runs never touch
    // each other's half-built template, and a run that loses the race uses the winner's.
    const building = `${name}_b${process.pid}_${Math.floor(Date.now() / 1000)}`;
    await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${building}"`);
    const store = await openPostgres(pgUrl(building), { max: 2 });
    try {
      await migrate(store);
      await seedDemoCity(store);
    } finally {
      await store.close();
    }
    try {
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    } catch (err) {
      if ((err as { code?: string }).code !== '42P04') throw err; // duplicate_database
      await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    }
    return name;
  } finally {
    await admin.end();
  }
}

async function buildPgliteTemplate(hash: string): Promise<string> {
  const dir = path.join(PGLITE_CACHE, `pglite-${hash}`);
  if (fs.existsSync(path.join(dir, 'READY'))) return dir;
  fs.mkdirSync(PGLITE_CACHE, { recursive: true });
  // Templates of older schemas go, except the three newest (another run may be using one);
  // half-built ones (".building-") belong to runs in progress and are left alone.
  const older = fs
    .readdirSync(PGLITE_CACHE)
    .filter((d) => d.startsWith('pglite-') && !d.includes('.building-') && d !== `pglite-${hash}`)
    .map((d) => ({ d, mtime: fs.statSync(path.join(PGLITE_CACHE, d)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { d } of older.slice(3)) fs.rmSync(path.join(PGLITE_CACHE, d), { recursive: true, force: true });
  const building = `${dir}.building-${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  const store = await openPglite(building);
  try {
    await migrate(store);
    await seedDemoCity(store);
  } finally {
    await store.close();
  }
  fs.writeFileSync(path.join(building, 'READY'), new Date().toISOString());
  // Published by rename, so readers never see a half-built template.
  try {
    fs.renameSync(building, dir);
  } catch {
    fs.rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

/** Keeps the three newest builds of other source versions and any made in the last two hours. */
function pruneOlder(dir: string, prefix: string, keep: string) {
  const older = fs
    .readdirSync(dir)
    .filter((d) => d.startsWith(prefix) && d !== keep && !d.includes('.building-') && !d.includes('.old-'))
    .map((d) => ({ d, mtime: fs.statSync(path.join(dir, d)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  // Runs of other trees on this machine may still be serving theirs: only old ones go.
  const cutoff = Date.now() - 2 * 3600_000;
  for (const { d, mtime } of older.slice(3)) {
    if (mtime < cutoff) fs.rmSync(path.join(dir, d), { recursive: true, force: true });
  }
}

export default async function setup({ provide }: { provide: (key: string, value: string) => void }) {
  const hash = templateHash();
  const stores = testStores();
  const [pgTemplate, pgliteTemplate] = await Promise.all([
    stores.includes('postgres') ? buildPgTemplate(hash) : '',
    stores.includes('pglite') ? buildPgliteTemplate(hash) : '',
  ]);
  // The browser tests drive the built console; building it here keeps workers from racing.
  // One folder per source version, so concurrent runs of different trees never swap files
  // under each other's servers.
  // A console that does not build fails the browser tests (with Vite's message), not the
  // API tests.
  const webDir = path.join(WEB_CACHE, `web-${webSourceHash()}`);
  let webBuildError = '';
  try {
    await ensureWebBuilt(webDir);
    pruneOlder(WEB_CACHE, 'web-', path.basename(webDir));
  } catch (err) {
    webBuildError = err instanceof Error ? err.message : String(err);
  }
  provide('webDir', webDir);
  provide('webBuildError', webBuildError);
  provide('pgTemplate', pgTemplate);
  provide('pgliteTemplate', pgliteTemplate);
}
