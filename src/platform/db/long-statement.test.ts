/**
 * A long statement never holds up the HTTP thread: the statement below runs until the test
 * releases it, and the release only happens after the health check has answered. Were the
 * database on this thread (PGlite in-process, as before), health could not answer, the release
 * never came, and the statement would end with 'gave up' instead of 'released'.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../http/types.js';

// The loop sees the release as a file in the data directory (PGlite: one session, nothing else
// could write) or as a committed row from another connection (PostgreSQL: each statement of a
// volatile function reads a fresh snapshot).
const WAITS = {
  pglite: `
    CREATE FUNCTION test_wait_release(flag text) RETURNS text LANGUAGE plpgsql AS $$
    DECLARE t0 timestamptz := clock_timestamp();
    BEGIN
      LOOP
        -- A listing, not pg_stat_file: that one keeps answering "missing" once it was.
        IF flag IN (SELECT pg_ls_dir('.')) THEN RETURN 'released'; END IF;
        IF clock_timestamp() - t0 > interval '60 seconds' THEN RETURN 'gave up'; END IF;
      END LOOP;
    END $$`,
  postgres: `
    CREATE TABLE test_release (flag text PRIMARY KEY);
    CREATE FUNCTION test_wait_release(flag text) RETURNS text LANGUAGE plpgsql AS $$
    DECLARE t0 timestamptz := clock_timestamp();
    BEGIN
      LOOP
        IF EXISTS (SELECT 1 FROM test_release r WHERE r.flag = test_wait_release.flag) THEN
          RETURN 'released';
        END IF;
        IF clock_timestamp() - t0 > interval '60 seconds' THEN RETURN 'gave up'; END IF;
        PERFORM pg_sleep(0.01);
      END LOOP;
    END $$`,
};

describe.each(testStores())('a long statement on the %s store', (kind) => {
  let t: TestStore;
  let app: ApiApp;

  beforeAll(async () => {
    t = await openTestStore(kind);
    await sql.raw(WAITS[kind]).execute(t.store.db);
    app = await testApp(t.store);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  /** Whether the waiting statement is running now (seen from outside it). */
  async function running(): Promise<boolean> {
    if (kind === 'pglite') return t.store.heldSince?.() != null;
    const r = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE state = 'active' AND query LIKE '%test_wait_release(%' AND pid <> pg_backend_pid()`.execute(
      t.store.autonomous ?? t.store.db,
    );
    return (r.rows[0]?.n ?? 0) > 0;
  }

  async function release(flag: string) {
    if (kind === 'pglite') fs.writeFileSync(path.join(t.dataDir as string, flag), 'go');
    else
      await sql`INSERT INTO test_release (flag) VALUES (${flag})`.execute(t.store.autonomous ?? t.store.db);
  }

  it('health answers while it runs, and a queued request is served after it', {
    timeout: 90_000,
  }, async () => {
    const flag = `release-${Date.now()}`;
    const order: string[] = [];
    const long = sql<{ r: string }>`SELECT test_wait_release(${flag}) AS r`
      .execute(t.store.db)
      .then((res) => {
        order.push('long');
        return res.rows[0]?.r;
      });
    while (!(await running())) await new Promise((r) => setTimeout(r, 20));

    // A request needing the database meanwhile: on the embedded store it waits its turn.
    const queued = t.store.db
      .selectFrom('users')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
      .then((row) => {
        order.push('queued');
        return Number(row.n);
      });
    const health = await app.inject({ url: '/api/health' });
    order.push('health');
    expect(health.statusCode).toBe(200);
    const body = health.json() as { status: string; database: string; busyForMs?: number };
    expect(body).toMatchObject({ status: 'ok', database: 'ok', store: kind });
    // The embedded store says its one connection is taken rather than queueing behind it.
    if (kind === 'pglite') expect(body.busyForMs).toBeGreaterThanOrEqual(0);

    await release(flag);
    expect(await long).toBe('released');
    expect(await queued).toBeGreaterThan(0);
    expect(order.indexOf('health')).toBeLessThan(order.indexOf('long'));
    // One connection: the queued read ran after the long statement. PostgreSQL has more.
    if (kind === 'pglite') expect(order).toEqual(['health', 'long', 'queued']);
  });

  it('a failing statement reports the database error with its code and frees the connection', async () => {
    const err = await sql`SELECT 1/0`.execute(t.store.db).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: string }).code).toBe('22012');
    expect((err as Error).message).toMatch(/division by zero/);
    const r = await sql<{ one: number }>`SELECT 1 AS one`.execute(t.store.db);
    expect(r.rows).toEqual([{ one: 1 }]);
  });
});
