/**
 * Importing a class list into a scheme (a revision of the standard, a city's own list): classes
 * in the file are created or renamed (national levels become 'standard'), 对应代码 adds a
 * mapping pair, provisional classes not in the file are deactivated.
 */

import type { Cell } from '../../domain/catalog/index.js';
import { type Scheme, validateClassSheet } from '../../domain/catalog/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { clearEvaluationCache } from '../evaluation/cache.js';
import { categoriesWhere } from './repo.js';

/** Imports a class list's cells (read by readStandardsWorkbook in a worker thread). */
export async function importClasses(ctx: Ctx, cells: Cell[][], scheme: Scheme) {
  requirePermission(ctx.actor, 'catalog.write');
  const otherScheme: Scheme = scheme === 'gbt30428' ? 'gbt47678' : 'gbt30428';
  const [mine, other] = await Promise.all([
    categoriesWhere(ctx.db, { scheme }),
    categoriesWhere(ctx.db, { scheme: otherScheme }),
  ]);
  const verdict = validateClassSheet(cells, {
    scheme,
    other: new Map(other.map((c) => [`${c.kind}:${c.code}`, { id: c.id, level: c.level }])),
  });
  if (!verdict.ok) {
    throw new AppError('CATALOG_IMPORT_INVALID', {
      details: { scheme, errorCount: verdict.errors.length, errors: verdict.errors.slice(0, 500) },
    });
  }
  const existing = new Map(mine.map((c) => [`${c.kind}:${c.code}`, c]));
  const counts = { created: 0, updated: 0, deactivated: 0, mapped: 0 };
  await ctx.db.transaction().execute(async (trx) => {
    const ids = new Map<string, number>();
    // Parents come before children in the list (major, minor, detail of each row in order).
    for (const c of verdict.classes) {
      const key = `${c.kind}:${c.code}`;
      const origin = c.level === 'detail' ? ('local' as const) : ('standard' as const);
      const found = existing.get(key);
      if (found) {
        await trx
          .updateTable('categories')
          .set({ name: c.name, origin, note: null, active: true })
          .where('id', '=', found.id)
          .execute();
        ids.set(key, found.id);
        counts.updated++;
      } else {
        const parentId = c.parentCode ? (ids.get(`${c.kind}:${c.parentCode}`) ?? null) : null;
        const row = await trx
          .insertInto('categories')
          .values({
            scheme,
            kind: c.kind,
            level: c.level,
            code: c.code,
            name: c.name,
            parent_id: parentId,
            origin,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.set(key, row.id);
        counts.created++;
      }
    }
    const listed = new Set(ids.values());
    const stale = mine
      .filter((c) => c.origin === 'provisional' && c.active && !listed.has(c.id))
      .map((c) => c.id);
    if (stale.length > 0) {
      await trx.updateTable('categories').set({ active: false }).where('id', 'in', stale).execute();
      counts.deactivated = stale.length;
    }
    for (const c of verdict.classes) {
      const id = ids.get(`${c.kind}:${c.code}`);
      if (id === undefined) continue;
      for (const mappedId of c.mappedIds) {
        const [from, to] = scheme === 'gbt30428' ? [id, mappedId] : [mappedId, id];
        // Many-to-many: the file adds pairs, it does not take the classes' other counterparts away.
        await trx
          .insertInto('category_mappings')
          .values({ from_id: from, to_id: to, basis: 'admin' })
          .onConflict((oc) => oc.columns(['from_id', 'to_id']).doNothing())
          .execute();
        await trx.deleteFrom('category_unmapped').where('category_id', '=', from).execute();
        counts.mapped++;
      }
    }
    // Class filters of the evaluation read the mapping (filter.ts).
    await clearEvaluationCache(trx);
    await audit(
      { ...ctx, db: trx },
      {
        action: 'catalog.category.import',
        target: `scheme:${scheme}`,
        details: { ...counts, sheetRows: cells.length },
      },
    );
  });
  return { scheme, ...counts };
}
