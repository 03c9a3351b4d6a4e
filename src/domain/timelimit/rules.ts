/**
 * Clock rules a city sets: which working calendar each time-limit step runs on, and when the
 * department's clock starts.
 *
 * Department clock (GB/T 30428.8): the department's time runs from 派遣 (dispatch). 签收 (sign)
 * has its own limit, and signing late is a late step of the department like any other; it
 * must not also hand the department back the time it took to sign. So with `dispatch` (the
 * default) the 处置 step that follows a 签收 counts from the instant the case was dispatched to
 * the department, i.e. from the start of that 签收 step. With `sign` the 处置 step counts from
 * signing (the older practice some cities keep). A 处置 step that follows anything else (返工
 * after a failed check, 恢复 after a suspension) is not affected.
 */
import type { ClockStep } from '../workflow/states.js';

export const DEPARTMENT_CLOCK_STARTS = ['dispatch', 'sign'] as const;
export type DepartmentClockStart = (typeof DEPARTMENT_CLOCK_STARTS)[number];

export interface ClockRules {
  departmentClockFrom: DepartmentClockStart;
  /** Working calendar id of every step. */
  stepCalendars: Record<ClockStep, string>;
}

/** The centre's duty calendar: 08:00–21:00 every day, holidays included. */
export const CENTRE_CALENDAR_ID = 'centre';
/** Supervisors' patrol calendar (核实 / 核查 on site): 08:00–21:00 every day. */
export const SUPERVISION_CALENDAR_ID = 'supervision';
/** Office hours with public holidays and 调休: the departments' calendar. */
export const OFFICE_CALENDAR_ID = 'office';

/**
 * Who works each step, and so its default calendar: the centre supervises 08:00–21:00 every
 * day (受理, 立案, 派遣, 核查派发, 结案), supervisors verify and check on site on their patrol
 * schedule, and departments (认领, 签收, 处置) work office hours.
 */
export const DEFAULT_STEP_CALENDARS: Readonly<Record<ClockStep, string>> = {
  intake: CENTRE_CALENDAR_ID,
  verify: SUPERVISION_CALENDAR_ID,
  file: CENTRE_CALENDAR_ID,
  dispatch: CENTRE_CALENDAR_ID,
  claim: OFFICE_CALENDAR_ID,
  sign: OFFICE_CALENDAR_ID,
  handle: OFFICE_CALENDAR_ID,
  request_check: CENTRE_CALENDAR_ID,
  check: SUPERVISION_CALENDAR_ID,
  close: CENTRE_CALENDAR_ID,
};

export const DEFAULT_CLOCK_RULES: ClockRules = {
  departmentClockFrom: 'dispatch',
  stepCalendars: { ...DEFAULT_STEP_CALENDARS },
};

/** The step that ran just before, as the clock knew it when it stopped. */
export interface PreviousStep {
  step: ClockStep;
  startedAt: Date;
}

/**
 * When a step starting at `now` counts from. Only a 处置 step that directly follows a 签收 step
 * under the `dispatch` rule counts from earlier: from that 签收 step's start (the dispatch).
 */
export function stepClockStart(
  rule: DepartmentClockStart,
  step: ClockStep,
  previous: PreviousStep | null,
  now: Date,
): Date {
  if (rule === 'dispatch' && step === 'handle' && previous?.step === 'sign' && previous.startedAt <= now) {
    return previous.startedAt;
  }
  return now;
}
