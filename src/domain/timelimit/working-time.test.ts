import { describe, expect, it } from 'vitest';
import { standardOfficeCalendar, supervisionCalendar, type WorkingCalendar } from './calendar.js';
import { at, HOLIDAYS_2026, office2026 } from './fixtures.js';
import {
  addWorkingMinutes,
  isWorkingInstant,
  nextWorkingInstant,
  workingDayMinutes,
  workingMinutesBetween,
} from './working-time.js';

const cal = office2026();
const sup = supervisionCalendar();

describe('isWorkingInstant (office calendar, 2026 holidays)', () => {
  it.each([
    ['2026-03-09 08:29', false], // Monday, before opening
    ['2026-03-09 08:30', true],
    ['2026-03-09 11:59', true],
    ['2026-03-09 12:00', false], // periods are half-open
    ['2026-03-09 13:30', true],
    ['2026-03-09 17:30', false],
    ['2026-03-07 10:00', false], // ordinary Saturday
    ['2026-10-01 10:00', false], // National Day, a Thursday
    ['2026-10-10 10:00', true], // make-up Saturday
    ['2026-09-20 10:00', true], // make-up Sunday
    ['2026-02-14 10:00', true], // Spring Festival make-up Saturday
    ['2026-02-17 10:00', false], // 春节 (Tuesday)
  ])('%s → %s', (local, expected) => {
    expect(isWorkingInstant(cal, at(local))).toBe(expected);
  });

  it('uses local +08:00 days, not UTC days', () => {
    // 2026-03-09T00:30Z is Monday 08:30 in China (UTC is barely past midnight).
    expect(isWorkingInstant(cal, new Date('2026-03-09T00:30:00Z'))).toBe(true);
    // 2026-03-09T09:30Z is Monday 17:30 in China: closed although it is mid-morning in UTC terms.
    expect(isWorkingInstant(cal, new Date('2026-03-09T09:30:00Z'))).toBe(false);
    // Friday 23:30Z is Saturday 07:30 local: the next working instant is Monday 08:30 local.
    expect(nextWorkingInstant(cal, new Date('2026-03-06T23:30:00Z'))).toEqual(
      new Date('2026-03-09T00:30:00Z'),
    );
    // Monday 23:30Z is Tuesday 07:30 local; one working hour later is Tuesday 09:30 local.
    expect(addWorkingMinutes(cal, new Date('2026-03-09T23:30:00Z'), 60)).toEqual(
      new Date('2026-03-10T01:30:00Z'),
    );
  });
});

describe('nextWorkingInstant', () => {
  it.each([
    ['2026-03-09 10:00', '2026-03-09 10:00'], // already working
    ['2026-03-09 12:30', '2026-03-09 13:30'], // lunch
    ['2026-03-06 18:00', '2026-03-09 08:30'], // Friday evening → Monday
    ['2026-09-30 18:00', '2026-10-08 08:30'], // across National Day
    ['2026-09-19 10:00', '2026-09-20 08:30'], // Saturday → make-up Sunday
    ['2026-02-14 18:00', '2026-02-24 08:30'], // make-up Saturday evening → after Spring Festival
  ])('%s → %s', (from, to) => {
    expect(nextWorkingInstant(cal, at(from))).toEqual(at(to));
  });
});

