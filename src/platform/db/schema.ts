import type { ColumnType, Generated } from 'kysely';
import type { JobsTable } from '../jobs/tables.js';

/** Kysely table types, mirroring migrations/*.sql (the SQL is the source of truth). */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Geometry = ColumnType<unknown, string | undefined, string>;

export interface DivisionsTable {
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'community';
  parent_code: string | null;
  scope_prefix: string;
  boundary: Geometry | null;
  created_at: Timestamp;
}

export interface DepartmentsTable {
  id: Generated<number>;
  code: string;
  name: string;
  parent_id: number | null;
  path: string;
  division_code: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: string;
  division_code: string | null;
  department_id: number | null;
  phone: string | null;
  password_hash: string;
  password_changed_at: Timestamp;
  must_change_password: ColumnType<boolean, boolean | undefined, boolean>;
  failed_attempts: ColumnType<number, number | undefined, number>;
  locked_until: Date | null;
  disabled: ColumnType<boolean, boolean | undefined, boolean>;
  /** 'service': a machine client's account (no login, API keys only). */
  kind: ColumnType<'person' | 'service', 'person' | 'service' | undefined, 'person' | 'service'>;
  created_at: Timestamp;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  client: 'web' | 'app';
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date;
}

export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  prefix: string;
  key_hash: string;
  user_id: number;
  /** What the key may do: a subset of its service account's role. */
  permissions: ColumnType<string[], string[] | undefined, string[]>;
  created_by: number | null;
  created_at: Timestamp;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  request_id: string | null;
  outcome: ColumnType<'ok' | 'denied' | 'failed', 'ok' | 'denied' | 'failed' | undefined>;
  details: ColumnType<unknown, string | undefined, string>;
}

/** Answers to keyed POSTs (Idempotency-Key), kept for retries: a platform concern. */
export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  fingerprint: string;
  claimed_at: Timestamp;
  completed_at: Date | null;
  status_code: number | null;
  content_type: string | null;
  response_body: string | null;
  expires_at: Date;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

/**
 * Every table. The platform's own (core) tables are listed here; each module declares its own
 * in `src/modules/<module>/tables.ts`, and `src/database.ts`, above the modules, adds them to
 * this interface, so that the platform knows no module (the migrations remain the source of
 * truth).
 */
export interface Database {
  divisions: DivisionsTable;
  departments: DepartmentsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  schema_migrations: SchemaMigrationsTable;
  idempotency_keys: IdempotencyKeysTable;
  jobs: JobsTable;
}
