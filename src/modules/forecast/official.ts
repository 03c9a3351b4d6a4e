/**
 * The day kinds Prophet is told about: the office calendar's holidays and make-up workdays
 * (calendar_days, kept by admins) over those of the `chinese-days` package, so a year the package
 * does not know yet still counts once an admin has entered it.
 */
import { type Kysely, sql } from 'kysely';
import type { DayKinds } from '../../domain/forecast/types.js';
import type { Database } from '../../platform/db/schema.js';
import { officialDays } from '../calendar/official-days.js';

export function packageDayKinds(): DayKinds {
  const d = officialDays();
  return { holidays: Object.keys(d.holidays).sort(), makeups: Object.keys(d.workdays).sort() };
}

export async function dayKinds(db: Kysely<Database>): Promise<DayKinds> {
  const rows = (
    await sql<{ day: string; kind: string }>`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM calendar_days
      WHERE calendar_id = 'office' AND kind IN ('holiday', 'makeup')`.execute(db)
  ).rows;
  const pkg = packageDayKinds();
  const years = new Set(rows.map((r) => r.day.slice(0, 4)));
  const fromPkg = (days: readonly string[]) => days.filter((d) => !years.has(d.slice(0, 4)));
  return {
    holidays: [
      ...fromPkg(pkg.holidays),
      ...rows.filter((r) => r.kind === 'holiday').map((r) => r.day),
    ].sort(),
    makeups: [...fromPkg(pkg.makeups), ...rows.filter((r) => r.kind === 'makeup').map((r) => r.day)].sort(),
  };
}
