/**
 * Test fixtures: the 2026 holiday arrangement from 国务院办公厅关于2026年部分节假日安排的通知
 * (published 2025-11-04, e.g. https://politics.gmw.cn/2025-11/04/content_38391083.htm).
 * Holidays list every day off inside each block (weekend days included; harmless).
 */
import { standardOfficeCalendar, type WorkingCalendar } from './calendar.js';
import type { HolidayCell } from './holiday-table.js';

function range(from: string, lastDay: number): string[] {
  const prefix = from.slice(0, 8);
  const first = Number(from.slice(8));
  return Array.from(
    { length: lastDay - first + 1 },
    (_, i) => `${prefix}${String(first + i).padStart(2, '0')}`,
  );
}

export const HOLIDAYS_2026: string[] = [
  ...range('2026-01-01', 3), // 元旦
  ...range('2026-02-15', 23), // 春节
  ...range('2026-04-04', 6), // 清明节
  ...range('2026-05-01', 5), // 劳动节
  ...range('2026-06-19', 21), // 端午节
  ...range('2026-09-25', 27), // 中秋节
  ...range('2026-10-01', 7), // 国庆节
];

export const MAKEUP_WORKDAYS_2026: string[] = [
  '2026-01-04', // Sun, 元旦
  '2026-02-14', // Sat, 春节
  '2026-02-28', // Sat, 春节
  '2026-05-09', // Sat, 劳动节
  '2026-09-20', // Sun, 国庆节
  '2026-10-10', // Sat, 国庆节
];

export const office2026 = (): WorkingCalendar => standardOfficeCalendar(HOLIDAYS_2026, MAKEUP_WORKDAYS_2026);

/** A local China time: at('2026-03-06 16:00') = 2026-03-06T08:00:00Z. */
export const at = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);

/**
 * An example 2027 table in the shape of the State Council's notice (元旦, 春节 … 国庆节; ranges
 * as the notice writes them). Illustrative dates: the import, not this file, carries the
 * published ones.
 */
export const HOLIDAY_TABLE_2027: HolidayCell[][] = [
  ['日期', '类型', '节日'],
  ['2027-01-01~2027-01-03', '放假', '元旦'],
  ['2027-01-30', '调休上班', '春节'],
  ['2027-02-05~2027-02-13', '放假', '春节'],
  ['2027-02-20', '调休上班', '春节'],
  ['2027-04-03~2027-04-05', '放假', '清明节'],
  ['2027-04-25', '调休上班', '劳动节'],
  ['2027-05-01~2027-05-05', '放假', '劳动节'],
  ['2027-05-08', '调休上班', '劳动节'],
  ['2027-06-09', '放假', '端午节'],
  ['2027-09-15', '放假', '中秋节'],
  ['2027-09-26', '调休上班', '国庆节'],
  ['2027-10-01~2027-10-07', '放假', '国庆节'],
  ['2027-10-09', '调休上班', '国庆节'],
];
