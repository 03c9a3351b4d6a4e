/** Shared helpers of the catalog tests. */
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Store } from '../../platform/db/store.js';

export function expectError(res: { statusCode: number; json(): unknown }, status: number, code: string) {
  expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
  const body = res.json() as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toMatchObject({
    code,
    message: expect.any(String),
    messages: { zh: expect.any(String), en: expect.any(String) },
  });
  expect(body.error.message).toBe((body.error.messages as { zh: string }).zh);
  return body.error as {
    code: string;
    messages: { zh: string; en: string };
    details: Record<string, unknown> | null;
  };
}

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
