/**
 * Daily case counts from the evaluation facts (one row per case): aggregate SQL over a range of
 * local (+08:00) days, per category (kind + 大类) and district and street; the series of the
 * run are sums of these rows. Voided cases and merged duplicates are not problems of their own
 * and are left out.
 */
import { type Kysely, sql } from 'kysely';
import { addDays } from '../../domain/forecast/days.js';
import type { Database } from '../../platform/db/schema.js';

export const localDay = (at: Date): string =>
  new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
/** The instant local day `day` begins. */
export const dayStart = (day: string): Date => new Date(`${day}T00:00:00+08:00`);

export interface CountRow {
  day: string;
  category: string;
  district: string;
  street: string;
  n: number;
}

const LOCAL_DAY = sql`to_char((f.reported_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD')`;

/** Counts of the days [from, to] (local, inclusive). */
export async function dailyCounts(db: Kysely<Database>, from: string, to: string): Promise<CountRow[]> {
  const rows = await sql<CountRow>`
    SELECT ${LOCAL_DAY} AS day, f.kind || ':' || left(f.category_code, 2) AS category,
           f.district_code AS district, f.street_code AS street, count(*)::int AS n
    FROM eval_case_facts f
    WHERE f.reported_at >= ${dayStart(from)} AND f.reported_at < ${dayStart(addDays(to, 1))}
      AND f.void_at IS NULL AND f.merge_at IS NULL
    GROUP BY 1, 2, 3, 4`.execute(db);
  return rows.rows;
}

/** Which facts rows make up a series: its category key and area code ('*': all). */
export function seriesFilter(category: string, area: string) {
  const parts = [sql`f.void_at IS NULL AND f.merge_at IS NULL`];
  if (category !== '*') {
    const [kind, major] = category.split(':') as [string, string];
    parts.push(sql`f.kind = ${kind} AND left(f.category_code, 2) = ${major}`);
  }
  if (area.length === 6) parts.push(sql`f.district_code = ${area}`);
  if (area.length === 9) parts.push(sql`f.street_code = ${area}`);
  return sql.join(parts, sql` AND `);
}

/** The cases behind a series on a day (the newest first), at most `limit`. */
export async function casesOfDay(
  db: Kysely<Database>,
  category: string,
  area: string,
  day: string,
  limit = 200,
): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    SELECT f.case_id::text AS id FROM eval_case_facts f
    WHERE ${seriesFilter(category, area)}
      AND f.reported_at >= ${dayStart(day)} AND f.reported_at < ${dayStart(addDays(day, 1))}
    ORDER BY f.reported_at DESC, f.case_id DESC LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => r.id);
}

/**
 * The series keys of a count row: its category and every category, each in its district, its
 * street and the whole city.
 */
export function keysOf(r: CountRow): string[] {
  const out: string[] = [];
  for (const c of [r.category, '*']) for (const a of [r.district, r.street, '*']) out.push(`${c}|${a}`);
  return out;
}
