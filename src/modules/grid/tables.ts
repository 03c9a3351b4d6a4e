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

export interface GridChangesTable {
  id: Generated<number>;
  kind: 'import' | 'split' | 'merge';
  effective_on: string;
  actor_id: number | null;
  actor_name: string;
  reason: string | null;
  at: Timestamp;
}

export interface GridChangeItemsTable {
  change_id: number;
  grid_code: string;
  role: 'retired' | 'created' | 'reshaped' | 'reclassified';
  previous_geom: Geometry | null;
  previous_area_class: 'A' | 'B' | 'C' | null;
}

export interface GridLineageTable {
  change_id: number;
  predecessor_code: string;
  successor_code: string;
}

export interface GridTables {
  grids: GridsTable;
  supervisor_grids: SupervisorGridsTable;
  grid_changes: GridChangesTable;
  grid_change_items: GridChangeItemsTable;
  grid_lineage: GridLineageTable;
}
