export {
  COLLECTION_TYPES,
  CONFIRMED_FRAUD,
  type CollectionType,
  type DutyDay,
  type DutyShift,
  dutyDayKey,
  dutyMinutesByDay,
  PATROL_COVERAGE,
  type PatrolCoverage,
  type PatrolCoverageInput,
  patrolCoverage,
  withPatrolCoverage,
  workingDaysOf,
} from './collection.js';
export * from './evaluate.js';
export type { CaseView } from './facts.js';
export { HANDLED_STATES, HANDLING_STEPS, OUTCOME_INDICATORS } from './outcome.js';
export * from './ranking.js';
export { PUBLIC_SOURCES } from './region.js';
export * from './scheme.js';
export * from './schemes.js';
export * from './statistics.js';
export type { IndicatorDef } from './tally.js';
export * from './types.js';
