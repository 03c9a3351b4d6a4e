import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { PG_ADMIN_URL, PG_TEST_PREFIX, pgUrl } from '../../../test/helpers/templates.js';
import { GBT47678_CLASSES, REVIEWED_MAPPING } from '../../domain/catalog/index.js';
import { chinaDateOf } from '../../modules/catalog/lookup.js';
import { MIGRATIONS_DIR, migrate } from '../../platform/db/migrate.js';
import type { Database } from '../../platform/db/schema.js';
import { openPglite, openPostgres, type Store } from '../../platform/db/store.js';
import { migration0022 } from '../../seed/gbt47678-migration.js';
import { seedCatalogBefore0022 } from './testkit.js';

const FILE = path.join(MIGRATIONS_DIR, '0022_gbt47678_catalog.sql');

it('migration 0022 is what the generator writes from the domain data', () => {
  expect(fs.readFileSync(FILE, 'utf8')).toBe(migration0022());
});

/** A database migrated up to 0021 only, private to the test. */
async function bareStore(kind: string): Promise<{ store: Store; dispose: () => Promise<void> }> {
  if (kind === 'postgres') {
    const name = `${PG_TEST_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const store = await openPostgres(pgUrl(name), { max: 2 });
    return {
      store,
      async dispose() {
        await store.close();
        const a = new pg.Client({ connectionString: PG_ADMIN_URL });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-0022-'));
  const store = await openPglite(dir);
  return {
    store,
    async dispose() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The 47678.5 side of a catalog by codes: classes, pairs, marks, and the newest version's rows. */
async function picture(db: Kysely<Database>) {
  const classes = await db
    .selectFrom('categories')
    .select(['kind', 'level', 'code', 'name', 'origin', 'active'])
    .where('scheme', '=', 'gbt47678')
    .orderBy('kind')
    .orderBy('code')
    .execute();
  const pairs = await sql<{ pair: string }>`
    SELECT f.kind || ' ' || f.code || '→' || t.code || ' ' || m.basis || ' ' || coalesce(m.note, '') AS pair
    FROM category_mappings m JOIN categories f ON f.id = m.from_id JOIN categories t ON t.id = m.to_id
    WHERE f.scheme = 'gbt30428' AND t.scheme = 'gbt47678' ORDER BY 1`.execute(db);
  const marks = await sql<{ mark: string }>`
    SELECT c.kind || ' ' || c.code || ' ' || u.basis || ' ' || u.note AS mark
    FROM category_unmapped u JOIN categories c ON c.id = u.category_id ORDER BY 1`.execute(db);
  const rows = await sql<{ row: string }>`
    SELECT c.kind || ' ' || c.code || ' ' || s.default_urgency || ' ' || array_to_string(s.department_codes, ',')
           || ' ' || (s.derived_from ->> 'rule') || ' ' || coalesce(s.derived_from ->> 'chosen', '-')
           || ' ' || (SELECT count(*) FROM category_time_limits l
                      WHERE l.version_id = s.version_id AND l.category_id = s.category_id
                        AND l.urgency = 'normal') AS row
    FROM category_standards s JOIN categories c ON c.id = s.category_id
    WHERE c.scheme = 'gbt47678'
      AND s.version_id = (SELECT id FROM standard_versions WHERE status = 'published' ORDER BY effective_from DESC LIMIT 1)
    ORDER BY 1`.execute(db);
  return {
    classes,
    pairs: pairs.rows.map((r) => r.pair),
    marks: marks.rows.map((r) => r.mark),
    rows: rows.rows.map((r) => r.row),
  };
}

describe.each(testStores())('migration 0022 on an existing catalog (%s)', (kind) => {
  let bare: Awaited<ReturnType<typeof bareStore>>;
  let fresh: TestStore;
  let db: Kysely<Database>;
  let applied: string[];
  let draftId: number;

  beforeAll(async () => {
    bare = await bareStore(kind);
    db = bare.store.db;
    const before = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-migrations-'));
    for (const f of fs.readdirSync(MIGRATIONS_DIR).filter((f) => f < '0022')) {
      fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(before, f));
    }
    await migrate(bare.store, before);
    fs.rmSync(before, { recursive: true, force: true });
    await seedCatalogBefore0022(db);
    // A city's own rows in the placeholder scheme: a 细类 under a placeholder 小类, and an event
    // major 06 that the real list now uses.
    const parent = await db
      .selectFrom('categories')
      .select('id')
      .where('scheme', '=', 'gbt47678')
      .where('kind', '=', 'event')
      .where('code', '=', '01002')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('categories')
      .values([
        {
          scheme: 'gbt47678',
          kind: 'event',
          level: 'detail',
          code: '0100201',
          name: '沿街垃圾',
          parent_id: parent.id,
          origin: 'local',
        },
        {
          scheme: 'gbt47678',
          kind: 'event',
          level: 'major',
          code: '06',
          name: '本市事项',
          parent_id: null,
          origin: 'local',
        },
      ])
      .execute();
    const draft = await db
      .insertInto('standard_versions')
      .values({ name: '草稿', note: null, created_by: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    draftId = draft.id;
    applied = await migrate(bare.store);
    fresh = await openTestStore(kind);
    // Every migration from an empty database, then the seed: minutes on a busy embedded store.
  }, 600_000);
  afterAll(async () => {
    await bare?.dispose();
    await fresh?.dispose();
  });

  it('applies 0022 and only the migrations after it', () => {
    expect(applied[0]).toBe('0022_gbt47678_catalog');
    expect(applied.every((m) => m >= '0022')).toBe(true);
  });

  it('retires the placeholder codes (and the local rows on codes the standard uses) into their own scheme', async () => {
    const retired = await db
      .selectFrom('categories')
      .select(['kind', 'level', 'code', 'origin', 'active'])
      .where('scheme', '=', 'gbt47678p')
      .execute();
    expect(retired.filter((r) => r.origin === 'provisional' && r.level === 'minor')).toHaveLength(134);
    expect(retired.every((r) => !r.active)).toBe(true);
    expect(
      retired
        .filter((r) => r.origin === 'local')
        .map((r) => `${r.level} ${r.code}`)
        .sort(),
    ).toEqual(['detail 0100201', 'major 06']);
    // Their one-to-one pairs stay, so cases still filed under them find their 30428.2 class.
    const kept = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM category_mappings WHERE basis = 'provisional'`.execute(db);
    expect(kept.rows[0]?.n).toBe(134);
  });

  it('brings the real list, the reviewed mapping and the no-counterpart marks', async () => {
    const p = await picture(db);
    expect(p.classes.filter((c) => c.level === 'minor').map((c) => `${c.kind}:${c.code}:${c.name}`)).toEqual(
      GBT47678_CLASSES.map((c) => `${c.kind}:${c.code}:${c.name}`).sort(),
    );
    expect(p.classes.every((c) => c.origin === 'standard' && c.active)).toBe(true);
    expect(p.pairs).toHaveLength(REVIEWED_MAPPING.reduce((n, m) => n + m.to.length, 0));
    expect(p.pairs).toContain('component 0114→01023 reviewed 更名：无主井盖 → 不明井盖（权属不明的井盖）');
    expect(p.marks).toHaveLength(REVIEWED_MAPPING.filter((m) => m.to.length === 0).length);
  });

  it('publishes a new version (a copy of the newest, from today) with a row for every new class; drafts get them too', async () => {
    const versions = await db.selectFrom('standard_versions').selectAll().orderBy('id').execute();
    expect(versions.map((v) => [v.name, v.status, v.effective_from])).toEqual([
      ['默认标准（种子数据）', 'published', '2020-01-01'],
      ['草稿', 'draft', null],
      ['GB/T 47678.5-2026 类别（由现行标准推导）', 'published', chinaDateOf(new Date())],
    ]);
    const count = async (versionId: number | undefined, scheme: string) =>
      (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM category_standards s JOIN categories c ON c.id = s.category_id
          WHERE s.version_id = ${versionId} AND c.scheme = ${scheme}`.execute(db)
      ).rows[0]?.n;
    const [seed, , neu] = versions;
    expect([await count(seed?.id, 'gbt30428'), await count(seed?.id, 'gbt47678')]).toEqual([134, 0]);
    expect([await count(neu?.id, 'gbt30428'), await count(neu?.id, 'gbt47678')]).toEqual([134, 403]);
    expect(await count(draftId, 'gbt47678')).toBe(403);
    const rows = (await picture(db)).rows;
    expect(rows).toHaveLength(403);
    expect(rows.every((r) => r.endsWith(' 30'))).toBe(true);
    expect(rows).toContain('event 01001 urgent GS component 0101 30'); // 供水井盖异常 follows its component
    expect(rows).toContain('component 01030 normal SZ mapping 0117 30'); // 电力立杆 ← 立杆
    expect(rows).toContain('event 10001 emergency HW mapping 0407 30'); // 道路积雪、结冰
    expect(rows).toContain('component 01014 urgent YL default - 30'); // 园林井盖: no source
    const audit = await db.selectFrom('audit_log').select(['action', 'target']).execute();
    expect(audit).toEqual([{ action: 'catalog.category.adopt_list', target: `standard_version:${neu?.id}` }]);
  });

  it('gives the same 47678.5 catalog, mapping and derived rows as a fresh seed', async () => {
    expect(await picture(db)).toEqual(await picture(fresh.store.db));
  });
});
