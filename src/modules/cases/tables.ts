import type { ColumnType, Generated } from 'kysely';
import type { Geometry, Timestamp } from '../../platform/db/schema.js';

type Json<T> = ColumnType<T, string | undefined, string>;

export interface MediaTable {
  sha256: string;
  content_type: 'image/jpeg' | 'image/png' | 'image/webp';
  size_bytes: number;
  uploaded_by: number | null;
  created_at: Timestamp;
}

export interface CaseNumberCountersTable {
  district_code: string;
  day: string;
  kind: 'component' | 'event';
  last_seq: number;
}

export interface StoredSegment {
  from: string;
  to: string | null;
}
export interface StoredLimit {
  amount: number;
  unit: 'working_hours' | 'working_days' | 'calendar_hours' | 'minutes';
  /** Of a step's limit: the urgency level whose limit the standards table gave (fallback applied). */
  urgency?: 'normal' | 'urgent' | 'emergency';
  /** Of a 处置 step counted from the dispatch rather than from signing (GB/T 30428.8). */
  countedFrom?: 'dispatch';
}

export interface CasesTable {
  id: Generated<number>;
  number: string;
  source: string;
  kind: 'component' | 'event';
  category_id: number;
  standard_version_id: number | null;
  component_code: string | null;
  grid_code: string;
  community_code: string;
  street_code: string;
  district_code: string;
  area_class: 'A' | 'B' | 'C';
  location: Geometry;
  address: string;
  description: string;
  urgency: ColumnType<string, string | undefined, string>;
  reporter_name: string | null;
  reporter_phone: string | null;
  reported_by: number | null;
  reporter_role: string;
  state: string;
  pending_kind: string | null;
  pending_role: string | null;
  pending_payload: ColumnType<unknown, string | null | undefined, string | null>;
  department_id: number | null;
  handler_id: number | null;
  merged_into_id: number | null;
  step: string | null;
  step_no: ColumnType<number, number | undefined, number>;
  step_started_at: Date | null;
  step_limit: ColumnType<StoredLimit | null, string | null | undefined, string | null>;
  step_calendar_id: string | null;
  step_suspensions: Json<StoredSegment[]>;
  step_extensions: Json<StoredLimit[]>;
  step_yellow_at: Date | null;
  step_deadline: Date | null;
  light: 'green' | 'yellow' | 'red' | null;
  counters: Json<Record<string, number>>;
  last_seq: ColumnType<number, number | undefined, number>;
  version: ColumnType<number, number | undefined, number>;
  reported_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Date | null;
}

export interface CasePhotosTable {
  case_id: number;
  sha256: string;
  phase: 'before' | 'after';
  event_seq: number;
}

export interface CaseEventsTable {
  id: Generated<number>;
  case_id: number;
  seq: number;
  action: string;
  actor_id: number | null;
  actor_role: string;
  from_state: string | null;
  to_state: string;
  reason: string | null;
  payload: Json<Record<string, unknown>>;
  at: Timestamp;
}

export interface WorkingCalendarsTable {
  id: string;
  name: string;
  utc_offset_minutes: number;
  weekly_hours: Json<Record<string, Array<[number, number]>>>;
  makeup_hours: ColumnType<Array<[number, number]> | null, string | null | undefined, string | null>;
  updated_at: Timestamp;
}

/** Append-only clock rules (migration 0021): the latest row is in force. */
export interface ClockRulesTable {
  id: Generated<number>;
  department_clock_from: 'dispatch' | 'sign';
  step_calendars: Json<Record<string, string>>;
  note: string | null;
  created_by: number | null;
  created_at: Timestamp;
}

export interface CalendarDaysTable {
  calendar_id: string;
  day: string;
  kind: 'holiday' | 'makeup';
  note: string | null;
}

/** Tables of the cases, media and calendar modules (migrations 0008, 0009), with dispatch and collab (0010, 0011). */
export interface CaseTables {
  media: MediaTable;
  case_number_counters: CaseNumberCountersTable;
  cases: CasesTable;
  case_photos: CasePhotosTable;
  case_events: CaseEventsTable;
  working_calendars: WorkingCalendarsTable;
  calendar_days: CalendarDaysTable;
  clock_rules: ClockRulesTable;
}
