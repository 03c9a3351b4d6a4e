import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../platform/db/schema.js';

/** migrations/0010_responsibility.sql */
export interface ResponsibilityRulesTable {
  id: Generated<number>;
  category_id: number;
  area_code: string;
  area_class: 'A' | 'B' | 'C' | null;
  department_codes: ColumnType<string[], string[], string[]>;
  note: string | null;
  valid_from: string | null;
  valid_to: string | null;
  created_by: number | null;
  updated_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DispatchTables {
  responsibility_rules: ResponsibilityRulesTable;
}
