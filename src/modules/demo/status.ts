/** GET /demo/status: how far the demo history is, and what the live simulation has done. */
import { z } from 'zod';
import { type Ctx, can } from '../../platform/auth/actor.js';
import { forbidden } from '../../platform/errors.js';
import { historyProgress } from './history-job.js';
import { demoRunnerOf } from './runner.js';

export const demoStatusQuery = z.strictObject({});

export async function demoStatus(ctx: Ctx, demoMode: boolean) {
  // The centre's leaders and the administrator see it (the console's notice); field staff not.
  if (!can(ctx.actor, 'evaluation.read') && !can(ctx.actor, 'audit.read')) throw forbidden('evaluation.read');
  const runner = demoRunnerOf(ctx.db);
  const plan = demoMode
    ? (runner?.plan ??
      (await ctx.db
        .selectFrom('demo_history_plans')
        .selectAll()
        .executeTakeFirst()
        .then((r) =>
          r
            ? {
                firstDay: r.first_day,
                days: r.days,
                casesPerDay: r.cases_per_day,
                seed: r.seed,
                until: new Date(r.until),
                finishedAt: r.finished_at ? new Date(r.finished_at) : null,
              }
            : null,
        )))
    : null;
  let history = null;
  if (plan) {
    const p = await historyProgress(ctx.db, plan);
    const finished = await ctx.db.selectFrom('demo_history_plans').select('finished_at').executeTakeFirst();
    const done = await ctx.db
      .selectFrom('demo_history_days')
      .select((eb) => eb.fn.min('day').as('from'))
      .where('done', '=', true)
      .executeTakeFirst();
    history = {
      firstDay: plan.firstDay,
      days: plan.days,
      daysDone: p.daysDone,
      cases: p.cases,
      events: p.events,
      expectedCases: plan.days * plan.casesPerDay,
      until: plan.until.toISOString(),
      finished: !!finished?.finished_at,
      finishedAt: finished?.finished_at ? new Date(finished.finished_at).toISOString() : null,
      /** The oldest day written so far (days are written newest first). */
      dataFrom: (done?.from as string | null | undefined) ?? null,
    };
  }
  return { demo: demoMode, history, live: demoMode ? (runner?.live() ?? null) : null };
}
