import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { MIGRATIONS_DIR, migrate, readMigrations } from './migrate.js';

describe.each(testStores())('store %s', (kind) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(kind);
  });
  afterAll(() => t?.dispose());

  it('records every migration once and applies nothing on a second run', async () => {
    const files = await readMigrations();
    const rows = await t.store.db
      .selectFrom('schema_migrations')
      .select(['version', 'checksum'])
      .orderBy('version')
      .execute();
    expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.version));
    expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum));
    expect(await migrate(t.store)).toEqual([]);
  });

  it('refuses to run when an applied migration file was edited', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-mig-'));
    for (const f of fs.readdirSync(MIGRATIONS_DIR))
      fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    fs.appendFileSync(path.join(dir, '0001_org.sql'), '\n-- edited\n');
    await expect(migrate(t.store, dir)).rejects.toThrow(/0001_org was changed after it was applied/);
    fs.rmSync(dir, { recursive: true });
  });

  it('applies a new numbered file exactly once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-mig-'));
    for (const f of fs.readdirSync(MIGRATIONS_DIR))
      fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    fs.writeFileSync(
      path.join(dir, '9999_probe.sql'),
      'CREATE TABLE probe (id int); INSERT INTO probe VALUES (1);',
    );
    expect(await migrate(t.store, dir)).toEqual(['9999_probe']);
    expect(await migrate(t.store, dir)).toEqual([]);
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM probe`.execute(t.store.db);
    expect(r.rows[0]?.n).toBe(1);
    fs.rmSync(dir, { recursive: true });
  });

  it('keeps the rules in the database: a grid code must start with its community code', async () => {
    const insert = sql`INSERT INTO grids (code, community_code, seq, geom, area_m2)
      VALUES ('510104001002001', '510104001001', 1,
              ST_SetSRID(ST_MakeEnvelope(104.0, 30.0, 104.001, 30.001), 4326), 10000)`;
    await expect(insert.execute(t.store.db)).rejects.toThrow(/grids_code_in_community/);
  });

  it('keeps the audit log append-only', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x.y'`.execute(t.store.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(t.store.db)).rejects.toThrow(/append-only/);
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(t.store.db);
    expect(r.rows[0]?.n).toBeGreaterThan(0);
  });
});
