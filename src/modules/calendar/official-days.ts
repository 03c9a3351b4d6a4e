import { createRequire } from 'node:module';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

/**
 * China's official holiday arrangements (国务院办公厅 notices) as shipped by the `chinese-days`
 * package: `{ holidays: { 'YYYY-MM-DD': 'English,中文,n' }, workdays: { … 调休 … } }`.
 */
interface OfficialDays {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const require = createRequire(import.meta.url);

export function officialDays(): OfficialDays {
  return require('chinese-days/dist/chinese-days.json') as OfficialDays;
}

/** '春节' from 'Spring Festival,春节,4'. */
function chineseName(label: string): string {
  return (label.split(',')[1] ?? label).slice(0, 60);
}

/**
 * Fills the office calendar with every year the package knows and the calendar has no days for.
 * A year an admin already edited (any row in it) is left as it is; later years, published after
 * the package was released, are entered by admins (PUT /calendars/office/years/:year).
 */
export async function seedOfficialDays(db: Kysely<Database>, calendarId = 'office'): Promise<number[]> {
  const exists = await db
    .selectFrom('working_calendars')
    .select('id')
    .where('id', '=', calendarId)
    .executeTakeFirst();
  if (!exists) return [];
  const present = new Set(
    (
      await sql<{ year: number }>`SELECT DISTINCT extract(year FROM day)::int AS year FROM calendar_days
        WHERE calendar_id = ${calendarId}`.execute(db)
    ).rows.map((r) => r.year),
  );
  const data = officialDays();
  const rows = [
    ...Object.entries(data.holidays).map(([day, label]) => ({ day, kind: 'holiday' as const, label })),
    ...Object.entries(data.workdays).map(([day, label]) => ({ day, kind: 'makeup' as const, label })),
  ].filter((r) => !present.has(Number(r.day.slice(0, 4))));
  if (rows.length === 0) return [];
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('calendar_days')
      .values(
        rows.slice(i, i + 500).map((r) => ({
          calendar_id: calendarId,
          day: r.day,
          kind: r.kind,
          note: r.kind === 'makeup' ? `${chineseName(r.label)}调休` : chineseName(r.label),
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return [...new Set(rows.map((r) => Number(r.day.slice(0, 4))))].sort();
}
