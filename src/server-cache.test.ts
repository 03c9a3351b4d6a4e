/** Every start empties the evaluation cache: counts cached by older code are not trusted. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../test/helpers/stores.js';
import { loadConfig } from './platform/config.js';
import { prepareStore } from './server.js';

describe('start', () => {
  let ts: TestStore;
  beforeAll(async () => {
    ts = await openTestStore('postgres');
  }, 120_000);
  afterAll(async () => {
    await ts?.dispose();
  });

  it('empties the cache of finished periods', async () => {
    await sql`INSERT INTO evaluation_cache (key, tallies) VALUES (${'a'.repeat(64)}, '{}')`.execute(
      ts.store.db,
    );
    const { store } = await prepareStore(loadConfig({ DATABASE_URL: ts.url as string, LOG_LEVEL: 'silent' }));
    try {
      const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM evaluation_cache`.execute(store.db);
      expect(n.rows[0]?.n).toBe(0);
    } finally {
      await store.close();
    }
  }, 60_000);
});
