import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  civilOf,
  dayNumberOf,
  formatLocalDate,
  localDateOf,
  parseLocalDate,
  standardOfficeCalendar,
  supervisionCalendar,
  type WorkingCalendar,
  weekdayOf,
} from './calendar.js';
import { office2026 } from './fixtures.js';
import { type CalendarProblemCode, validateCalendar } from './validate.js';

describe('local dates', () => {
  it('parseLocalDate accepts only real YYYY-MM-DD dates', () => {
    expect(parseLocalDate('2026-10-01')).toEqual({ year: 2026, month: 10, day: 1, dayNumber: 20727 });
    expect(parseLocalDate('2024-02-29')?.day).toBe(29);
    for (const bad of [
      '2026-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-2-1',
      ' 2026-01-01',
      '20260101',
      '',
    ]) {
      expect(parseLocalDate(bad)).toBeNull();
    }
  });

  it('parseLocalDate: the last day of every month, December included; day 29–31 by month', () => {
    // Days in each month of 2026 (not a leap year), from the Gregorian calendar.
    const lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    lengths.forEach((days, i) => {
      const mm = String(i + 1).padStart(2, '0');
      expect(parseLocalDate(`2026-${mm}-${days}`), `2026-${mm}-${days}`).toMatchObject({
        month: i + 1,
        day: days,
      });
      expect(parseLocalDate(`2026-${mm}-${days + 1}`), `2026-${mm}-${days + 1}`).toBeNull();
      expect(parseLocalDate(`2026-${mm}-01`), `2026-${mm}-01`).toMatchObject({ month: i + 1, day: 1 });
    });
    expect(parseLocalDate('2026-12-31')).toEqual({ year: 2026, month: 12, day: 31, dayNumber: 20818 });
    expect(parseLocalDate('2026-12-01')?.dayNumber).toBe(20788);
    for (const ok of ['2026-03-29', '2026-03-30', '2026-03-31', '2026-04-29', '2026-04-30', '2026-01-31']) {
      expect(parseLocalDate(ok), ok).not.toBeNull();
    }
  });

  it('parseLocalDate: leap years by the Gregorian rule (every 4th, not centuries, but every 400th)', () => {
    expect(parseLocalDate('2024-02-29')).toMatchObject({ month: 2, day: 29 });
    expect(parseLocalDate('2000-02-29')).toMatchObject({ year: 2000, month: 2, day: 29 });
    expect(parseLocalDate('2400-02-29')).toMatchObject({ year: 2400, month: 2, day: 29 });
    for (const bad of ['1900-02-29', '2100-02-29', '2200-02-29', '2300-02-29', '2027-02-29', '2024-02-30']) {
      expect(parseLocalDate(bad), bad).toBeNull();
    }
    expect(parseLocalDate('2100-02-28')).toMatchObject({ year: 2100, month: 2, day: 28 });
  });

  it('parseLocalDate: anything but exactly YYYY-MM-DD is malformed', () => {
    for (const bad of [
      '2026-01-01xyz',
      'x2026-01-01',
      '2026-01-01 ',
      '2026-01-01T00:00',
      '2026-01-00',
      '2026-00-01',
      '2026-01-1',
      '2026-001-01',
      '02026-01-01',
      '2026/01/01',
      '2026-01-0a',
      '2026-1a-01',
    ]) {
      expect(parseLocalDate(bad), bad).toBeNull();
    }
  });

  it('day numbers and weekdays', () => {
    expect(dayNumberOf(1970, 1, 1)).toBe(0);
    expect(weekdayOf(dayNumberOf(2026, 10, 1))).toBe(4); // Thursday
    expect(weekdayOf(dayNumberOf(2026, 9, 20))).toBe(0); // Sunday
    expect(weekdayOf(dayNumberOf(2026, 10, 10))).toBe(6); // Saturday
    expect(weekdayOf(-1)).toBe(3); // 1969-12-31 was a Wednesday
    fc.assert(
      fc.property(fc.integer({ min: -800_000, max: 800_000 }), (n) => {
        const { year, month, day } = civilOf(n);
        expect(dayNumberOf(year, month, day)).toBe(n);
        const d = new Date(n * 86_400_000);
        if (year >= 1000) expect(formatLocalDate(n)).toBe(d.toISOString().slice(0, 10));
        expect(weekdayOf(n)).toBe(d.getUTCDay());
      }),
    );
  });

  it('localDateOf uses the calendar offset', () => {
    const t = new Date('2026-03-08T16:00:00Z');
    expect(localDateOf(office2026(), t)).toBe('2026-03-09');
    expect(localDateOf({ ...office2026(), utcOffsetMinutes: 0 }, t)).toBe('2026-03-08');
  });
});

const codes = (cal: WorkingCalendar): CalendarProblemCode[] => validateCalendar(cal).map((p) => p.code);
const base = (): WorkingCalendar => standardOfficeCalendar([], []);

describe('validateCalendar', () => {
  it('accepts the built-in calendars', () => {
    expect(validateCalendar(office2026())).toEqual([]);
    expect(validateCalendar(supervisionCalendar())).toEqual([]);
  });

  it('reports overlapping periods with zh + en messages', () => {
    const cal = base();
    cal.weeklyHours[2] = [
      [480, 720],
      [700, 800],
    ];
    expect(validateCalendar(cal)).toEqual([
      {
        code: 'PERIODS_OVERLAP',
        path: 'weeklyHours.2',
        zh: '周二的时段 08:00–12:00 与 11:40–13:20 重叠',
        en: 'Weekday 2: periods 08:00–12:00 and 11:40–13:20 overlap',
      },
    ]);
  });

  it('reports periods out of the day or empty', () => {
    const cal = base();
    cal.weeklyHours[0] = [[-10, 100]];
    cal.weeklyHours[6] = [
      [600, 600],
      [1000, 1441],
    ];
    cal.makeupHours = [[700, 650.5]];
    expect(codes(cal)).toEqual(['PERIOD_OUT_OF_DAY', 'BAD_PERIOD', 'PERIOD_OUT_OF_DAY', 'BAD_PERIOD']);
    expect(validateCalendar(cal)[0]?.path).toBe('weeklyHours.0[0]');
  });

  it('reports bad dates and a date that is both holiday and make-up day', () => {
    const cal = standardOfficeCalendar(
      ['2026-10-01', '2026-02-30', '2026/10/02'],
      ['2026-10-01', '2026-10-10'],
    );
    const problems = validateCalendar(cal);
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['BAD_DATE', 'holidays[1]'],
      ['BAD_DATE', 'holidays[2]'],
      ['HOLIDAY_AND_MAKEUP', 'makeupWorkdays'],
    ]);
    expect(problems[2]?.zh).toBe('2026-10-01 不能既是节假日又是调休上班日');
    expect(problems[2]?.en).toBe('2026-10-01 is both a holiday and a make-up workday');
  });

  it('reports a bad offset, an empty id and a calendar without working time', () => {
    const cal: WorkingCalendar = {
      ...base(),
      id: ' ',
      utcOffsetMinutes: 1000,
      weeklyHours: { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] },
    };
    expect(codes(cal)).toEqual(['BAD_ID', 'BAD_UTC_OFFSET', 'NO_WORKING_TIME']);
    expect(
      codes({
        ...cal,
        id: 'x',
        utcOffsetMinutes: 480,
        makeupWorkdays: ['2026-10-10'],
        makeupHours: [[480, 600]],
      }),
    ).toEqual([]);
  });
});
