import type { Kysely } from 'kysely';
import type { ComponentInput, RowError } from '../../domain/component/record.js';
import { type ComponentState, STATE_LABELS } from '../../domain/component/states.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { allocateIds, inComponentScope, prepareComponents } from './prepare.js';
import {
  type ComponentFilters,
  type ComponentPatchRow,
  type ComponentRow,
  componentRow,
  insertComponentRows,
  listComponentRows,
  nearestRows,
  updateComponentRow,
} from './repo.js';

const department = (code: string | null, name: string | null) => (code ? { code, name } : null);

export function present(r: ComponentRow) {
  return {
    id: r.id,
    scheme: r.scheme,
    divisionCode: r.division_code,
    categoryCode: r.category_code,
    categoryName: r.category_name,
    name: r.name,
    managingDepartment: department(r.managing_department_code, r.managing_department_name),
    owningDepartment: department(r.owning_department_code, r.owning_department_name),
    maintainingDepartment: department(r.maintaining_department_code, r.maintaining_department_name),
    gridCode: r.grid_code,
    state: r.state,
    stateLabel: STATE_LABELS[r.state],
    startDate: r.start_date,
    changeDate: r.change_date,
    dataSource: r.data_source,
    accuracyClass: r.accuracy_class,
    note: r.note,
    location: { lng: r.lng, lat: r.lat },
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export type ComponentView = ReturnType<typeof present>;

/** Today in China (变更日期 is a local calendar date). */
export function todayInChina(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}

/** Import column → field of the JSON API, for errors of single-component writes. */
const API_FIELDS: Record<string, string> = {
  category: 'categoryCode',
  division: 'divisionCode',
  grid: 'gridCode',
  lng: 'location',
  lat: 'location',
  managing: 'managingDepartment',
  owning: 'owningDepartment',
  maintaining: 'maintainingDepartment',
  accuracy: 'accuracyClass',
};

/** The first row error of a single-component write, as the error it stands for. */
export function rowErrorToAppError(errors: readonly RowError[]): AppError {
  const first = errors[0] as RowError;
  const field = API_FIELDS[first.field] ?? first.field;
  return new AppError(first.code, {
    message: {
      zh: `${field}：${first.message.zh.replace(/^第 \d+ 行「[^」]*」：/, '')}`,
      en: `${field}: ${first.message.en.replace(/^Row \d+, [^:]+: /, '')}`,
    },
    details: {
      field,
      errors: errors.map((e) => ({
        field: API_FIELDS[e.field] ?? e.field,
        code: e.code,
        message: e.message,
      })),
    },
  });
}

async function visibleRow(ctx: Ctx, id: string): Promise<ComponentRow> {
  const row = await componentRow(ctx.db, id);
  if (!row || !inComponentScope(ctx.actor, row.division_code, row.grid_code)) throw notFound('component');
  return row;
}

export async function getComponent(ctx: Ctx, id: string): Promise<ComponentView> {
  requirePermission(ctx.actor, 'component.read');
  return present(await visibleRow(ctx, id));
}

export async function listComponents(
  ctx: Ctx,
  q: Omit<ComponentFilters, 'scopePrefix'> & { limit: number; offset: number },
) {
  requirePermission(ctx.actor, 'component.read');
  const { limit, offset, ...filters } = q;
  const { rows, total } = await listComponentRows(
    ctx.db,
    { ...filters, scopePrefix: ctx.actor.scopePrefix },
    { limit, offset },
  );
  return { items: rows.map(present), total, limit, offset };
}

export async function nearestComponents(
  ctx: Ctx,
  q: { lng: number; lat: number; limit: number; category?: string | undefined },
) {
  requirePermission(ctx.actor, 'component.read');
  const rows = await nearestRows(ctx.db, q, q.limit, {
    scopePrefix: ctx.actor.scopePrefix,
    category: q.category,
  });
  return {
    items: rows.map((r) => ({ ...present(r), distanceM: Math.round(r.distance_m * 100) / 100 })),
  };
}

export async function createComponent(ctx: Ctx, input: ComponentInput): Promise<ComponentView> {
  requirePermission(ctx.actor, 'component.write');
  const { rows, errors } = await prepareComponents(ctx.db, ctx.actor, [{ row: 1, input }]);
  if (errors.length > 0) throw rowErrorToAppError(errors);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const [row] = await allocateIds(trx, rows);
    if (!row) throw new Error('no component to insert');
    await insertComponentRows(trx, [row]);
    await audit(
      { ...ctx, db: trx },
      {
        action: 'component.create',
        target: `component:${row.id}`,
        details: { generatedId: !input.id, gridCode: row.gridCode },
      },
    );
    return row.id;
  });
  return getComponent(ctx, id);
}

export interface ComponentPatch {
  name?: string | undefined;
  state?: ComponentState | undefined;
  managingDepartment?: string | null | undefined;
  owningDepartment?: string | null | undefined;
  maintainingDepartment?: string | null | undefined;
  location?: { lng: number; lat: number } | undefined;
  gridCode?: string | undefined;
  startDate?: string | null | undefined;
  changeDate?: string | undefined;
  dataSource?: string | null | undefined;
  accuracyClass?: 'A' | 'B' | 'C' | null | undefined;
  note?: string | null | undefined;
}

/** API field → column, for the changes recorded in the audit log. */
const PATCH_COLUMNS = {
  name: 'name',
  state: 'state',
  managingDepartment: 'managing_department_code',
  owningDepartment: 'owning_department_code',
  maintainingDepartment: 'maintaining_department_code',
  gridCode: 'grid_code',
  startDate: 'start_date',
  dataSource: 'data_source',
  accuracyClass: 'accuracy_class',
  note: 'note',
} as const satisfies Partial<Record<keyof ComponentPatch, keyof ComponentPatchRow>>;

