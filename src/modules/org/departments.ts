import { sql } from 'kysely';
import { isWithinDivision } from '../../domain/codes.js';
import { type Ctx, requireGeoScope, requirePermission } from '../../platform/auth/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';

export interface DepartmentView {
  id: number;
  code: string;
  name: string;
  parentId: number | null;
  divisionCode: string;
  active: boolean;
}

/**
 * Department staff see their own subtree; a handler also the units above his own (the case he is
 * assigned may be dispatched to one of them). Centre staff and supervisors see the departments serving their area:
 * those of divisions inside their scope and those of the divisions above it (city-level
 * departments serve every district), never another district's own units.
 */
function visibleDepartments(ctx: Ctx) {
  const { actor } = ctx;
  let query = ctx.db
    .selectFrom('departments as d')
    .innerJoin('divisions as v', 'v.code', 'd.division_code')
    .select(['d.id', 'd.code', 'd.name', 'd.parent_id', 'd.division_code', 'd.active', 'd.path']);
  const path = actor.departmentPath;
  if (path && actor.role === 'handler') {
    return query.where((eb) =>
      eb.or([eb('d.path', 'like', `${path}%`), sql<boolean>`${path}::text LIKE d.path || '%'`]),
    );
  }
  if (path) return query.where('d.path', 'like', `${path}%`);
  if (actor.scopePrefix !== '') {
    query = query.where((eb) =>
      eb.or([
        eb('d.division_code', 'like', `${actor.scopePrefix}%`),
        sql<boolean>`${actor.scopePrefix}::text LIKE v.scope_prefix || '%'`,
      ]),
    );
  }
  return query;
}

export async function listDepartments(ctx: Ctx): Promise<DepartmentView[]> {
  requirePermission(ctx.actor, 'department.read');
  const rows = await visibleDepartments(ctx).orderBy('d.path').execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    parentId: r.parent_id,
    divisionCode: r.division_code,
    active: r.active,
  }));
}

export async function getDepartment(ctx: Ctx, id: number): Promise<DepartmentView> {
  requirePermission(ctx.actor, 'department.read');
  const r = await visibleDepartments(ctx).where('d.id', '=', id).executeTakeFirst();
  if (!r) throw notFound('department');
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    parentId: r.parent_id,
    divisionCode: r.division_code,
    active: r.active,
  };
}

export async function createDepartment(
  ctx: Ctx,
  input: { code: string; name: string; parentCode?: string | undefined; divisionCode: string },
): Promise<DepartmentView> {
  requirePermission(ctx.actor, 'department.write');
  requireGeoScope(ctx.actor, input.divisionCode, 'division');
  const division = await ctx.db
    .selectFrom('divisions')
    .select('code')
    .where('code', '=', input.divisionCode)
    .executeTakeFirst();
  if (!division) {
    throw new AppError('ORG_UNIT_INVALID', { details: { divisionCode: input.divisionCode } });
  }
  const parent = input.parentCode
    ? await ctx.db
        .selectFrom('departments')
        .select(['id', 'path', 'division_code'])
        .where('code', '=', input.parentCode)
        .executeTakeFirst()
    : undefined;
  // The parent must be in the actor's scope (a district admin may not hang units under a city
  // department: they would join its data scope), and a sub-unit serves part of its parent's area.
  const parentOk =
    parent?.division_code.startsWith(ctx.actor.scopePrefix) &&
    isWithinDivision(input.divisionCode, parent.division_code);
  if (input.parentCode && !parentOk) {
    throw new AppError('ORG_UNIT_INVALID', { details: { parentCode: input.parentCode } });
  }
  const taken = await ctx.db
    .selectFrom('departments')
    .select('id')
    .where('code', '=', input.code)
    .executeTakeFirst();
  if (taken) throw new AppError('CONFLICT', { details: { code: input.code } });
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('departments')
      .values({
        code: input.code,
        name: input.name,
        parent_id: parent?.id ?? null,
        path: '/',
        division_code: input.divisionCode,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('departments')
      .set({ path: `${parent?.path ?? '/'}${row.id}/` })
      .where('id', '=', row.id)
      .execute();
    await audit(
      { ...ctx, db: trx },
      { action: 'department.create', target: `department:${row.id}`, details: input },
    );
    return row.id;
  });
  return getDepartment(ctx, id);
}

/**
 * Renames a department or (de)activates it. Code, parent and division stay: they anchor the
 * data scope of its staff and the responsibility table, so moving a unit is a new unit.
 */
export async function updateDepartment(
  ctx: Ctx,
  id: number,
  input: { name?: string | undefined; active?: boolean | undefined },
): Promise<DepartmentView> {
  requirePermission(ctx.actor, 'department.write');
  const row = await ctx.db
    .selectFrom('departments')
    .select(['id', 'division_code'])
    .where('id', '=', id)
    .executeTakeFirst();
  // Another district's unit is not there for this admin, as in the list.
  if (!row?.division_code.startsWith(ctx.actor.scopePrefix)) throw notFound('department');
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('departments')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
      })
      .where('id', '=', id)
      .execute();
    await audit(
      { ...ctx, db: trx },
      { action: 'department.update', target: `department:${id}`, details: input },
    );
  });
  return getDepartment(ctx, id);
}
