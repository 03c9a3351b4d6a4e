/**
 * One year's public holidays and make-up workdays as the State Council publishes them each
 * autumn (国务院办公厅关于某年部分节假日安排的通知), typed into a table (docs/holiday-import.md):
 *
 *   日期 | 类型 | 节日
 *   2027-01-01 | 放假 | 元旦
 *   2027-02-06~2027-02-12 | 放假 | 春节        (a range: every day from the first to the last)
 *   2027-02-20 | 调休上班 | 春节
 *
 * Pure: cells in, the year's days or every problem out (row by row, all or nothing).
 */
import { formatLocalDate, parseLocalDate, weekdayOf } from './calendar.js';

export type HolidayCell = string | null;
export type HolidayKind = 'holiday' | 'makeup';

export interface HolidayDay {
  date: string;
  kind: HolidayKind;
  /** The festival, e.g. '春节'; a make-up day's note is '春节调休'. */
  note: string | null;
}

export type HolidayRowErrorCode =
  | 'COLUMN_MISSING'
  | 'COLUMN_UNKNOWN'
  | 'COLUMN_DUPLICATE'
  | 'NO_ROWS'
  | 'TOO_MANY_ROWS'
  | 'DATE_INVALID'
  | 'DATE_OUTSIDE_YEAR'
  | 'RANGE_INVALID'
  | 'KIND_INVALID'
  | 'MAKEUP_NOT_WEEKEND'
  | 'NOTE_TOO_LONG'
  | 'DATE_DUPLICATE';

export interface HolidayRowError {
  /** Row number in the file (1 = the header row). */
  row: number;
  column: string | null;
  code: HolidayRowErrorCode;
  value: string | null;
  message: { zh: string; en: string };
}

export const HOLIDAY_COLUMNS = { date: '日期', kind: '类型', note: '节日' } as const;
/** Also accepted for 节日. */
const NOTE_ALIASES = ['节日', '名称', '节假日', '备注'];
export const HOLIDAY_MAX_ROWS = 400;
/** The longest holiday the State Council has set is 9 days (春节 2026); a range is never a month. */
export const HOLIDAY_MAX_RANGE_DAYS = 31;
const NOTE_MAX = 40;

const KIND_BY_TEXT = new Map<string, HolidayKind>([
  ['放假', 'holiday'],
  ['休', 'holiday'],
  ['休息', 'holiday'],
  ['调休上班', 'makeup'],
  ['上班', 'makeup'],
  ['补班', 'makeup'],
  ['班', 'makeup'],
]);

/** 'YYYY-MM-DD', 'YYYY/M/D' or 'YYYY年M月D日' → 'YYYY-MM-DD', or null. */
export function normalizeDate(text: string): string | null {
  const m = /^(\d{4})(?:-|\/|年)(\d{1,2})(?:-|\/|月)(\d{1,2})日?$/.exec(text.trim());
  if (!m) return null;
  const iso = `${m[1]}-${(m[2] ?? '').padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}`;
  return parseLocalDate(iso) ? iso : null;
}

/** One date, or a range written 'a~b', 'a～b', 'a至b' or 'a—b' (inclusive). */
function datesOf(text: string): { dates: string[] } | { error: 'date' | 'range' } {
  const parts = text.split(/\s*(?:~|～|至|—|－|--)\s*/);
  if (parts.length > 2) return { error: 'date' };
  const ends = parts.map(normalizeDate);
  if (ends.some((d) => d === null)) return { error: 'date' };
  const [from, to = from] = ends as string[];
  const a = parseLocalDate(from as string)?.dayNumber ?? 0;
  const b = parseLocalDate(to as string)?.dayNumber ?? 0;
  if (b < a || b - a + 1 > HOLIDAY_MAX_RANGE_DAYS) return { error: 'range' };
  return { dates: Array.from({ length: b - a + 1 }, (_, i) => formatLocalDate(a + i)) };
}

export type HolidayTableResult =
  | { ok: true; year: number; days: HolidayDay[] }
  | { ok: false; errors: HolidayRowError[] };

