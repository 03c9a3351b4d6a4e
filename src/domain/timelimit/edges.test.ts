/**
 * The edges of the time-limit code: bad input is refused with a message naming what is wrong,
 * the holiday table's limits and spellings, and the calendar's prepared form (periods merged,
 * make-up days, bad dates skipped).
 */
import { describe, expect, it } from 'vitest';
import {
  centreCalendar,
  civilOf,
  dayNumberOf,
  normalizePeriods,
  prepareCalendar,
  standardOfficeCalendar,
  type WorkingCalendar,
} from './calendar.js';
import {
  deadlineFor,
  effectiveDeadline,
  elapsedMinutes,
  lightOf,
  type TimeLimit,
  trafficLight,
} from './clock.js';
import { holidayGaps } from './coverage.js';
import { at, office2026 } from './fixtures.js';
import {
  HOLIDAY_TEMPLATE_HEADER,
  type HolidayCell,
  normalizeDate,
  readHolidayTable,
} from './holiday-table.js';
import { CENTRE_CALENDAR_ID } from './rules.js';
import { validateCalendar } from './validate.js';
import {
  addWorkingMinutes,
  isWorkingInstant,
  nextWorkingInstant,
  workingMinutesBetween,
} from './working-time.js';

const cal = office2026();
const BAD = new Date(Number.NaN);
const ok = at('2026-03-09 09:00');
const hour: TimeLimit = { amount: 1, unit: 'working_hours' };

describe('bad input names what is wrong', () => {
  it('invalid instants', () => {
    expect(() => deadlineFor(cal, BAD, hour)).toThrow('start is an invalid Date');
    expect(() => elapsedMinutes(cal, BAD, ok, [], 'working')).toThrow('start is an invalid Date');
    expect(() => elapsedMinutes(cal, ok, BAD, [], 'working')).toThrow('now is an invalid Date');
    expect(() => effectiveDeadline(cal, BAD, hour, [], [])).toThrow('start is an invalid Date');
    expect(() => effectiveDeadline(cal, ok, hour, [], [], BAD)).toThrow('asOf is an invalid Date');
    expect(() => effectiveDeadline(cal, ok, hour, [{ from: BAD, to: null }], [])).toThrow(
      'suspension.from is an invalid Date',
    );
    expect(() => effectiveDeadline(cal, ok, hour, [{ from: ok, to: BAD }], [])).toThrow(
      'suspension.to is an invalid Date',
    );
    expect(() => lightOf(cal, BAD, hour, ok, [], [])).toThrow('start is an invalid Date');
    expect(() => lightOf(cal, ok, hour, BAD, [], [])).toThrow('now is an invalid Date');
    expect(() => isWorkingInstant(cal, BAD)).toThrow('t is an invalid Date');
    expect(() => nextWorkingInstant(cal, BAD)).toThrow('t is an invalid Date');
    expect(() => addWorkingMinutes(cal, BAD, 1)).toThrow('start is an invalid Date');
    expect(() => workingMinutesBetween(cal, BAD, ok)).toThrow('a is an invalid Date');
    expect(() => workingMinutesBetween(cal, ok, BAD)).toThrow('b is an invalid Date');
  });

  it('bad limits, minutes and fractions', () => {
    expect(() => deadlineFor(cal, ok, { amount: 1, unit: 'weeks' as never })).toThrow(
      'unknown time-limit unit weeks',
    );
    expect(() => deadlineFor(cal, ok, { amount: 0, unit: 'minutes' })).toThrow(
      'time-limit amount must be a finite number > 0, got 0',
    );
    expect(() => addWorkingMinutes(cal, ok, -1)).toThrow('minutes must be a finite number ≥ 0, got -1');
    expect(() => trafficLight(Number.NaN)).toThrow('usedFraction is NaN');
    expect(() => holidayGaps([2026], 2026.5)).toThrow('currentYear must be an integer, got 2026.5');
  });

  it('a calendar with no working time left says so', () => {
    const none: WorkingCalendar = {
      ...cal,
      weeklyHours: { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] },
    };
    expect(() => addWorkingMinutes(none, ok, 1)).toThrow(
      'calendar has no working time after the start instant',
    );
  });

  it('elapsed time is 0 when now is not after the start', () => {
    expect(elapsedMinutes(cal, ok, ok, [], 'calendar')).toBe(0);
    expect(elapsedMinutes(cal, ok, at('2026-03-09 08:00'), [], 'calendar')).toBe(0);
    expect(workingMinutesBetween(cal, ok, ok)).toBe(0);
  });
});

