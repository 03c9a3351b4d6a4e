/** Shared helpers of the catalog tests. */
import { type Kysely, sql } from 'kysely';
import { expect } from 'vitest';
import { defaultStandard, NATIONAL_CLASSES } from '../../domain/catalog/index.js';
import type { Database } from '../../platform/db/schema.js';
import type { Store } from '../../platform/db/store.js';
import type { ApiApp } from '../../platform/http/types.js';

export { expectError } from '../../../test/helpers/errors.js';

/** Row counts of every catalog table and the audit log: "nothing written" checks. */
export async function catalogCounts(store: Store) {
  const r = await sql<Record<string, number>>`
    SELECT (SELECT count(*)::int FROM categories) AS categories,
           (SELECT count(*)::int FROM category_mappings) AS mappings,
           (SELECT count(*)::int FROM category_unmapped) AS unmapped,
           (SELECT count(*)::int FROM cases WHERE category_id IS NOT NULL) AS cases,
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

/**
 * The catalog as the seed wrote it before migration 0022: the 30428.2 list, the placeholder
 * GB/T 47678.5 list (the same classes, minors zero-padded, origin 'provisional'), mapped one to
 * one, and the default standards version. Lets a test run 0022 on an existing database.
 */
export async function seedCatalogBefore0022(db: Kysely<Database>): Promise<void> {
  const ids = new Map<string, number>();
  const pad = (code: string) => (code.length <= 2 ? code : `${code.slice(0, 2)}0${code.slice(2)}`);
  for (const scheme of ['gbt30428', 'gbt47678'] as const) {
    const placeholder = scheme === 'gbt47678';
    const majors = new Map(NATIONAL_CLASSES.map((c) => [`${c.kind}:${c.majorCode}`, c]));
    for (const c of majors.values()) {
      const row = await db
        .insertInto('categories')
        .values({
          scheme,
          kind: c.kind,
          level: 'major',
          code: c.majorCode,
          name: c.majorName,
          parent_id: null,
          origin: placeholder ? 'provisional' : 'standard',
          note: placeholder ? '示意编码' : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.set(`${scheme}:${c.kind}:${c.majorCode}`, row.id);
    }
    for (const c of NATIONAL_CLASSES) {
      const code = `${c.majorCode}${c.minorCode}`;
      const row = await db
        .insertInto('categories')
        .values({
          scheme,
          kind: c.kind,
          level: 'minor',
          code: placeholder ? pad(code) : code,
          name: c.minorName,
          parent_id: ids.get(`${scheme}:${c.kind}:${c.majorCode}`) ?? null,
          origin: placeholder ? 'provisional' : 'standard',
          note: placeholder ? '示意编码' : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.set(`${scheme}:${c.kind}:${code}`, row.id);
    }
  }
  for (const c of NATIONAL_CLASSES) {
    const code = `${c.majorCode}${c.minorCode}`;
    await sql`INSERT INTO category_mappings (from_id, to_id) VALUES (${ids.get(`gbt30428:${c.kind}:${code}`)}, ${ids.get(`gbt47678:${c.kind}:${code}`)})`.execute(
      db,
    );
  }
  const version = await db
    .insertInto('standard_versions')
    .values({
      name: '默认标准（种子数据）',
      status: 'published',
      effective_from: '2020-01-01',
      published_at: new Date(),
      note: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Written by hand: repo.insertStandards knows the columns of the current schema.
  const rows = NATIONAL_CLASSES.map((c) => ({
    categoryId: ids.get(`gbt30428:${c.kind}:${c.majorCode}${c.minorCode}`) ?? 0,
    ...defaultStandard(c),
  }));
  await db
    .insertInto('category_standards')
    .values(
      rows.map((r) => ({
        version_id: version.id,
        category_id: r.categoryId,
        filing_conditions: r.filingConditions,
        closing_conditions: r.closingConditions,
        default_urgency: r.defaultUrgency,
        department_codes: r.departmentCodes,
      })),
    )
    .execute();
  const limits = rows.flatMap((r) =>
    r.limits.map((l) => ({
      version_id: version.id,
      category_id: r.categoryId,
      step: l.step,
      area_class: l.areaClass,
      urgency: l.urgency,
      amount: l.limit.amount,
      unit: l.limit.unit,
    })),
  );
  for (let i = 0; i < limits.length; i += 500) {
    await db
      .insertInto('category_time_limits')
      .values(limits.slice(i, i + 500))
      .execute();
  }
}
