/** SQL of the responsibility table (责任分解表). */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { counterpartsOf } from '../catalog/repo.js';

type Db = Kysely<Database>;

export function ruleQuery(db: Db) {
  return db
    .selectFrom('responsibility_rules as r')
    .innerJoin('divisions as a', 'a.code', 'r.area_code')
    .innerJoin('categories as cat', 'cat.id', 'r.category_id')
    .selectAll('r')
    .select([
      'a.name as area_name',
      'a.level as area_level',
      'a.scope_prefix as area_prefix',
      'cat.code as category_code',
      'cat.name as category_name',
      'cat.kind as category_kind',
      'cat.level as category_level',
      'cat.scheme as category_scheme',
    ]);
}

export type RuleRow = NonNullable<Awaited<ReturnType<ReturnType<typeof ruleQuery>['executeTakeFirst']>>>;

export function ruleById(db: Db, id: number) {
  return ruleQuery(db).where('r.id', '=', id).executeTakeFirst();
}

/**
 * The classes whose rules apply to a case of `categoryId`, most specific first: itself, its
 * counterparts in the other code scheme, then (for a 细类) its 小类 and that one's counterparts.
 */
export async function ruleCategories(db: Db, categoryId: number): Promise<number[]> {
  const cat = await db
    .selectFrom('categories')
    .select(['id', 'level', 'parent_id'])
    .where('id', '=', categoryId)
    .executeTakeFirst();
  if (!cat) return [];
  // Counterparts are many-to-many since the GB/T 47678.5 list (catalog migration 0022).
  const out = [cat.id, ...(await counterpartsOf(db, cat.id))];
  if (cat.level === 'detail' && cat.parent_id) {
    out.push(cat.parent_id, ...(await counterpartsOf(db, cat.parent_id)));
  }
  return out;
}

/** Rules in force on `day` for these classes whose area covers `gridCode` (any area class that fits). */
export function matchingRules(
  db: Db,
  q: { categoryIds: number[]; gridCode: string; areaClass: string; day: string },
) {
  return ruleQuery(db)
    .where('r.category_id', 'in', q.categoryIds.length ? q.categoryIds : [-1])
    .where(sql<boolean>`${q.gridCode} LIKE a.scope_prefix || '%'`)
    .where((eb) => eb.or([eb('r.area_class', 'is', null), eb('r.area_class', '=', q.areaClass as 'A')]))
    .where((eb) => eb.or([eb('r.valid_from', 'is', null), eb('r.valid_from', '<=', q.day)]))
    .where((eb) => eb.or([eb('r.valid_to', 'is', null), eb('r.valid_to', '>=', q.day)]))
    .execute();
}

/** Active departments by code, with the scope prefix of the division they serve. */
export async function departmentsByCodes(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return [];
  return db
    .selectFrom('departments as d')
    .innerJoin('divisions as v', 'v.code', 'd.division_code')
    .select(['d.id', 'd.code', 'd.name', 'd.path', 'v.scope_prefix'])
    .where('d.code', 'in', [...codes])
    .where('d.active', '=', true)
    .execute();
}
