import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../platform/db/schema.js';

type Json<T> = ColumnType<T, string, string>;

export interface EvaluationSchemesTable {
  id: string;
  subject_type: string;
  shipped: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface EvaluationSchemeVersionsTable {
  scheme_id: string;
  version: number;
  name_zh: string;
  name_en: string;
  indicators: Json<unknown>;
  grades: Json<unknown>;
  note: string | null;
  created_by: number | null;
  created_at: Timestamp;
}

export interface EvaluationPublicationsTable {
  id: Generated<number>;
  title: string;
  period_kind: string;
  period_from: Date;
  period_to: Date;
  filters: Json<unknown>;
  schemes: Json<unknown>;
  published_by: number | null;
  published_at: Timestamp;
}

export interface EvaluationPublicationRowsTable {
  publication_id: number;
  subject_type: string;
  subject_id: string;
  subject_name: string;
  indicators: Json<unknown>;
  composite: number | null;
  grade: string | null;
  rank: number | null;
}

export interface EvaluationCacheTable {
  key: string;
  tallies: Json<unknown>;
  computed_at: Timestamp;
}

/** Tables of the evaluation module (migrations/0013_evaluation.sql, 0016_evaluation_cache.sql). */
export interface EvaluationTables {
  evaluation_cache: EvaluationCacheTable;
  evaluation_schemes: EvaluationSchemesTable;
  evaluation_scheme_versions: EvaluationSchemeVersionsTable;
  evaluation_publications: EvaluationPublicationsTable;
  evaluation_publication_rows: EvaluationPublicationRowsTable;
}
