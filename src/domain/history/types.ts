/**
 * Output of the history generator: plain data the store inserts as `cases` + `case_events`
 * rows (migrations/0008_cases.sql). Payload fields follow what modules/cases/advance.ts writes
 * (`steps`, `clock`, `counters`, `department`), so the evaluation reads generated and real
 * histories the same way.
 */
import type { Role } from '../access/permissions.js';
import type { Urgency } from '../catalog/defaults.js';
import type { CaseAction, CaseState, ClockStep, Counter } from '../workflow/states.js';

export const HISTORY_SOURCES = [
  'supervisor',
  'hotline_12345',
  'public',
  'video_ai',
  'iot',
  'leader',
  'media',
] as const;
export type HistorySource = (typeof HISTORY_SOURCES)[number];

export interface HistoryCaseRecord {
  /** A valid 案卷号: district-YYYYMMDD-(C|E)-NNNN (local report day, per district/day/kind). */
  readonly caseKey: string;
  readonly reportedAt: Date;
  readonly source: HistorySource;
  readonly kind: 'component' | 'event';
  /** Minor class code, 4 digits (大类 + 小类, GB/T 30428.2). */
  readonly categoryCode: string;
  readonly gridCode: string;
  readonly lng: number;
  readonly lat: number;
  readonly urgency: Urgency;
  /** Demo user who reported, when one exists for the role and place. */
  readonly reporterUsername?: string;
}

export interface StepOutcomeRecord {
  readonly step: ClockStep;
  readonly deadline: string | null;
  readonly late: boolean;
}

export interface HistoryPayload {
  /** Steps this event stopped, with their deadline and whether they ended late. */
  steps?: StepOutcomeRecord[];
  /** The step running after the event (deadline null while suspended). */
  clock?: { step: ClockStep; stepNo: number; deadline: string | null };
  counters?: Counter[];
  /** Receiving department of dispatch / settle_ownership. */
  department?: { code: string };
  /** Candidate departments of send_to_collaboration. */
  candidates?: string[];
  /** 理由 / 意见 of actions that need one (the store writes it to case_events.reason). */
  reason?: string;
  /** Number of after-photos of feedback / self_handle (photos themselves are not generated). */
  afterPhotos?: number;
  /** Requested or approved extension of the handling limit. */
  extension?: { amount: number; unit: 'working_hours' | 'working_days' | 'calendar_hours' };
  /** The candidate department that claims or declines at the collaboration platform. */
  candidate?: string;
  /** caseKey of the case a duplicate is merged into. */
  targetCaseKey?: string;
  /** Overdue marks: the step that ran out. */
  step?: ClockStep;
  stepNo?: number;
  deadline?: string | null;
}

export interface HistoryEvent {
  readonly action: CaseAction;
  readonly actorRole: Role;
  readonly actorUsername?: string;
  /** The department the case is assigned to at this event (the receiving one on dispatch). */
  readonly departmentCode?: string;
  readonly from: CaseState | null;
  readonly to: CaseState;
  readonly at: Date;
  readonly payload: HistoryPayload;
}

export interface HistoryCase {
  readonly case: HistoryCaseRecord;
  /** In order; timestamps never go backwards. */
  readonly events: HistoryEvent[];
}
