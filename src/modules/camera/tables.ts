/** Kysely types of the camera tables (migrations/0038_camera.sql). */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../platform/db/schema.js';

export const CAMERA_EVENT_STATUSES = ['filed', 'merged', 'review', 'accepted', 'rejected'] as const;
export type CameraEventStatus = (typeof CAMERA_EVENT_STATUSES)[number];

export interface CamerasTable {
  device_id: string;
  name: string;
  lng: number;
  lat: number;
  view: string | null;
  district_code: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: Timestamp;
}

export interface CameraEventMappingsTable {
  id: Generated<number>;
  vendor: string;
  event_code: string;
  label: string;
  category_id: number;
  min_confidence: ColumnType<string, number | string, number | string>;
  merge_radius_m: ColumnType<number, number | undefined, number>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: Timestamp;
}

export interface CameraEventsTable {
  id: Generated<string>;
  source_user_id: number;
  event_key: string;
  device_id: string;
  vendor: string;
  event_code: string;
  mapping_id: number;
  occurred_at: ColumnType<Date, Date | string, Date | string>;
  confidence: ColumnType<string, number | string, number | string>;
  lng: number;
  lat: number;
  snapshot: string | null;
  status: CameraEventStatus;
  case_id: number | null;
  reviewed_by: number | null;
  reviewed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  received_at: Timestamp;
}

export interface CameraTables {
  cameras: CamerasTable;
  camera_event_mappings: CameraEventMappingsTable;
  camera_events: CameraEventsTable;
}
