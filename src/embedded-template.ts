/**
 * The first embedded start from a prepared data directory. Creating one from nothing (PGlite's
 * initdb, PostGIS, every migration, the catalog, the demo city) took minutes on a loaded 2-core
 * machine; copying a finished one takes a second or two. The template is made once per version
 * of the schema and the demo city (its key hashes what they are made from) in a cache folder of
 * this installation, and each new data directory starts as a copy of it.
 *
 * The template holds no history and no time: the demo history is written after the start, as
 * before, and every start still migrates and checks its seeds (no-ops on a fresh copy).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedOfficialDays } from './modules/calendar/official-days.js';
import { migrate } from './platform/db/migrate.js';
import { openPglite } from './platform/db/store.js';
import { seedCatalog } from './seed/catalog.js';
import { seedDemoCity } from './seed/demo-city.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const READY = 'READY';

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.test.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** What the template is made from: a change to any of it makes a new one. */
export function templateKey(): string {
  const h = createHash('sha256');
  const files = [
    ...filesUnder(path.join(ROOT, 'migrations')),
    ...filesUnder(path.join(ROOT, 'src/seed')),
    ...filesUnder(path.join(ROOT, 'src/domain')),
    ...filesUnder(path.join(ROOT, 'src/modules/calendar')),
    path.join(ROOT, 'package-lock.json'),
  ];
  for (const f of files) h.update(path.relative(ROOT, f)).update(fs.readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

export const DEFAULT_TEMPLATE_CACHE = path.join(ROOT, 'node_modules/.cache/cityloop-embedded');

/**
 * The template for this version, made now when missing (the caller's log says so). Made beside
 * and published by rename: a concurrent start or a crash never leaves a half-made template in use.
 */
export async function ensureTemplate(cacheDir: string, say: (line: string) => void): Promise<string> {
  const key = templateKey();
  const dir = path.join(cacheDir, `pglite-${key}`);
  if (fs.existsSync(path.join(dir, READY))) return dir;
  fs.mkdirSync(cacheDir, { recursive: true });
  prune(cacheDir, `pglite-${key}`);
  const building = `${dir}.building-${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  say(`preparing the embedded template of this version in ${cacheDir} (once)…`);
  const store = await openPglite(building);
  try {
    const applied = await migrate(store);
    if (applied.length) say(`applied migrations ${applied.join(', ')}`);
    await seedCatalog(store.db);
    await seedOfficialDays(store.db);
    say('seeding the demo city (first start)…');
    const city = await seedDemoCity(store);
    say(
      `demo city ready — ${city.divisions.length} divisions, ${city.grids.length} unit grids, ${city.departments.length} departments`,
    );
  } finally {
    await store.close();
  }
  fs.writeFileSync(path.join(building, READY), `${new Date().toISOString()}\n`);
  try {
    fs.renameSync(building, dir);
  } catch {
    // Another start published the same version first: theirs is as good.
    fs.rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

/** Templates of other versions go, except the newest two; half-made ones older than a day too. */
function prune(cacheDir: string, keep: string) {
  const entries = fs
    .readdirSync(cacheDir)
    .filter((d) => d.startsWith('pglite-') && d !== keep)
    .map((d) => ({ d, mtime: fs.statSync(path.join(cacheDir, d)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  const finished = entries.filter((e) => !e.d.includes('.building-'));
  const stale = entries.filter((e) => e.d.includes('.building-') && e.mtime < Date.now() - 86_400_000);
  for (const { d } of [...finished.slice(2), ...stale])
    fs.rmSync(path.join(cacheDir, d), { recursive: true, force: true });
}
