/**
 * Public holidays after the bundled data: which calendars lack the current or next year, and
 * the import of the State Council's notice as a table (docs/holiday-import.md).
 */

import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { roleCan } from '../../domain/access/permissions.js';
import {
  CHINA_UTC_OFFSET_MINUTES,
  formatLocalDate,
  type HolidayGap,
  holidayGaps,
  readHolidayTable,
} from '../../domain/timelimit/index.js';
import { type Actor, type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import { type HolidayFileFormat, readHolidayFile } from './holiday-file.js';
import { loadCalendar } from './repo.js';
import { writeYear } from './service.js';

/** Errors listed in one answer; `errorCount` gives the total. */
const MAX_LISTED = 200;

export interface HolidayCoverage {
  /** Today's local date (China), the reference for "current" and "next". */
  today: string;
  /** Calendars that keep public holidays (they have dated days in some year), each with its gaps. */
  calendars: Array<{ id: string; name: string; years: number[]; gaps: HolidayGap[] }>;
  /** All gaps, flattened: what the console banner and the health detail show. */
  gaps: Array<HolidayGap & { calendarId: string; calendarName: string }>;
}

/** No permission check: the health detail calls it for admins; the route checks its own. */
export async function holidayCoverageOf(db: Kysely<Database>, now = new Date()): Promise<HolidayCoverage> {
  const today = formatLocalDate(Math.floor((now.getTime() + CHINA_UTC_OFFSET_MINUTES * 60_000) / 86_400_000));
  const currentYear = Number(today.slice(0, 4));
  const rows = (
    await sql<{ id: string; name: string; year: number }>`
      SELECT c.id, c.name, extract(year FROM d.day)::int AS year
      FROM working_calendars c JOIN calendar_days d ON d.calendar_id = c.id
      GROUP BY c.id, c.name, extract(year FROM d.day) ORDER BY c.id, year`.execute(db)
  ).rows;
  const byCalendar = new Map<string, { id: string; name: string; years: number[] }>();
  for (const r of rows) {
    const entry = byCalendar.get(r.id) ?? { id: r.id, name: r.name, years: [] };
    entry.years.push(Number(r.year));
    byCalendar.set(r.id, entry);
  }
  const calendars = [...byCalendar.values()].map((c) => ({ ...c, gaps: holidayGaps(c.years, currentYear) }));
  return {
    today,
    calendars,
    gaps: calendars.flatMap((c) => c.gaps.map((g) => ({ ...g, calendarId: c.id, calendarName: c.name }))),
  };
}

/** The /api/health detail for those who keep the calendars: holiday data missing ahead. */
export async function holidayHealthDetail(db: Kysely<Database>, actor: Actor) {
  if (!roleCan(actor.role, 'calendar.write')) return null;
  const holidays = await holidayCoverageOf(db);
  return {
    holidays: {
      status: holidays.gaps.length > 0 ? 'warn' : 'ok',
      today: holidays.today,
      missing: holidays.gaps,
    },
  };
}

export async function holidayCoverage(ctx: Ctx) {
  requirePermission(ctx.actor, 'calendar.write');
  return holidayCoverageOf(ctx.db);
}

/**
 * Imports one year of a calendar from the notice's table: every row is checked and nothing is
 * written unless all are valid; the year's days are then replaced. `dryRun` checks only.
 */
export async function importHolidayYear(
  ctx: Ctx,
  id: string,
  year: number,
  file: { format: HolidayFileFormat; body: Buffer },
  dryRun: boolean,
) {
  requirePermission(ctx.actor, 'calendar.write');
  if (!(await loadCalendar(ctx.db, id))) throw notFound('calendar');
  const cells = await readHolidayFile(file.format, file.body);
  const table = readHolidayTable(cells, year);
  if (!table.ok) {
    throw new AppError('CALENDAR_IMPORT_INVALID', {
      details: { year, errorCount: table.errors.length, errors: table.errors.slice(0, MAX_LISTED) },
    });
  }
  const days = table.days.map((d) => ({ day: d.date, kind: d.kind, note: d.note }));
  const summary = {
    year,
    holidays: days.filter((d) => d.kind === 'holiday').length,
    makeupWorkdays: days.filter((d) => d.kind === 'makeup').length,
    days: table.days,
  };
  if (dryRun) return { dryRun: true, ...summary };
  const calendar = await writeYear(ctx, id, year, days, {
    action: 'calendar.import_year',
    details: { format: file.format, holidays: summary.holidays, makeupWorkdays: summary.makeupWorkdays },
  });
  return { dryRun: false, ...summary, calendar };
}
