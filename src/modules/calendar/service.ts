import { validateCalendar, type WorkingCalendar } from '../../domain/timelimit/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { calendarIds, loadCalendar, replaceYear, type StoredCalendar, saveHours } from './repo.js';

type Periods = Array<[number, number]>;

function present(cal: StoredCalendar) {
  return {
    id: cal.id,
    name: cal.name,
    utcOffsetMinutes: cal.utcOffsetMinutes,
    weeklyHours: cal.weeklyHours,
    makeupHours: cal.makeupHours ?? null,
    holidays: cal.holidays,
    makeupWorkdays: cal.makeupWorkdays,
    notes: cal.notes,
  };
}

function refuseProblems(cal: WorkingCalendar) {
  const problems = validateCalendar(cal);
  if (problems.length > 0) {
    const first = problems[0];
    throw new AppError('CALENDAR_INVALID', {
      details: { problems },
      message: first
        ? { zh: `工作日历不合法：${first.zh}`, en: `Invalid working calendar: ${first.en}` }
        : {},
    });
  }
}

async function existing(ctx: Ctx, id: string): Promise<StoredCalendar> {
  const cal = await loadCalendar(ctx.db, id);
  if (!cal) throw notFound('calendar');
  return cal;
}

export async function listCalendars(ctx: Ctx) {
  requirePermission(ctx.actor, 'calendar.read');
  return { items: await calendarIds(ctx.db) };
}

export async function getCalendar(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'calendar.read');
  return present(await existing(ctx, id));
}

export async function updateCalendarHours(
  ctx: Ctx,
  id: string,
  input: {
    name: string;
    utcOffsetMinutes: number;
    weeklyHours: Record<'0' | '1' | '2' | '3' | '4' | '5' | '6', Periods>;
    makeupHours: Periods | null;
  },
) {
  requirePermission(ctx.actor, 'calendar.write');
  const cal = await existing(ctx, id);
  const w = input.weeklyHours;
  const next: WorkingCalendar = {
    ...cal,
    utcOffsetMinutes: input.utcOffsetMinutes,
    weeklyHours: { 0: w['0'], 1: w['1'], 2: w['2'], 3: w['3'], 4: w['4'], 5: w['5'], 6: w['6'] },
  };
  if (input.makeupHours) next.makeupHours = input.makeupHours;
  else delete next.makeupHours;
  refuseProblems(next);
  await ctx.db.transaction().execute(async (trx) => {
    await saveHours(trx, { ...next, name: input.name }, input.makeupHours);
    await audit({ ...ctx, db: trx }, { action: 'calendar.update', target: `calendar:${id}`, details: input });
  });
  return present(await existing(ctx, id));
}

export async function replaceCalendarYear(
  ctx: Ctx,
  id: string,
  year: number,
  input: {
    holidays: Array<{ date: string; note?: string | undefined }>;
    makeupWorkdays: Array<{ date: string; note?: string | undefined }>;
  },
) {
  requirePermission(ctx.actor, 'calendar.write');
  const outside = [...input.holidays, ...input.makeupWorkdays].find((d) => !d.date.startsWith(`${year}-`));
  if (outside) {
    throw new AppError('CALENDAR_INVALID', {
      details: { date: outside.date, year },
      message: { zh: `日期 ${outside.date} 不在 ${year} 年内`, en: `Date ${outside.date} is not in ${year}` },
    });
  }
  const days = [
    ...input.holidays.map((d) => ({ day: d.date, kind: 'holiday' as const, note: d.note ?? null })),
    ...input.makeupWorkdays.map((d) => ({ day: d.date, kind: 'makeup' as const, note: d.note ?? null })),
  ];
  return writeYear(ctx, id, year, days, { action: 'calendar.replace_year', details: {} });
}

/**
 * Replaces one year's dated days of a calendar after checking the whole calendar they make;
 * audited as `audit.action`. The caller has checked the permission and that every day is in `year`.
 */
export async function writeYear(
  ctx: Ctx,
  id: string,
  year: number,
  days: Array<{ day: string; kind: 'holiday' | 'makeup'; note: string | null }>,
  auditEntry: { action: string; details: Record<string, unknown> },
) {
  const cal = await existing(ctx, id);
  const inYear = (d: string) => d.startsWith(`${year}-`);
  const next: WorkingCalendar = {
    ...cal,
    holidays: [
      ...cal.holidays.filter((d) => !inYear(d)),
      ...days.filter((d) => d.kind === 'holiday').map((d) => d.day),
    ],
    makeupWorkdays: [
      ...cal.makeupWorkdays.filter((d) => !inYear(d)),
      ...days.filter((d) => d.kind === 'makeup').map((d) => d.day),
    ],
  };
  refuseProblems(next);
  await ctx.db.transaction().execute(async (trx) => {
    await replaceYear(trx, id, year, days);
    await audit(
      { ...ctx, db: trx },
      {
        action: auditEntry.action,
        target: `calendar:${id}`,
        details: { year, days: days.length, ...auditEntry.details },
      },
    );
  });
  return present(await existing(ctx, id));
}
