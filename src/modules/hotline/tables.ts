/** Kysely types of the 12345 hotline tables (migrations/0037_hotline.sql). */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../platform/db/schema.js';

export const APPEAL_TYPES = ['咨询', '求助', '投诉', '举报', '建议'] as const;
export type AppealType = (typeof APPEAL_TYPES)[number];
export const HOTLINE_URGENCIES = ['一般', '紧急', '特急'] as const;
export type HotlineUrgency = (typeof HOTLINE_URGENCIES)[number];
/** 办理结果 sent back to 12345 (banliResult_12345: 0 解决 / 1 未解决 / 2 部分解决 / 3 不办理退单). */
export const HOTLINE_RESULTS = ['解决', '未解决', '部分解决', '不办理退单'] as const;
export type HotlineResult = (typeof HOTLINE_RESULTS)[number];
/** 回访 满意度 (publicSatisfaction: 0 不满意 / 1 理解 / 2 满意 / 3 非常满意). */
export const SATISFACTIONS = ['不满意', '理解', '满意', '非常满意'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];
export const ORDER_STATUSES = ['received', 'signed', 'returned', 'replied', 'reopened', 'finished'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const LIMIT_STEPS = ['sign', 'return', 'reply'] as const;
export type LimitStep = (typeof LIMIT_STEPS)[number];
export const OUTBOX_KINDS = ['sign', 'return', 'extension', 'reply'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

type Json = ColumnType<unknown, string, string>;

export interface HotlineSystemsTable {
  id: Generated<number>;
  code: string;
  name: string;
  service_user_id: number;
  base_url: string | null;
  outbound_token: string | null;
  default_category_kind: 'component' | 'event';
  default_category_code: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface HotlineLimitRulesTable {
  id: Generated<number>;
  system_id: number;
  appeal_type: AppealType | '*';
  step: LimitStep;
  amount: ColumnType<string, number | string, number | string>;
  unit: 'working_hours' | 'working_days' | 'calendar_hours' | 'minutes';
  calendar_id: string;
  updated_at: Timestamp;
}

export interface HotlineOrdersTable {
  id: Generated<number>;
  system_id: number;
  order_no: string;
  case_id: number | null;
  accepted_at: ColumnType<Date, Date | string, Date | string>;
  appeal_type: AppealType;
  appellant_name: string | null;
  appellant_phone: string | null;
  content: string;
  address: string;
  organizer: string | null;
  hotline_due_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  urgency: HotlineUrgency;
  attachments: Json;
  status: ColumnType<OrderStatus, OrderStatus | undefined, OrderStatus>;
  sign_due_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  return_due_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  reply_due_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  signed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  returned_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  return_reason: string | null;
  extension_asked: ColumnType<unknown, string | null | undefined, string | null>;
  replied_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  result: HotlineResult | null;
  public_reply: string | null;
  satisfaction: Satisfaction | null;
  round: ColumnType<number, number | undefined, number>;
  received_at: Timestamp;
}

export interface HotlineVisitsTable {
  order_id: number;
  visit_id: string;
  satisfaction: Satisfaction;
  comment: string | null;
  visited_at: ColumnType<Date, Date | string, Date | string>;
  round: number;
  reopened: boolean;
  received_at: Timestamp;
}

export interface HotlineOutboxTable {
  id: Generated<string>;
  system_id: number;
  order_id: number;
  kind: OutboxKind;
  payload: Json;
  idempotency_key: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  sent_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  last_status: number | null;
  last_error: string | null;
  created_at: Timestamp;
}

export interface HotlineTables {
  hotline_systems: HotlineSystemsTable;
  hotline_limit_rules: HotlineLimitRulesTable;
  hotline_orders: HotlineOrdersTable;
  hotline_visits: HotlineVisitsTable;
  hotline_outbox: HotlineOutboxTable;
}
