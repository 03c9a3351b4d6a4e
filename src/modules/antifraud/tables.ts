/** Kysely types of the anti-fraud tables (migrations/0045_antifraud.sql). */
import type { ColumnType, Generated } from 'kysely';
import type { FlagKind } from '../../domain/antifraud/types.js';

export const FLAG_STATUSES = ['open', 'confirmed', 'dismissed'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

export interface PhotoHashesTable {
  sha256: string;
  /** Signed 64-bit; the driver returns text. */
  dhash: ColumnType<string, string | bigint, string | bigint>;
  computed_at: ColumnType<Date, Date | undefined, Date>;
}

export interface FraudFlagsTable {
  id: Generated<string>;
  kind: FlagKind;
  case_id: number;
  reporter_id: number;
  related_case_id: number | null;
  evidence: ColumnType<Record<string, unknown>, string, string>;
  status: ColumnType<FlagStatus, FlagStatus | undefined, FlagStatus>;
  reason: string | null;
  reviewed_by: number | null;
  reviewed_at: Date | null;
  reported_at: ColumnType<Date, Date | string, Date | string>;
  detected_at: ColumnType<Date, Date | undefined, never>;
}

export interface FraudScanCursorTable {
  id: number;
  last_case_id: number;
  scanned_at: ColumnType<Date, Date | undefined, Date>;
}

export interface AntifraudTables {
  photo_hashes: PhotoHashesTable;
  fraud_flags: FraudFlagsTable;
  fraud_scan_cursor: FraudScanCursorTable;
}
