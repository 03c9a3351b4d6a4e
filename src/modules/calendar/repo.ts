import type { Kysely } from 'kysely';
import type { Weekday, WorkingCalendar } from '../../domain/timelimit/index.js';
import type { Database } from '../../platform/db/schema.js';

export interface StoredCalendar extends WorkingCalendar {
  name: string;
  notes: Record<string, string>;
}

const WEEKDAYS: readonly Weekday[] = [0, 1, 2, 3, 4, 5, 6];

export async function loadCalendar(db: Kysely<Database>, id: string): Promise<StoredCalendar | null> {
  const row = await db.selectFrom('working_calendars').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const days = await db
    .selectFrom('calendar_days')
    .select(['day', 'kind', 'note'])
    .where('calendar_id', '=', id)
    .orderBy('day')
    .execute();
  const weeklyHours = Object.fromEntries(
    WEEKDAYS.map((d) => [d, row.weekly_hours[String(d)] ?? []]),
  ) as WorkingCalendar['weeklyHours'];
  return {
    id: row.id,
    name: row.name,
    utcOffsetMinutes: row.utc_offset_minutes,
    weeklyHours,
    ...(row.makeup_hours ? { makeupHours: row.makeup_hours } : {}),
    holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.day),
    makeupWorkdays: days.filter((d) => d.kind === 'makeup').map((d) => d.day),
    notes: Object.fromEntries(days.filter((d) => d.note).map((d) => [d.day, d.note ?? ''])),
  };
}

export function calendarIds(db: Kysely<Database>) {
  return db.selectFrom('working_calendars').select(['id', 'name']).orderBy('id').execute();
}

export async function saveHours(
  db: Kysely<Database>,
  cal: { id: string; name: string; utcOffsetMinutes: number; weeklyHours: WorkingCalendar['weeklyHours'] },
  makeupHours: Array<[number, number]> | null,
) {
  await db
    .updateTable('working_calendars')
    .set({
      name: cal.name,
      utc_offset_minutes: cal.utcOffsetMinutes,
      weekly_hours: JSON.stringify(cal.weeklyHours),
      makeup_hours: makeupHours ? JSON.stringify(makeupHours) : null,
      updated_at: new Date(),
    })
    .where('id', '=', cal.id)
    .execute();
}

/** Replaces one year's holidays and make-up days (official dates are published yearly). */
export async function replaceYear(
  db: Kysely<Database>,
  id: string,
  year: number,
  days: Array<{ day: string; kind: 'holiday' | 'makeup'; note: string | null }>,
) {
  await db
    .deleteFrom('calendar_days')
    .where('calendar_id', '=', id)
    .where('day', '>=', `${year}-01-01`)
    .where('day', '<=', `${year}-12-31`)
    .execute();
  if (days.length > 0) {
    await db
      .insertInto('calendar_days')
      .values(days.map((d) => ({ calendar_id: id, ...d })))
      .execute();
  }
  await db.updateTable('working_calendars').set({ updated_at: new Date() }).where('id', '=', id).execute();
}
