/** Evaluation facts (migrations/0024_evaluation_facts.sql): a projection of the case event log. */
import type { ColumnType } from 'kysely';
import type { RunningState } from '../../../domain/evaluation/projection.js';

export interface EvalCaseFactsTable {
  case_id: ColumnType<string, string | number, string | number>;
  reported_at: Date;
  source: string;
  kind: string;
  category_id: number | null;
  category_code: string;
  area_class: string;
  grid_code: string;
  community_code: string;
  street_code: string;
  district_code: string;
  created_at: Date | null;
  creator_action: string | null;
  creator_id: string | null;
  creator_role: string | null;
  filed_at: Date | null;
  closed_at: Date | null;
  void_at: Date | null;
  merge_at: Date | null;
  decide_at: Date | null;
  check_fail_at: Date | null;
  late_handling_at: Date | null;
  last_seq: number;
  last_at: Date;
  state: string;
  running: ColumnType<RunningState, string, string>;
}

export interface EvalStepFactsTable {
  case_id: ColumnType<string, string | number, string | number>;
  seq: number;
  at: Date;
  until_at: ColumnType<Date, Date | string | undefined, Date | string>;
  action: string;
  actor_id: string | null;
  actor_role: string;
  from_state: string | null;
  to_state: string;
  dept: string | null;
  act_late: boolean;
  handling_late: boolean;
  clock_step: string | null;
  overdue_from: Date | null;
  undone_role: string | null;
  undone_actor: string | null;
}

export interface EvaluationFactTables {
  eval_case_facts: EvalCaseFactsTable;
  eval_step_facts: EvalStepFactsTable;
}