describe('calendar internals', () => {
  it('the centre calendar is the one the step rules name', () => {
    expect(centreCalendar().id).toBe(CENTRE_CALENDAR_ID);
    expect(centreCalendar().weeklyHours[0]).toEqual([[480, 1260]]);
  });

  it('normalizePeriods sorts, clamps to the day, drops empty ones and merges overlapping or touching', () => {
    const m = (x: number) => x * 60_000;
    expect(
      normalizePeriods([
        [800, 900],
        [600, 700],
        [650, 750],
        [750, 760],
        [-30, 60],
        [1400, 1500],
        [300, 300],
        [400, 350],
        [Number.NaN, 10],
      ]),
    ).toEqual([
      [m(0), m(60)],
      [m(600), m(760)],
      [m(800), m(900)],
      [m(1400), m(1440)],
    ]);
    expect(
      normalizePeriods([
        [100, 500],
        [200, 300],
      ]),
    ).toEqual([[m(100), m(500)]]);
  });

  it('prepareCalendar: a missing weekday has no hours; bad dates are skipped; make-up days need hours', () => {
    const partial = { ...cal, weeklyHours: { 1: [[510, 720]] } } as unknown as WorkingCalendar;
    const p = prepareCalendar(partial);
    expect(p.weekly.map((d) => d.length)).toEqual([0, 1, 0, 0, 0, 0, 0]);
    expect(p.makeup).toEqual([[510 * 60_000, 720 * 60_000]]);
    const noMonday = { ...cal, weeklyHours: { 2: [[510, 720]] } } as unknown as WorkingCalendar;
    expect(prepareCalendar(noMonday).makeup).toEqual([]);
    const dated = prepareCalendar({
      ...standardOfficeCalendar(['2026-13-01', '2026-10-01'], ['2026-10-10', 'junk', '2026-10-11']),
      holidays: ['2026-13-01', '2026-10-01', '2026-10-11'],
    });
    expect([...dated.holidays]).toEqual([dayNumberOf(2026, 10, 1), dayNumberOf(2026, 10, 11)]);
    expect([...dated.makeupDays]).toEqual([dayNumberOf(2026, 10, 10), dayNumberOf(2026, 10, 11)]);
    // 10-11 is both: a holiday, so the last make-up day with work is 10-10.
    expect(dated.lastMakeupDay).toBe(dayNumberOf(2026, 10, 10));
    const noHours = prepareCalendar({ ...standardOfficeCalendar([], ['2026-10-10']), makeupHours: [] });
    expect(noHours.lastMakeupDay).toBe(Number.NEGATIVE_INFINITY);
    expect(prepareCalendar(cal).weeklyWork).toBe(true);
  });

  it('civil dates across the 400-year cycle', () => {
    const cases: Array<[number, number, number]> = [
      [1600, 2, 29],
      [1600, 3, 1],
      [1700, 2, 28],
      [1700, 3, 1],
      [1999, 12, 31],
      [2000, 2, 29],
      [2000, 3, 1],
      [2000, 12, 31],
      [2100, 2, 28],
      [2100, 3, 1],
      [2399, 12, 31],
      [2400, 2, 29],
      [2400, 12, 31],
    ];
    for (const [year, month, day] of cases) {
      const n = dayNumberOf(year, month, day);
      expect(n, `${year}-${month}-${day}`).toBe(Date.UTC(year, month - 1, day) / 86_400_000);
      expect(civilOf(n)).toEqual({ year, month, day });
    }
  });
});

