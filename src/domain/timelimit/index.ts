/** Pure working-time arithmetic: calendars, deadlines, the case clock and traffic lights. */
export {
  CHINA_UTC_OFFSET_MINUTES,
  civilOf,
  dayNumberOf,
  formatLocalDate,
  type LocalDate,
  localDateOf,
  OFFICE_PERIODS,
  type Period,
  parseLocalDate,
  SUPERVISION_PERIODS,
  standardOfficeCalendar,
  supervisionCalendar,
  type Weekday,
  type WorkingCalendar,
  weekdayOf,
} from './calendar.js';
export {
  basisOf,
  type ClockBasis,
  type ClockSegment,
  deadlineFor,
  effectiveDeadline,
  elapsedMinutes,
  elapsedWorkingMinutes,
  LIMIT_UNITS,
  type Light,
  type LightStatus,
  type LimitUnit,
  lightOf,
  limitMinutes,
  type TimeLimit,
  trafficLight,
  YELLOW_FROM,
} from './clock.js';
export { type CalendarProblem, type CalendarProblemCode, validateCalendar } from './validate.js';
export {
  addWorkingMinutes,
  isWorkingInstant,
  nextWorkingInstant,
  workingDayMinutes,
  workingMinutesBetween,
} from './working-time.js';