/**
 * Changes attributes of a component. Any effective change records the change date (today
 * unless given) and is audited with its before/after values; a no-op writes nothing.
 */
export async function updateComponent(ctx: Ctx, id: string, patch: ComponentPatch): Promise<ComponentView> {
  requirePermission(ctx.actor, 'component.write');
  const current = await visibleRow(ctx, id);
  const location = patch.location ?? { lng: current.lng, lat: current.lat };
  const moved =
    patch.location !== undefined || (patch.gridCode !== undefined && patch.gridCode !== current.grid_code);
  // The same checks as a new component, run on the merged result.
  const merged: ComponentInput = {
    id: undefined,
    categoryCode: current.category_code,
    divisionCode: current.division_code,
    name: patch.name ?? current.name,
    lng: location.lng,
    lat: location.lat,
    gridCode: moved ? patch.gridCode : current.grid_code,
    managingDepartment: pick(patch.managingDepartment, current.managing_department_code),
    owningDepartment: pick(patch.owningDepartment, current.owning_department_code),
    maintainingDepartment: pick(patch.maintainingDepartment, current.maintaining_department_code),
    state: patch.state ?? current.state,
    startDate: pick(patch.startDate, current.start_date),
    changeDate: undefined,
    dataSource: pick(patch.dataSource, current.data_source),
    accuracyClass: pick(patch.accuracyClass, current.accuracy_class),
    note: pick(patch.note, current.note),
  };
  // The class never changes here, so a class retired from the catalog since does not block edits.
  const { rows, errors } = await prepareComponents(ctx.db, ctx.actor, [{ row: 1, input: merged }], {
    skipCatalog: true,
  });
  const next = rows[0];
  if (!next) throw rowErrorToAppError(errors);

  const after: Record<string, unknown> = {
    name: next.name,
    state: next.state,
    managingDepartment: next.managingDepartment,
    owningDepartment: next.owningDepartment,
    maintainingDepartment: next.maintainingDepartment,
    gridCode: next.gridCode,
    startDate: next.startDate,
    dataSource: next.dataSource,
    accuracyClass: next.accuracyClass,
    note: next.note,
  };
  const set: ComponentPatchRow = {};
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, column] of Object.entries(PATCH_COLUMNS) as Array<
    [keyof typeof PATCH_COLUMNS, keyof ComponentPatchRow]
  >) {
    const from = current[column as keyof ComponentRow] ?? null;
    const to = after[field] ?? null;
    if (from !== to) {
      changes[field] = { from, to };
      (set as Record<string, unknown>)[column] = to;
    }
  }
  if (patch.location && (patch.location.lng !== current.lng || patch.location.lat !== current.lat)) {
    changes.location = { from: { lng: current.lng, lat: current.lat }, to: patch.location };
    set.location = patch.location;
  }
  if (Object.keys(changes).length === 0 && patch.changeDate === undefined) return present(current);

  const changeDate = patch.changeDate ?? todayInChina();
  if (next.startDate && changeDate < next.startDate) {
    throw new AppError('COMPONENT_FIELD_INVALID', {
      details: { field: 'changeDate', changeDate, startDate: next.startDate },
      message: {
        zh: `变更日期 ${changeDate} 不能早于初始日期 ${next.startDate}`,
        en: `The change date ${changeDate} is before the start date ${next.startDate}`,
      },
    });
  }
  if (changeDate !== current.change_date) {
    changes.changeDate = { from: current.change_date, to: changeDate };
    set.change_date = changeDate;
  }
  if (Object.keys(changes).length === 0) return present(current);
  await ctx.db.transaction().execute(async (trx) => {
    await updateComponentRow(trx, id, set);
    await audit(
      { ...ctx, db: trx },
      { action: 'component.update', target: `component:${id}`, details: { changes } },
    );
  });
  return getComponent(ctx, id);
}

const pick = <T>(patched: T | null | undefined, current: T | null): T | undefined =>
  patched === undefined ? (current ?? undefined) : (patched ?? undefined);

/** Writes checked components of an import in one transaction, with one audit entry. */
export async function insertPrepared(
  ctx: Ctx,
  prepared: Awaited<ReturnType<typeof prepareComponents>>['rows'],
  auditDetails: Record<string, unknown>,
): Promise<string[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await allocateIds(trx, prepared);
    await insertComponentRows(trx, rows);
    await audit(
      { ...ctx, db: trx },
      { action: 'component.import', target: null, details: { ...auditDetails, count: rows.length } },
    );
    return rows.map((r) => r.id);
  });
}

/**
 * For the case module: a component's class, grid, state and department codes (权属 owner,
 * 主管 managing, 养护 maintaining) — a 部件 case can name its component and take its
 * responsible department from the owner. No access check: the caller has done its own.
 */
export async function componentById(db: Kysely<Database>, id: string) {
  const r = await componentRow(db, id);
  if (!r) return null;
  return {
    id: r.id,
    name: r.name,
    categoryCode: r.category_code,
    scheme: r.scheme,
    gridCode: r.grid_code,
    state: r.state,
    owningDepartmentCode: r.owning_department_code,
    managingDepartmentCode: r.managing_department_code,
    maintainingDepartmentCode: r.maintaining_department_code,
    location: { lng: r.lng, lat: r.lat },
  };
}
