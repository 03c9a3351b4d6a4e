/** Shared helpers of the catalog tests. */
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Store } from '../../platform/db/store.js';

export { expectError } from '../../../test/helpers/errors.js';

/** Row counts of every catalog table and the audit log: "nothing written" checks. */
export async function catalogCounts(store: Store) {
  const r = await sql<Record<string, number>>`
    SELECT (SELECT count(*)::int FROM categories) AS categories,
           (SELECT count(*)::int FROM category_mappings) AS mappings,
           (SELECT count(*)::int FROM standard_versions) AS versions,
           (SELECT count(*)::int FROM category_standards) AS standards,
           (SELECT count(*)::int FROM category_time_limits) AS limits,
           (SELECT count(*)::int FROM audit_log) AS audit`.execute(store.db);
  return r.rows[0];
}

/** A local date 'YYYY-MM-DD' (China) `days` from today. */
export function chinaDay(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}
