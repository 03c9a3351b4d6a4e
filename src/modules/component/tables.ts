import type { ColumnType } from 'kysely';
import type { AccuracyClass, ComponentState } from '../../domain/component/states.js';
import type { Geometry, Timestamp } from '../../platform/db/schema.js';

/** migrations/0006_components.sql */
export interface ComponentsTable {
  id: string;
  scheme: 'gbt30428' | 'gbt47678';
  division_code: string;
  category_code: string;
  seq: number;
  name: string;
  managing_department_code: string | null;
  owning_department_code: string | null;
  maintaining_department_code: string | null;
  grid_code: string;
  state: ColumnType<ComponentState, ComponentState | undefined, ComponentState>;
  start_date: string | null;
  change_date: string | null;
  data_source: string | null;
  accuracy_class: AccuracyClass | null;
  note: string | null;
  geom: Geometry;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ComponentTables {
  components: ComponentsTable;
}
