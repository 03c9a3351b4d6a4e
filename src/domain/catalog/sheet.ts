/**
 * The column layout of the standards table spreadsheet (docs/standards-xlsx.md) and the
 * row-by-row validation of an uploaded one. Pure: cells in, rows or every error out.
 */
import type { LocalizedMessage } from '../codes.js';
import { KIND_LABELS, type Kind, type Level, type Scheme } from './codes.js';
import { type StandardContent, URGENCIES, URGENCY_LABELS, type Urgency } from './defaults.js';
import {
  formatLimit,
  LIMIT_COLUMNS,
  type LimitColumn,
  parseLimitText,
  URGENT_LIMIT_COLUMNS,
} from './limits.js';

export type Cell = string | null;

export const CLASS_COLUMNS = [
  '类型',
  '大类代码',
  '大类名称',
  '小类代码',
  '小类名称',
  '细类代码',
  '细类名称',
] as const;
export const CONTENT_COLUMNS = ['立案条件', '结案条件', '紧急程度', '责任部门'] as const;
/**
 * 核查须拍照: whether the supervisor's 核查 must carry photos (是 / 否). Always written on export;
 * optional on import (a sheet without it asks for none, as before the column existed).
 */
export const CHECK_PHOTOS_COLUMN = '核查须拍照';
const YES_NO = new Map([
  ['是', true],
  ['否', false],
  ['', false],
]);
/** Informational: the class's code in the other scheme. Written on export, ignored on import. */
export const MAPPED_COLUMN = '对应代码';
/** The columns every sheet has (the 紧急 / 特急 limit columns are optional: URGENT_LIMIT_COLUMNS). */
export const COLUMNS: readonly string[] = [
  ...CLASS_COLUMNS,
  ...CONTENT_COLUMNS,
  ...LIMIT_COLUMNS.map((c) => c.header),
  MAPPED_COLUMN,
];
const REQUIRED = COLUMNS.filter((c) => c !== MAPPED_COLUMN);
const KNOWN = new Set([...COLUMNS, ...URGENT_LIMIT_COLUMNS.map((c) => c.header), CHECK_PHOTOS_COLUMN]);
const ALL_LIMIT_COLUMNS: readonly LimitColumn[] = [...LIMIT_COLUMNS, ...URGENT_LIMIT_COLUMNS];

/** The 紧急 / 特急 columns of the levels some row uses, in the sheet's order. */
export function urgentColumnsOf(rows: readonly ExportRow[]): LimitColumn[] {
  const used = new Set(rows.flatMap((r) => r.standard?.limits.map((l) => l.urgency) ?? []));
  return URGENT_LIMIT_COLUMNS.filter((c) => used.has(c.urgency));
}

export const MAX_TEXT = 2000;
export const MAX_ROWS = 5000;

export interface SheetCategory {
  id: number;
  kind: Kind;
  level: Level;
  code: string;
  name: string;
  active: boolean;
}

export interface SheetContext {
  scheme: Scheme;
  /** By `${kind}:${code}`. */
  categories: ReadonlyMap<string, SheetCategory>;
  departmentCodes: ReadonlySet<string>;
}

export type RowErrorCode =
  | 'COLUMN_MISSING'
  | 'COLUMN_UNKNOWN'
  | 'COLUMN_DUPLICATE'
  | 'NO_ROWS'
  | 'TOO_MANY_ROWS'
  | 'KIND_INVALID'
  | 'CODE_REQUIRED'
  | 'CATEGORY_UNKNOWN'
  | 'CATEGORY_INACTIVE'
  | 'CODE_MISMATCH'
  | 'NAME_MISMATCH'
  | 'TEXT_TOO_LONG'
  | 'URGENCY_INVALID'
  | 'DEPARTMENT_UNKNOWN'
  | 'TIME_LIMIT_INVALID'
  | 'CHECK_PHOTOS_INVALID'
  | 'ROW_DUPLICATE';

export interface RowError {
  /** Spreadsheet row number (1 = the header row). */
  row: number;
  column: string | null;
  code: RowErrorCode;
  value: string | null;
  message: LocalizedMessage;
}

export interface ImportedRow {
  row: number;
  categoryId: number;
  /** null: the row lists the class without a standard (all content cells blank). */
  standard: StandardContent | null;
}

export interface ExportRow {
  kind: Kind;
  major: { code: string; name: string };
  minor: { code: string; name: string };
  detail: { code: string; name: string } | null;
  mappedCode: string | null;
  standard: StandardContent | null;
}

const KIND_BY_LABEL = new Map<string, Kind>(
  (Object.entries(KIND_LABELS) as Array<[Kind, string]>).map(([k, label]) => [label, k]),
);
const URGENCY_BY_LABEL = new Map<string, Urgency>(URGENCIES.map((u) => [URGENCY_LABELS[u], u]));

export function splitDepartments(text: string): string[] {
  return [...new Set(text.split(/[、,，;；\s]+/).filter(Boolean))];
}

