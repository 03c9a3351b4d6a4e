/**
 * Editing the responsibility table (责任分解表): admins with `responsibility.write`, inside
 * their geographic scope, every write audited in its transaction.
 */
import type { Kysely } from 'kysely';
import type { Kind, Scheme } from '../../domain/catalog/index.js';
import { type Actor, type Ctx, inGeoScope, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import { pageInfo } from '../../platform/http/paging.js';
import { audit } from '../audit/service.js';
import { categoryByCode } from '../catalog/repo.js';
import { activeScheme } from '../catalog/scheme.js';
import { departmentsByCodes, type RuleRow, ruleById, ruleQuery } from './repo.js';
import type { CreateRuleInput, ListRulesQuery, UpdateRuleInput } from './schema.js';

type Db = Kysely<Database>;

export function presentRule(r: RuleRow, names: ReadonlyMap<string, string>) {
  return {
    id: r.id,
    category: {
      id: r.category_id,
      code: r.category_code,
      name: r.category_name,
      kind: r.category_kind,
      level: r.category_level,
      scheme: r.category_scheme,
    },
    area: { code: r.area_code, name: r.area_name, level: r.area_level },
    areaClass: r.area_class,
    departments: r.department_codes.map((code) => ({ code, name: names.get(code) ?? null })),
    note: r.note,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    updatedAt: r.updated_at.toISOString(),
  };
}

async function departmentNames(db: Db, rows: readonly RuleRow[]) {
  const codes = [...new Set(rows.flatMap((r) => r.department_codes))];
  const found = await departmentsByCodes(db, codes);
  return new Map(found.map((d) => [d.code, d.name]));
}

export async function presentRules(db: Db, rows: readonly RuleRow[]) {
  const names = await departmentNames(db, rows);
  return rows.map((r) => presentRule(r, names));
}

export async function listRules(ctx: Ctx, q: ListRulesQuery) {
  requirePermission(ctx.actor, 'catalog.read');
  let query = ruleQuery(ctx.db);
  if (q.kind) query = query.where('cat.kind', '=', q.kind);
  if (q.categoryCode) query = query.where('cat.code', '=', q.categoryCode);
  if (q.areaCode) query = query.where('r.area_code', '=', q.areaCode);
  if (q.departmentCode)
    query = query.where((eb) => eb(eb.val(q.departmentCode), '=', eb.fn.any('r.department_codes')));
  const [rows, count] = await Promise.all([
    query
      .orderBy('cat.code')
      .orderBy('r.area_code')
      .orderBy('r.id')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { ...pageInfo(Number(count.n), q.limit, q.offset), items: await presentRules(ctx.db, rows) };
}

/** Departments must exist, be active and serve (part of) the rule's area. */
async function checkDepartments(db: Db, codes: readonly string[], areaPrefix: string) {
  const found = await departmentsByCodes(db, codes);
  const known = new Set(found.map((d) => d.code));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length > 0) throw new AppError('RESPONSIBILITY_DEPARTMENT_UNKNOWN', { details: { unknown } });
  const elsewhere = found
    .filter((d) => !areaPrefix.startsWith(d.scope_prefix) && !d.scope_prefix.startsWith(areaPrefix))
    .map((d) => d.code);
  if (elsewhere.length > 0) {
    throw new AppError('RESPONSIBILITY_DEPARTMENT_UNKNOWN', {
      details: { outsideArea: elsewhere },
      message: {
        zh: `部门 ${elsewhere.join('、')} 的辖区与该区域不相交`,
        en: `Department(s) ${elsewhere.join(', ')} serve no part of this area`,
      },
    });
  }
}

function checkValidity(from: string | null, to: string | null) {
  if (from !== null && to !== null && to < from) {
    throw new AppError('RESPONSIBILITY_VALIDITY_INVALID', { details: { validFrom: from, validTo: to } });
  }
}

async function areaOf(db: Db, actor: Actor, code: string) {
  const area = await db
    .selectFrom('divisions')
    .select(['code', 'name', 'level', 'scope_prefix'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!area) throw new AppError('RESPONSIBILITY_AREA_UNKNOWN', { details: { areaCode: code } });
  // A district admin edits rules of its own district and below, not the city's.
  if (!inGeoScope(actor, area.scope_prefix)) throw notFound('division');
  return area;
}

async function ruleCategory(db: Db, kind: Kind, scheme: Scheme, code: string) {
  const cat = await categoryByCode(db, scheme, kind, code);
  if (!cat?.active || cat.level === 'major') {
    throw new AppError('RESPONSIBILITY_CATEGORY_UNKNOWN', { details: { kind, scheme, categoryCode: code } });
  }
  return cat;
}

export async function createRule(ctx: Ctx, input: CreateRuleInput) {
  requirePermission(ctx.actor, 'responsibility.write');
  const scheme = input.scheme ?? activeScheme();
  const category = await ruleCategory(ctx.db, input.kind, scheme, input.categoryCode);
  const area = await areaOf(ctx.db, ctx.actor, input.areaCode);
  await checkDepartments(ctx.db, input.departmentCodes, area.scope_prefix);
  checkValidity(input.validFrom, input.validTo);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('responsibility_rules')
      .select('id')
      .where('category_id', '=', category.id)
      .where('area_code', '=', area.code)
      .where((eb) =>
        input.areaClass === null ? eb('area_class', 'is', null) : eb('area_class', '=', input.areaClass),
      )
      .executeTakeFirst();
    if (taken) throw new AppError('RESPONSIBILITY_RULE_EXISTS', { details: { id: taken.id } });
    const row = await trx
      .insertInto('responsibility_rules')
      .values({
        category_id: category.id,
        area_code: area.code,
        area_class: input.areaClass,
        department_codes: input.departmentCodes,
        note: input.note,
        valid_from: input.validFrom,
        valid_to: input.validTo,
        created_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
        updated_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      { ...ctx, db: trx },
      {
        action: 'responsibility.create',
        target: `responsibility_rule:${row.id}`,
        details: {
          category: `${input.kind}:${category.code}`,
          areaCode: area.code,
          areaClass: input.areaClass,
          departmentCodes: input.departmentCodes,
        },
      },
    );
    return row.id;
  });
  return getRule(ctx, id, false);
}

export async function getRule(ctx: Ctx, id: number, check = true) {
  if (check) requirePermission(ctx.actor, 'catalog.read');
  const row = await ruleById(ctx.db, id);
  if (!row) throw notFound('responsibility_rule');
  return (await presentRules(ctx.db, [row]))[0];
}

async function editableRule(ctx: Ctx, id: number) {
  requirePermission(ctx.actor, 'responsibility.write');
  const row = await ruleById(ctx.db, id);
  if (!row || !inGeoScope(ctx.actor, row.area_prefix)) throw notFound('responsibility_rule');
  return row;
}

export async function updateRule(ctx: Ctx, id: number, input: UpdateRuleInput) {
  const row = await editableRule(ctx, id);
  if (input.departmentCodes) await checkDepartments(ctx.db, input.departmentCodes, row.area_prefix);
  const validFrom = input.validFrom === undefined ? row.valid_from : input.validFrom;
  const validTo = input.validTo === undefined ? row.valid_to : input.validTo;
  checkValidity(validFrom, validTo);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('responsibility_rules')
      .set({
        ...(input.departmentCodes ? { department_codes: input.departmentCodes } : {}),
        ...(input.note !== undefined ? { note: input.note } : {}),
        valid_from: validFrom,
        valid_to: validTo,
        updated_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await audit(
      { ...ctx, db: trx },
      {
        action: 'responsibility.update',
        target: `responsibility_rule:${id}`,
        details: {
          before: {
            departmentCodes: row.department_codes,
            note: row.note,
            validFrom: row.valid_from,
            validTo: row.valid_to,
          },
          changes: input,
        },
      },
    );
  });
  return getRule(ctx, id, false);
}

export async function deleteRule(ctx: Ctx, id: number) {
  const row = await editableRule(ctx, id);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('responsibility_rules').where('id', '=', id).execute();
    await audit(
      { ...ctx, db: trx },
      {
        action: 'responsibility.delete',
        target: `responsibility_rule:${id}`,
        details: {
          category: `${row.category_kind}:${row.category_code}`,
          areaCode: row.area_code,
          areaClass: row.area_class,
          departmentCodes: row.department_codes,
        },
      },
    );
  });
}

