import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { StoreKind } from '../../src/platform/db/store.js';
import { openPglite, openPostgres, type Store } from '../../src/platform/db/store.js';
import { PG_ADMIN_URL, PG_TEST_PREFIX, pgUrl } from './templates.js';

/** Which stores the store-backed tests run on: both unless CITYLOOP_TEST_STORES narrows it. */
export function testStores(): StoreKind[] {
  const raw = process.env.CITYLOOP_TEST_STORES ?? 'postgres,pglite';
  return raw.split(',').map((s) => s.trim()) as StoreKind[];
}

export interface TestStore {
  store: Store;
  /** PostgreSQL URL of this test database (postgres kind only), for child processes. */
  url: string | null;
  dataDir: string | null;
  dispose(): Promise<void>;
}

/** A fresh, migrated database holding the demo city, private to the caller. */
export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'postgres') {
    const name = `${PG_TEST_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    // Two workers copying the template at the same instant can collide (55006); retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('pgTemplate')}"`);
        break;
      } catch (err) {
        if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    await admin.end();
    const url = pgUrl(name);
    const store = await openPostgres(url, { max: 4 });
    return {
      store,
      url,
      dataDir: null,
      async dispose() {
        await store.close();
        const a = new pg.Client({ connectionString: PG_ADMIN_URL });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-pglite-'));
  fs.cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
  const store = await openPglite(dataDir);
  return {
    store,
    url: null,
    dataDir,
    async dispose() {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
