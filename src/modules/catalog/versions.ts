/**
 * Versions of the standards table (立案、处置与结案标准及处置责任分解表): drafts are edited, a
 * published version is fixed and applies from its effective date.
 */

import type { Kysely } from 'kysely';
import {
  type AreaClass,
  derivationText,
  type Kind,
  type Scheme,
  type StandardContent,
  URGENCIES,
  type Urgency,
} from '../../domain/catalog/index.js';
import type { TimeLimit } from '../../domain/timelimit/index.js';
import type { ClockStep } from '../../domain/workflow/states.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { chinaDateOf } from './lookup.js';
import {
  activeDepartmentCodes,
  categoriesWhere,
  categoryById,
  copyStandards,
  deleteStandards,
  insertStandards,
  lockVersion,
  type StandardRow,
  standardsOf,
  type VersionRow,
  versionById,
  versionInForce,
  versionPublishedOn,
  versionRows,
} from './repo.js';

export function presentVersion(v: VersionRow, inForceId: number | null) {
  return {
    id: v.id,
    name: v.name,
    status: v.status,
    effectiveFrom: v.effective_from,
    note: v.note,
    createdBy: v.created_by,
    createdAt: v.created_at.toISOString(),
    publishedAt: v.published_at?.toISOString() ?? null,
    inForce: v.id === inForceId,
  };
}

async function inForceId(db: Kysely<Database>): Promise<number | null> {
  return (await versionInForce(db, chinaDateOf(new Date())))?.id ?? null;
}

export async function listVersions(ctx: Ctx) {
  requirePermission(ctx.actor, 'catalog.read');
  const [rows, current] = await Promise.all([versionRows(ctx.db), inForceId(ctx.db)]);
  return { items: rows.map((r) => presentVersion(r, current)) };
}

export async function getVersion(ctx: Ctx, id: number) {
  requirePermission(ctx.actor, 'catalog.read');
  const v = await versionById(ctx.db, id);
  if (!v) throw notFound('standard_version');
  const counts = await ctx.db
    .selectFrom('category_standards')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('version_id', '=', id)
    .executeTakeFirstOrThrow();
  return { ...presentVersion(v, await inForceId(ctx.db)), rowCount: Number(counts.n) };
}

/** Loads a draft for a write inside `trx`: 404 unknown, 409 published. */
export async function lockDraft(trx: Kysely<Database>, id: number): Promise<VersionRow> {
  const v = await lockVersion(trx, id);
  if (!v) throw notFound('standard_version');
  if (v.status !== 'draft') throw new AppError('CATALOG_VERSION_PUBLISHED', { details: { versionId: id } });
  return v;
}

/** A new draft holding a copy of `fromVersionId` (default: the version in force today). */
export async function createDraft(
  ctx: Ctx,
  input: { name: string; note?: string | undefined; fromVersionId?: number | undefined },
) {
  requirePermission(ctx.actor, 'catalog.write');
  const from = input.fromVersionId ?? (await inForceId(ctx.db));
  if (input.fromVersionId && !(await versionById(ctx.db, input.fromVersionId)))
    throw notFound('standard_version');
  const id = await ctx.db.transaction().execute(async (trx) => {
    const v = await trx
      .insertInto('standard_versions')
      .values({
        name: input.name,
        note: input.note ?? null,
        created_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (from) await copyStandards(trx, from, v.id);
    await audit(
      { ...ctx, db: trx },
      { action: 'catalog.version.create', target: `standard_version:${v.id}`, details: { from } },
    );
    return v.id;
  });
  return getVersion(ctx, id);
}

export async function updateDraft(
  ctx: Ctx,
  id: number,
  input: { name?: string | undefined; note?: string | null | undefined },
) {
  requirePermission(ctx.actor, 'catalog.write');
  await ctx.db.transaction().execute(async (trx) => {
    await lockDraft(trx, id);
    await trx
      .updateTable('standard_versions')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.note !== undefined ? { note: input.note } : {}),
      })
      .where('id', '=', id)
      .execute();
    await audit(
      { ...ctx, db: trx },
      { action: 'catalog.version.update', target: `standard_version:${id}`, details: input },
    );
  });
  return getVersion(ctx, id);
}

