/**
 * One row of a component import file (CSV line, sheet row or GeoJSON feature) → a component
 * input, or the row's field errors in Chinese and English. Pure: the checks that need the
 * database (catalog, grids, departments, existing ids) come later.
 */
import { validateComponentCode } from '../codes.js';
import { isRegisteringDivision, schemeOfCategory } from './ids.js';
import { ACCURACY_CLASSES, type AccuracyClass, type ComponentState, parseState } from './states.js';

export interface ComponentInput {
  id?: string | undefined;
  categoryCode?: string | undefined;
  divisionCode?: string | undefined;
  name: string;
  lng: number;
  lat: number;
  gridCode?: string | undefined;
  managingDepartment?: string | undefined;
  owningDepartment?: string | undefined;
  maintainingDepartment?: string | undefined;
  state: ComponentState;
  startDate?: string | undefined;
  changeDate?: string | undefined;
  dataSource?: string | undefined;
  accuracyClass?: AccuracyClass | undefined;
  note?: string | undefined;
}

/** Error codes a row can carry (all are in the platform's error catalogue). */
export type RowErrorCode =
  | 'COMPONENT_CODE_FORMAT'
  | 'COMPONENT_FIELD_INVALID'
  | 'COMPONENT_CATEGORY_UNKNOWN'
  | 'COMPONENT_GRID_INVALID'
  | 'COMPONENT_DEPARTMENT_UNKNOWN'
  | 'COMPONENT_ID_TAKEN'
  | 'DIVISION_INVALID'
  | 'NOT_FOUND';

export interface RowError {
  /** 1-based: the sheet/CSV row (header = 1) or the GeoJSON feature number. */
  row: number;
  field: string;
  code: RowErrorCode;
  message: { zh: string; en: string };
}

/** Import/export columns: the English key (used by exports) and the Chinese header also accepted. */
export const COMPONENT_COLUMNS = [
  { key: 'id', zh: '部件编码' },
  { key: 'name', zh: '部件名称' },
  { key: 'category', zh: '小类代码' },
  { key: 'division', zh: '行政区划代码' },
  { key: 'lng', zh: '经度' },
  { key: 'lat', zh: '纬度' },
  { key: 'grid', zh: '单元网格编码' },
  { key: 'state', zh: '状态' },
  { key: 'managing', zh: '主管部门' },
  { key: 'owning', zh: '权属单位' },
  { key: 'maintaining', zh: '养护单位' },
  { key: 'startDate', zh: '初始日期' },
  { key: 'changeDate', zh: '变更日期' },
  { key: 'dataSource', zh: '数据来源' },
  { key: 'accuracy', zh: '精度等级' },
  { key: 'note', zh: '备注' },
] as const;

export type ColumnKey = (typeof COMPONENT_COLUMNS)[number]['key'];

/** Header text (English key or Chinese name, any case/spacing) → column key, or null. */
export function columnKeyOf(header: string): ColumnKey | null {
  const h = header.trim();
  const col = COMPONENT_COLUMNS.find((c) => c.key.toLowerCase() === h.toLowerCase() || c.zh === h);
  return col?.key ?? null;
}

const LABELS = new Map<string, string>(COMPONENT_COLUMNS.map((c) => [c.key, c.zh]));

