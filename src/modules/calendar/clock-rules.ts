/**
 * Clock rules (时限规则): the working calendar of each time-limit step and when the department's
 * clock starts. Admins change them; every change is a new row (history), and a step takes the
 * rules in force when it starts, so running steps keep theirs.
 */
import type { DepartmentClockStart } from '../../domain/timelimit/index.js';
import { CLOCK_STEPS, type ClockStep } from '../../domain/workflow/states.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { calendarIds } from './repo.js';
import { clockRulesHistory, currentClockRules, insertClockRules } from './rules-repo.js';

export async function getClockRules(ctx: Ctx) {
  requirePermission(ctx.actor, 'calendar.read');
  const [current, history, calendars] = await Promise.all([
    currentClockRules(ctx.db),
    clockRulesHistory(ctx.db),
    calendarIds(ctx.db),
  ]);
  return { current, history, calendars };
}

export interface ClockRulesInput {
  departmentClockFrom?: DepartmentClockStart | undefined;
  /** Steps to move to another calendar; the others keep theirs. */
  stepCalendars?: Partial<Record<ClockStep, string>> | undefined;
  note?: string | undefined;
}

export async function updateClockRules(ctx: Ctx, input: ClockRulesInput) {
  requirePermission(ctx.actor, 'calendar.write');
  const known = new Set((await calendarIds(ctx.db)).map((c) => c.id));
  const unknown = Object.entries(input.stepCalendars ?? {}).filter(([, id]) => !known.has(id ?? ''));
  if (unknown.length > 0) {
    const list = unknown.map(([step, id]) => `${step} → ${id}`).join(', ');
    throw new AppError('CLOCK_RULES_INVALID', {
      details: { unknownCalendars: Object.fromEntries(unknown) },
      message: { zh: `工作日历不存在：${list}`, en: `No such working calendar: ${list}` },
    });
  }
  await ctx.db.transaction().execute(async (trx) => {
    // Serialises concurrent edits so each new row starts from the one before it.
    await trx.selectFrom('clock_rules').select('id').orderBy('id', 'desc').limit(1).forUpdate().execute();
    const before = await currentClockRules(trx);
    const stepCalendars = Object.fromEntries(
      CLOCK_STEPS.map((s) => [s, input.stepCalendars?.[s] ?? before.stepCalendars[s]]),
    ) as Record<ClockStep, string>;
    const next = {
      departmentClockFrom: input.departmentClockFrom ?? before.departmentClockFrom,
      stepCalendars,
    };
    const id = await insertClockRules(trx, {
      ...next,
      note: input.note ?? null,
      createdBy: ctx.actor.userId > 0 ? ctx.actor.userId : null,
    });
    await audit(
      { ...ctx, db: trx },
      { action: 'clock_rules.update', target: `clock_rules:${id}`, details: { before, after: next } },
    );
  });
  return getClockRules(ctx);
}
