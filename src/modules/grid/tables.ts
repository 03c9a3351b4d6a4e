import type { ColumnType, Generated } from 'kysely';
import type { Geometry, Timestamp } from '../../platform/db/schema.js';

export interface GridsTable {
  code: string;
  community_code: string;
  seq: number;
  area_class: 'A' | 'B' | 'C';
  geom: Geometry;
  area_m2: number;
  valid_from: ColumnType<string, string | undefined, string>;
  valid_to: string | null;
  created_at: Timestamp;
}

export interface SupervisorGridsTable {
  user_id: number;
  grid_code: string;
}

export interface GridTables {
  grids: GridsTable;
  supervisor_grids: SupervisorGridsTable;
}
