import type { ColumnType } from 'kysely';

/** migrations/0027_demo_history.sql */
export interface DemoHistoryPlansTable {
  id: ColumnType<number, number | undefined, never>;
  first_day: ColumnType<string, string, never>;
  days: number;
  cases_per_day: number;
  seed: number;
  until: ColumnType<Date, Date | string, never>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface DemoHistoryDaysTable {
  day: ColumnType<string, string, never>;
  written: ColumnType<number, number | undefined, number>;
  cases: ColumnType<number, number | undefined, number>;
  events: ColumnType<number, number | undefined, number>;
  done: ColumnType<boolean, boolean | undefined, boolean>;
  skipped: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface DemoTables {
  demo_history_plans: DemoHistoryPlansTable;
  demo_history_days: DemoHistoryDaysTable;
}