/** A row error whose messages name the row and the column (Chinese name in the zh text). */
export function rowError(row: number, field: string, code: RowErrorCode, zh: string, en: string): RowError {
  const label = LABELS.get(field);
  return {
    row,
    field,
    code,
    message: {
      zh: `第 ${row} 行「${label ? `${label} ${field}` : field}」：${zh}`,
      en: `Row ${row}, ${field}: ${en}`,
    },
  };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date 'YYYY-MM-DD' (no 2025-02-30). */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

const LIMITS = { name: 60, dataSource: 60, note: 500, department: 40 } as const;

/**
 * Parses one record whose keys are column keys. Values may be strings (CSV), numbers and
 * dates (sheets, GeoJSON); empty strings and nulls count as missing.
 */
export function parseComponentRecord(
  row: number,
  record: Partial<Record<ColumnKey, unknown>>,
): { input: ComponentInput; errors: [] } | { input: null; errors: RowError[] } {
  const errors: RowError[] = [];
  const fail = (field: ColumnKey, zh: string, en: string, code: RowErrorCode = 'COMPONENT_FIELD_INVALID') => {
    errors.push(rowError(row, field, code, zh, en));
    return undefined;
  };
  const text = (field: ColumnKey, max: number): string | undefined => {
    const v = record[field];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string' && typeof v !== 'number') return fail(field, '应为文本', 'must be text');
    const s = String(v).trim();
    if (s === '') return undefined;
    if ([...s].length > max)
      return fail(field, `不能超过 ${max} 个字符`, `must be at most ${max} characters`);
    return s;
  };
  const digits = (field: ColumnKey): string | undefined => {
    const v = record[field];
    // Sheets store long digit strings as numbers: beyond 2^53 the digits are already lost.
    if (typeof v === 'number' && !Number.isSafeInteger(v)) {
      return fail(
        field,
        '数字过长已失真，请将该列设为文本格式',
        'too long for a number cell; store the column as text',
      );
    }
    return text(field, 20);
  };
  const coordinate = (field: 'lng' | 'lat', min: number, max: number): number | undefined => {
    const v = record[field];
    const n =
      typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : Number.NaN;
    if (v === undefined || v === null || v === '') return fail(field, '必填', 'is required');
    if (!Number.isFinite(n) || n < min || n > max) {
      return fail(
        field,
        `应为 ${min} 到 ${max} 之间的数字（WGS84 度）`,
        `must be a number from ${min} to ${max} (WGS84 degrees)`,
      );
    }
    return n;
  };
  const date = (field: 'startDate' | 'changeDate'): string | undefined => {
    const v = record[field];
    if (v instanceof Date) {
      if (Number.isNaN(v.getTime())) return fail(field, '日期无效', 'is not a valid date');
      return v.toISOString().slice(0, 10);
    }
    const s = text(field, 10);
    if (s !== undefined && !isCalendarDate(s)) {
      return fail(field, '应为 YYYY-MM-DD 格式的日期', 'must be a date as YYYY-MM-DD');
    }
    return s;
  };

  const id = digits('id');
  if (id !== undefined) {
    const v = validateComponentCode(id);
    if (!v.ok) fail('id', v.message.zh, v.message.en, 'COMPONENT_CODE_FORMAT');
  }
  const categoryCode = digits('category');
  if (categoryCode !== undefined && schemeOfCategory(categoryCode) === null) {
    fail(
      'category',
      '应为4位（大类2位+小类2位）或5位（2+3）数字',
      'must be 4 digits (2 major + 2 minor) or 5 digits (2+3)',
    );
  }
  if (id === undefined && categoryCode === undefined) {
    fail('category', '未给出部件编码时必须给出小类代码', 'is required when no component id is given');
  }
  const divisionCode = digits('division');
  if (divisionCode !== undefined && !isRegisteringDivision(divisionCode)) {
    fail(
      'division',
      '应为6位市或区县行政区划代码',
      'must be a 6-digit city or county division code',
      'DIVISION_INVALID',
    );
  }
  const name = text('name', LIMITS.name);
  if (name === undefined && !errors.some((e) => e.field === 'name')) fail('name', '必填', 'is required');
  const lng = coordinate('lng', -180, 180);
  const lat = coordinate('lat', -90, 90);
  const gridCode = digits('grid');
  if (gridCode !== undefined && !/^\d{15}$/.test(gridCode)) {
    fail('grid', '应为15位单元网格编码', 'must be a 15-digit unit grid code', 'COMPONENT_GRID_INVALID');
  }
  const rawState = text('state', 20);
  const state = rawState === undefined ? 'intact' : parseState(rawState);
  if (state === null) {
    fail(
      'state',
      '应为 完好/破损/丢失/占用（或 intact/damaged/missing/occupied）',
      'must be intact, damaged, missing or occupied (完好/破损/丢失/占用)',
    );
  }
  const departments = {
    managingDepartment: text('managing', LIMITS.department),
    owningDepartment: text('owning', LIMITS.department),
    maintainingDepartment: text('maintaining', LIMITS.department),
  };
  const startDate = date('startDate');
  const changeDate = date('changeDate');
  if (startDate && changeDate && changeDate < startDate) {
    fail('changeDate', `不能早于初始日期 ${startDate}`, `must not be before the start date ${startDate}`);
  }
  const rawAccuracy = text('accuracy', 1);
  const accuracyClass = ACCURACY_CLASSES.find((a) => a === rawAccuracy?.toUpperCase());
  if (rawAccuracy !== undefined && accuracyClass === undefined) {
    fail(
      'accuracy',
      '应为 A（≤0.5米）、B（≤1米）或 C（≤10米）',
      'must be A (≤ 0.5 m), B (≤ 1 m) or C (≤ 10 m)',
    );
  }
  const dataSource = text('dataSource', LIMITS.dataSource);
  const note = text('note', LIMITS.note);

  if (errors.length > 0 || name === undefined || lng === undefined || lat === undefined || state === null) {
    return { input: null, errors };
  }
  return {
    input: {
      id,
      categoryCode,
      divisionCode,
      name,
      lng,
      lat,
      gridCode,
      ...departments,
      state,
      startDate,
      changeDate,
      dataSource,
      accuracyClass,
      note,
    },
    errors: [],
  };
}
