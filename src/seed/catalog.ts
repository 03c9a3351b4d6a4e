import { type Kysely, sql } from 'kysely';
import {
  defaultStandard,
  type Kind,
  NATIONAL_CLASSES,
  paddedCode,
  type Scheme,
} from '../domain/catalog/index.js';
import { insertStandards } from '../modules/catalog/repo.js';
import type { Database } from '../platform/db/schema.js';

/** Marks the GB/T 47678.5 codes derived by zero-padding until the official list is imported. */
export const PROVISIONAL_NOTE =
  '示意编码：由 GB/T 30428.2 小类代码补零生成（MM → 0MM），导入正式 GB/T 47678.5 目录前仅供参考 / illustrative until the official list is imported';

/** The seeded standards version applies from this date, so every case finds a version. */
export const SEED_EFFECTIVE_FROM = '2020-01-01';
export const SEED_VERSION_NAME = '默认标准（种子数据）';

type Key = `${Kind}:${string}`;

async function insertScheme(db: Kysely<Database>, scheme: Scheme): Promise<Map<Key, number>> {
  const provisional = scheme === 'gbt47678';
  const ids = new Map<Key, number>();
  const majors = new Map<Key, { kind: Kind; code: string; name: string }>();
  for (const c of NATIONAL_CLASSES)
    majors.set(`${c.kind}:${c.majorCode}`, { kind: c.kind, code: c.majorCode, name: c.majorName });
  const majorRows = await db
    .insertInto('categories')
    .values(
      [...majors.values()].map((m) => ({
        scheme,
        kind: m.kind,
        level: 'major' as const,
        code: m.code,
        name: m.name,
        parent_id: null,
        origin: provisional ? ('provisional' as const) : ('standard' as const),
        note: provisional ? PROVISIONAL_NOTE : null,
      })),
    )
    .returning(['id', 'kind', 'code'])
    .execute();
  for (const r of majorRows) ids.set(`${r.kind}:${r.code}`, r.id);
  const minorRows = await db
    .insertInto('categories')
    .values(
      NATIONAL_CLASSES.map((c) => {
        const code = `${c.majorCode}${c.minorCode}`;
        return {
          scheme,
          kind: c.kind,
          level: 'minor' as const,
          code: provisional ? paddedCode(code) : code,
          name: c.minorName,
          parent_id: ids.get(`${c.kind}:${c.majorCode}`) ?? null,
          origin: provisional ? ('provisional' as const) : ('standard' as const),
          note: provisional ? PROVISIONAL_NOTE : null,
        };
      }),
    )
    .returning(['id', 'kind', 'code'])
    .execute();
  for (const r of minorRows) ids.set(`${r.kind}:${r.code}`, r.id);
  return ids;
}

/**
 * Reference data every deployment needs, demo or not: the national category catalog in both
 * code schemes with the mapping between them, and a published default standards version. Runs
 * at every start; writes only into an empty catalog.
 */
export async function seedCatalog(db: Kysely<Database>): Promise<void> {
  const empty = async (q: Kysely<Database>) =>
    !(await q.selectFrom('categories').select('id').limit(1).executeTakeFirst());
  if (!(await empty(db))) return;
  const write = async (trx: Kysely<Database>) => {
    // Two processes starting on one empty database: the second waits, then finds it seeded.
    await sql`SELECT pg_advisory_xact_lock(hashtext('cityloop.seed_catalog'))`.execute(trx);
    if (!(await empty(trx))) return;
    const old = await insertScheme(trx, 'gbt30428');
    const neu = await insertScheme(trx, 'gbt47678');
    const pairs = [...old].flatMap(([key, fromId]) => {
      const [kind, code] = key.split(':') as [Kind, string];
      const toId = neu.get(`${kind}:${paddedCode(code)}`);
      return toId === undefined ? [] : [{ from_id: fromId, to_id: toId }];
    });
    await trx.insertInto('category_mappings').values(pairs).execute();
    const version = await trx
      .insertInto('standard_versions')
      .values({
        name: SEED_VERSION_NAME,
        status: 'published',
        effective_from: SEED_EFFECTIVE_FROM,
        published_at: new Date(),
        note: '按 GB/T 30428.2 小类预置的立案、处置与结案标准及处置责任分解表，各城市应按本地规定修订',
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
  };
  // The demo seed calls this inside its own transaction (Kysely has no nested transactions).
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
}