describe('addWorkingMinutes', () => {
  it.each([
    ['2026-03-06 16:00', 450, '2026-03-09 16:00'], // Fri: 90 min, Mon: 210 + 150
    ['2026-03-09 11:00', 60, '2026-03-09 12:00'], // ends exactly at the end of a period
    ['2026-03-09 11:45', 30, '2026-03-09 13:45'], // across lunch
    ['2026-03-09 12:30', 0, '2026-03-09 13:30'], // 0 → next working instant
    ['2026-09-19 10:00', 120, '2026-09-20 10:30'], // Saturday start, counted on make-up Sunday
    ['2026-09-30 16:00', 1350, '2026-10-10 16:00'], // 90 + Oct 8 + Oct 9 + 360 on make-up Sat Oct 10
    ['2026-02-13 17:00', 900, '2026-02-24 17:00'], // 30 + make-up Sat Feb 14 + 420 after 春节
  ])('%s + %d min → %s', (start, minutes, expected) => {
    expect(addWorkingMinutes(cal, at(start), minutes)).toEqual(at(expected));
  });

  it('a span ending at a period end returns that end, not the start of the next period', () => {
    // 12:00 and 13:30 are the same working-time position (210 min after 08:30); the deadline is the
    // earliest instant, so "N working days" ends at 17:30 of the last day, not at 08:30 of the next.
    expect(workingMinutesBetween(cal, at('2026-03-09 08:30'), at('2026-03-09 13:30'))).toBe(210);
    expect(addWorkingMinutes(cal, at('2026-03-09 08:30'), 210)).toEqual(at('2026-03-09 12:00'));
    expect(addWorkingMinutes(cal, at('2026-03-09 08:30'), 450)).toEqual(at('2026-03-09 17:30'));
  });

  it('without the 调休 data the National Day case is due later', () => {
    const plain = standardOfficeCalendar(HOLIDAYS_2026, []);
    // Oct 10/11 are a normal weekend: 90 + 450 (Oct 8) + 450 (Oct 9) + 360 on Monday Oct 12.
    expect(addWorkingMinutes(plain, at('2026-09-30 16:00'), 1350)).toEqual(at('2026-10-12 16:00'));
  });

  it('supports fractional minutes (to the millisecond) and rejects bad input', () => {
    expect(addWorkingMinutes(cal, at('2026-03-09 09:00'), 0.5)).toEqual(
      new Date(at('2026-03-09 09:00').getTime() + 30_000),
    );
    expect(() => addWorkingMinutes(cal, at('2026-03-09 09:00'), -1)).toThrow(RangeError);
    expect(() => addWorkingMinutes(cal, at('2026-03-09 09:00'), Number.NaN)).toThrow(RangeError);
    expect(() => addWorkingMinutes(cal, new Date(Number.NaN), 1)).toThrow(RangeError);
  });

  it('throws instead of looping when the calendar has no working time left', () => {
    const empty: WorkingCalendar = {
      ...standardOfficeCalendar([], []),
      weeklyHours: { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] },
    };
    expect(() => addWorkingMinutes(empty, at('2026-03-09 09:00'), 1)).toThrow(RangeError);
    const onlyMakeup: WorkingCalendar = {
      ...empty,
      makeupWorkdays: ['2026-10-10'],
      makeupHours: [[540, 600]],
    };
    expect(addWorkingMinutes(onlyMakeup, at('2026-03-09 09:00'), 60)).toEqual(at('2026-10-10 10:00'));
    expect(() => addWorkingMinutes(onlyMakeup, at('2026-03-09 09:00'), 61)).toThrow(RangeError);
  });

  it('supervision calendar works through holidays, 08:00–21:00', () => {
    expect(addWorkingMinutes(sup, at('2026-10-01 20:00'), 120)).toEqual(at('2026-10-02 09:00'));
    expect(addWorkingMinutes(sup, at('2026-10-03 06:00'), 60)).toEqual(at('2026-10-03 09:00'));
  });
});

describe('workingMinutesBetween', () => {
  it.each([
    ['2026-03-06 16:00', '2026-03-09 16:00', 450],
    ['2026-09-30 08:30', '2026-10-08 08:30', 450], // only Sep 30
    ['2026-09-30 08:30', '2026-10-12 08:30', 1800], // Sep 30, Oct 8, Oct 9, make-up Oct 10
    ['2026-03-09 12:00', '2026-03-09 13:30', 0], // lunch
    ['2026-03-09 16:00', '2026-03-09 10:00', 0], // b before a
  ])('%s → %s = %d', (a, b, expected) => {
    expect(workingMinutesBetween(cal, at(a), at(b))).toBe(expected);
  });

  it('counts the 248 working days of 2026 quickly', () => {
    // 261 weekdays − 19 holiday weekdays + 6 make-up days = 248 days × 450 minutes.
    expect(workingMinutesBetween(cal, at('2026-01-01 00:00'), at('2027-01-01 00:00'))).toBe(248 * 450);
    // Supervision: every day, 13 h.
    expect(workingMinutesBetween(sup, at('2026-01-01 00:00'), at('2027-01-01 00:00'))).toBe(365 * 780);
  });

  it('workingDayMinutes', () => {
    expect(workingDayMinutes(cal)).toBe(450);
    expect(workingDayMinutes(sup)).toBe(780);
  });
});

