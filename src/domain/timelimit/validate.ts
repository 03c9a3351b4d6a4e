/** Validation of admin-edited working calendars; problems carry zh + en messages. */
import { MINUTES_PER_DAY, parseLocalDate, type Weekday, type WorkingCalendar } from './calendar.js';

export type CalendarProblemCode =
  | 'BAD_ID'
  | 'BAD_UTC_OFFSET'
  | 'BAD_PERIOD'
  | 'PERIOD_OUT_OF_DAY'
  | 'PERIODS_OVERLAP'
  | 'BAD_DATE'
  | 'HOLIDAY_AND_MAKEUP'
  | 'NO_WORKING_TIME';

export interface CalendarProblem {
  code: CalendarProblemCode;
  /** Where: 'weeklyHours.1[0]', 'makeupHours', 'holidays[3]', … */
  path: string;
  zh: string;
  en: string;
}

// Stryker disable all: display text only (weekday names and times in the zh / en messages)
const WEEKDAY_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const;

const hhmm = (m: number): string =>
  Number.isFinite(m)
    ? `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
    : String(m);
// Stryker restore all

function checkPeriods(
  periods: ReadonlyArray<readonly [number, number]> | undefined,
  path: string,
  label: { zh: string; en: string },
  out: CalendarProblem[],
): void {
  if (!Array.isArray(periods)) {
    out.push({
      code: 'BAD_PERIOD',
      path,
      zh: `${label.zh}的时段必须是数组`,
      en: `${label.en}: periods must be an array`,
    });
    return;
  }
  const good: Array<readonly [number, number]> = [];
  periods.forEach((period, i) => {
    const p = `${path}[${i}]`;
    const [a, b] = Array.isArray(period) ? period : [Number.NaN, Number.NaN];
    if (!Number.isInteger(a) || !Number.isInteger(b) || a >= b) {
      out.push({
        code: 'BAD_PERIOD',
        path: p,
        zh: `${label.zh}第 ${i + 1} 个时段无效：须为整数分钟 [开始, 结束) 且开始早于结束`,
        en: `${label.en} period ${i + 1} is invalid: must be whole minutes [start, end) with start < end`,
      });
    } else if (a < 0 || b > MINUTES_PER_DAY) {
      out.push({
        code: 'PERIOD_OUT_OF_DAY',
        path: p,
        zh: `${label.zh}第 ${i + 1} 个时段超出当天范围（0–1440 分钟）：[${a}, ${b})`,
        en: `${label.en} period ${i + 1} is outside the day (0–1440 minutes): [${a}, ${b})`,
      });
    } else good.push([a, b]);
  });
  const sorted = [...good].sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur[0] < prev[1]) {
      const span = (q: readonly [number, number]) => `${hhmm(q[0])}–${hhmm(q[1])}`;
      out.push({
        code: 'PERIODS_OVERLAP',
        path,
        zh: `${label.zh}的时段 ${span(prev)} 与 ${span(cur)} 重叠`,
        en: `${label.en}: periods ${span(prev)} and ${span(cur)} overlap`,
      });
    }
  }
}

function checkDates(dates: readonly string[], field: 'holidays' | 'makeupWorkdays', out: CalendarProblem[]) {
  // Stryker disable next-line all: display text only (the field's name in the zh message)
  const zh = field === 'holidays' ? '节假日' : '调休上班日';
  if (!Array.isArray(dates)) {
    out.push({
      code: 'BAD_DATE',
      path: field,
      zh: `${zh}必须是日期数组`,
      en: `${field} must be an array of dates`,
    });
    return new Set<string>();
  }
  const valid = new Set<string>();
  dates.forEach((d, i) => {
    if (typeof d === 'string' && parseLocalDate(d)) valid.add(d);
    else {
      out.push({
        code: 'BAD_DATE',
        path: `${field}[${i}]`,
        zh: `${zh}日期无效：${String(d)}（格式须为 YYYY-MM-DD 且为真实日期）`,
        en: `${field}: invalid date ${String(d)} (must be a real date as YYYY-MM-DD)`,
      });
    }
  });
  return valid;
}

/** Lists the problems of a calendar; empty when it is valid. */
export function validateCalendar(cal: WorkingCalendar): CalendarProblem[] {
  const out: CalendarProblem[] = [];
  if (typeof cal.id !== 'string' || cal.id.trim() === '') {
    out.push({ code: 'BAD_ID', path: 'id', zh: '日历编号不能为空', en: 'Calendar id must not be empty' });
  }
  const off = cal.utcOffsetMinutes;
  if (!Number.isInteger(off) || off < -720 || off > 840) {
    out.push({
      code: 'BAD_UTC_OFFSET',
      path: 'utcOffsetMinutes',
      zh: `UTC 偏移须为 -720 到 840 之间的整数分钟（中国为 480），当前为 ${off}`,
      en: `utcOffsetMinutes must be a whole number of minutes in -720..840 (480 for China), got ${off}`,
    });
  }
  for (const d of [0, 1, 2, 3, 4, 5, 6] as const satisfies readonly Weekday[]) {
    checkPeriods(cal.weeklyHours?.[d], `weeklyHours.${d}`, { zh: WEEKDAY_ZH[d], en: `Weekday ${d}` }, out);
  }
  if (cal.makeupHours !== undefined) {
    checkPeriods(cal.makeupHours, 'makeupHours', { zh: '调休上班日', en: 'Make-up workday' }, out);
  }
  const holidays = checkDates(cal.holidays, 'holidays', out);
  const makeups = checkDates(cal.makeupWorkdays, 'makeupWorkdays', out);
  for (const d of makeups) {
    if (holidays.has(d)) {
      out.push({
        code: 'HOLIDAY_AND_MAKEUP',
        path: 'makeupWorkdays',
        zh: `${d} 不能既是节假日又是调休上班日`,
        en: `${d} is both a holiday and a make-up workday`,
      });
    }
  }
  const weekly = Object.values(cal.weeklyHours ?? {}).some((ps) => Array.isArray(ps) && ps.length > 0);
  const makeupWork = makeups.size > 0 && (cal.makeupHours ?? cal.weeklyHours?.[1] ?? []).length > 0;
  if (!weekly && !makeupWork) {
    out.push({
      code: 'NO_WORKING_TIME',
      path: 'weeklyHours',
      zh: '日历没有任何工作时段，无法计算工作时限',
      en: 'The calendar has no working periods, so working-time limits cannot be computed',
    });
  }
  return out;
}
