/**
 * The GB/T 30428.2 → GB/T 47678.5 class mapping as admins keep it: many-to-many pairs with the
 * basis and a note, and classes marked as having no counterpart (with why). Every change is
 * audited and empties the evaluation cache (class filters read the mapping, filter.ts).
 */
import type { Kind } from '../../domain/catalog/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { clearEvaluationCache } from '../evaluation/cache.js';
import { type CategoryRow, categoriesWhere, categoryById, mappingRows, unmappedRows } from './repo.js';

/** How far a 30428.2 class is accounted for. */
export type MappingStatus = 'one' | 'split' | 'none' | 'open';

function mappingError(zh: string, en: string, details: Record<string, unknown>) {
  return new AppError('CATALOG_MAPPING_INVALID', { details, message: { zh, en } });
}

/**
 * Every active GB/T 30428.2 小类 and 细类 with its 47678.5 counterparts: 'one', 'split' (several),
 * 'none' (marked: no counterpart, with the reason) or 'open' (not yet decided).
 */
export async function listMappings(ctx: Ctx, kind?: Kind) {
  requirePermission(ctx.actor, 'catalog.read');
  const [classes, pairs, gaps] = await Promise.all([
    categoriesWhere(ctx.db, { scheme: 'gbt30428', ...(kind ? { kind } : {}) }),
    mappingRows(ctx.db, kind),
    unmappedRows(ctx.db),
  ]);
  const byFrom = new Map<number, typeof pairs>();
  for (const p of pairs) byFrom.set(p.from_id, [...(byFrom.get(p.from_id) ?? []), p]);
  const gapOf = new Map(gaps.map((g) => [g.category_id, g]));
  const items = classes
    .filter((c) => c.level !== 'major' && (c.active || byFrom.has(c.id)))
    .map((c) => {
      const targets = byFrom.get(c.id) ?? [];
      const gap = gapOf.get(c.id);
      const status: MappingStatus =
        targets.length > 1 ? 'split' : targets.length === 1 ? 'one' : gap ? 'none' : 'open';
      return {
        kind: c.kind,
        level: c.level,
        from: { id: c.id, code: c.code, name: c.name, active: c.active },
        status,
        to: targets.map((t) => ({
          id: t.to_id,
          code: t.to_code,
          name: t.to_name,
          active: t.to_active,
          basis: t.basis,
          note: t.note,
        })),
        noCounterpart: gap ? { note: gap.note, basis: gap.basis } : null,
      };
    });
  const count = (s: MappingStatus) => items.filter((i) => i.status === s).length;
  return {
    summary: {
      classes: items.length,
      one: count('one'),
      split: count('split'),
      none: count('none'),
      open: count('open'),
    },
    items,
  };
}

/** A 30428.2 class and a 47678.5 class (either order) of the same kind and level, or 400. */
async function pairOf(ctx: Ctx, a: number, b: number): Promise<[CategoryRow, CategoryRow]> {
  const [x, y] = await Promise.all([categoryById(ctx.db, a), categoryById(ctx.db, b)]);
  const input = { fromId: a, toId: b };
  if (!x || !y) throw mappingError('类别不存在', 'No such category', input);
  const from = x.scheme === 'gbt30428' ? x : y;
  const to = x.scheme === 'gbt30428' ? y : x;
  if (from.scheme !== 'gbt30428' || to.scheme !== 'gbt47678') {
    throw mappingError(
      '对应关系连接 GB/T 30428.2 与 GB/T 47678.5 的类别',
      'A mapping joins a GB/T 30428.2 class and a GB/T 47678.5 class',
      input,
    );
  }
  if (from.kind !== to.kind || from.level !== to.level || from.level === 'major') {
    throw mappingError(
      '对应的类别必须类型相同、层级相同（小类或细类）',
      'Mapped classes must have the same kind and the same level (小类 or 细类)',
      input,
    );
  }
  return [from, to];
}