/**
 * A 权属确认 decision that improves the table: the decided department becomes the first choice
 * for the class in the case's district (rule created, or updated keeping the others after it).
 * Part of the coordinator's decision, so it needs no `responsibility.write`; audited all the same.
 */
export async function recordDecisionRule(
  ctx: Ctx,
  d: { categoryId: number; areaCode: string; departmentCode: string; note: string; caseNumber: string },
): Promise<number> {
  const userId = ctx.actor.userId > 0 ? ctx.actor.userId : null;
  const existing = await ctx.db
    .selectFrom('responsibility_rules')
    .select(['id', 'department_codes'])
    .where('category_id', '=', d.categoryId)
    .where('area_code', '=', d.areaCode)
    .where('area_class', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (existing) {
    const codes = [
      d.departmentCode,
      ...existing.department_codes.filter((c) => c !== d.departmentCode),
    ].slice(0, 10);
    await ctx.db
      .updateTable('responsibility_rules')
      .set({ department_codes: codes, note: d.note, updated_by: userId, updated_at: new Date() })
      .where('id', '=', existing.id)
      .execute();
    await audit(ctx, {
      action: 'responsibility.update',
      target: `responsibility_rule:${existing.id}`,
      details: {
        via: 'settle_ownership',
        case: d.caseNumber,
        before: existing.department_codes,
        after: codes,
      },
    });
    return existing.id;
  }
  const row = await ctx.db
    .insertInto('responsibility_rules')
    .values({
      category_id: d.categoryId,
      area_code: d.areaCode,
      area_class: null,
      department_codes: [d.departmentCode],
      note: d.note,
      created_by: userId,
      updated_by: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(ctx, {
    action: 'responsibility.create',
    target: `responsibility_rule:${row.id}`,
    details: {
      via: 'settle_ownership',
      case: d.caseNumber,
      areaCode: d.areaCode,
      departmentCodes: [d.departmentCode],
    },
  });
  return row.id;
}
