import { sql } from 'kysely';
import { divisionLevelOf, isDivisionChildOf, scopePrefixOf } from '../../domain/codes.js';
import { type Ctx, requireGeoScope, requirePermission } from '../../platform/auth/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';

export interface DivisionView {
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'community';
  parentCode: string | null;
  boundary?: unknown;
}

export async function listDivisions(
  ctx: Ctx,
  q: { parentCode?: string | undefined; level?: DivisionView['level'] | undefined },
): Promise<DivisionView[]> {
  requirePermission(ctx.actor, 'division.read');
  let query = ctx.db
    .selectFrom('divisions')
    .select(['code', 'name', 'level', 'parent_code'])
    .where('code', 'like', `${ctx.actor.scopePrefix}%`)
    .orderBy('code');
  if (q.parentCode) query = query.where('parent_code', '=', q.parentCode);
  if (q.level) query = query.where('level', '=', q.level);
  const rows = await query.execute();
  return rows.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code }));
}

export async function getDivision(ctx: Ctx, code: string): Promise<DivisionView> {
  requirePermission(ctx.actor, 'division.read');
  requireGeoScope(ctx.actor, code, 'division');
  const row = await ctx.db
    .selectFrom('divisions')
    .select([
      'code',
      'name',
      'level',
      'parent_code',
      sql<string | null>`ST_AsGeoJSON(boundary, 7)`.as('boundary'),
    ])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!row) throw notFound('division');
  return {
    code: row.code,
    name: row.name,
    level: row.level,
    parentCode: row.parent_code,
    boundary: row.boundary ? JSON.parse(row.boundary) : null,
  };
}

export async function createDivision(
  ctx: Ctx,
  input: { code: string; name: string; parentCode: string | null },
) {
  requirePermission(ctx.actor, 'division.write');
  const level = divisionLevelOf(input.code);
  const invalid = (zh: string, en: string) =>
    new AppError('DIVISION_INVALID', {
      details: { code: input.code, parentCode: input.parentCode },
      message: { zh, en },
    });
  if (!level)
    throw invalid(`行政区划编码 ${input.code} 格式不正确`, `Division code ${input.code} is malformed`);
  if (
    level === 'city'
      ? input.parentCode !== null
      : !input.parentCode || !isDivisionChildOf(input.code, input.parentCode)
  ) {
    throw invalid(
      `行政区划 ${input.code} 不能隶属于 ${input.parentCode ?? '（无）'}`,
      `Division ${input.code} cannot belong to ${input.parentCode ?? '(none)'}`,
    );
  }
  if (input.parentCode) {
    requireGeoScope(ctx.actor, input.parentCode, 'division');
    const parent = await ctx.db
      .selectFrom('divisions')
      .select('code')
      .where('code', '=', input.parentCode)
      .executeTakeFirst();
    if (!parent) throw notFound('division');
  } else if (ctx.actor.scopePrefix !== '') {
    throw new AppError('FORBIDDEN');
  }
  const exists = await ctx.db
    .selectFrom('divisions')
    .select('code')
    .where('code', '=', input.code)
    .executeTakeFirst();
  if (exists) throw new AppError('CONFLICT', { details: { code: input.code } });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('divisions')
      .values({
        code: input.code,
        name: input.name,
        level,
        parent_code: input.parentCode,
        scope_prefix: scopePrefixOf(input.code) ?? input.code,
      })
      .execute();
    await audit(
      { ...ctx, db: trx },
      { action: 'division.create', target: `division:${input.code}`, details: input },
    );
  });
  return getDivision(ctx, input.code);
}
