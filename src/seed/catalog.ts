import { type Kysely, sql } from 'kysely';
import { defaultStandard, type Kind, NATIONAL_CLASSES } from '../domain/catalog/index.js';
import { insertStandards } from '../modules/catalog/repo.js';
import type { Database } from '../platform/db/schema.js';

/** The seeded standards version applies from this date, so every case finds a version. */
export const SEED_EFFECTIVE_FROM = '2020-01-01';
export const SEED_VERSION_NAME = '默认标准（种子数据）';

type Key = `${Kind}:${string}`;

/** The GB/T 30428.2 list: majors, then minors under them. */
async function insert30428(db: Kysely<Database>): Promise<Map<Key, number>> {
  const ids = new Map<Key, number>();
  const majors = new Map<Key, { kind: Kind; code: string; name: string }>();
  for (const c of NATIONAL_CLASSES)
    majors.set(`${c.kind}:${c.majorCode}`, { kind: c.kind, code: c.majorCode, name: c.majorName });
  const majorRows = await db
    .insertInto('categories')
    .values(
      [...majors.values()].map((m) => ({
        scheme: 'gbt30428' as const,
        kind: m.kind,
        level: 'major' as const,
        code: m.code,
        name: m.name,
        parent_id: null,
        origin: 'standard' as const,
      })),
    )
    .returning(['id', 'kind', 'code'])
    .execute();
  for (const r of majorRows) ids.set(`${r.kind}:${r.code}`, r.id);
  const minorRows = await db
    .insertInto('categories')
    .values(
      NATIONAL_CLASSES.map((c) => ({
        scheme: 'gbt30428' as const,
        kind: c.kind,
        level: 'minor' as const,
        code: `${c.majorCode}${c.minorCode}`,
        name: c.minorName,
        parent_id: ids.get(`${c.kind}:${c.majorCode}`) ?? null,
        origin: 'standard' as const,
      })),
    )
    .returning(['id', 'kind', 'code'])
    .execute();
  for (const r of minorRows) ids.set(`${r.kind}:${r.code}`, r.id);
  return ids;
}

/**
 * Reference data every deployment needs, demo or not: the national catalog in both code schemes
 * (GB/T 30428.2 from classes.ts; GB/T 47678.5 and the reviewed mapping through the SQL function
 * of migration 0022, the same one that upgrades existing databases) and a published default
 * standards version with rows for both. Runs at every start; writes only into an empty catalog.
 */
export async function seedCatalog(db: Kysely<Database>): Promise<void> {
  const empty = async (q: Kysely<Database>) =>
    !(await q.selectFrom('categories').select('id').limit(1).executeTakeFirst());
  if (!(await empty(db))) return;
  const write = async (trx: Kysely<Database>) => {
    // Two processes starting on one empty database: the second waits, then finds it seeded.
    await sql`SELECT pg_advisory_xact_lock(hashtext('cityloop.seed_catalog'))`.execute(trx);
    if (!(await empty(trx))) return;
    const old = await insert30428(trx);
    await sql`SELECT catalog_adopt_gbt47678()`.execute(trx);
    const version = await trx
      .insertInto('standard_versions')
      .values({
        name: SEED_VERSION_NAME,
        status: 'published',
        effective_from: SEED_EFFECTIVE_FROM,
        published_at: new Date(),
        note: '按 GB/T 30428.2 小类预置的立案、处置与结案标准及处置责任分解表（GB/T 47678.5 小类经类别对应关系推导），各城市应按本地规定修订',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertStandards(
      trx,
      version.id,
      NATIONAL_CLASSES.map((c) => ({
        categoryId: old.get(`${c.kind}:${c.majorCode}${c.minorCode}`) ?? 0,
        ...defaultStandard(c),
      })),
    );
    await sql`SELECT catalog_derive_gbt47678(${version.id}::int)`.execute(trx);
  };
  // The demo seed calls this inside its own transaction (Kysely has no nested transactions).
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
}