/** Header + one row per class, in the order given; 紧急 / 特急 columns only for levels in use. */
export function exportCells(rows: readonly ExportRow[]): Cell[][] {
  const urgent = urgentColumnsOf(rows);
  const limitKey = (step: string, area: string, urgency: string) => `${step}:${area}:${urgency}`;
  const body = rows.map((r): Cell[] => {
    const s = r.standard;
    const limit = new Map(
      s?.limits.map((l) => [limitKey(l.step, l.areaClass, l.urgency), formatLimit(l.limit)]) ?? [],
    );
    const cellOf = (c: LimitColumn) => limit.get(limitKey(c.step, c.area, c.urgency)) ?? null;
    return [
      KIND_LABELS[r.kind],
      r.major.code,
      r.major.name,
      r.minor.code,
      r.minor.name,
      r.detail?.code ?? null,
      r.detail?.name ?? null,
      s?.filingConditions || null,
      s?.closingConditions || null,
      s ? URGENCY_LABELS[s.defaultUrgency] : null,
      s?.departmentCodes.join('、') || null,
      ...LIMIT_COLUMNS.map(cellOf),
      r.mappedCode,
      ...urgent.map(cellOf),
      s ? (s.checkPhotos ? '是' : '否') : null,
    ];
  });
  return [[...COLUMNS, ...urgent.map((c) => c.header), CHECK_PHOTOS_COLUMN], ...body];
}

const msg = (zh: string, en: string): LocalizedMessage => ({ zh, en });

/** Validates a whole sheet (first row = header). Returns every problem, or the rows. */
export function validateSheet(
  cells: readonly (readonly Cell[])[],
  ctx: SheetContext,
): { ok: true; rows: ImportedRow[] } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const header = (cells[0] ?? []).map((c) => c?.trim() ?? '');
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    if (name === '') return;
    if (!KNOWN.has(name)) {
      errors.push({
        row: 1,
        column: name,
        code: 'COLUMN_UNKNOWN',
        value: name,
        message: msg(`未知的列"${name}"`, `Unknown column "${name}"`),
      });
    } else if (index.has(name)) {
      errors.push({
        row: 1,
        column: name,
        code: 'COLUMN_DUPLICATE',
        value: name,
        message: msg(`列"${name}"重复`, `Column "${name}" appears twice`),
      });
    } else index.set(name, i);
  });
  for (const name of REQUIRED) {
    if (!index.has(name)) {
      errors.push({
        row: 1,
        column: name,
        code: 'COLUMN_MISSING',
        value: null,
        message: msg(`缺少必需的列"${name}"`, `Required column "${name}" is missing`),
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
      message: msg('文件中没有数据行', 'The file has no data rows'),
    });
  }
  if (dataRows.length > MAX_ROWS) {
    errors.push({
      row: MAX_ROWS + 2,
      column: null,
      code: 'TOO_MANY_ROWS',
      value: String(dataRows.length),
      message: msg(`数据行不能超过${MAX_ROWS}行`, `At most ${MAX_ROWS} data rows are allowed`),
    });
  }
  // Without the class columns no row can be placed: report the header problems only. A missing
  // content column is reported once above; its cells are not checked row by row.
  if (dataRows.length === 0 || dataRows.length > MAX_ROWS || CLASS_COLUMNS.some((c) => !index.has(c))) {
    return { ok: false, errors };
  }

  const rows: ImportedRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells: r } of dataRows) {
    const get = (name: string): string => {
      const i = index.get(name);
      return i === undefined ? '' : (r[i] ?? '').trim();
    };
    const fail = (column: string | null, code: RowErrorCode, zh: string, en: string) => {
      errors.push({ row, column, code, value: column ? get(column) || null : null, message: msg(zh, en) });
    };
    const placed = placeRow(get, fail, ctx);
    const content = readContent(get, fail, ctx, index);
    if (!placed) continue;
    const key = `${placed.kind}:${placed.code}`;
    const first = seen.get(key);
    if (first !== undefined) {
      fail(
        placed.level === 'detail' ? '细类代码' : '小类代码',
        'ROW_DUPLICATE',
        `与第${first}行重复（同一类别只能出现一次）`,
        `Duplicates row ${first} (each class may appear once)`,
      );
      continue;
    }
    seen.set(key, row);
    if (content !== undefined) rows.push({ row, categoryId: placed.id, standard: content });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows };
}

type Fail = (column: string | null, code: RowErrorCode, zh: string, en: string) => void;

