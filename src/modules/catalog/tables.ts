import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../platform/db/schema.js';

/** A scheme cases are filed under, or 'gbt47678p': the retired placeholder codes (migration 0022). */
export type StoredScheme = 'gbt30428' | 'gbt47678' | 'gbt47678p';

export interface CategorySchemesTable {
  code: StoredScheme;
  name: string;
  minor_digits: number;
  retired: ColumnType<boolean, boolean | undefined, boolean>;
}

export type CategoryOrigin = 'standard' | 'provisional' | 'local';

export interface CategoriesTable {
  id: Generated<number>;
  scheme: StoredScheme;
  kind: 'component' | 'event';
  level: 'major' | 'minor' | 'detail';
  code: string;
  name: string;
  parent_id: number | null;
  origin: ColumnType<CategoryOrigin, CategoryOrigin | undefined, CategoryOrigin>;
  note: ColumnType<string | null, string | null | undefined, string | null>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export type MappingBasis = 'name' | 'reviewed' | 'admin' | 'provisional';

export interface CategoryMappingsTable {
  from_id: number;
  to_id: number;
  basis: ColumnType<MappingBasis, MappingBasis | undefined, MappingBasis>;
  note: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: Timestamp;
}

/** A class that deliberately has no counterpart in the other scheme. */
export interface CategoryUnmappedTable {
  category_id: number;
  note: string;
  basis: ColumnType<'reviewed' | 'admin', 'reviewed' | 'admin' | undefined, 'reviewed' | 'admin'>;
  updated_at: Timestamp;
}

export interface StandardVersionsTable {
  id: Generated<number>;
  name: string;
  status: ColumnType<'draft' | 'published', 'draft' | 'published' | undefined>;
  effective_from: string | null;
  note: string | null;
  created_by: number | null;
  created_at: Timestamp;
  published_at: Date | null;
}

export interface CategoryStandardsTable {
  version_id: number;
  category_id: number;
  filing_conditions: ColumnType<string, string | undefined, string>;
  closing_conditions: ColumnType<string, string | undefined, string>;
  default_urgency: ColumnType<
    'normal' | 'urgent' | 'emergency',
    'normal' | 'urgent' | 'emergency' | undefined
  >;
  department_codes: ColumnType<string[], string[] | undefined, string[]>;
  /** 核查须拍照 (migration 0029). */
  check_photos: ColumnType<boolean, boolean | undefined, boolean>;
  /** DerivedFrom (domain/catalog/derive.ts) when the row was derived; null once written by people. */
  derived_from: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface CategoryTimeLimitsTable {
  version_id: number;
  category_id: number;
  step: string;
  area_class: 'A' | 'B' | 'C';
  /** The case urgency the limit is written for (migration 0021); 'normal' = the class's own. */
  urgency: ColumnType<'normal' | 'urgent' | 'emergency', 'normal' | 'urgent' | 'emergency' | undefined>;
  amount: number;
  unit: 'working_hours' | 'working_days' | 'calendar_hours' | 'minutes';
}

export interface CatalogTables {
  category_schemes: CategorySchemesTable;
  categories: CategoriesTable;
  category_mappings: CategoryMappingsTable;
  category_unmapped: CategoryUnmappedTable;
  standard_versions: StandardVersionsTable;
  category_standards: CategoryStandardsTable;
  category_time_limits: CategoryTimeLimitsTable;
}
