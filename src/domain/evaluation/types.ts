/**
 * Input contract of the evaluation (综合评价, domain.md §5) and the shape of its figures.
 *
 * The store feeds one `EvaluationCase` per `cases` row with its `case_events` rows in `seq`
 * order (migrations/0008_cases.sql). The payload fields read here are the ones the case module
 * already writes (modules/cases/advance.ts), so the store passes `payload` through unchanged:
 *
 * - `steps`: one entry per time-limit step the event STOPPED: `{ step, deadline, late }`, where
 *   `late` is `at > deadline` with suspensions (挂账) and extensions (延期) already applied, so
 *   the evaluation never redoes working-time arithmetic. A stopped step without a limit has
 *   `deadline: null, late: false` and counts as on time; a missing entry counts as on time too.
 * - `clock`: the step running AFTER the event: `{ step, stepNo, deadline }`; absent when no
 *   step runs. While a case is suspended its deadline is null (the clock is stopped), so a
 *   suspended case is never overdue. Used to find steps still running and overdue at the end
 *   of a period (超期未处置 …).
 * - `department: { code }` on `dispatch` / `settle_ownership`: the receiving department.
 *
 * `departmentCode` on an event is optional: the department the case is assigned to when the
 * event happens (for dispatch / settle_ownership the receiving one, for return_approve the one
 * giving it back). When absent it is derived from `payload.department` of the latest dispatch.
 */
import type { CaseAction, CaseState, ClockStep, Label } from '../workflow/states.js';

export type AreaClass = 'A' | 'B' | 'C';

export interface StepOutcome {
  readonly step: ClockStep;
  readonly deadline: string | null;
  readonly late: boolean;
}

export interface EvaluationPayload {
  readonly steps?: readonly StepOutcome[];
  readonly clock?: { readonly step: ClockStep; readonly stepNo?: number; readonly deadline: string | null };
  readonly department?: { readonly code: string; readonly name?: string };
  readonly [key: string]: unknown;
}

export interface EvaluationEvent {
  readonly seq: number;
  readonly action: CaseAction;
  /** users.id as a string; null for the system (sweeper). */
  readonly actorId: string | null;
  readonly actorRole: string;
  readonly departmentCode?: string | null;
  readonly fromState: CaseState | null;
  readonly toState: CaseState;
  readonly at: Date;
  readonly payload: EvaluationPayload;
}

export interface EvaluationCase {
  readonly id: string;
  readonly caseNumber: string;
  readonly reportedAt: Date;
  /** cases.source: supervisor, public, hotline_12345, video_ai, iot, leader, media. */
  readonly source: string;
  readonly kind: 'component' | 'event';
  /** Category code (大类 + 小类 …); filters match by prefix. */
  readonly categoryCode: string;
  readonly areaClass: AreaClass;
  readonly gridCode: string;
  readonly communityCode: string;
  readonly streetCode: string;
  readonly districtCode: string;
  readonly reporterId?: string | null;
  readonly reporterRole?: string | null;
  /** In `seq` order (the evaluation sorts again to be safe). */
  readonly events: readonly EvaluationEvent[];
}

/** Hours of the local day, [fromHour, toHour); fromHour > toHour wraps past midnight. */
export interface TimeSlot {
  readonly fromHour: number;
  readonly toHour: number;
}

/** Case filters; an empty or missing list means "all". */
export interface EvaluationFilters {
  readonly categories?: readonly string[];
  readonly areaClasses?: readonly AreaClass[];
  readonly sources?: readonly string[];
  readonly kinds?: readonly ('component' | 'event')[];
  /** Matched against the case's report time (reportedAt) in local time. */
  readonly timeSlots?: readonly TimeSlot[];
}

export interface EvaluationQuery {
  /** The period [from, to). */
  readonly from: Date;
  readonly to: Date;
  readonly filters?: EvaluationFilters;
  /** Local time for time slots; default +08:00. */
  readonly utcOffsetMinutes?: number;
  /** The grids each supervisor is responsible for (漏报率, unattended 核实 / 核查 tasks). */
  readonly supervisorGrids?: Readonly<Record<string, readonly string[]>>;
  /** Department code → parent department code: a unit's cases also count for its parents. */
  readonly departmentParents?: Readonly<Record<string, string>>;
  /**
   * Supervisor id → his outsourced collection team (信息采集外包) and its company: the members
   * whose work counts for `collection_team` / `collection_company` subjects.
   */
  readonly collectionTeams?: Readonly<Record<string, CollectionMembership>>;
  /**
   * Every subject in the reader's scope, per type: each is listed in the results even with no
   * case in the period (its figures empty), so an idle grid or department is seen, not missing.
   * Subjects with cases are listed whether or not they are named here.
   */
  readonly subjects?: Readonly<Partial<Record<SubjectType, readonly string[]>>>;
}

export interface CollectionMembership {
  readonly team: string;
  readonly company: string;
}

export const SUBJECT_TYPES = [
  'department',
  'supervisor',
  'intake',
  'shift_leader',
  'dispatcher',
  'grid',
  'community',
  'street',
  'district',
  'collection_team',
  'collection_company',
  // The district's 数字城管中心 as a whole (its 受理, 立案, 派遣, 结案 and 督办); id = district code.
  'center',
] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/**
 * One explainable number. For a rate, value = numerator / denominator (null when the
 * denominator is empty: nothing to judge). For a count, value = numerator = denominator and the
 * two lists are the same. The lengths of the lists always equal numerator and denominator.
 */
export interface Figure {
  readonly kind: 'count' | 'rate';
  readonly value: number | null;
  readonly numerator: number;
  readonly denominator: number;
  readonly caseIds: { readonly numerator: readonly string[]; readonly denominator: readonly string[] };
}

export interface SubjectResult {
  readonly subjectType: SubjectType;
  readonly subjectId: string;
  readonly indicators: Readonly<Record<string, Figure>>;
}

export interface IndicatorInfo {
  readonly key: string;
  readonly kind: 'count' | 'rate';
  readonly label: Label;
  /** Higher is better (false for 返工率, 漏报率 …; a scheme then uses one_minus_rate). */
  readonly higherIsBetter: boolean;
}
