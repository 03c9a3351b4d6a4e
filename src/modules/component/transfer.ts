/**
 * Bulk import (GeoJSON, CSV, xlsx) and export of components. An import is all or nothing:
 * every row is checked first, and any row error refuses the whole file.
 */

import ExcelJS from 'exceljs';
import { CsvSyntaxError, parseCsv, toCsv } from '../../domain/component/csv.js';
import {
  COMPONENT_COLUMNS,
  type ColumnKey,
  type ComponentInput,
  columnKeyOf,
  parseComponentRecord,
  type RowError,
  rowError,
} from '../../domain/component/record.js';
import { STATE_LABELS } from '../../domain/component/states.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { looksLikeZip } from '../../platform/http/zip-check.js';
import { prepareComponents } from './prepare.js';
import { type ComponentFilters, listComponentRows } from './repo.js';
import { insertPrepared } from './service.js';

export type ImportFormat = 'geojson' | 'csv' | 'xlsx';
export const IMPORT_MAX_ROWS = 50_000;
export const EXPORT_MAX_ROWS = 100_000;
/** Errors listed in the response; the count covers them all. */
const ERRORS_SHOWN = 500;

type RawRecord = { row: number; record: Partial<Record<ColumnKey, unknown>> };

const unreadable = (zh: string, en: string, details: Record<string, unknown> = {}) =>
  new AppError('COMPONENT_IMPORT_FORMAT', {
    details,
    message: { zh: `部件文件无法读取：${zh}`, en: `The component file cannot be read: ${en}` },
  });

/** Maps a header row to column keys; unknown or repeated headers are row-1 errors. */
function headerKeys(headers: readonly string[], errors: RowError[]): Array<ColumnKey | null> {
  const seen = new Set<ColumnKey>();
  return headers.map((h) => {
    if (h.trim() === '') return null;
    const key = columnKeyOf(h);
    if (!key) {
      const known = COMPONENT_COLUMNS.map((c) => c.key).join(', ');
      errors.push(
        rowError(
          1,
          h,
          'COMPONENT_FIELD_INVALID',
          `未知的列，可用列：${known}`,
          `unknown column; known columns: ${known}`,
        ),
      );
      return null;
    }
    if (seen.has(key)) errors.push(rowError(1, h, 'COMPONENT_FIELD_INVALID', '列重复', 'repeated column'));
    seen.add(key);
    return key;
  });
}

/** Sheet rows → records (row numbers as in the file; blank rows skipped). */
function tableRecords(table: ReadonlyArray<ReadonlyArray<unknown>>, errors: RowError[]): RawRecord[] {
  const [header, ...body] = table;
  if (!header) throw unreadable('没有表头行', 'there is no header row');
  const keys = headerKeys(
    header.map((h) => (h === null || h === undefined ? '' : String(h))),
    errors,
  );
  const records: RawRecord[] = [];
  body.forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((c) => c === null || c === undefined || c === '')) return;
    if (cells.length > keys.length && cells.slice(keys.length).some((c) => c !== null && c !== '')) {
      errors.push(
        rowError(
          row,
          '*',
          'COMPONENT_FIELD_INVALID',
          `字段数多于表头的 ${keys.length} 列`,
          `more fields than the ${keys.length} header columns`,
        ),
      );
    }
    const record: RawRecord['record'] = {};
    keys.forEach((k, j) => {
      if (k) record[k] = cells[j];
    });
    records.push({ row, record });
  });
  return records;
}

function csvRecords(body: Buffer, errors: RowError[]): RawRecord[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    // Excel in China saves CSV as GBK unless told otherwise.
    text = new TextDecoder('gb18030').decode(body);
  }
  try {
    return tableRecords(parseCsv(text), errors);
  } catch (e) {
    if (e instanceof CsvSyntaxError)
      throw unreadable(`第 ${e.row} 行的引号未闭合`, e.message, { row: e.row });
    throw e;
  }
}

function cellValue(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v !== 'object') return v;
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('text' in v && typeof v.text === 'string') return v.text;
  if ('result' in v) return v.result === undefined ? null : cellValue(v.result as ExcelJS.CellValue);
  return String(v);
}

async function xlsxRecords(body: Buffer, errors: RowError[]): Promise<RawRecord[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
  } catch {
    throw unreadable('不是有效的 xlsx 工作簿', 'not a readable .xlsx workbook');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw unreadable('工作簿没有工作表', 'the workbook has no sheet');
  if (sheet.rowCount > IMPORT_MAX_ROWS + 1) throw tooMany(sheet.rowCount - 1);
  const table: unknown[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: unknown[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellValue(row.getCell(c).value));
    table.push(cells);
  }
  return tableRecords(table, errors);
}

