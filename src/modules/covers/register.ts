/**
 * The cover register (井盖台账) on components: reading needs component.read in the component's
 * data scope; registering, changing, importing and the city's limits need component.write
 * (administrators). Every write is audited.
 */
import { sql } from 'kysely';
import {
  COVER_CATEGORY_CODES,
  COVER_TYPE_LABELS,
  checkLimits,
  coverTypeOfCategory,
  ROAD_CLASS_LABELS,
  type RoadClass,
} from '../../domain/covers/emergency.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { pageInfo } from '../../platform/http/paging.js';
import { audit } from '../audit/service.js';
import { getComponent } from '../component/service.js';
import { type CoverRow, coverRows, limitsInForce } from './repo.js';
import type { CoverInput, CoverListQuery, CoverPatch, LimitsInput } from './schema.js';

export function presentCover(r: CoverRow) {
  return {
    componentId: r.component_id,
    name: r.component_name,
    type: r.cover_type,
    typeLabel: COVER_TYPE_LABELS[r.cover_type],
    owner: { code: r.owner_department_code, name: r.owner_name },
    maintainer: r.maintainer_department_code
      ? { code: r.maintainer_department_code, name: r.maintainer_name }
      : null,
    roadClass: r.road_class,
    roadClassLabel: ROAD_CLASS_LABELS[r.road_class],
    roadName: r.road_name,
    componentState: r.component_state,
    gridCode: r.grid_code,
    location: { lng: r.lng, lat: r.lat },
    state: r.state,
    openCase: r.open_case_id ? { id: r.open_case_id, number: r.open_case_number, defect: r.defect } : null,
    sensors: r.sensors,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export async function listCovers(ctx: Ctx, q: CoverListQuery) {
  requirePermission(ctx.actor, 'component.read');
  const { limit, offset, ...filters } = q;
  const { rows, total } = await coverRows(
    ctx.db,
    { ...filters, scopePrefix: ctx.actor.scopePrefix },
    { limit, offset },
  );
  return { ...pageInfo(total, limit, offset), items: rows.map(presentCover) };
}

export async function getCover(ctx: Ctx, componentId: string) {
  requirePermission(ctx.actor, 'component.read');
  const { rows } = await coverRows(
    ctx.db,
    { componentId, scopePrefix: ctx.actor.scopePrefix },
    { limit: 1, offset: 0 },
  );
  const row = rows[0];
  if (!row) throw notFound('cover');
  return presentCover(row);
}

async function checkDepartments(ctx: Ctx, codes: Array<string | null | undefined>) {
  const wanted = codes.filter((c): c is string => typeof c === 'string');
  if (wanted.length === 0) return;
  const found = await ctx.db
    .selectFrom('departments')
    .select('code')
    .where('code', 'in', wanted)
    .where('active', '=', true)
    .execute();
  const known = new Set(found.map((d) => d.code));
  const unknown = wanted.filter((c) => !known.has(c));
  if (unknown.length > 0)
    throw new AppError('COVER_DEPARTMENT_UNKNOWN', { details: { departments: unknown } });
}

export async function createCover(ctx: Ctx, input: CoverInput) {
  requirePermission(ctx.actor, 'component.write');
  // The component must exist in the actor's scope (404 otherwise) and be of a 井盖 class.
  const component = await getComponent(ctx, input.componentId);
  if (!coverTypeOfCategory(component.categoryCode))
    throw new AppError('COVER_NOT_A_COVER', {
      details: { componentId: input.componentId, categoryCode: component.categoryCode },
    });
  await checkDepartments(ctx, [input.ownerDepartment, input.maintainerDepartment]);
  await ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('covers')
      .values({
        component_id: input.componentId,
        cover_type: input.type,
        owner_department_code: input.ownerDepartment,
        maintainer_department_code: input.maintainerDepartment ?? null,
        road_class: input.roadClass,
        road_name: input.roadName ?? null,
      })
      .onConflict((oc) => oc.column('component_id').doNothing())
      .returning('component_id')
      .executeTakeFirst();
    if (!inserted) throw new AppError('COVER_TAKEN', { details: { componentId: input.componentId } });
    await audit({ ...ctx, db: trx }, { action: 'cover.register', target: `cover:${input.componentId}` });
  });
  return getCover(ctx, input.componentId);
}

