/**
 * The emergency flow of a cover case (警示围挡 → 临时覆盖 → 修复 → 核查), each step with its
 * photos and its own limit (src/domain/covers/emergency.ts). A cover case is a 部件 case of a
 * registered cover. Who records: the cover's owner or maintainer department (its staff, in
 * its subtree) the site steps and the 36 h exception; the grid's supervisor the check.
 */
import type { Kysely } from 'kysely';
import {
  canDeclareException,
  canRecord,
  DEFECT_LABELS,
  deadlines,
  type EmergencyFlow,
  type EmergencyStep,
  flowStatus,
  stepRecorder,
} from '../../domain/covers/emergency.js';
import { type CaseState, isTerminal } from '../../domain/workflow/index.js';
import { type Actor, type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import { pageInfo } from '../../platform/http/paging.js';
import { audit } from '../audit/service.js';
import { findCase, missingMedia, supervisesGrid } from '../cases/repo.js';
import { type FlowRow, flowQuery, limitsInForce, overdueSql, stepsOf } from './repo.js';
import type { FlowListQuery, StepInput } from './schema.js';

type Db = Kysely<Database>;
/** Phone clocks drift: a step up to this far ahead of the server clock is still accepted. */
const CLOCK_SKEW_MS = 2 * 60_000;
const STEP_COLUMNS = {
  barrier: 'barrier_at',
  temporary_cover: 'temporary_cover_at',
  repair: 'repair_at',
  check: 'check_at',
} as const;

const isStaffOf = (actor: Actor, row: Pick<FlowRow, 'owner_path' | 'maintainer_path'>) =>
  (actor.role === 'department' || actor.role === 'handler') &&
  actor.departmentPath !== null &&
  [row.owner_path, row.maintainer_path].some((p) => p?.startsWith(actor.departmentPath as string));

/** A flow is seen by whoever sees its case, and by the cover's owner and maintainer staff. */
async function visibleFlow(ctx: Ctx, db: Db, caseId: number, lock = false): Promise<FlowRow> {
  let q = flowQuery(db).where('f.case_id', '=', caseId);
  if (lock) q = q.forUpdate('f');
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('cover flow');
  if (!isStaffOf(ctx.actor, row) && !(await findCase(db, ctx.actor, caseId))) throw notFound('cover flow');
  return row;
}

async function asFlow(db: Db, row: FlowRow): Promise<EmergencyFlow> {
  const steps = await stepsOf(db, [row.id]);
  return {
    noticedAt: row.noticed_at,
    steps: steps.map((s) => ({ step: s.step, at: s.at, photos: s.photos })),
    exception: row.exception_reason ? { reason: row.exception_reason } : null,
  };
}

type StepRow = Awaited<ReturnType<typeof stepsOf>>[number];
type Limits = Awaited<ReturnType<typeof limitsInForce>>;

async function present(db: Db, row: FlowRow, now = new Date()) {
  const [limits, steps] = await Promise.all([limitsInForce(db, row.limits_id), stepsOf(db, [row.id])]);
  return presentWith(row, limits, steps, now);
}

function presentWith(row: FlowRow, limits: Limits, steps: readonly StepRow[], now: Date) {
  const flow: EmergencyFlow = {
    noticedAt: row.noticed_at,
    steps: steps.map((s) => ({ step: s.step, at: s.at, photos: s.photos })),
    exception: row.exception_reason ? { reason: row.exception_reason } : null,
  };
  const status = flowStatus(flow, limits, now);
  const due = deadlines(flow, limits);
  return {
    caseId: row.case_id,
    caseNumber: row.case_number,
    caseState: row.case_state,
    componentId: row.component_id,
    componentName: row.component_name,
    coverType: row.cover_type,
    owner: { code: row.owner_department_code, name: row.owner_name },
    defect: row.defect,
    defectLabel: DEFECT_LABELS[row.defect],
    noticedAt: row.noticed_at.toISOString(),
    limitsVersion: row.limits_id,
    exception: row.exception_reason
      ? { reason: row.exception_reason, at: row.exception_at?.toISOString() ?? null }
      : null,
    next: status.next,
    overdue: status.overdue,
    repairMinutes: status.repairMinutes,
    steps: (['barrier', 'temporary_cover', 'repair', 'check'] as const).map((step) => {
      const done = steps.find((s) => s.step === step);
      return {
        step,
        due: due[step]?.toISOString() ?? null,
        at: done?.at.toISOString() ?? null,
        photos: done?.photos ?? [],
        note: done?.note ?? null,
        recordedBy: done?.recorded_by_name ?? null,
        overdue: status.overdue.includes(step),
      };
    }),
  };
}

export async function getFlow(ctx: Ctx, caseId: number) {
  requirePermission(ctx.actor, 'case.read');
  return present(ctx.db, await visibleFlow(ctx, ctx.db, caseId));
}

/** Starts the flow of a cover case: the limits in force now, counted from the report. */
export async function startFlow(ctx: Ctx, input: { caseId: number; defect: FlowRow['defect'] }) {
  requirePermission(ctx.actor, 'case.act');
  await ctx.db.transaction().execute(async (trx) => {
    const c = await findCase(trx, ctx.actor, input.caseId, true);
    const cover = c?.component_code
      ? await trx
          .selectFrom('covers as v')
          .innerJoin('departments as od', 'od.code', 'v.owner_department_code')
          .leftJoin('departments as md', 'md.code', 'v.maintainer_department_code')
          .select(['v.component_id', 'od.path as owner_path', 'md.path as maintainer_path'])
          .where('v.component_id', '=', c.component_code)
          .executeTakeFirst()
      : undefined;
    if (!c) {
      // The owner's staff start the flow of a case not (yet) dispatched to them.
      const own = await trx
        .selectFrom('cases as k')
        .innerJoin('covers as v', 'v.component_id', 'k.component_code')
        .innerJoin('departments as od', 'od.code', 'v.owner_department_code')
        .leftJoin('departments as md', 'md.code', 'v.maintainer_department_code')
        .select(['k.id', 'od.path as owner_path', 'md.path as maintainer_path'])
        .where('k.id', '=', input.caseId)
        .executeTakeFirst();
      if (!own || !isStaffOf(ctx.actor, own)) throw notFound('case');
      return start(trx, ctx, input);
    }
    if (c.kind !== 'component' || !cover)
      throw new AppError('COVER_CASE_NOT_COVER', { details: { caseId: input.caseId } });
    return start(trx, ctx, input);
  });
  return getFlow(ctx, input.caseId);
}

async function start(trx: Db, ctx: Ctx, input: { caseId: number; defect: FlowRow['defect'] }) {
  const c = await trx
    .selectFrom('cases')
    .select(['id', 'state', 'reported_at', 'component_code', 'kind'])
    .where('id', '=', input.caseId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (isTerminal(c.state as CaseState))
    throw new AppError('COVER_CASE_CLOSED', { details: { state: c.state } });
  const limits = await limitsInForce(trx);
  const due = deadlines({ noticedAt: c.reported_at, steps: [], exception: null }, limits);
  const inserted = await trx
    .insertInto('cover_flows')
    .values({
      case_id: c.id,
      component_id: c.component_code as string,
      defect: input.defect,
      noticed_at: c.reported_at,
      limits_id: limits.id,
      exception_reason: null,
      exception_at: null,
      exception_by: null,
      barrier_due: due.barrier,
      temporary_cover_due: due.temporary_cover,
      repair_due: due.repair,
      check_due: null,
      barrier_at: null,
      temporary_cover_at: null,
      repair_at: null,
      check_at: null,
      opened_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
    })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .returning('case_id')
    .executeTakeFirst();
  if (!inserted) throw new AppError('COVER_FLOW_EXISTS', { details: { caseId: c.id } });
  await audit(
    { ...ctx, db: trx },
    { action: 'cover.flow.start', target: `case:${c.id}`, details: { defect: input.defect } },
  );
}

async function mayRecord(db: Db, actor: Actor, step: EmergencyStep, row: FlowRow): Promise<boolean> {
  if (stepRecorder(step) === 'owner') return isStaffOf(actor, row);
  return actor.role === 'supervisor' && (await supervisesGrid(db, actor.userId, row.grid_code));
}

/** Records one step on site, with its photos; the check's limit starts at the repair. */
export async function recordStep(ctx: Ctx, caseId: number, step: EmergencyStep, input: StepInput) {
  requirePermission(ctx.actor, 'case.act');
  const now = new Date();
  const at = input.at ? new Date(input.at) : now;
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw new AppError('COVER_STEP_IN_FUTURE', { details: { at: at.toISOString() } });
  await ctx.db.transaction().execute(async (trx) => {
    const row = await visibleFlow(ctx, trx, caseId, true);
    if (!(await mayRecord(trx, ctx.actor, step, row)))
      throw new AppError('COVER_STEP_NOT_YOURS', { details: { step } });
    const missing = await missingMedia(trx, input.photos);
    if (missing.length > 0) throw new AppError('CASE_PHOTO_UNKNOWN', { details: { photos: missing } });
    const flow = await asFlow(trx, row);
    const refusal = canRecord(flow, { step, at, photos: input.photos });
    if (refusal === 'STEP_OUT_OF_ORDER')
      throw new AppError('COVER_STEP_OUT_OF_ORDER', {
        details: { step, expected: flowStatus(flow, await limitsInForce(trx, row.limits_id), now).next },
      });
    if (refusal) throw new AppError('COVER_STEP_BEFORE_PREVIOUS', { details: { step } });
    await trx
      .insertInto('cover_flow_steps')
      .values({
        flow_id: row.id,
        step,
        at,
        photos: input.photos,
        note: input.note ?? null,
        recorded_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
        recorded_role: ctx.actor.role,
      })
      .execute();
    const limits = await limitsInForce(trx, row.limits_id);
    const after = deadlines({ ...flow, steps: [...flow.steps, { step, at, photos: input.photos }] }, limits);
    await trx
      .updateTable('cover_flows')
      .set({ [STEP_COLUMNS[step]]: at, ...(step === 'repair' ? { check_due: after.check } : {}) })
      .where('id', '=', row.id)
      .execute();
    await audit(
      { ...ctx, db: trx },
      { action: `cover.flow.${step}`, target: `case:${caseId}`, details: { photos: input.photos.length } },
    );
  });
  return getFlow(ctx, caseId);
}

/** The 36 h exception: the owner says why the repair cannot start; the repair's limit moves. */
export async function declareException(ctx: Ctx, caseId: number, reason: string) {
  requirePermission(ctx.actor, 'case.act');
  const now = new Date();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await visibleFlow(ctx, trx, caseId, true);
    if (!isStaffOf(ctx.actor, row))
      throw new AppError('COVER_STEP_NOT_YOURS', { details: { step: 'exception' } });
    const limits = await limitsInForce(trx, row.limits_id);
    const flow = await asFlow(trx, row);
    const refusal = canDeclareException(flow, limits, reason, now);
    if (refusal) throw new AppError(`COVER_${refusal}`);
    const due = deadlines({ ...flow, exception: { reason: reason.trim() } }, limits);
    await trx
      .updateTable('cover_flows')
      .set({
        exception_reason: reason.trim(),
        exception_at: now,
        exception_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
        repair_due: due.repair,
      })
      .where('id', '=', row.id)
      .execute();
    await audit(
      { ...ctx, db: trx },
      { action: 'cover.flow.exception', target: `case:${caseId}`, details: { reason } },
    );
  });
  return getFlow(ctx, caseId);
}

