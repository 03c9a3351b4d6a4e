/** The `jobs` table (migrations/0026_jobs.sql): a platform concern, like idempotency keys. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobsTable {
  id: string;
  kind: string;
  owner_id: number;
  actor: Json<unknown>;
  permission: string;
  params: Json<unknown>;
  state: Generated<JobState>;
  progress: Generated<number>;
  message: string | null;
  cancel_requested: Generated<boolean>;
  attempts: Generated<number>;
  locked_by: string | null;
  heartbeat_at: Date | null;
  result: Json<unknown> | null;
  error: Json<unknown> | null;
  file: Buffer | null;
  input: Buffer | null;
  file_name: string | null;
  file_ascii_name: string | null;
  file_type: string | null;
  created_at: Timestamp;
  started_at: Date | null;
  finished_at: Date | null;
  expires_at: Timestamp;
}