export async function updateCover(ctx: Ctx, componentId: string, patch: CoverPatch) {
  requirePermission(ctx.actor, 'component.write');
  await getCover(ctx, componentId);
  await checkDepartments(ctx, [patch.ownerDepartment, patch.maintainerDepartment]);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('covers')
      .set({
        ...(patch.type ? { cover_type: patch.type } : {}),
        ...(patch.ownerDepartment ? { owner_department_code: patch.ownerDepartment } : {}),
        ...(patch.maintainerDepartment !== undefined
          ? { maintainer_department_code: patch.maintainerDepartment }
          : {}),
        ...(patch.roadClass ? { road_class: patch.roadClass } : {}),
        ...(patch.roadName !== undefined ? { road_name: patch.roadName } : {}),
        updated_at: new Date(),
      })
      .where('component_id', '=', componentId)
      .execute();
    await audit(
      { ...ctx, db: trx },
      { action: 'cover.update', target: `cover:${componentId}`, details: patch },
    );
  });
  return getCover(ctx, componentId);
}

/**
 * Registers the components of the 井盖 classes in scope (or the ids given) that are not yet
 * covers: type from the class, owner and maintainer from the component's 权属 / 养护 units.
 * Components without an owner are skipped (the register needs one). One statement.
 */
export async function importCovers(
  ctx: Ctx,
  input: { componentIds?: string[] | undefined; roadClass: RoadClass },
) {
  requirePermission(ctx.actor, 'component.write');
  const prefix = ctx.actor.scopePrefix;
  const types = sql.join(
    COVER_CATEGORY_CODES.map((code) => sql`WHEN ${code} THEN ${coverTypeOfCategory(code)}`),
    sql` `,
  );
  const minor = sql`CASE WHEN length(k.category_code) = 5 THEN substr(k.category_code, 1, 2) || substr(k.category_code, 4, 2)
                         ELSE k.category_code END`;
  const only = input.componentIds ? sql`AND k.id IN (${sql.join(input.componentIds)})` : sql``;
  return ctx.db.transaction().execute(async (trx) => {
    const candidates = sql`
      FROM components k
     WHERE (k.id LIKE ${`${prefix}%`} OR k.grid_code LIKE ${`${prefix}%`})
       AND ${minor} IN (${sql.join(COVER_CATEGORY_CODES)})
       AND NOT EXISTS (SELECT 1 FROM covers c WHERE c.component_id = k.id) ${only}`;
    const inserted = await sql<{ n: number }>`
      WITH ins AS (
        INSERT INTO covers (component_id, cover_type, owner_department_code, maintainer_department_code, road_class)
        SELECT k.id, CASE ${minor} ${types} END, coalesce(k.owning_department_code, k.managing_department_code),
               k.maintaining_department_code, ${input.roadClass}
        ${candidates} AND coalesce(k.owning_department_code, k.managing_department_code) IS NOT NULL
        RETURNING 1)
      SELECT count(*)::int AS n FROM ins`.execute(trx);
    const registered = inserted.rows[0]?.n ?? 0;
    const left = await sql<{ n: number }>`SELECT count(*)::int AS n ${candidates}`.execute(trx);
    await audit(
      { ...ctx, db: trx },
      { action: 'cover.import', target: 'covers', details: { registered, roadClass: input.roadClass } },
    );
    return { registered, skippedWithoutOwner: left.rows[0]?.n ?? 0 };
  });
}

export async function getLimits(ctx: Ctx) {
  requirePermission(ctx.actor, 'component.read');
  return presentLimits(await limitsInForce(ctx.db));
}

const presentLimits = (l: Awaited<ReturnType<typeof limitsInForce>>) => ({
  version: l.id,
  ownerOnSiteMinutes: l.ownerOnSiteMinutes,
  temporaryCoverHours: l.temporaryCoverHours,
  repairHours: l.repairHours,
  exceptionRepairHours: l.exceptionRepairHours,
  checkHours: l.checkHours,
  repeatWindowDays: l.repeatWindowDays,
  since: l.createdAt.toISOString(),
});

/** A new version of the limits; flows already running keep theirs. */
export async function setLimits(ctx: Ctx, input: LimitsInput) {
  requirePermission(ctx.actor, 'component.write');
  const problem = checkLimits(input);
  if (problem)
    throw new AppError('COVER_LIMITS_INVALID', {
      message: problem.message,
      details: { field: problem.field },
    });
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('cover_limits')
      .values({
        owner_on_site_minutes: input.ownerOnSiteMinutes,
        temporary_cover_hours: input.temporaryCoverHours,
        repair_hours: input.repairHours,
        exception_repair_hours: input.exceptionRepairHours,
        check_hours: input.checkHours,
        repeat_window_days: input.repeatWindowDays,
        created_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      { ...ctx, db: trx },
      { action: 'cover.limits', target: `cover_limits:${row.id}`, details: input },
    );
  });
  return getLimits(ctx);
}
