/** Tables of the monthly report (migrations/0044_monthly_reports.sql). */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../platform/db/schema.js';

type Json<T> = ColumnType<T, string, string>;

export interface ReportTextsTable {
  key: string;
  text: string;
  updated_by: number | null;
  updated_at: Timestamp;
}

export interface MonthlyReportsTable {
  id: Generated<number>;
  month: string;
  format: 'docx' | 'pdf';
  origin: 'schedule' | 'request';
  figures: Json<unknown>;
  file: Buffer;
  file_name: string;
  created_by: number | null;
  created_at: Timestamp;
}

export interface ReportTables {
  report_texts: ReportTextsTable;
  monthly_reports: MonthlyReportsTable;
}