function geojsonRecords(body: unknown, errors: RowError[]): RawRecord[] {
  const fc = body as { type?: unknown; features?: unknown };
  if (
    typeof body !== 'object' ||
    body === null ||
    fc.type !== 'FeatureCollection' ||
    !Array.isArray(fc.features)
  ) {
    throw unreadable('应为 GeoJSON FeatureCollection', 'expected a GeoJSON FeatureCollection');
  }
  if (fc.features.length > IMPORT_MAX_ROWS) throw tooMany(fc.features.length);
  return fc.features.map((f: unknown, i) => {
    const row = i + 1;
    const feature = (f ?? {}) as {
      type?: unknown;
      geometry?: { type?: unknown; coordinates?: unknown };
      properties?: unknown;
    };
    const record: RawRecord['record'] = {};
    const coords = feature.geometry?.coordinates;
    if (
      feature.type !== 'Feature' ||
      feature.geometry?.type !== 'Point' ||
      !Array.isArray(coords) ||
      coords.length < 2 ||
      typeof coords[0] !== 'number' ||
      typeof coords[1] !== 'number'
    ) {
      errors.push(
        rowError(
          row,
          'geometry',
          'COMPONENT_FIELD_INVALID',
          '应为点要素（Point，[经度, 纬度]）',
          'must be a Point feature with [lng, lat]',
        ),
      );
    } else {
      record.lng = coords[0];
      record.lat = coords[1];
    }
    const props = feature.properties ?? {};
    if (typeof props !== 'object' || Array.isArray(props)) {
      errors.push(rowError(row, 'properties', 'COMPONENT_FIELD_INVALID', '应为对象', 'must be an object'));
      return { row, record };
    }
    for (const [name, value] of Object.entries(props)) {
      const key = columnKeyOf(name);
      if (!key || key === 'lng' || key === 'lat') {
        const why = key ? '坐标只能由 geometry 给出' : '未知的属性';
        errors.push(
          rowError(
            row,
            name,
            'COMPONENT_FIELD_INVALID',
            why,
            key ? 'coordinates come from the geometry only' : 'unknown property',
          ),
        );
        continue;
      }
      record[key] = value;
    }
    return { row, record };
  });
}

const tooMany = (n: number) =>
  unreadable(
    `行数 ${n} 超过上限 ${IMPORT_MAX_ROWS}，请拆分文件`,
    `${n} rows exceed the limit of ${IMPORT_MAX_ROWS}; split the file`,
    {
      rows: n,
      max: IMPORT_MAX_ROWS,
    },
  );

/**
 * What the request checks before queueing the import (a 400 that changes nothing): a body, and
 * for GeoJSON a FeatureCollection of not too many features. Answers the bytes the job reads.
 */
export function importBodyOf(format: ImportFormat, body: unknown): Buffer {
  if (format === 'geojson') {
    const fc = body as { type?: unknown; features?: unknown };
    if (
      typeof body !== 'object' ||
      body === null ||
      fc.type !== 'FeatureCollection' ||
      !Array.isArray(fc.features)
    ) {
      throw unreadable('应为 GeoJSON FeatureCollection', 'expected a GeoJSON FeatureCollection');
    }
    if (fc.features.length > IMPORT_MAX_ROWS) throw tooMany(fc.features.length);
    if (fc.features.length === 0) throw unreadable('没有数据行', 'there are no data rows');
    return Buffer.from(JSON.stringify(body));
  }
  if (!Buffer.isBuffer(body) || body.length === 0) throw unreadable('请求体为空', 'the body is empty');
  if (format === 'xlsx' && !looksLikeZip(body)) {
    throw unreadable('不是有效的 xlsx 文件', 'not a readable .xlsx workbook');
  }
  return body;
}

/** The file's rows and the errors found reading them: no database, so it runs in a worker thread. */
export interface ComponentFile {
  records: RawRecord[];
  errors: RowError[];
}

/** Reads the body (GeoJSON as UTF-8 JSON text, CSV or xlsx bytes) into rows. */
export async function readComponentFile(
  format: ImportFormat,
  body: Uint8Array | null,
): Promise<ComponentFile> {
  if (!body || body.byteLength === 0) throw unreadable('请求体为空', 'the body is empty');
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const errors: RowError[] = [];
  let records: RawRecord[];
  if (format === 'geojson') records = geojsonRecords(JSON.parse(bytes.toString('utf8')), errors);
  else records = format === 'csv' ? csvRecords(bytes, errors) : await xlsxRecords(bytes, errors);
  if (records.length > IMPORT_MAX_ROWS) throw tooMany(records.length);
  if (records.length === 0 && errors.length === 0) throw unreadable('没有数据行', 'there are no data rows');
  return { records, errors };
}

