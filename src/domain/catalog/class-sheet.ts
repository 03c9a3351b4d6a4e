/**
 * Importing a class list (e.g. the official GB/T 47678.5 list) from the same spreadsheet layout:
 * only the class columns and 对应代码 are read, the standards columns are ignored.
 */
import type { LocalizedMessage } from '../codes.js';
import { KIND_LABELS, type Kind, LEVEL_LABELS, type Level, levelOfCode, type Scheme } from './codes.js';
import { type Cell, CLASS_COLUMNS, MAPPED_COLUMN, type RowError, type RowErrorCode } from './sheet.js';

export interface ImportedClass {
  kind: Kind;
  level: Level;
  code: string;
  name: string;
  parentCode: string | null;
  /** Ids of the counterparts in the other scheme named by 对应代码 (several: a split class). */
  mappedIds: number[];
  row: number;
}

export interface ClassSheetContext {
  scheme: Scheme;
  /** Classes of the other scheme by `${kind}:${code}`. */
  other: ReadonlyMap<string, { id: number; level: Level }>;
}

const KIND_BY_LABEL = new Map<string, Kind>(
  (Object.entries(KIND_LABELS) as Array<[Kind, string]>).map(([k, label]) => [label, k]),
);

export function validateClassSheet(
  cells: readonly (readonly Cell[])[],
  ctx: ClassSheetContext,
): { ok: true; classes: ImportedClass[] } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const header = (cells[0] ?? []).map((c) => c?.trim() ?? '');
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    if (name !== '' && !index.has(name)) index.set(name, i);
  });
  for (const name of CLASS_COLUMNS) {
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
  if (errors.length > 0) return { ok: false, errors };
  const classes = new Map<string, ImportedClass>();
  let dataRows = 0;
  cells.forEach((r, i) => {
    const row = i + 1;
    if (row === 1 || !r.some((c) => c !== null && c.trim() !== '')) return;
    dataRows++;
    const get = (name: string) => {
      const at = index.get(name);
      return at === undefined ? '' : (r[at] ?? '').trim();
    };
    const fail = (column: string, code: RowErrorCode, message: LocalizedMessage) =>
      errors.push({ row, column, code, value: get(column) || null, message });
    const kind = KIND_BY_LABEL.get(get('类型'));
    if (!kind) {
      fail('类型', 'KIND_INVALID', { zh: '类型应为"部件"或"事件"', en: 'The type must be 部件 or 事件' });
      return;
    }
    const levels: Array<[Level, string, string]> = [
      ['major', '大类代码', '大类名称'],
      ['minor', '小类代码', '小类名称'],
    ];
    if (get('细类代码') !== '' || get('细类名称') !== '') levels.push(['detail', '细类代码', '细类名称']);
    let parent: string | null = null;
    for (const [level, codeColumn, nameColumn] of levels) {
      const code = get(codeColumn);
      const name = get(nameColumn);
      if (levelOfCode(ctx.scheme, code) !== level || (parent !== null && !code.startsWith(parent))) {
        fail(codeColumn, 'CATEGORY_UNKNOWN', {
          zh: `${codeColumn} "${code}" 不是编码体系 ${ctx.scheme} 中${parent ? `上级 ${parent} 下` : ''}合法的${LEVEL_LABELS[level].zh}代码`,
          en: `"${code}" is not a valid ${LEVEL_LABELS[level].en} code${parent ? ` under ${parent}` : ''} in scheme ${ctx.scheme}`,
        });
        return;
      }
      if (name === '' || [...name].length > 60) {
        fail(nameColumn, 'TEXT_TOO_LONG', {
          zh: `${nameColumn}应为1～60字`,
          en: `${nameColumn} must have 1–60 characters`,
        });
        return;
      }
      const key = `${kind}:${code}`;
      const known = classes.get(key);
      const isRowClass = level === levels[levels.length - 1]?.[0];
      if (known && isRowClass) {
        fail(codeColumn, 'ROW_DUPLICATE', {
          zh: `与第${known.row}行重复（同一类别只能出现一次）`,
          en: `Duplicates row ${known.row} (each class may appear once)`,
        });
        return;
      }
      if (known && known.name !== name) {
        fail(nameColumn, 'NAME_MISMATCH', {
          zh: `代码 ${code} 的名称与第${known.row}行不一致`,
          en: `The name of code ${code} differs from row ${known.row}`,
        });
        return;
      }
      if (!known) classes.set(key, { kind, level, code, name, parentCode: parent, mappedIds: [], row });
      parent = code;
    }
    const mapped = get(MAPPED_COLUMN);
    if (mapped === '' || parent === null) return;
    const rowClass = classes.get(`${kind}:${parent}`);
    // The mapping is many-to-many: 对应代码 may list several codes (as the export writes them).
    for (const code of mapped.split(/[、,，;；\s]+/).filter((c) => c !== '')) {
      const target = ctx.other.get(`${kind}:${code}`);
      if (!rowClass || !target || target.level !== rowClass.level) {
        fail(MAPPED_COLUMN, 'CATEGORY_UNKNOWN', {
          zh: `对应代码 "${code}" 在另一编码体系中不是同层级的${KIND_LABELS[kind]}类别`,
          en: `Mapped code "${code}" is no ${kind} class of the same level in the other scheme`,
        });
        return;
      }
      if (!rowClass.mappedIds.includes(target.id)) rowClass.mappedIds.push(target.id);
    }
  });
  if (dataRows === 0) {
    errors.push({
      row: 2,
      column: null,
      code: 'NO_ROWS',
      value: null,
      message: { zh: '文件中没有数据行', en: 'The file has no data rows' },
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, classes: [...classes.values()] };
}
