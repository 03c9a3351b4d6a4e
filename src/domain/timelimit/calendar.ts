/**
 * Working calendars: weekly office hours in local civil time of a fixed UTC offset, public
 * holidays and make-up workdays (调休). Pure data + date arithmetic; no timezone library.
 */

export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;
/** [start, end) as minute-of-day in local time, 0 ≤ start < end ≤ 1440. */
export type Period = [number, number];

export interface WorkingCalendar {
  id: string;
  /** Offset of local civil time from UTC in minutes; 480 for China (+08:00, no DST). */
  utcOffsetMinutes: number;
  /** weekday (0=Sunday … 6=Saturday) → working periods as minute-of-day [start, end), e.g. [[510, 720], [810, 1050]] for 08:30–12:00, 13:30–17:30 */
  weeklyHours: Record<Weekday, Array<[number, number]>>;
  /** 'YYYY-MM-DD' local dates that are public holidays (no work even on a weekday) */
  holidays: string[];
  /** 'YYYY-MM-DD' local dates that are make-up workdays (调休: work on a weekend day); their hours are `makeupHours` or, if absent, the Monday hours */
  makeupWorkdays: string[];
  makeupHours?: Array<[number, number]>;
}

export const CHINA_UTC_OFFSET_MINUTES = 480;
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
export const MINUTES_PER_DAY = 1440;

/** Chinese government office hours: 08:30–12:00, 13:30–17:30. */
export const OFFICE_PERIODS: ReadonlyArray<Period> = [
  [510, 720],
  [810, 1050],
];
/** The supervision (信息采集) schedule: 08:00–21:00. */
export const SUPERVISION_PERIODS: ReadonlyArray<Period> = [[480, 1260]];

const copy = (periods: ReadonlyArray<Period>): Array<[number, number]> => periods.map(([a, b]) => [a, b]);

/** Mon–Fri 08:30–12:00 + 13:30–17:30 at +08:00, with the given holidays and make-up workdays. */
export function standardOfficeCalendar(holidays: string[], makeupWorkdays: string[]): WorkingCalendar {
  return {
    id: 'standard-office',
    utcOffsetMinutes: CHINA_UTC_OFFSET_MINUTES,
    weeklyHours: {
      0: [],
      1: copy(OFFICE_PERIODS),
      2: copy(OFFICE_PERIODS),
      3: copy(OFFICE_PERIODS),
      4: copy(OFFICE_PERIODS),
      5: copy(OFFICE_PERIODS),
      6: [],
    },
    holidays: [...holidays],
    makeupWorkdays: [...makeupWorkdays],
  };
}

/** 08:00–21:00 every day, holidays included (supervisors patrol every day), at +08:00. */
export function supervisionCalendar(): WorkingCalendar {
  return {
    id: 'supervision',
    utcOffsetMinutes: CHINA_UTC_OFFSET_MINUTES,
    weeklyHours: {
      0: copy(SUPERVISION_PERIODS),
      1: copy(SUPERVISION_PERIODS),
      2: copy(SUPERVISION_PERIODS),
      3: copy(SUPERVISION_PERIODS),
      4: copy(SUPERVISION_PERIODS),
      5: copy(SUPERVISION_PERIODS),
      6: copy(SUPERVISION_PERIODS),
    },
    holidays: [],
    makeupWorkdays: [],
  };
}

/** The centre's duty hours (指挥中心值班): 08:00–21:00 every day, holidays included, at +08:00. */
export function centreCalendar(): WorkingCalendar {
  return { ...supervisionCalendar(), id: 'centre' };
}

// ---------------------------------------------------------------------------------------------
// Local dates as day numbers (days since 1970-01-01), proleptic Gregorian, pure arithmetic.

export interface LocalDate {
  year: number;
  month: number;
  day: number;
  /** Days since 1970-01-01 (negative before). */
  dayNumber: number;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function dayNumberOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of {@link dayNumberOf}. */
export function civilOf(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** 0=Sunday … 6=Saturday; 1970-01-01 was a Thursday. */
export function weekdayOf(dayNumber: number): Weekday {
  return ((((dayNumber + 4) % 7) + 7) % 7) as Weekday;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Parses a strict 'YYYY-MM-DD' calendar date; null if malformed or not a real date (2026-02-29). */
export function parseLocalDate(text: string): LocalDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day, dayNumber: dayNumberOf(year, month, day) };
}

export function formatLocalDate(dayNumber: number): string {
  const { year, month, day } = civilOf(dayNumber);
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** The local civil date ('YYYY-MM-DD') of instant `t` in the calendar's offset. */
export function localDateOf(cal: WorkingCalendar, t: Date): string {
  return formatLocalDate(Math.floor((t.getTime() + cal.utcOffsetMinutes * MINUTE_MS) / DAY_MS));
}

// ---------------------------------------------------------------------------------------------
// Prepared form used by the arithmetic: periods in ms-of-day, sorted, clamped and merged.

/** Periods in milliseconds from local midnight, sorted, disjoint and non-adjacent. */
export type MsPeriods = ReadonlyArray<readonly [number, number]>;

export interface PreparedCalendar {
  offsetMs: number;
  weekly: readonly MsPeriods[];
  makeup: MsPeriods;
  holidays: ReadonlySet<number>;
  makeupDays: ReadonlySet<number>;
  /** True if some weekday has working time (then work recurs forever). */
  weeklyWork: boolean;
  /** Last make-up day that actually has working time; -Infinity if none. */
  lastMakeupDay: number;
}

/** Sorts, clamps to the day and merges overlapping or touching periods (validateCalendar reports them). */
export function normalizePeriods(periods: ReadonlyArray<readonly [number, number]>): MsPeriods {
  const clamped = periods
    .map(([a, b]): [number, number] => [Math.max(0, a), Math.min(MINUTES_PER_DAY, b)])
    .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b) && a < b)
    .sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [a, b] of clamped) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged.map(([a, b]) => [Math.round(a * MINUTE_MS), Math.round(b * MINUTE_MS)] as const);
}

function dateSet(dates: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const d of dates) {
    const parsed = parseLocalDate(d);
    if (parsed) out.add(parsed.dayNumber);
  }
  return out;
}

export function prepareCalendar(cal: WorkingCalendar): PreparedCalendar {
  const weekly = ([0, 1, 2, 3, 4, 5, 6] as const).map((d) => normalizePeriods(cal.weeklyHours[d] ?? []));
  const makeup = normalizePeriods(cal.makeupHours ?? cal.weeklyHours[1] ?? []);
  const holidays = dateSet(cal.holidays);
  const makeupDays = dateSet(cal.makeupWorkdays);
  let lastMakeupDay = Number.NEGATIVE_INFINITY;
  if (makeup.length > 0) {
    for (const d of makeupDays) if (!holidays.has(d)) lastMakeupDay = Math.max(lastMakeupDay, d);
  }
  return {
    offsetMs: cal.utcOffsetMinutes * MINUTE_MS,
    weekly,
    makeup,
    holidays,
    makeupDays,
    weeklyWork: weekly.some((p) => p.length > 0),
    lastMakeupDay,
  };
}

const NO_PERIODS: MsPeriods = [];

/** Working periods of one local day. A date listed as both holiday and make-up day counts as a holiday. */
export function periodsOfDay(p: PreparedCalendar, dayNumber: number): MsPeriods {
  if (p.holidays.has(dayNumber)) return NO_PERIODS;
  if (p.makeupDays.has(dayNumber)) return p.makeup;
  return p.weekly[weekdayOf(dayNumber)] ?? NO_PERIODS;
}