export async function deleteDraft(ctx: Ctx, id: number) {
  requirePermission(ctx.actor, 'catalog.write');
  await ctx.db.transaction().execute(async (trx) => {
    await lockDraft(trx, id);
    await trx.deleteFrom('standard_versions').where('id', '=', id).execute();
    await audit({ ...ctx, db: trx }, { action: 'catalog.version.delete', target: `standard_version:${id}` });
  });
}

/** Fixes a draft and sets the (local) date it applies from: today or later, one version per day. */
export async function publishVersion(ctx: Ctx, id: number, input: { effectiveFrom: string }) {
  requirePermission(ctx.actor, 'catalog.write');
  const today = chinaDateOf(new Date());
  if (input.effectiveFrom < today) {
    throw new AppError('CATALOG_EFFECTIVE_DATE_PAST', {
      details: { effectiveFrom: input.effectiveFrom, today },
    });
  }
  const taken = () =>
    new AppError('CATALOG_EFFECTIVE_DATE_TAKEN', { details: { effectiveFrom: input.effectiveFrom } });
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await lockDraft(trx, id);
      if (await versionPublishedOn(trx, input.effectiveFrom)) throw taken();
      await trx
        .updateTable('standard_versions')
        .set({ status: 'published', effective_from: input.effectiveFrom, published_at: new Date() })
        .where('id', '=', id)
        .execute();
      await audit(
        { ...ctx, db: trx },
        { action: 'catalog.version.publish', target: `standard_version:${id}`, details: input },
      );
    });
  } catch (err) {
    // A concurrent publish for the same day loses on the unique index.
    if ((err as { code?: string }).code === '23505') throw taken();
    throw err;
  }
  return getVersion(ctx, id);
}

// — rows —

function presentStandard(s: StandardRow) {
  return {
    categoryId: s.categoryId,
    filingConditions: s.filingConditions,
    closingConditions: s.closingConditions,
    defaultUrgency: s.defaultUrgency,
    departmentCodes: s.departmentCodes,
    checkPhotos: s.checkPhotos,
    // Every level's limits; `urgency` 'normal' is the class's own (一般), the others are stricter.
    timeLimits: s.limits
      .map((l) => ({
        step: l.step,
        areaClass: l.areaClass,
        urgency: l.urgency,
        amount: l.limit.amount,
        unit: l.limit.unit,
      }))
      .sort(
        (a, b) =>
          URGENCIES.indexOf(a.urgency) - URGENCIES.indexOf(b.urgency) ||
          `${a.step}${a.areaClass}`.localeCompare(`${b.step}${b.areaClass}`),
      ),
    /** Where a derived row came from (migration 0022); null once people edited it. */
    derivedFrom: s.derivedFrom ?? null,
    derivation: s.derivedFrom ? derivationText(s.derivedFrom) : null,
  };
}

/** The rows a version holds (its own classes, any scheme), with each class's code and name. */
export async function listStandards(
  ctx: Ctx,
  versionId: number,
  q: { kind?: Kind | undefined; scheme?: Scheme | undefined },
) {
  requirePermission(ctx.actor, 'catalog.read');
  if (!(await versionById(ctx.db, versionId))) throw notFound('standard_version');
  const [rows, categories] = await Promise.all([standardsOf(ctx.db, versionId), categoriesWhere(ctx.db, {})]);
  const byId = new Map(categories.map((c) => [c.id, c]));
  return {
    items: rows.flatMap((r) => {
      const c = byId.get(r.categoryId);
      if (!c || (q.kind && c.kind !== q.kind) || (q.scheme && c.scheme !== q.scheme)) return [];
      return [
        {
          ...presentStandard(r),
          category: { scheme: c.scheme, kind: c.kind, level: c.level, code: c.code, name: c.name },
        },
      ];
    }),
  };
}

