import { isWithinDivision } from '../../domain/codes.js';
import {
  type Ctx,
  inDepartmentScope,
  requireGeoScope,
  requirePermission,
} from '../../platform/auth/actor.js';
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

export async function listDepartments(ctx: Ctx): Promise<DepartmentView[]> {
  requirePermission(ctx.actor, 'department.read');
  let query = ctx.db
    .selectFrom('departments')
    .select(['id', 'code', 'name', 'parent_id', 'division_code', 'active', 'path'])
    .orderBy('path');
  if (ctx.actor.departmentPath) query = query.where('path', 'like', `${ctx.actor.departmentPath}%`);
  const rows = await query.execute();
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
  const r = await ctx.db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r || !inDepartmentScope(ctx.actor, r.path)) throw notFound('department');
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
