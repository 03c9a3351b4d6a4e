/**
 * One class filter for both code schemes, exported for the evaluation module (统计 / 综合评价):
 * a city that moved from GB/T 30428.2 to GB/T 47678.5 keeps cases filed under either, and a
 * filter on a class must find them all.
 */
import { type Expression, type RawBuilder, sql } from 'kysely';
import { schemeOfLength } from '../../domain/catalog/index.js';
import { activeScheme } from './scheme.js';

/**
 * `column IN (…)`: the cases whose class is named by one of `codes` (prefixes: 大类, 小类 or 细类
 * codes), in the scheme the code's length says (4/6 digits GB/T 30428.2, 5/7 GB/T 47678.5,
 * shorter ones the active scheme), or a counterpart of such a class through the mapping (one hop,
 * plus the retired placeholder codes behind a 30428.2 class), or a 细类 under one of those.
 * A split class finds all its parts (0117 立杆 → the five 47678.5 立杆) and each part finds the
 * whole old class, which is what "filed under either scheme" can mean for a split.
 */
export function categoryFilter(column: Expression<number>, codes: readonly string[]): RawBuilder<boolean> {
  const schemes = codes.map((c) => schemeOfLength(c) ?? activeScheme());
  return sql<boolean>`${column} IN (
    WITH hit AS (
      SELECT k.id FROM categories k
      JOIN unnest(${[...codes]}::text[], ${schemes}::text[]) AS p (code, scheme)
        ON k.scheme = p.scheme AND k.code LIKE p.code || '%'
    ), linked AS (
      SELECT id FROM hit
      UNION SELECT m.to_id FROM category_mappings m JOIN hit ON m.from_id = hit.id
      UNION SELECT m.from_id FROM category_mappings m JOIN hit ON m.to_id = hit.id
    ), placeholders AS (
      SELECT m.to_id AS id FROM category_mappings m
      JOIN linked ON m.from_id = linked.id
      JOIN categories k ON k.id = m.to_id AND k.scheme = 'gbt47678p'
    )
    SELECT id FROM linked
    UNION SELECT id FROM placeholders
    UNION SELECT k.id FROM categories k WHERE k.parent_id IN (SELECT id FROM linked UNION SELECT id FROM placeholders)
  )`;
}

/**
 * The filters for the pure engine, which re-checks them on the loaded cases: without the class
 * codes, which {@link categoryFilter} already applied by class in the store. A code prefix alone
 * cannot tell the schemes apart ('0102' is 暴露垃圾 in GB/T 30428.2 and a prefix of 01020 公交井盖
 * in GB/T 47678.5) nor follow the mapping.
 */
export function withoutClassFilter<F extends { readonly categories?: readonly string[] | undefined }>(
  filters: F,
): Omit<F, 'categories'> {
  const { categories: _applied, ...rest } = filters;
  return rest;
}