export async function getStandard(ctx: Ctx, versionId: number, categoryId: number) {
  requirePermission(ctx.actor, 'catalog.read');
  const [row] = await standardsOf(ctx.db, versionId, [categoryId]);
  if (!row) throw notFound('standard');
  return presentStandard(row);
}

export interface StandardPatch {
  filingConditions?: string | undefined;
  closingConditions?: string | undefined;
  defaultUrgency?: Urgency | undefined;
  departmentCodes?: string[] | undefined;
  checkPhotos?: boolean | undefined;
  /** Per step and area class: a limit to set, or null to remove it (the class's own, 一般). */
  timeLimits?: LimitPatch | undefined;
  /** The same for the stricter levels 紧急 / 特急. */
  urgentTimeLimits?: Partial<Record<Exclude<Urgency, 'normal'>, LimitPatch>> | undefined;
}
type LimitPatch = Partial<Record<ClockStep, Partial<Record<AreaClass, TimeLimit | null>>>>;

/** Edits (or adds) one class's row in a draft. */
export async function patchStandard(ctx: Ctx, versionId: number, categoryId: number, patch: StandardPatch) {
  requirePermission(ctx.actor, 'catalog.write');
  const category = await categoryById(ctx.db, categoryId);
  if (!category || category.level === 'major') throw notFound('category');
  if (patch.departmentCodes) {
    const known = await activeDepartmentCodes(ctx.db);
    const unknown = patch.departmentCodes.filter((d) => !known.has(d));
    if (unknown.length > 0) {
      throw new AppError('CATALOG_DEPARTMENT_UNKNOWN', {
        details: { unknown },
        message: {
          zh: `部门代码不存在：${unknown.join('、')}`,
          en: `Unknown department codes: ${unknown.join(', ')}`,
        },
      });
    }
  }
  await ctx.db.transaction().execute(async (trx) => {
    await lockDraft(trx, versionId);
    const [before] = await standardsOf(trx, versionId, [categoryId]);
    const base: StandardContent = before ?? {
      filingConditions: '',
      closingConditions: '',
      defaultUrgency: 'normal',
      departmentCodes: [],
      checkPhotos: false,
      limits: [],
    };
    const limits = new Map(base.limits.map((l) => [`${l.step}:${l.areaClass}:${l.urgency}`, l]));
    const levels: Array<[Urgency, LimitPatch | undefined]> = [
      ['normal', patch.timeLimits],
      ['urgent', patch.urgentTimeLimits?.urgent],
      ['emergency', patch.urgentTimeLimits?.emergency],
    ];
    for (const [urgency, byStep] of levels) {
      for (const [step, byArea] of Object.entries(byStep ?? {})) {
        for (const [areaClass, limit] of Object.entries(byArea ?? {})) {
          const key = `${step}:${areaClass}:${urgency}`;
          if (limit === null) limits.delete(key);
          else if (limit)
            limits.set(key, {
              step: step as ClockStep,
              areaClass: areaClass as AreaClass,
              urgency,
              limit,
            });
        }
      }
    }
    const next: StandardRow = {
      categoryId,
      filingConditions: patch.filingConditions ?? base.filingConditions,
      closingConditions: patch.closingConditions ?? base.closingConditions,
      defaultUrgency: patch.defaultUrgency ?? base.defaultUrgency,
      departmentCodes: patch.departmentCodes ? [...new Set(patch.departmentCodes)] : base.departmentCodes,
      checkPhotos: patch.checkPhotos ?? base.checkPhotos,
      limits: [...limits.values()],
    };
    await deleteStandards(trx, versionId, categoryId);
    await insertStandards(trx, versionId, [next]);
    await audit(
      { ...ctx, db: trx },
      {
        action: 'catalog.standard.update',
        target: `standard_version:${versionId}`,
        details: { categoryId, code: category.code, patch },
      },
    );
  });
  return getStandard(ctx, versionId, categoryId);
}