describe('the lunch break (office hours 08:30–12:00, 13:30–17:30)', () => {
  const mon = (hhmm: string) => at(`2026-03-09 ${hhmm}`);

  it('the next working time after exactly 12:00 is 13:30', () => {
    expect(nextWorkingInstant(cal, mon('12:00'))).toEqual(mon('13:30'));
    expect(nextWorkingInstant(cal, mon('12:45'))).toEqual(mon('13:30'));
    expect(nextWorkingInstant(cal, mon('13:30'))).toEqual(mon('13:30'));
    expect(nextWorkingInstant(cal, mon('11:59'))).toEqual(mon('11:59'));
    expect(nextWorkingInstant(cal, mon('17:30'))).toEqual(at('2026-03-10 08:30'));
    expect(addWorkingMinutes(cal, mon('12:00'), 0)).toEqual(mon('13:30'));
    expect(addWorkingMinutes(cal, mon('12:00'), 30)).toEqual(mon('14:00'));
  });

  it('a span ending at 12:00 ends there; one minute more goes past the break', () => {
    expect(addWorkingMinutes(cal, mon('11:00'), 60)).toEqual(mon('12:00'));
    expect(addWorkingMinutes(cal, mon('11:00'), 61)).toEqual(mon('13:31'));
    expect(workingMinutesBetween(cal, mon('11:00'), mon('14:00'))).toBe(90);
    expect(workingMinutesBetween(cal, mon('12:00'), mon('13:30'))).toBe(0);
    expect(workingMinutesBetween(cal, mon('14:00'), mon('11:00'))).toBe(0);
  });
});

describe('a Tuesday–Saturday calendar (Sunday and Monday off)', () => {
  const tueFri: Array<[number, number]> = [[510, 720]]; // 08:30–12:00, 210 min
  const saturday: Array<[number, number]> = [[480, 1020]]; // 08:00–17:00, 540 min
  const tueSat: WorkingCalendar = {
    id: 'tue-sat',
    utcOffsetMinutes: 480,
    weeklyHours: { 0: [], 1: [], 2: tueFri, 3: tueFri, 4: tueFri, 5: tueFri, 6: saturday },
    holidays: [],
    makeupWorkdays: [],
  };
  const d = (date: string, hhmm: string) => at(`${date} ${hhmm}`);

  it('a working day is its longest weekday when Monday is empty', () => {
    expect(workingDayMinutes(tueSat)).toBe(540);
  });

  it('nothing on Sunday or Monday: work resumes on Tuesday', () => {
    expect(isWorkingInstant(tueSat, d('2026-03-09', '10:00'))).toBe(false); // Monday
    expect(isWorkingInstant(tueSat, d('2026-03-07', '16:59'))).toBe(true); // Saturday
    expect(nextWorkingInstant(tueSat, d('2026-03-07', '17:00'))).toEqual(d('2026-03-10', '08:30'));
    expect(nextWorkingInstant(tueSat, d('2026-03-09', '10:00'))).toEqual(d('2026-03-10', '08:30'));
    // Saturday 16:00 + 2 h: 1 h on Saturday, 1 h on Tuesday.
    expect(addWorkingMinutes(tueSat, d('2026-03-07', '16:00'), 120)).toEqual(d('2026-03-10', '09:30'));
    expect(workingMinutesBetween(tueSat, d('2026-03-07', '00:00'), d('2026-03-11', '00:00'))).toBe(540 + 210);
  });

  it('a make-up day takes the Monday hours, so here it needs its own', () => {
    const withMakeup = {
      ...tueSat,
      makeupWorkdays: ['2026-03-09'],
      makeupHours: [[600, 660]] as Array<[number, number]>,
    };
    expect(nextWorkingInstant(withMakeup, d('2026-03-09', '00:00'))).toEqual(d('2026-03-09', '10:00'));
    expect(workingMinutesBetween(withMakeup, d('2026-03-09', '00:00'), d('2026-03-10', '00:00'))).toBe(60);
  });

  it('with no weekly hours the working day is the make-up hours, and none at all throws', () => {
    const empty = { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] };
    const makeupOnly: WorkingCalendar = {
      ...tueSat,
      weeklyHours: empty,
      makeupWorkdays: ['2026-03-08'],
      makeupHours: [[480, 600]],
    };
    expect(workingDayMinutes(makeupOnly)).toBe(120);
    expect(addWorkingMinutes(makeupOnly, d('2026-03-01', '00:00'), 30)).toEqual(d('2026-03-08', '08:30'));
    expect(() => addWorkingMinutes(makeupOnly, d('2026-03-08', '09:00'), 61)).toThrow(RangeError);
    expect(() => workingDayMinutes({ ...makeupOnly, makeupHours: [] })).toThrow(RangeError);
  });
});