/** Adds a pair (or rewrites its note); a class marked "no counterpart" loses the mark. */
export async function addMapping(
  ctx: Ctx,
  input: { fromId: number; toId: number; note?: string | undefined },
) {
  requirePermission(ctx.actor, 'catalog.write');
  const [from, to] = await pairOf(ctx, input.fromId, input.toId);
  const note = input.note?.trim() || null;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('category_mappings')
      .values({ from_id: from.id, to_id: to.id, basis: 'admin', note })
      .onConflict((oc) =>
        oc.columns(['from_id', 'to_id']).doUpdateSet({ basis: 'admin', note, updated_at: new Date() }),
      )
      .execute();
    const unmarked = await trx
      .deleteFrom('category_unmapped')
      .where('category_id', '=', from.id)
      .executeTakeFirst();
    await clearEvaluationCache(trx);
    await audit(
      { ...ctx, db: trx },
      {
        action: 'catalog.mapping.set',
        target: `category:${from.id}`,
        details: {
          kind: from.kind,
          from: from.code,
          to: to.code,
          note,
          unmarkedNoCounterpart: Number(unmarked.numDeletedRows) > 0,
        },
      },
    );
  });
  return {
    kind: from.kind,
    level: from.level,
    from: { id: from.id, code: from.code, name: from.name },
    to: { id: to.id, code: to.code, name: to.name },
    basis: 'admin' as const,
    note,
  };
}

export async function deleteMapping(ctx: Ctx, fromId: number, toId: number) {
  requirePermission(ctx.actor, 'catalog.write');
  await ctx.db.transaction().execute(async (trx) => {
    const gone = await trx
      .deleteFrom('category_mappings')
      .where((eb) =>
        eb.or([
          eb.and([eb('from_id', '=', fromId), eb('to_id', '=', toId)]),
          eb.and([eb('from_id', '=', toId), eb('to_id', '=', fromId)]),
        ]),
      )
      .returning(['from_id', 'to_id', 'basis', 'note'])
      .execute();
    if (gone.length === 0) throw notFound('mapping');
    await clearEvaluationCache(trx);
    await audit(
      { ...ctx, db: trx },
      {
        action: 'catalog.mapping.delete',
        target: `category:${fromId}`,
        details: { fromId, toId, before: gone[0] },
      },
    );
  });
}

/** Marks a 30428.2 class as having no counterpart, with the reason (refused while it has one). */
export async function markUnmapped(ctx: Ctx, categoryId: number, input: { note: string }) {
  requirePermission(ctx.actor, 'catalog.write');
  const c = await categoryById(ctx.db, categoryId);
  if (!c) throw notFound('category');
  if (c.scheme !== 'gbt30428' || c.level === 'major') {
    throw mappingError(
      '只能标记 GB/T 30428.2 的小类或细类',
      'Only a GB/T 30428.2 小类 or 细类 can be marked',
      { categoryId },
    );
  }
  const note = input.note.trim();
  await ctx.db.transaction().execute(async (trx) => {
    const mapped = await trx
      .selectFrom('category_mappings as m')
      .innerJoin('categories as t', 't.id', 'm.to_id')
      .select('t.code')
      .where('m.from_id', '=', categoryId)
      .where('t.scheme', '=', 'gbt47678')
      .execute();
    if (mapped.length > 0) {
      throw new AppError('CATALOG_MAPPING_CONFLICT', {
        details: { categoryId, mappedTo: mapped.map((m) => m.code) },
        message: {
          zh: `${c.code} ${c.name} 已有对应类别（${mapped.map((m) => m.code).join('、')}），请先删除`,
          en: `${c.code} is mapped (${mapped.map((m) => m.code).join(', ')}): remove those first`,
        },
      });
    }
    await trx
      .insertInto('category_unmapped')
      .values({ category_id: categoryId, note, basis: 'admin' })
      .onConflict((oc) =>
        oc.column('category_id').doUpdateSet({ note, basis: 'admin', updated_at: new Date() }),
      )
      .execute();
    await audit(
      { ...ctx, db: trx },
      {
        action: 'catalog.mapping.mark_none',
        target: `category:${categoryId}`,
        details: { code: c.code, note },
      },
    );
  });
  return { categoryId, code: c.code, note, basis: 'admin' as const };
}

export async function unmarkUnmapped(ctx: Ctx, categoryId: number) {
  requirePermission(ctx.actor, 'catalog.write');
  await ctx.db.transaction().execute(async (trx) => {
    const gone = await trx
      .deleteFrom('category_unmapped')
      .where('category_id', '=', categoryId)
      .returning(['note'])
      .executeTakeFirst();
    if (!gone) throw notFound('unmapped_mark');
    await audit(
      { ...ctx, db: trx },
      {
        action: 'catalog.mapping.unmark_none',
        target: `category:${categoryId}`,
        details: { before: gone.note },
      },
    );
  });
}
