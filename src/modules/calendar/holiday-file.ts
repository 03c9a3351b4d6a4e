/**
 * The uploaded holiday table (docs/holiday-import.md): CSV (UTF-8, or GB18030 as Excel in China
 * saves it) or .xlsx, read into rows of text cells for the domain's row-by-row check.
 */
import ExcelJS from 'exceljs';
import { CsvSyntaxError, parseCsv, toCsv } from '../../domain/component/csv.js';
import { HOLIDAY_TEMPLATE_HEADER, type HolidayCell } from '../../domain/timelimit/index.js';
import { AppError } from '../../platform/errors.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv';
export type HolidayFileFormat = 'csv' | 'xlsx';
/** A year's table is a few dozen rows; this leaves room for notes and formatting. */
export const HOLIDAY_FILE_LIMIT = 1024 * 1024;

const unreadable = (zh: string, en: string, details: Record<string, unknown> = {}) =>
  new AppError('CALENDAR_FILE_UNREADABLE', {
    details,
    message: { zh: `文件无法读取：${zh}`, en: `The file cannot be read: ${en}` },
  });

function csvCells(body: Buffer): HolidayCell[][] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    text = new TextDecoder('gb18030').decode(body);
  }
  try {
    return parseCsv(text).map((r) => r.map((c) => (c.trim() === '' ? null : c.trim())));
  } catch (e) {
    if (e instanceof CsvSyntaxError)
      throw unreadable(`第 ${e.row} 行的引号未闭合`, e.message, { row: e.row });
    throw e;
  }
}

/** A cell as text; a date cell as its calendar date (ExcelJS gives dates at UTC midnight). */
function cellText(v: ExcelJS.CellValue): HolidayCell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if ('richText' in v)
    return (
      v.richText
        .map((t) => t.text)
        .join('')
        .trim() || null
    );
  if ('result' in v) return v.result === undefined ? null : cellText(v.result as ExcelJS.CellValue);
  if ('text' in v && typeof v.text === 'string') return v.text.trim() || null;
  return null;
}

async function xlsxCells(body: Buffer): Promise<HolidayCell[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
  } catch {
    throw unreadable('不是有效的 xlsx 工作簿', 'not a readable .xlsx workbook');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw unreadable('工作簿没有工作表', 'the workbook has no sheet');
  const rows: HolidayCell[][] = [];
  // Row numbers stay those of the sheet, blank rows included, so errors point at the right row.
  for (let r = 1; r <= Math.min(sheet.rowCount, 2000); r++) {
    const row = sheet.getRow(r);
    const cells: HolidayCell[] = [];
    for (let c = 1; c <= Math.min(row.cellCount, 20); c++) cells.push(cellText(row.getCell(c).value));
    rows.push(cells);
  }
  return rows;
}

export async function readHolidayFile(format: HolidayFileFormat, body: Buffer): Promise<HolidayCell[][]> {
  return format === 'csv' ? csvCells(body) : xlsxCells(body);
}

/** The documented template: the header and a few rows in the notice's shape. */
const TEMPLATE_ROWS = (year: number): string[][] => [
  [...HOLIDAY_TEMPLATE_HEADER],
  [`${year}-01-01`, '放假', '元旦'],
  [`${year}-10-01~${year}-10-07`, '放假', '国庆节'],
];

export function holidayTemplateCsv(year: number): string {
  return toCsv(TEMPLATE_ROWS(year));
}

export async function holidayTemplateXlsx(year: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CityLoop';
  const ws = wb.addWorksheet('节假日安排');
  for (const [i, width] of [28, 12, 16].entries()) {
    const col = ws.getColumn(i + 1);
    col.width = width;
    col.numFmt = '@';
  }
  for (const row of TEMPLATE_ROWS(year)) ws.addRow(row);
  ws.getRow(1).font = { bold: true };
  const about = wb.addWorksheet('说明');
  for (const line of [
    '按国务院办公厅关于当年部分节假日安排的通知填写，每行一条；只导入第一个工作表。',
    '日期：YYYY-MM-DD（也可写 2027/1/1、2027年1月1日），放假可写起止日期"2027-10-01~2027-10-07"。',
    '类型：放假 或 调休上班（调休上班日必须是周六或周日）。节日：如 春节，可留空。',
    '导入时整表校验，任一行有错则不导入任何数据，并逐行列出错误。',
  ])
    about.addRow([line]);
  about.getColumn(1).width = 100;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
