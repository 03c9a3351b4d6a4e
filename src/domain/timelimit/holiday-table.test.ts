import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumberOf, formatLocalDate, parseLocalDate, weekdayOf } from './calendar.js';
import { holidayGaps } from './coverage.js';
import { HOLIDAY_TABLE_2027 } from './fixtures.js';
import { type HolidayCell, normalizeDate, readHolidayTable } from './holiday-table.js';

const rowsOf = (...rows: HolidayCell[][]): HolidayCell[][] => [['日期', '类型', '节日'], ...rows];

describe('the State Council notice as a table', () => {
  it('reads the 2027 table: 29 days off and 6 make-up workdays, ranges expanded, notes kept', () => {
    const r = readHolidayTable(HOLIDAY_TABLE_2027, 2027);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const holidays = r.days.filter((d) => d.kind === 'holiday');
    const makeup = r.days.filter((d) => d.kind === 'makeup');
    // 3 + 9 + 3 + 5 + 1 + 1 + 7 = 29 days off.
    expect(holidays).toHaveLength(29);
    expect(makeup.map((d) => d.date)).toEqual([
      '2027-01-30',
      '2027-02-20',
      '2027-04-25',
      '2027-05-08',
      '2027-09-26',
      '2027-10-09',
    ]);
    expect(holidays.slice(0, 4).map((d) => d.date)).toEqual([
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
      '2027-02-05',
    ]);
    expect(r.days.find((d) => d.date === '2027-02-09')).toEqual({
      date: '2027-02-09',
      kind: 'holiday',
      note: '春节',
    });
    expect(r.days.find((d) => d.date === '2027-01-30')).toEqual({
      date: '2027-01-30',
      kind: 'makeup',
      note: '春节调休',
    });
    expect(r.days.map((d) => d.date)).toEqual([...r.days.map((d) => d.date)].sort());
  });

  it('accepts the ways people write it: 2027/2/5, 2027年2月5日, 至, 休 / 班, a 名称 column, blank lines', () => {
    const r = readHolidayTable(
      [
        ['名称', '日期', '类型'],
        ['春节', '2027年2月5日至2027年2月6日', '休'],
        [null, null, null],
        ['春节', '2027/2/20', '班'],
      ],
      2027,
    );
    expect(r).toEqual({
      ok: true,
      year: 2027,
      days: [
        { date: '2027-02-05', kind: 'holiday', note: '春节' },
        { date: '2027-02-06', kind: 'holiday', note: '春节' },
        { date: '2027-02-20', kind: 'makeup', note: '春节调休' },
      ],
    });
  });

  it('reports every bad row with its row, column, code and a zh + en message, and returns no days', () => {
    const r = readHolidayTable(
      rowsOf(
        ['2027-02-30', '放假', '春节'], // 2
        ['2026-12-31', '放假', '元旦'], // 3
        ['2027-01-01', '假期', '元旦'], // 4
        ['2027-02-22', '调休上班', '春节'], // 5: a Monday
        ['2027-02-10~2027-02-05', '放假', '春节'], // 6
        ['2027-01-01', '放假', '元旦'], // 7
        ['2027-01-01', '放假', '元旦'], // 8: duplicates 7
        ['2027-03-01~2027-04-15', '放假', '太长'], // 9
        ['2027-05-01', '放假', '劳'.repeat(41)], // 10
      ),
      2027,
    );
    if (r.ok) throw new Error('accepted');
    expect(r.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, '日期', 'DATE_INVALID'],
      [3, '日期', 'DATE_OUTSIDE_YEAR'],
      [4, '类型', 'KIND_INVALID'],
      [5, '日期', 'MAKEUP_NOT_WEEKEND'],
      [6, '日期', 'RANGE_INVALID'],
      [8, '日期', 'DATE_DUPLICATE'],
      [9, '日期', 'RANGE_INVALID'],
      [10, '节日', 'NOTE_TOO_LONG'],
    ]);
    expect(r.errors[1]?.message).toEqual({
      zh: '日期 2026-12-31 不在 2027 年内',
      en: 'Date 2026-12-31 is not in 2027',
    });
    expect(r.errors[3]?.message.zh).toBe('调休上班日 2027-02-22 不是周六或周日（工作日本来就上班）');
    expect(r.errors[5]?.message).toEqual({
      zh: '日期 2027-01-01 已在第7行出现',
      en: 'Date 2027-01-01 already appears in row 7',
    });
    expect(r.errors[0]?.value).toBe('2027-02-30');
  });

  it('refuses a table without its columns or rows before looking at any row', () => {
    const noKind = readHolidayTable(
      [
        ['日期', '说明'],
        ['2027-01-01', 'x'],
      ],
      2027,
    );
    expect(noKind.ok ? [] : noKind.errors.map((e) => [e.code, e.column])).toEqual([
      ['COLUMN_UNKNOWN', '说明'],
      ['COLUMN_MISSING', '类型'],
    ]);
    const empty = readHolidayTable([['日期', '类型']], 2027);
    expect(empty.ok ? [] : empty.errors.map((e) => e.code)).toEqual(['NO_ROWS']);
    const twice = readHolidayTable(
      [
        ['日期', '类型', '日期'],
        ['2027-01-01', '放假', '2027-01-02'],
      ],
      2027,
    );
    expect(twice.ok ? [] : twice.errors.map((e) => e.code)).toEqual(['COLUMN_DUPLICATE']);
    const many = readHolidayTable(
      rowsOf(...Array.from({ length: 401 }, (): HolidayCell[] => ['2027-01-01', '放假', null])),
      2027,
    );
    expect(many.ok ? [] : many.errors.map((e) => e.code)).toEqual(['TOO_MANY_ROWS']);
  });

  it('normalizes dates strictly', () => {
    expect(normalizeDate('2027-1-5')).toBe('2027-01-05');
    expect(normalizeDate('2027年12月31日')).toBe('2027-12-31');
    for (const bad of ['2027-13-01', '2027-02-29', '2028-02-30', '27-01-01', '2027-01-01x', '2027-00-10', ''])
      expect(normalizeDate(bad)).toBeNull();
    expect(normalizeDate('2028-02-29')).toBe('2028-02-29');
  });

  it('property: any set of single days of the year round-trips, each day once, sorted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2027, max: 2099 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 364 }), { minLength: 1, maxLength: 60 }),
        (year, offsets) => {
          const first = dayNumberOf(year, 1, 1);
          const rows = offsets.map((o): HolidayCell[] => {
            const n = first + o;
            const weekend = [0, 6].includes(weekdayOf(n));
            return [formatLocalDate(n), weekend && o % 2 === 0 ? '调休上班' : '放假', '节日'];
          });
          const r = readHolidayTable(rowsOf(...rows), year);
          if (!r.ok) throw new Error(JSON.stringify(r.errors[0]));
          expect(r.days.map((d) => d.date)).toEqual(rows.map((x) => x[0]).sort());
          for (const d of r.days) {
            expect(d.date.startsWith(`${year}-`)).toBe(true);
            if (d.kind === 'makeup')
              expect([0, 6]).toContain(weekdayOf(parseLocalDate(d.date)?.dayNumber ?? 0));
          }
        },
      ),
    );
  });

  it('property: a table with one bad row is refused whole, and the error names that row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: HOLIDAY_TABLE_2027.length - 2 }), (i) => {
        const rows = HOLIDAY_TABLE_2027.map((r) => [...r]);
        const bad = rows[i + 1] as HolidayCell[];
        bad[0] = '2027-02-31';
        const r = readHolidayTable(rows, 2027);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.errors.map((e) => e.row)).toEqual([i + 2]);
      }),
    );
  });
});

describe('holiday coverage of the years ahead', () => {
  it('names the current and next years that have no holiday data', () => {
    expect(holidayGaps([2025, 2026], 2026)).toEqual([{ year: 2027, which: 'next' }]);
    expect(holidayGaps([2025, 2026], 2027)).toEqual([
      { year: 2027, which: 'current' },
      { year: 2028, which: 'next' },
    ]);
    expect(holidayGaps([2026, 2027], 2026)).toEqual([]);
    expect(holidayGaps([], 2026).map((g) => g.year)).toEqual([2026, 2027]);
    expect(() => holidayGaps([], 2026.5)).toThrow(RangeError);
  });

  it('property: a gap is reported exactly for the two years ahead that are missing', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 2000, max: 2100 })),
        fc.integer({ min: 2000, max: 2100 }),
        (years, now) => {
          const gaps = holidayGaps(years, now).map((g) => g.year);
          expect(gaps).toEqual([now, now + 1].filter((y) => !years.includes(y)));
        },
      ),
    );
  });
});
