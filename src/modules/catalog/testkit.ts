/** Shared helpers of the catalog tests. */
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Store } from '../../platform/db/store.js';
import type { ApiApp } from '../../platform/http/types.js';

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

export type Headers = { authorization: string };
export interface CategoryNode {
  id: number;
  code: string;
  name: string;
  level: string;
  origin: string;
  note: string | null;
  active: boolean;
  children: CategoryNode[];
}

/** HTTP helpers of the catalog tests; `app` and `admin` are read lazily (set in beforeAll). */
export function catalogClient(get: { app: () => ApiApp; admin: () => Headers }) {
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    headers?: Headers,
    payload?: unknown,
  ) =>
    get.app().inject({
      method,
      url: `/api/v1${url}`,
      ...(headers ? { headers } : {}),
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  const tree = async (query: string) => {
    const res = await call('GET', `/catalog/categories${query}`, get.admin());
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { scheme: string; items: CategoryNode[] };
  };
  const byCode = async (code: string, k = 'event', scheme = 'gbt30428') => {
    const found = (await tree(`?scheme=${scheme}&kind=${k}&includeInactive=true`)).items
      .flatMap((m) => [m, ...m.children, ...m.children.flatMap((c) => c.children)])
      .find((n) => n.code === code);
    if (!found) throw new Error(`no category ${code}`);
    return found;
  };
  return { call, tree, byCode };
}
