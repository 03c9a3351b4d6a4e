import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../platform/db/schema.js';

type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface WebhookSubscriptionsTable {
  id: Generated<number>;
  name: string;
  url: string;
  secret: string;
  event_types: TextArray;
  district_codes: TextArray;
  category_codes: TextArray;
  max_attempts: ColumnType<number, number | undefined, number>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: number | null;
  created_at: Timestamp;
}

export type DeliveryState = 'pending' | 'delivered' | 'dead';

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  /** One of the two: a webhook subscription's delivery, or a notice rule's. */
  subscription_id: number | null;
  rule_id: number | null;
  case_id: number;
  event_id: string;
  state: ColumnType<DeliveryState, DeliveryState | undefined, DeliveryState>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  locked_until: Date | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Timestamp;
}

export type NotifyKind = 'wecom' | 'dingtalk' | 'sms';

export interface NotifyChannelsTable {
  id: Generated<number>;
  name: string;
  kind: NotifyKind;
  url: string | null;
  secret: string | null;
  phones: TextArray;
  event_types: TextArray;
  district_codes: TextArray;
  digest_department_id: number | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface NotifyRulesTable {
  id: Generated<number>;
  name: string;
  channel_id: number;
  event_types: TextArray;
  district_codes: TextArray;
  category_codes: TextArray;
  urgencies: TextArray;
  sources: TextArray;
  recipients: TextArray;
  max_attempts: ColumnType<number, number | undefined, number>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: number | null;
  created_at: Timestamp;
}

export interface NotifyLogTable {
  id: Generated<string>;
  channel_id: number | null;
  kind: string;
  subject: string;
  body: string;
  outcome: 'sent' | 'failed' | 'logged';
  error: string | null;
  at: Timestamp;
}

export interface OutboundTables {
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  notify_channels: NotifyChannelsTable;
  notify_rules: NotifyRulesTable;
  notify_log: NotifyLogTable;
}