/** Validates a whole table (first row = header) for `year`. */
export function readHolidayTable(
  cells: ReadonlyArray<ReadonlyArray<HolidayCell>>,
  year: number,
): HolidayTableResult {
  const errors: HolidayRowError[] = [];
  const header = (cells[0] ?? []).map((c) => (c ?? '').trim());
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    if (name === '') return;
    const key = NOTE_ALIASES.includes(name) ? HOLIDAY_COLUMNS.note : name;
    if (key !== HOLIDAY_COLUMNS.date && key !== HOLIDAY_COLUMNS.kind && key !== HOLIDAY_COLUMNS.note) {
      errors.push({
        row: 1,
        column: name,
        code: 'COLUMN_UNKNOWN',
        value: name,
        message: {
          zh: `未知的列"${name}"（应为 日期、类型、节日）`,
          en: `Unknown column "${name}" (expected 日期, 类型, 节日)`,
        },
      });
    } else if (index.has(key)) {
      errors.push({
        row: 1,
        column: name,
        code: 'COLUMN_DUPLICATE',
        value: name,
        message: { zh: `列"${key}"重复`, en: `Column "${key}" appears twice` },
      });
    } else index.set(key, i);
  });
  for (const name of [HOLIDAY_COLUMNS.date, HOLIDAY_COLUMNS.kind]) {
    if (!index.has(name)) {
      errors.push({
        row: 1,
        column: name,
        code: 'COLUMN_MISSING',
        value: null,
        message: { zh: `缺少必需的列"${name}"`, en: `Required column "${name}" is missing` },
      });
    }
  }
  const dataRows = cells
    .map((r, i) => ({ row: i + 1, cells: r }))
    .slice(1)
    .filter((r) => r.cells.some((c) => c !== null && c.trim() !== ''));
  if (dataRows.length === 0) {
    errors.push({
      row: 2,
      column: null,
      code: 'NO_ROWS',
      value: null,
      message: { zh: '表中没有数据行', en: 'The table has no data rows' },
    });
  } else if (dataRows.length > HOLIDAY_MAX_ROWS) {
    errors.push({
      row: HOLIDAY_MAX_ROWS + 2,
      column: null,
      code: 'TOO_MANY_ROWS',
      value: String(dataRows.length),
      message: {
        zh: `数据行不能超过${HOLIDAY_MAX_ROWS}行`,
        en: `At most ${HOLIDAY_MAX_ROWS} data rows are allowed`,
      },
    });
  }
  if (errors.length > 0) return { ok: false, errors };

  const days = new Map<string, { day: HolidayDay; row: number }>();
  for (const { row, cells: r } of dataRows) {
    const get = (name: string) => (r[index.get(name) ?? -1] ?? '').trim();
    const fail = (column: string | null, code: HolidayRowErrorCode, message: { zh: string; en: string }) =>
      errors.push({ row, column, code, value: column ? get(column) || null : null, message });
    const dateText = get(HOLIDAY_COLUMNS.date);
    const kindText = get(HOLIDAY_COLUMNS.kind);
    const note = get(HOLIDAY_COLUMNS.note);
    const kind = KIND_BY_TEXT.get(kindText);
    if (!kind) {
      fail(HOLIDAY_COLUMNS.kind, 'KIND_INVALID', {
        zh: '类型应为"放假"或"调休上班"',
        en: 'The type must be 放假 (holiday) or 调休上班 (make-up workday)',
      });
    }
    if ([...note].length > NOTE_MAX) {
      fail(HOLIDAY_COLUMNS.note, 'NOTE_TOO_LONG', {
        zh: `节日名称不能超过${NOTE_MAX}字`,
        en: `The name exceeds ${NOTE_MAX} characters`,
      });
    }
    const parsed = datesOf(dateText);
    if ('error' in parsed) {
      if (parsed.error === 'date') {
        fail(HOLIDAY_COLUMNS.date, 'DATE_INVALID', {
          zh: '日期格式错误：应为 YYYY-MM-DD 的真实日期（或用"~"连接的起止日期）',
          en: 'Malformed date: a real date YYYY-MM-DD (or a range "first~last")',
        });
      } else {
        fail(HOLIDAY_COLUMNS.date, 'RANGE_INVALID', {
          zh: `日期范围不正确：结束日期不能早于开始日期，且不超过${HOLIDAY_MAX_RANGE_DAYS}天`,
          en: `Invalid range: the last day is before the first, or it spans more than ${HOLIDAY_MAX_RANGE_DAYS} days`,
        });
      }
      continue;
    }
    const outside = parsed.dates.find((d) => !d.startsWith(`${year}-`));
    if (outside) {
      fail(HOLIDAY_COLUMNS.date, 'DATE_OUTSIDE_YEAR', {
        zh: `日期 ${outside} 不在 ${year} 年内`,
        en: `Date ${outside} is not in ${year}`,
      });
      continue;
    }
    if (kind === 'makeup') {
      const weekday = parsed.dates.find((d) => {
        const w = weekdayOf(parseLocalDate(d)?.dayNumber ?? 0);
        return w !== 0 && w !== 6;
      });
      if (weekday) {
        fail(HOLIDAY_COLUMNS.date, 'MAKEUP_NOT_WEEKEND', {
          zh: `调休上班日 ${weekday} 不是周六或周日（工作日本来就上班）`,
          en: `Make-up workday ${weekday} is not a Saturday or Sunday (a weekday is worked anyway)`,
        });
        continue;
      }
    }
    if (!kind) continue;
    for (const date of parsed.dates) {
      const first = days.get(date);
      if (first) {
        fail(HOLIDAY_COLUMNS.date, 'DATE_DUPLICATE', {
          zh: `日期 ${date} 已在第${first.row}行出现`,
          en: `Date ${date} already appears in row ${first.row}`,
        });
        break;
      }
      const label = note === '' ? null : kind === 'makeup' && !note.endsWith('调休') ? `${note}调休` : note;
      days.set(date, { day: { date, kind, note: label }, row });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const sorted = [...days.values()].map((d) => d.day).sort((a, b) => a.date.localeCompare(b.date));
  return { ok: true, year, days: sorted };
}

/** The template (and the 2027 example): header plus rows as in the notice. */
export const HOLIDAY_TEMPLATE_HEADER = [HOLIDAY_COLUMNS.date, HOLIDAY_COLUMNS.kind, HOLIDAY_COLUMNS.note];