/**
 * Flows in scope, newest first; `overdue=true`: those with a step late now or done late.
 * Department staff see the flows of the covers they own or maintain.
 */
export async function listFlows(ctx: Ctx, q: FlowListQuery) {
  requirePermission(ctx.actor, 'case.read');
  const now = new Date();
  const a = ctx.actor;
  let query = flowQuery(ctx.db).where('kc.state', 'not in', ['voided', 'merged']);
  if ((a.role === 'department' || a.role === 'handler') && a.departmentPath !== null) {
    const path = `${a.departmentPath}%`;
    query = query.where((eb) => eb.or([eb('od.path', 'like', path), eb('md.path', 'like', path)]));
  } else if (a.role === 'supervisor') {
    query = query.where('k.grid_code', 'in', (eb) =>
      eb.selectFrom('supervisor_grids').select('grid_code').where('user_id', '=', a.userId),
    );
  } else {
    query = query.where((eb) =>
      eb.or([eb('k.id', 'like', `${a.scopePrefix}%`), eb('k.grid_code', 'like', `${a.scopePrefix}%`)]),
    );
  }
  if (q.open) query = query.where('f.check_at', q.open === 'true' ? 'is' : 'is not', null);
  if (q.overdue) {
    const late = overdueSql('f', now);
    query = query.where(q.overdue === 'true' ? late : (eb) => eb.not(late));
  }
  const [rows, count] = await Promise.all([
    query.orderBy('f.noticed_at', 'desc').orderBy('f.id', 'desc').limit(q.limit).offset(q.offset).execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  // One read of the steps and of each limits version for the whole page.
  const steps = await stepsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const limits = new Map<number, Limits>();
  for (const id of new Set(rows.map((r) => r.limits_id))) limits.set(id, await limitsInForce(ctx.db, id));
  const items = rows.map((r) =>
    presentWith(
      r,
      limits.get(r.limits_id) as Limits,
      steps.filter((s) => String(s.flow_id) === String(r.id)),
      now,
    ),
  );
  return { ...pageInfo(Number(count.n), q.limit, q.offset), items };
}