/** Finds the row's class: 小类 or, when 细类代码 is filled, 细类. */
function placeRow(get: (name: string) => string, fail: Fail, ctx: SheetContext): SheetCategory | null {
  const kindText = get('类型');
  const kind = KIND_BY_LABEL.get(kindText);
  if (!kind) {
    fail(
      '类型',
      'KIND_INVALID',
      '类型应为"部件"或"事件"',
      'The type must be "部件" (component) or "事件" (event)',
    );
    return null;
  }
  const lookup = (column: string, level: Level): SheetCategory | null => {
    const code = get(column);
    if (code === '') {
      fail(column, 'CODE_REQUIRED', `${column}不能为空`, `${column} is required`);
      return null;
    }
    const c = ctx.categories.get(`${kind}:${code}`);
    if (!c || c.level !== level) {
      fail(
        column,
        'CATEGORY_UNKNOWN',
        `${KIND_LABELS[kind]}${column.slice(0, 2)} "${code}" 在编码体系 ${ctx.scheme} 中不存在`,
        `No ${kind} ${level} class "${code}" in scheme ${ctx.scheme}`,
      );
      return null;
    }
    if (!c.active) {
      fail(column, 'CATEGORY_INACTIVE', `类别 ${code} 已停用`, `Class ${code} is deactivated`);
      return null;
    }
    return c;
  };
  const checkName = (c: SheetCategory, column: string) => {
    if (get(column) !== c.name) {
      fail(
        column,
        'NAME_MISMATCH',
        `代码 ${c.code} 的名称应为"${c.name}"`,
        `The name of code ${c.code} must be "${c.name}"`,
      );
    }
  };
  const major = lookup('大类代码', 'major');
  const minor = lookup('小类代码', 'minor');
  if (major) checkName(major, '大类名称');
  if (minor) checkName(minor, '小类名称');
  if (major && minor && !minor.code.startsWith(major.code)) {
    fail(
      '小类代码',
      'CODE_MISMATCH',
      `小类 ${minor.code} 不属于大类 ${major.code}`,
      `Minor class ${minor.code} is not under major class ${major.code}`,
    );
    return null;
  }
  if (!major || !minor) return null;
  if (get('细类代码') === '' && get('细类名称') === '') return minor;
  const detail = lookup('细类代码', 'detail');
  if (!detail) return null;
  checkName(detail, '细类名称');
  if (!detail.code.startsWith(minor.code)) {
    fail(
      '细类代码',
      'CODE_MISMATCH',
      `细类 ${detail.code} 不属于小类 ${minor.code}`,
      `Detail class ${detail.code} is not under minor class ${minor.code}`,
    );
    return null;
  }
  return detail;
}

/** The standard of a row; null when all content cells are blank; undefined when invalid. */
function readContent(
  get: (name: string) => string,
  fail: Fail,
  ctx: SheetContext,
  index: ReadonlyMap<string, number>,
): StandardContent | null | undefined {
  const contentCells = [...CONTENT_COLUMNS, ...ALL_LIMIT_COLUMNS.map((c) => c.header), CHECK_PHOTOS_COLUMN];
  if (contentCells.every((c) => get(c) === '')) return null;
  let ok = true;
  for (const column of ['立案条件', '结案条件']) {
    if ([...get(column)].length > MAX_TEXT) {
      ok = false;
      fail(
        column,
        'TEXT_TOO_LONG',
        `${column}不能超过${MAX_TEXT}字`,
        `${column} exceeds ${MAX_TEXT} characters`,
      );
    }
  }
  const urgency = URGENCY_BY_LABEL.get(get('紧急程度'));
  if (!urgency && index.has('紧急程度')) {
    ok = false;
    fail(
      '紧急程度',
      'URGENCY_INVALID',
      '紧急程度应为"一般"、"紧急"或"特急"',
      'The urgency must be 一般, 紧急 or 特急',
    );
  }
  const departmentCodes = splitDepartments(get('责任部门'));
  const unknown = departmentCodes.filter((d) => !ctx.departmentCodes.has(d));
  if (unknown.length > 0) {
    ok = false;
    fail(
      '责任部门',
      'DEPARTMENT_UNKNOWN',
      `部门代码不存在：${unknown.join('、')}`,
      `Unknown department codes: ${unknown.join(', ')}`,
    );
  }
  const checkPhotos = YES_NO.get(get(CHECK_PHOTOS_COLUMN));
  if (checkPhotos === undefined) {
    ok = false;
    fail(
      CHECK_PHOTOS_COLUMN,
      'CHECK_PHOTOS_INVALID',
      `${CHECK_PHOTOS_COLUMN}应为"是"或"否"`,
      `${CHECK_PHOTOS_COLUMN} (photos required at 核查) must be 是 (yes) or 否 (no)`,
    );
  }
  const limits: StandardContent['limits'] = [];
  for (const c of ALL_LIMIT_COLUMNS) {
    const text = get(c.header);
    if (text === '') continue;
    const limit = parseLimitText(text);
    if (!limit) {
      ok = false;
      fail(
        c.header,
        'TIME_LIMIT_INVALID',
        `时限"${text}"格式错误：应为正数加单位（分钟、小时、工作时、工作日），如"30分钟"、"6小时"、"4工作时"、"1工作日"`,
        `Time limit "${text}" is malformed: a positive number and a unit (分钟 minutes, 小时 calendar hours, 工作时 working hours, 工作日 working days), e.g. "6小时"`,
      );
    } else limits.push({ step: c.step, areaClass: c.area, urgency: c.urgency, limit });
  }
  if (!ok || !urgency) return undefined;
  return {
    filingConditions: get('立案条件'),
    closingConditions: get('结案条件'),
    defaultUrgency: urgency,
    departmentCodes,
    checkPhotos: checkPhotos === true,
    limits,
  };
}
