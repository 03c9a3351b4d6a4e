/**
 * Entry point: the indicators of every subject of a type over a period, from the event log.
 * Pure and deterministic (subjects and case ids sorted), so recomputing gives the same result.
 */
import {
  DISPATCHER_INDICATORS,
  dispatcherResults,
  INTAKE_INDICATORS,
  intakeResults,
  SHIFT_LEADER_INDICATORS,
  shiftLeaderResults,
} from './center.js';
import { COLLECTION_INDICATORS, collectionResults } from './collection.js';
import { DEPARTMENT_INDICATORS, departmentResults } from './department.js';
import { CENTER_INDICATORS, centerResults } from './district-center.js';
import { type CaseView, viewsOf } from './facts.js';
import { REGION_INDICATORS, regionResults } from './region.js';
import { SUPERVISOR_INDICATORS, supervisorResults } from './supervisor.js';
import { byId, type IndicatorDef, infoOf, Tally } from './tally.js';
import {
  type EvaluationCase,
  type EvaluationQuery,
  type IndicatorInfo,
  SUBJECT_TYPES,
  type SubjectResult,
  type SubjectType,
} from './types.js';

const DEFS: Record<SubjectType, readonly IndicatorDef[]> = {
  department: DEPARTMENT_INDICATORS,
  supervisor: SUPERVISOR_INDICATORS,
  intake: INTAKE_INDICATORS,
  shift_leader: SHIFT_LEADER_INDICATORS,
  dispatcher: DISPATCHER_INDICATORS,
  grid: REGION_INDICATORS,
  community: REGION_INDICATORS,
  street: REGION_INDICATORS,
  district: REGION_INDICATORS,
  collection_team: COLLECTION_INDICATORS,
  collection_company: COLLECTION_INDICATORS,
  center: CENTER_INDICATORS,
};

/** The indicators of a subject type as the sets they count (for stores that count the sets themselves). */
export function indicatorDefsOf(type: SubjectType): readonly IndicatorDef[] {
  return DEFS[type];
}

/** The indicator catalogue of a subject type (keys, labels, direction). */
export function indicatorsOf(type: SubjectType): IndicatorInfo[] {
  return DEFS[type].map(infoOf);
}

export class EvaluationRangeError extends Error {}

function resultsOf(views: readonly CaseView[], q: EvaluationQuery, type: SubjectType): SubjectResult[] {
  switch (type) {
    case 'department':
      return departmentResults(views, q);
    case 'supervisor':
      return supervisorResults(views, q);
    case 'intake':
      return intakeResults(views, q);
    case 'shift_leader':
      return shiftLeaderResults(views, q);
    case 'dispatcher':
      return dispatcherResults(views, q);
    case 'grid':
    case 'community':
    case 'street':
    case 'district':
      return regionResults(views, q, type);
    case 'collection_team':
    case 'collection_company':
      return collectionResults(views, q, type);
    case 'center':
      return centerResults(views, q);
  }
}

/**
 * The results of a type with every subject of `q.subjects` listed: one with no case in the
 * period gets empty figures (counts 0, rates with nothing to judge), so it is seen, not missing.
 */
function withEverySubject(results: SubjectResult[], q: EvaluationQuery, type: SubjectType): SubjectResult[] {
  const listed = new Set(results.map((r) => r.subjectId));
  const blank = new Tally();
  for (const id of q.subjects?.[type] ?? []) if (!listed.has(id)) blank.touch(id);
  if (blank.subjects().length === 0) return results;
  return [...results, ...blank.results(type, DEFS[type])].sort((a, b) => byId(a.subjectId, b.subjectId));
}

function checkQuery(q: EvaluationQuery): void {
  if (Number.isNaN(q.from.getTime()) || Number.isNaN(q.to.getTime()) || q.from.getTime() >= q.to.getTime()) {
    throw new EvaluationRangeError('evaluation period must be [from, to) with from < to');
  }
}

/** The indicators of every subject of `type` that has something in the period or is in `q.subjects`. */
export function evaluate(
  cases: readonly EvaluationCase[],
  q: EvaluationQuery,
  type: SubjectType,
): SubjectResult[] {
  checkQuery(q);
  return withEverySubject(resultsOf(viewsOf(cases, q), q, type), q, type);
}

/**
 * Several subject types at once (the case log is read once); all of them by default. Types not
 * asked for are left out of the answer, so a one-type evaluation does one type's work.
 */
export function evaluateAll(
  cases: readonly EvaluationCase[],
  q: EvaluationQuery,
  types: readonly SubjectType[] = SUBJECT_TYPES,
): Record<SubjectType, SubjectResult[]> {
  checkQuery(q);
  const views = viewsOf(cases, q);
  const out = {} as Record<SubjectType, SubjectResult[]>;
  for (const type of types) out[type] = withEverySubject(resultsOf(views, q, type), q, type);
  return out;
}
