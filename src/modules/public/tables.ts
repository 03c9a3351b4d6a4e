import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../platform/db/schema.js';

export interface PublicReportsTable {
  case_id: number;
  tracking_code: string;
  device_id: string | null;
  ip: string | null;
  phone_verified: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface PublicRatingsTable {
  case_id: number;
  satisfaction: number;
  comment: string | null;
  created_at: Timestamp;
}

export type ModerationState = 'pending' | 'approved' | 'rejected';

export interface PublicModerationTable {
  id: Generated<string>;
  case_id: number;
  kind: 'description' | 'comment';
  body: string;
  state: ColumnType<ModerationState, ModerationState | undefined, ModerationState>;
  flags: ColumnType<string[], string[] | undefined, string[]>;
  decided_by: number | null;
  decided_at: Date | null;
  reason: string | null;
  created_at: Timestamp;
}

export interface PublicPhotosTable {
  case_id: number;
  sha256: string;
}

export interface PublicUploadsTable {
  sha256: string;
  device_id: string | null;
  ip: string | null;
  created_at: Timestamp;
}

export interface PublicBannedWordsTable {
  word: string;
}

export interface PublicPhoneCodesTable {
  id: string;
  phone: string;
  salt: string;
  code_hash: string;
  attempts: ColumnType<number, number | undefined, number>;
  expires_at: Date;
  used_at: Date | null;
  created_at: Timestamp;
}

export interface PublicRateLimitsTable {
  bucket: string;
  window_start: Date;
  hits: number;
}

/** Tables of the public participation module and the idempotency layer (migration 0014). */
export interface PublicTables {
  public_reports: PublicReportsTable;
  public_ratings: PublicRatingsTable;
  public_moderation: PublicModerationTable;
  public_photos: PublicPhotosTable;
  public_uploads: PublicUploadsTable;
  public_banned_words: PublicBannedWordsTable;
  public_phone_codes: PublicPhoneCodesTable;
  public_rate_limits: PublicRateLimitsTable;
}