describe('the holiday table', () => {
  const rowsOf = (...rows: HolidayCell[][]): HolidayCell[][] => [['日期', '类型', '节日'], ...rows];
  const codes = (cells: HolidayCell[][], year = 2027) => {
    const r = readHolidayTable(cells, year);
    return r.ok ? [] : r.errors.map((e) => `${e.row}:${e.code}`);
  };

  it('every spelling of the two kinds', () => {
    for (const [text, kind] of [
      ['放假', 'holiday'],
      ['休', 'holiday'],
      ['休息', 'holiday'],
      ['调休上班', 'makeup'],
      ['上班', 'makeup'],
      ['补班', 'makeup'],
      ['班', 'makeup'],
    ] as const) {
      const r = readHolidayTable(rowsOf(['2027-01-30', text, '']), 2027);
      expect(r.ok && r.days[0]?.kind, text).toBe(kind);
    }
  });

  it('every name of the note column, and the template header', () => {
    for (const name of ['节日', '名称', '节假日', '备注']) {
      const r = readHolidayTable(
        [
          ['日期', '类型', name],
          ['2027-01-01', '休', '元旦'],
        ],
        2027,
      );
      expect(r.ok && r.days[0]?.note, name).toBe('元旦');
    }
    expect(HOLIDAY_TEMPLATE_HEADER).toEqual(['日期', '类型', '节日']);
    // Blank header cells and padded names are fine.
    expect(
      readHolidayTable(
        [
          [' 日期 ', '', '类型', null],
          ['2027-01-01', '', '休', null],
        ],
        2027,
      ),
    ).toMatchObject({
      ok: true,
      days: [{ date: '2027-01-01', kind: 'holiday', note: null }],
    });
  });

  it('limits: 31 days a range, 40 characters a name, 400 rows', () => {
    expect(codes(rowsOf(['2027-01-01~2027-01-31', '休', '']))).toEqual([]);
    expect(codes(rowsOf(['2027-01-01~2027-02-01', '休', '']))).toEqual(['2:RANGE_INVALID']);
    expect(codes(rowsOf(['2027-01-02~2027-01-01', '休', '']))).toEqual(['2:RANGE_INVALID']);
    expect(codes(rowsOf(['2027-01-01', '休', '节'.repeat(40)]))).toEqual([]);
    expect(codes(rowsOf(['2027-01-01', '休', '节'.repeat(41)]))).toEqual(['2:NOTE_TOO_LONG']);
    const many = (n: number) =>
      rowsOf(...Array.from({ length: n }, (): HolidayCell[] => ['2027-01-01', '休', '']));
    expect(codes(many(400))[0]).toBe('3:DATE_DUPLICATE');
    expect(codes(many(401))).toEqual(['402:TOO_MANY_ROWS']);
  });

  it('malformed dates and ranges', () => {
    for (const bad of [
      'x2027-01-01',
      '2027-01-01x',
      '2027-01-01~2027-01-02~2027-01-03',
      '2027-02-30',
      '~2027-01-01',
    ]) {
      expect(codes(rowsOf([bad, '休', ''])), bad).toEqual(['2:DATE_INVALID']);
    }
    expect(normalizeDate(' 2027/1/5 ')).toBe('2027-01-05');
    expect(normalizeDate('2027年1月5日')).toBe('2027-01-05');
    expect(normalizeDate('2027-1-5x')).toBeNull();
    expect(normalizeDate('a2027-1-5')).toBeNull();
  });

  it('a row of blanks is skipped; a row with one value is read', () => {
    expect(codes(rowsOf(['', ' ', null], ['2027-01-01', '休', '']))).toEqual([]);
    expect(codes(rowsOf(['', '休', '']))).toEqual(['2:DATE_INVALID']);
    expect(codes([['日期', '类型']])).toEqual(['2:NO_ROWS']);
  });

  it('the error row names the value at fault', () => {
    const r = readHolidayTable(rowsOf(['2027-01-01', '放', ' 元旦 ']), 2027);
    expect(r.ok ? null : r.errors).toMatchObject([
      { row: 2, column: '类型', code: 'KIND_INVALID', value: '放' },
    ]);
  });

  it('make-up days are weekends; names get 调休 once', () => {
    expect(codes(rowsOf(['2027-01-29', '班', '春节']))).toEqual(['2:MAKEUP_NOT_WEEKEND']);
    const r = readHolidayTable(rowsOf(['2027-01-30', '班', '春节调休'], ['2027-02-20', '班', '春节']), 2027);
    expect(r.ok ? r.days.map((d) => d.note) : r.errors).toEqual(['春节调休', '春节调休']);
    const holiday = readHolidayTable(rowsOf(['2027-01-01', '休', '元旦']), 2027);
    expect(holiday.ok ? holiday.days[0]?.note : null).toBe('元旦');
  });
});

