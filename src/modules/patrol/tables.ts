import type { ColumnType, Generated } from 'kysely';
import type { Geometry, Timestamp } from '../../platform/db/schema.js';

/** migrations/0012_patrol.sql */
export interface PatrolShiftsTable {
  id: Generated<number>;
  user_id: number;
  started_at: Timestamp;
  ended_at: Date | null;
}

export interface PatrolPositionsTable {
  user_id: number;
  at: Date;
  shift_id: number;
  geom: Geometry;
  accuracy_m: number | null;
  speed: number | null;
  heading: number | null;
  received_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface PatrolTables {
  patrol_shifts: PatrolShiftsTable;
  patrol_positions: PatrolPositionsTable;
}
