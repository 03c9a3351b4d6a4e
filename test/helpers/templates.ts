import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Admin connection for creating throwaway databases on the real PostgreSQL server. */
export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function pgUrl(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => !f.endsWith('.test.ts'))
    .sort();
}

/** Templates are rebuilt whenever the schema or the demo city could differ. */
export function templateHash(): string {
  const h = createHash('sha256');
  for (const f of [
    ...filesUnder(path.join(ROOT, 'migrations')),
    ...filesUnder(path.join(ROOT, 'src/domain')),
    ...filesUnder(path.join(ROOT, 'src/seed')),
  ]) {
    h.update(f.slice(ROOT.length)).update(fs.readFileSync(f));
  }
  return h.digest('hex').slice(0, 12);
}

export const PG_TEMPLATE_PREFIX = 'cityloop_tpl_';
export const PG_TEST_PREFIX = 'cityloop_t_';
export const PGLITE_CACHE = path.join(ROOT, 'node_modules/.cache/cityloop-test');
