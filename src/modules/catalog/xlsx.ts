import ExcelJS from 'exceljs';
import { type Cell, COLUMNS } from '../../domain/catalog/index.js';
import { AppError } from '../../platform/errors.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const SHEET_NAME = '标准表';

/** Writes the table as one sheet; every cell is text so codes keep their leading zeros. */
export async function writeStandardsWorkbook(
  cells: readonly (readonly Cell[])[],
  notes: string[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CityLoop';
  const ws = wb.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', xSplit: 5, ySplit: 1 }] });
  // The header row: the fixed columns, then the 紧急 / 特急 limit columns a version uses.
  (cells[0] ?? COLUMNS).forEach((name, i) => {
    const col = ws.getColumn(i + 1);
    col.numFmt = '@';
    col.width = name?.includes('条件') ? 40 : name?.includes('名称') ? 16 : 11;
  });
  for (const row of cells) ws.addRow(row.map((c) => c ?? null));
  ws.getRow(1).font = { bold: true };
  const about = wb.addWorksheet('说明');
  for (const line of notes) about.addRow([line]);
  about.getColumn(1).width = 120;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A cell as the text a person sees; formulas give their cached result. */
function cellText(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  return null;
}

/** The first sheet named 标准表 (or the first sheet) as rows of text cells. */
export async function readStandardsWorkbook(body: Buffer): Promise<Cell[][]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(body as unknown as ArrayBuffer);
  } catch (err) {
    throw new AppError('CATALOG_FILE_UNREADABLE', {
      details: { reason: (err as Error).message.slice(0, 200) },
    });
  }
  const ws = wb.getWorksheet(SHEET_NAME) ?? wb.worksheets[0];
  if (!ws) throw new AppError('CATALOG_FILE_UNREADABLE', { details: { reason: 'no worksheet' } });
  const rows: Cell[][] = [];
  const width = Math.max(ws.columnCount, COLUMNS.length);
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: Cell[] = [];
    for (let c = 1; c <= width; c++) {
      const text = cellText(row.getCell(c).value);
      cells.push(text === null || text.trim() === '' ? null : text.trim());
    }
    rows[n - 1] = cells;
  });
  // eachRow skips trailing blank rows and may leave holes; fill them so row numbers stay true.
  for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  return rows;
}