describe('calendar validation', () => {
  it('periods that are not an array, and dates that are not', () => {
    const bad = {
      ...cal,
      weeklyHours: { ...cal.weeklyHours, 3: 'all day' },
      makeupHours: 5,
      holidays: 'none',
    } as unknown as WorkingCalendar;
    const problems = validateCalendar(bad).map((p) => `${p.code} ${p.path}`);
    expect(problems).toEqual(['BAD_PERIOD weeklyHours.3', 'BAD_PERIOD makeupHours', 'BAD_DATE holidays']);
  });
});

describe('calendar validation limits', () => {
  const office = () => standardOfficeCalendar([], []);
  const problems = (cal: WorkingCalendar) => validateCalendar(cal).map((p) => `${p.code} ${p.path}`);

  it('UTC offsets from -12:00 to +14:00, whole minutes', () => {
    for (const off of [-720, 0, 480, 840])
      expect(problems({ ...office(), utcOffsetMinutes: off }), String(off)).toEqual([]);
    for (const off of [-721, 841, 480.5, Number.NaN])
      expect(problems({ ...office(), utcOffsetMinutes: off }), String(off)).toEqual([
        'BAD_UTC_OFFSET utcOffsetMinutes',
      ]);
  });

  it('an id, blank or missing, is refused', () => {
    expect(problems({ ...office(), id: '  ' })).toEqual(['BAD_ID id']);
    expect(problems({ ...office(), id: 5 as never })).toEqual(['BAD_ID id']);
  });

  it('periods: whole minutes, start before end, within 0–1440; touching is fine, overlapping is not', () => {
    const withMonday = (periods: Array<[number, number]>) => {
      const cal = office();
      cal.weeklyHours[1] = periods;
      return problems(cal);
    };
    expect(withMonday([[0, 1440]])).toEqual([]);
    expect(
      withMonday([
        [0, 600],
        [600, 1440],
      ]),
    ).toEqual([]);
    expect(
      withMonday([
        [600, 700],
        [0, 601],
      ]),
    ).toEqual(['PERIODS_OVERLAP weeklyHours.1']);
    expect(withMonday([[-1, 600]])).toEqual(['PERIOD_OUT_OF_DAY weeklyHours.1[0]']);
    expect(withMonday([[600, 1441]])).toEqual(['PERIOD_OUT_OF_DAY weeklyHours.1[0]']);
    expect(withMonday([[600, 600]])).toEqual(['BAD_PERIOD weeklyHours.1[0]']);
    expect(withMonday([[600.5, 700]])).toEqual(['BAD_PERIOD weeklyHours.1[0]']);
    expect(withMonday([[600, 700.5]])).toEqual(['BAD_PERIOD weeklyHours.1[0]']);
    expect(withMonday(['x' as never])).toEqual(['BAD_PERIOD weeklyHours.1[0]']);
  });

  it('working time from make-up days alone counts only with hours for them', () => {
    const empty = { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] };
    const makeupOnly: WorkingCalendar = { ...office(), weeklyHours: empty, makeupWorkdays: ['2026-10-10'] };
    expect(problems(makeupOnly)).toEqual(['NO_WORKING_TIME weeklyHours']);
    expect(problems({ ...makeupOnly, makeupHours: [[480, 600]] })).toEqual([]);
    expect(problems({ ...makeupOnly, makeupWorkdays: [], makeupHours: [[480, 600]] })).toEqual([
      'NO_WORKING_TIME weeklyHours',
    ]);
    expect(problems({ ...office(), makeupWorkdays: ['2026-02-30', 7 as never] })).toEqual([
      'BAD_DATE makeupWorkdays[0]',
      'BAD_DATE makeupWorkdays[1]',
    ]);
    expect(problems({ ...office(), weeklyHours: undefined as never })).toContain(
      'NO_WORKING_TIME weeklyHours',
    );
  });
});