/** Checks every row read by readComponentFile and, unless a dry run, writes them all or none. */
export async function importComponents(ctx: Ctx, format: ImportFormat, file: ComponentFile, dryRun: boolean) {
  requirePermission(ctx.actor, 'component.write');
  const { records } = file;
  const errors = [...file.errors];

  const inputs: Array<{ row: number; input: ComponentInput }> = [];
  // A feature without a usable Point already has its error: no "lng/lat required" on top.
  const noGeometry = new Set(errors.filter((e) => e.field === 'geometry').map((e) => e.row));
  for (const { row, record } of records) {
    const parsed = parseComponentRecord(row, record);
    if (parsed.input) inputs.push({ row, input: parsed.input });
    else
      errors.push(
        ...parsed.errors.filter((e) => !(noGeometry.has(row) && (e.field === 'lng' || e.field === 'lat'))),
      );
  }
  const prepared = await prepareComponents(ctx.db, ctx.actor, inputs);
  errors.push(...prepared.errors);
  if (errors.length > 0) {
    errors.sort((a, b) => a.row - b.row);
    const rowsWithErrors = new Set(errors.map((e) => e.row)).size;
    const first = errors[0] as RowError;
    throw new AppError('COMPONENT_IMPORT_INVALID', {
      details: {
        format,
        rows: records.length,
        errorCount: errors.length,
        errors: errors.slice(0, ERRORS_SHOWN),
      },
      message: {
        zh: `部件文件有 ${rowsWithErrors} 行错误（共 ${errors.length} 处），未写入任何数据。${first.message.zh}`,
        en: `${rowsWithErrors} rows of the component file have errors (${errors.length} in all); nothing was written. ${first.message.en}`,
      },
    });
  }
  if (dryRun) return { dryRun: true, format, rows: records.length, created: 0, ids: [] as string[] };
  const ids = await insertPrepared(ctx, prepared.rows, { format, rows: records.length });
  return { dryRun: false, format, rows: records.length, created: ids.length, ids };
}

const HEADERS = COMPONENT_COLUMNS.map((c) => c.key);

export async function exportComponents(
  ctx: Ctx,
  format: ImportFormat,
  filters: Omit<ComponentFilters, 'scopePrefix'>,
): Promise<{ contentType: string; filename: string; body: string | Buffer }> {
  requirePermission(ctx.actor, 'component.read');
  const { rows, total } = await listComponentRows(
    ctx.db,
    { ...filters, scopePrefix: ctx.actor.scopePrefix },
    { limit: EXPORT_MAX_ROWS, offset: 0 },
  );
  if (total > EXPORT_MAX_ROWS) {
    throw new AppError('COMPONENT_EXPORT_TOO_LARGE', { details: { total, max: EXPORT_MAX_ROWS } });
  }
  const records = rows.map((r) => ({
    id: r.id,
    name: r.name,
    category: r.category_code,
    division: r.division_code,
    lng: r.lng,
    lat: r.lat,
    grid: r.grid_code,
    state: STATE_LABELS[r.state].zh,
    managing: r.managing_department_code,
    owning: r.owning_department_code,
    maintaining: r.maintaining_department_code,
    startDate: r.start_date,
    changeDate: r.change_date,
    dataSource: r.data_source,
    accuracy: r.accuracy_class,
    note: r.note,
  }));
  if (format === 'geojson') {
    const features = records.map(({ lng, lat, ...properties }) => ({
      type: 'Feature' as const,
      id: properties.id,
      geometry: { type: 'Point' as const, coordinates: [lng, lat] },
      properties,
    }));
    return {
      contentType: 'application/geo+json; charset=utf-8',
      filename: 'components.geojson',
      body: JSON.stringify({ type: 'FeatureCollection', features }),
    };
  }
  const table = records.map((r) => HEADERS.map((h) => (r[h] === null ? '' : String(r[h]))));
  if (format === 'csv') {
    return {
      contentType: 'text/csv; charset=utf-8',
      filename: 'components.csv',
      body: toCsv([HEADERS, ...table]),
    };
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('部件');
  sheet.addRow(HEADERS);
  // Codes stay text (16–17 digits do not fit a spreadsheet number); coordinates are numbers.
  for (const r of records)
    sheet.addRow(HEADERS.map((h) => (h === 'lng' || h === 'lat' ? r[h] : (r[h] ?? null))));
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  return {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    filename: 'components.xlsx',
    body: buffer,
  };
}
