/**
 * 井盖巡查: plans by road class become supervisor tasks (one per plan, supervisor, day and
 * reason), each covering the plan's road class in the supervisor's grids (supervisor_grids, as
 * the patrol and 核查 tasks use); the supervisor records a result per cover, a defect with photos.
 */
import { sql } from 'kysely';
import { type InspectionPlan, plansDue } from '../../domain/covers/inspection.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { missingMedia } from '../cases/repo.js';
import type { PlanInput, ResultInput } from './schema.js';

const presentPlan = (p: {
  id: number;
  name: string;
  road_class: string;
  frequency: string;
  weekday: number | null;
  storm_checks: boolean;
  active: boolean;
}) => ({
  id: p.id,
  name: p.name,
  roadClass: p.road_class,
  frequency: p.frequency,
  weekday: p.weekday,
  stormChecks: p.storm_checks,
  active: p.active,
});

export async function listPlans(ctx: Ctx) {
  requirePermission(ctx.actor, 'component.read');
  const rows = await ctx.db.selectFrom('cover_inspection_plans').selectAll().orderBy('id').execute();
  return { items: rows.map(presentPlan) };
}

export async function createPlan(ctx: Ctx, input: PlanInput) {
  requirePermission(ctx.actor, 'component.write');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('cover_inspection_plans')
      .values({
        name: input.name,
        road_class: input.roadClass,
        frequency: input.frequency,
        weekday: input.weekday ?? null,
        storm_checks: input.stormChecks,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({ ...ctx, db: trx }, { action: 'cover.plan.create', target: `cover_plan:${row.id}` });
    return presentPlan(row);
  });
}

/**
 * The tasks of a day (and of a storm, before or after): one per due plan and supervisor with at
 * least one cover of the plan's road class in his grids, in the actor's scope. Idempotent.
 */
export async function generateTasks(
  ctx: Ctx,
  input: { date: string; storm?: 'before' | 'after' | undefined },
) {
  requirePermission(ctx.actor, 'component.write');
  const plans = await ctx.db.selectFrom('cover_inspection_plans').selectAll().execute();
  const due = plansDue(
    plans.map(
      (p): InspectionPlan => ({
        id: p.id,
        roadClass: p.road_class,
        frequency: p.frequency,
        weekday: p.weekday,
        stormChecks: p.storm_checks,
        active: p.active,
      }),
    ),
    input.date,
    input.storm ?? null,
  );
  let created = 0;
  await ctx.db.transaction().execute(async (trx) => {
    for (const d of due) {
      const r = await sql<{ n: number }>`
        WITH ins AS (
          INSERT INTO cover_inspection_tasks (plan_id, supervisor_id, due_on, reason)
          SELECT DISTINCT p.id, sg.user_id, ${input.date}::date, ${d.reason}
            FROM cover_inspection_plans p
            JOIN covers c ON c.road_class = p.road_class
            JOIN components k ON k.id = c.component_id
            JOIN supervisor_grids sg ON sg.grid_code = k.grid_code
           WHERE p.id = ${d.planId} AND k.grid_code LIKE ${`${ctx.actor.scopePrefix}%`}
          ON CONFLICT DO NOTHING RETURNING 1)
        SELECT count(*)::int AS n FROM ins`.execute(trx);
      created += r.rows[0]?.n ?? 0;
    }
    await audit(
      { ...ctx, db: trx },
      { action: 'cover.inspection.generate', target: 'cover_inspections', details: { ...input, created } },
    );
  });
  return { date: input.date, storm: input.storm ?? null, plans: due.length, created };
}

async function taskCovers(ctx: Ctx, taskIds: readonly string[]) {
  if (taskIds.length === 0) return [];
  const r = await sql<{
    task_id: string;
    component_id: string;
    name: string;
    cover_type: string;
    result: string | null;
    photos: string[] | null;
    at: Date | null;
  }>`
    SELECT t.id AS task_id, c.component_id, k.name, c.cover_type, r.result, r.photos, r.at
      FROM cover_inspection_tasks t
      JOIN cover_inspection_plans p ON p.id = t.plan_id
      JOIN supervisor_grids sg ON sg.user_id = t.supervisor_id
      JOIN components k ON k.grid_code = sg.grid_code
      JOIN covers c ON c.component_id = k.id AND c.road_class = p.road_class
      LEFT JOIN cover_inspection_results r ON r.task_id = t.id AND r.component_id = c.component_id
     WHERE t.id IN (${sql.join(taskIds)})
     ORDER BY t.id, c.component_id`.execute(ctx.db);
  return r.rows;
}

