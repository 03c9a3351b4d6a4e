import type { ColumnType, Generated } from 'kysely';
import type { CoverDefect, CoverType, EmergencyStep, RoadClass } from '../../domain/covers/emergency.js';
import type {
  InspectionFrequency,
  InspectionReason,
  InspectionResult,
} from '../../domain/covers/inspection.js';
import type { Timestamp } from '../../platform/db/schema.js';

/** migrations/0041_covers.sql */
export interface CoverLimitsTable {
  id: Generated<number>;
  owner_on_site_minutes: number;
  temporary_cover_hours: number;
  repair_hours: number;
  exception_repair_hours: number;
  check_hours: number;
  repeat_window_days: number;
  created_by: number | null;
  created_at: Timestamp;
}

export interface CoversTable {
  component_id: string;
  cover_type: CoverType;
  owner_department_code: string;
  maintainer_department_code: string | null;
  road_class: RoadClass;
  road_name: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CoverFlowsTable {
  id: ColumnType<string, never, never>;
  case_id: number;
  component_id: string;
  defect: CoverDefect;
  noticed_at: Date;
  limits_id: number;
  exception_reason: string | null;
  exception_at: Date | null;
  exception_by: number | null;
  barrier_due: Date;
  temporary_cover_due: Date;
  repair_due: Date;
  check_due: Date | null;
  barrier_at: Date | null;
  temporary_cover_at: Date | null;
  repair_at: Date | null;
  check_at: Date | null;
  opened_by: number | null;
  created_at: Timestamp;
}

export interface CoverFlowStepsTable {
  flow_id: string;
  step: EmergencyStep;
  at: Date;
  photos: string[];
  note: string | null;
  recorded_by: number | null;
  recorded_role: string;
  recorded_at: Timestamp;
}

export interface CoverInspectionPlansTable {
  id: Generated<number>;
  name: string;
  road_class: RoadClass;
  frequency: InspectionFrequency;
  weekday: number | null;
  storm_checks: boolean;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface CoverInspectionTasksTable {
  id: ColumnType<string, never, never>;
  plan_id: number;
  supervisor_id: number;
  due_on: ColumnType<string, string, string>;
  reason: InspectionReason;
  created_at: Timestamp;
}

export interface CoverInspectionResultsTable {
  task_id: string;
  component_id: string;
  result: InspectionResult;
  photos: string[];
  note: string | null;
  at: Timestamp;
}

export interface CoverTables {
  cover_inspection_plans: CoverInspectionPlansTable;
  cover_inspection_tasks: CoverInspectionTasksTable;
  cover_inspection_results: CoverInspectionResultsTable;
  cover_limits: CoverLimitsTable;
  covers: CoversTable;
  cover_flows: CoverFlowsTable;
  cover_flow_steps: CoverFlowStepsTable;
}
