import { type Kind, LEVELS, type Level, localCodeProblem, type Scheme } from '../../domain/catalog/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import {
  type CategoryRow,
  categoriesWhere,
  categoryByCode,
  categoryById,
  counterpartsOf,
  hasActiveChildren,
} from './repo.js';
import { activeScheme } from './scheme.js';

export { effectiveVersion, standardFor, timeLimitFor } from './lookup.js';

export function presentCategory(r: CategoryRow) {
  return {
    id: r.id,
    scheme: r.scheme,
    kind: r.kind,
    level: r.level,
    code: r.code,
    name: r.name,
    parentId: r.parent_id,
    origin: r.origin,
    note: r.note,
    active: r.active,
  };
}
export type CategoryView = ReturnType<typeof presentCategory>;
type TreeNode = CategoryView & { children: TreeNode[] };

export async function listSchemes(ctx: Ctx) {
  requirePermission(ctx.actor, 'catalog.read');
  const rows = await ctx.db
    .selectFrom('category_schemes')
    .selectAll()
    .where('retired', '=', false)
    .orderBy('code')
    .execute();
  const active = activeScheme();
  return {
    active,
    items: rows.map((r) => ({
      code: r.code,
      name: r.name,
      minorDigits: r.minor_digits,
      active: r.code === active,
    })),
  };
}

/**
 * The tree 大类 → 小类 → 细类 of one scheme. `level` cuts the depth; `q` keeps the classes whose
 * name or code contains it, with their ancestors so the tree stays a tree.
 */
export async function categoryTree(
  ctx: Ctx,
  q: {
    scheme?: Scheme | undefined;
    kind?: Kind | undefined;
    level?: Level | undefined;
    q?: string | undefined;
    includeInactive: boolean;
  },
) {
  requirePermission(ctx.actor, 'catalog.read');
  const scheme = q.scheme ?? activeScheme();
  const depth = LEVELS.indexOf(q.level ?? 'detail');
  const rows = (await categoriesWhere(ctx.db, { scheme, ...(q.kind ? { kind: q.kind } : {}) })).filter(
    (r) => (q.includeInactive || r.active) && LEVELS.indexOf(r.level) <= depth,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  let keep = new Set(rows.map((r) => r.id));
  if (q.q) {
    const needle = q.q.toLowerCase();
    keep = new Set();
    for (const r of rows) {
      if (!r.name.toLowerCase().includes(needle) && !r.code.includes(needle)) continue;
      for (let c: CategoryRow | undefined = r; c; c = c.parent_id ? byId.get(c.parent_id) : undefined)
        keep.add(c.id);
    }
  }
  const nodes = new Map<number, TreeNode>();
  for (const r of rows) if (keep.has(r.id)) nodes.set(r.id, { ...presentCategory(r), children: [] });
  const roots: TreeNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentId ? nodes.get(n.parentId) : undefined;
    if (parent) parent.children.push(n);
    else if (n.level === 'major') roots.push(n);
  }
  return { scheme, items: roots };
}

export async function getCategory(ctx: Ctx, id: number) {
  requirePermission(ctx.actor, 'catalog.read');
  const row = await categoryById(ctx.db, id);
  if (!row) throw notFound('category');
  const others = await Promise.all((await counterpartsOf(ctx.db, id)).map((o) => categoryById(ctx.db, o)));
  // Many-to-many: every counterpart in the other scheme (the retired placeholder codes included).
  return { ...presentCategory(row), mappedTo: others.flatMap((o) => (o ? [presentCategory(o)] : [])) };
}

export async function createCategory(
  ctx: Ctx,
  input: {
    scheme?: Scheme | undefined;
    kind: Kind;
    level: Level;
    code: string;
    name: string;
    parentId?: number | undefined;
  },
) {
  requirePermission(ctx.actor, 'catalog.write');
  const scheme = input.scheme ?? activeScheme();
  const parent = input.parentId ? await categoryById(ctx.db, input.parentId) : undefined;
  if (input.parentId && !parent?.active) {
    throw new AppError('CATALOG_PARENT_INVALID', {
      details: { parentId: input.parentId },
      message: { zh: '上级类别不存在或已停用', en: 'The parent category does not exist or is deactivated' },
    });
  }
  const problem = localCodeProblem({
    scheme,
    kind: input.kind,
    level: input.level,
    code: input.code,
    parent: parent ?? null,
  });
  if (problem) throw new AppError(problem.code, { message: problem.message, details: { code: input.code } });
  if (await categoryByCode(ctx.db, scheme, input.kind, input.code)) {
    throw new AppError('CONFLICT', {
      details: { code: input.code },
      message: { zh: `类别代码 ${input.code} 已存在`, en: `Category code ${input.code} already exists` },
    });
  }
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('categories')
      .values({
        scheme,
        kind: input.kind,
        level: input.level,
        code: input.code,
        name: input.name,
        parent_id: parent?.id ?? null,
        origin: 'local',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      { ...ctx, db: trx },
      {
        action: 'catalog.category.create',
        target: `category:${row.id}`,
        details: { scheme, kind: input.kind, code: input.code, name: input.name },
      },
    );
    return row.id;
  });
  return getCategory(ctx, id);
}

/** Rename or (de)activate a city's own category; national rows stay as the standard has them. */
export async function updateCategory(
  ctx: Ctx,
  id: number,
  input: { name?: string | undefined; active?: boolean | undefined },
) {
  requirePermission(ctx.actor, 'catalog.write');
  const row = await categoryById(ctx.db, id);
  if (!row) throw notFound('category');
  if (row.origin !== 'local')
    throw new AppError('CATALOG_CATEGORY_NOT_LOCAL', { details: { id, origin: row.origin } });
  if (input.active === false && (await hasActiveChildren(ctx.db, id))) {
    throw new AppError('CATALOG_CATEGORY_HAS_CHILDREN', { details: { id } });
  }
  if (input.active === true && row.parent_id) {
    const parent = await categoryById(ctx.db, row.parent_id);
    if (!parent?.active) {
      throw new AppError('CATALOG_PARENT_INVALID', {
        details: { parentId: row.parent_id },
        message: { zh: '上级类别已停用，不能启用下级', en: 'The parent category is deactivated' },
      });
    }
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('categories')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
      })
      .where('id', '=', id)
      .execute();
    await audit(
      { ...ctx, db: trx },
      {
        action: 'catalog.category.update',
        target: `category:${id}`,
        details: { before: { name: row.name, active: row.active }, ...input },
      },
    );
  });
  return getCategory(ctx, id);
}