/** A supervisor's own tasks; the centre's in its scope. Newest day first, with each cover's result. */
export async function listTasks(
  ctx: Ctx,
  q: { date?: string | undefined; limit: number; taskId?: number | undefined },
) {
  requirePermission(ctx.actor, 'case.read');
  let query = ctx.db
    .selectFrom('cover_inspection_tasks as t')
    .innerJoin('cover_inspection_plans as p', 'p.id', 't.plan_id')
    .innerJoin('users as u', 'u.id', 't.supervisor_id')
    .select(['t.id', 't.due_on', 't.reason', 'p.name as plan_name', 'p.road_class', 'u.display_name']);
  if (ctx.actor.role === 'supervisor') query = query.where('t.supervisor_id', '=', ctx.actor.userId);
  else if (ctx.actor.role === 'department' || ctx.actor.role === 'handler') throw forbidden('case.read');
  else query = query.where('u.division_code', 'like', `${ctx.actor.scopePrefix}%`);
  if (q.date) query = query.where('t.due_on', '=', q.date);
  if (q.taskId) query = query.where('t.id', '=', String(q.taskId) as never);
  const tasks = await query.orderBy('t.due_on', 'desc').orderBy('t.id').limit(q.limit).execute();
  const covers = await taskCovers(
    ctx,
    tasks.map((t) => String(t.id)),
  );
  return {
    items: tasks.map((t) => {
      const mine = covers.filter((c) => String(c.task_id) === String(t.id));
      return {
        id: Number(t.id),
        dueOn: String(t.due_on).slice(0, 10),
        reason: t.reason,
        plan: t.plan_name,
        roadClass: t.road_class,
        supervisor: t.display_name,
        done: mine.length > 0 && mine.every((c) => c.result !== null),
        covers: mine.map((c) => ({
          componentId: c.component_id,
          name: c.name,
          type: c.cover_type,
          result: c.result,
          photos: c.photos ?? [],
          at: c.at ? new Date(c.at).toISOString() : null,
        })),
      };
    }),
  };
}

/** The supervisor's result for one cover of his task (again: the newer result replaces it). */
export async function recordResult(ctx: Ctx, taskId: number, input: ResultInput) {
  requirePermission(ctx.actor, 'case.act');
  const task = await ctx.db
    .selectFrom('cover_inspection_tasks')
    .select(['id', 'supervisor_id'])
    .where('id', '=', String(taskId) as never)
    .executeTakeFirst();
  if (!task || task.supervisor_id !== ctx.actor.userId) throw notFound('inspection task');
  if (input.result !== 'ok' && input.photos.length === 0)
    throw new AppError('COVER_INSPECTION_PHOTOS_REQUIRED');
  const covers = await taskCovers(ctx, [String(taskId)]);
  if (!covers.some((c) => c.component_id === input.componentId))
    throw new AppError('COVER_INSPECTION_NOT_IN_TASK', { details: { componentId: input.componentId } });
  const missing = await missingMedia(ctx.db, input.photos);
  if (missing.length > 0) throw new AppError('CASE_PHOTO_UNKNOWN', { details: { photos: missing } });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('cover_inspection_results')
      .values({
        task_id: String(taskId),
        component_id: input.componentId,
        result: input.result,
        photos: input.photos,
        note: input.note ?? null,
        at: new Date(),
      })
      .onConflict((oc) =>
        oc.columns(['task_id', 'component_id']).doUpdateSet((eb) => ({
          result: eb.ref('excluded.result'),
          photos: eb.ref('excluded.photos'),
          note: eb.ref('excluded.note'),
          at: eb.ref('excluded.at'),
        })),
      )
      .execute();
    await audit(
      { ...ctx, db: trx },
      { action: 'cover.inspection.result', target: `cover_task:${taskId}`, details: input },
    );
  });
  return (await listTasks(ctx, { limit: 1, taskId })).items[0];
}
