import type { Kysely } from 'kysely';
import {
  type ClockRules,
  DEFAULT_CLOCK_RULES,
  type DepartmentClockStart,
} from '../../domain/timelimit/index.js';
import { CLOCK_STEPS, type ClockStep } from '../../domain/workflow/states.js';
import type { Database } from '../../platform/db/schema.js';

export interface StoredClockRules extends ClockRules {
  id: number;
  note: string | null;
  createdBy: { id: number; name: string } | null;
  createdAt: string;
}

type Row = {
  id: number;
  department_clock_from: DepartmentClockStart;
  step_calendars: Record<string, string>;
  note: string | null;
  created_by: number | null;
  created_at: Date;
  display_name: string | null;
};

function fromRow(r: Row): StoredClockRules {
  // A step missing from a stored row (a step added later) runs on its default calendar.
  const stepCalendars = Object.fromEntries(
    CLOCK_STEPS.map((s) => [s, r.step_calendars[s] ?? DEFAULT_CLOCK_RULES.stepCalendars[s]]),
  ) as Record<ClockStep, string>;
  return {
    id: r.id,
    departmentClockFrom: r.department_clock_from,
    stepCalendars,
    note: r.note,
    createdBy: r.created_by === null ? null : { id: r.created_by, name: r.display_name ?? '' },
    createdAt: r.created_at.toISOString(),
  };
}

function rulesQuery(db: Kysely<Database>) {
  return db
    .selectFrom('clock_rules as r')
    .leftJoin('users as u', 'u.id', 'r.created_by')
    .select([
      'r.id',
      'r.department_clock_from',
      'r.step_calendars',
      'r.note',
      'r.created_by',
      'r.created_at',
      'u.display_name',
    ])
    .orderBy('r.id', 'desc');
}

/** The rules in force: the latest row (the defaults if an install has none). */
export async function currentClockRules(db: Kysely<Database>): Promise<ClockRules> {
  const row = await rulesQuery(db).limit(1).executeTakeFirst();
  return row ? fromRow(row) : DEFAULT_CLOCK_RULES;
}

/** Newest first. */
export async function clockRulesHistory(db: Kysely<Database>, limit = 50): Promise<StoredClockRules[]> {
  return (await rulesQuery(db).limit(limit).execute()).map(fromRow);
}

export async function insertClockRules(
  db: Kysely<Database>,
  rules: ClockRules & { note: string | null; createdBy: number | null },
): Promise<number> {
  const row = await db
    .insertInto('clock_rules')
    .values({
      department_clock_from: rules.departmentClockFrom,
      step_calendars: JSON.stringify(rules.stepCalendars),
      note: rules.note,
      created_by: rules.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
