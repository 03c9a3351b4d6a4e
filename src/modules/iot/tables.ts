import type { ColumnType, Generated } from 'kysely';
import type { AlarmKind, Readings, Thresholds } from '../../domain/iot/readings.js';
import type { Timestamp } from '../../platform/db/schema.js';

type Json<T> = ColumnType<T, string | undefined, string>;

/** migrations/0039_iot.sql */
export interface IotDeviceTypesTable {
  code: string;
  name: string;
  thresholds: Json<Thresholds>;
  updated_by: number | null;
  updated_at: Timestamp;
}

export interface IotDevicesTable {
  id: string;
  type_code: string;
  model: string | null;
  component_id: string;
  installed_on: ColumnType<string | null, string | null | undefined, string | null>;
  report_period_seconds: ColumnType<number, number | undefined, number>;
  battery_pct: number | null;
  online: ColumnType<boolean, boolean | undefined, boolean>;
  last_seen_at: Date | null;
  readings: Json<Readings>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IotRawMessagesTable {
  id: Generated<string>;
  received_at: Timestamp;
  topic: string;
  payload: Uint8Array;
  format: 'json' | 'frame' | 'unknown';
  device_id: string | null;
  message_key: string | null;
  status: 'applied' | 'duplicate' | 'rejected';
  reason: string | null;
}

export interface IotMessageKeysTable {
  device_id: string;
  message_key: string;
  received_at: Timestamp;
}

export interface IotAlarmsTable {
  id: Generated<string>;
  device_id: string;
  component_id: string;
  kind: AlarmKind;
  value: number | null;
  raised_at: Date;
  restored_at: Date | null;
  case_id: number | null;
  task_id: string | null;
}

export interface IotMaintenanceTasksTable {
  id: Generated<string>;
  device_id: string;
  kind: 'offline' | 'low_battery';
  opened_at: Date;
  closed_at: Date | null;
  note: string | null;
}

export interface IotTables {
  iot_device_types: IotDeviceTypesTable;
  iot_devices: IotDevicesTable;
  iot_raw_messages: IotRawMessagesTable;
  iot_message_keys: IotMessageKeysTable;
  iot_alarms: IotAlarmsTable;
  iot_maintenance_tasks: IotMaintenanceTasksTable;
}
