import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../platform/db/schema.js';

export type DisputeStatus = 'open' | 'settled' | 'cancelled';
export type ClaimResponse = 'pending' | 'claimed' | 'declined';

/** migrations/0011_collab.sql */
export interface OwnershipDisputesTable {
  id: Generated<number>;
  case_id: number;
  status: ColumnType<DisputeStatus, DisputeStatus | undefined, DisputeStatus>;
  reason: string;
  claim_deadline: Date;
  opened_by: number | null;
  opened_at: Timestamp;
  decision_mode: 'online' | 'joint_meeting' | null;
  decided_department_id: number | null;
  decision_reason: string | null;
  meeting_held_on: string | null;
  meeting_minutes: string | null;
  meeting_attachments: string[] | null;
  responsibility_rule_id: number | null;
  decided_by: number | null;
  decided_at: Date | null;
  closed_at: Date | null;
}

export interface OwnershipClaimsTable {
  dispute_id: number;
  department_id: number;
  response: ColumnType<ClaimResponse, ClaimResponse | undefined, ClaimResponse>;
  reason: string | null;
  responded_by: number | null;
  responded_at: Date | null;
}

export interface CollabTables {
  ownership_disputes: OwnershipDisputesTable;
  ownership_claims: OwnershipClaimsTable;
}
