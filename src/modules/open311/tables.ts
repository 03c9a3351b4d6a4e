import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../platform/db/schema.js';

type TextArray = ColumnType<string[], string[] | undefined, string[]>;
type Json<T> = ColumnType<T, string | undefined, string>;

export const DATATYPES = [
  'string',
  'number',
  'datetime',
  'text',
  'singlevaluelist',
  'multivaluelist',
] as const;
export type Datatype = (typeof DATATYPES)[number];

export const EXTENDED_STATUSES = [
  'OPEN',
  'CLOSED',
  'FIXED',
  'IN_PROGRESS',
  'ACTION_SCHEDULED',
  'INVESTIGATING',
  'DUPLICATE',
  'NOT_COUNCILS_RESPONSIBILITY',
  'NO_FURTHER_ACTION',
  'INTERNAL_REFERRAL',
] as const;
export type ExtendedStatus = (typeof EXTENDED_STATUSES)[number];

export interface Choice {
  key: string;
  name: string;
}

export interface Open311ClientsTable {
  id: Generated<number>;
  api_key_id: number;
  name: string;
  rate_limit_per_minute: ColumnType<number, number | undefined, number>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: number | null;
  created_at: Timestamp;
}

export interface Open311ServicesTable {
  category_id: number;
  keywords: TextArray;
  description: string | null;
  hidden: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: Timestamp;
}

export interface Open311AttributesTable {
  id: Generated<number>;
  category_id: number;
  code: string;
  variable: ColumnType<boolean, boolean | undefined, boolean>;
  datatype: Datatype;
  required: ColumnType<boolean, boolean | undefined, boolean>;
  datatype_description: string | null;
  position: ColumnType<number, number | undefined, number>;
  description: string;
  choices: Json<Choice[]>;
  updated_at: Timestamp;
}

export interface Open311StatusMapTable {
  state: string;
  status: 'open' | 'closed';
  extended: ExtendedStatus;
  notes: string | null;
  updated_by: number | null;
  updated_at: Timestamp;
}

export interface Open311RequestsTable {
  token: string;
  client_id: number;
  external_id: string | null;
  fingerprint: string;
  case_id: number;
  service_code: string;
  attributes: Json<Record<string, string | string[]>>;
  media_url: string | null;
  contact: Json<Record<string, string>>;
  created_at: Timestamp;
}

export interface Open311UpdatesTable {
  id: Generated<string>;
  client_id: number;
  update_id: string;
  case_id: number;
  status: string;
  description: string;
  media_url: string | null;
  contact: Json<Record<string, string>>;
  updated_at: Date;
  received_at: Timestamp;
}

export interface Open311Tables {
  open311_clients: Open311ClientsTable;
  open311_services: Open311ServicesTable;
  open311_attributes: Open311AttributesTable;
  open311_status_map: Open311StatusMapTable;
  open311_requests: Open311RequestsTable;
  open311_updates: Open311UpdatesTable;
}
