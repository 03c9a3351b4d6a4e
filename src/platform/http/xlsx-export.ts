/**
 * Lists as .xlsx: one sheet with a bold, frozen header row. Shared by the case export and the
 * console's generic "export what I have loaded" (POST /export/xlsx). Text that a spreadsheet
 * could take for a formula (= + - @, tab, CR first) is stored as a text cell in text format,
 * never as a formula.
 */
import { PassThrough } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { requirePermission } from '../auth/actor.js';
import { AppError } from '../errors.js';
import { ctxOf } from './auth-hook.js';
import type { ApiApp, Deps } from './types.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type ExportCell = string | number | boolean | null;
export interface ExportColumn {
  key: string;
  title: string;
  width?: number | undefined;
}

const FORMULA_LIKE = /^[=+\-@\t\r]/;
/** Excel refuses these in sheet names (and names over 31 characters). */
const SHEET_NAME_BAD = /[[\]:*?/\\]/g;

/**
 * A worksheet name Excel (and exceljs) accepts for any title: no []:*?/\, at most 31 characters,
 * no apostrophe first or last (Excel quotes sheet names with it in formulas), not the reserved
 * "History".
 */
export function sheetNameOf(title: string): string {
  const name = title
    .replace(SHEET_NAME_BAD, ' ')
    .trim()
    .slice(0, 31)
    .replace(/^['\s]+|['\s]+$/g, '');
  return name === '' || name.toLowerCase() === 'history' ? 'Sheet1' : name;
}

/** Dates are written as local wall-clock time of `utcOffsetMinutes` (Excel has no time zones). */
export async function buildWorkbook(
  title: string,
  columns: readonly ExportColumn[],
  rows: Iterable<Record<string, ExportCell | Date>>,
  utcOffsetMinutes = 480,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CityLoop';
  const ws = wb.addWorksheet(sheetNameOf(title), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    header: c.title,
    key: c.key,
    width: c.width ?? Math.min(60, Math.max(10, c.title.length * 2 + 2)),
  }));
  ws.getRow(1).font = { bold: true };
  const offsetMs = utcOffsetMinutes * 60_000;
  for (const row of rows) {
    const values = columns.map((c) => {
      const v = row[c.key];
      if (v === undefined || v === null) return null;
      if (v instanceof Date) return new Date(v.getTime() + offsetMs);
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      return v;
    });
    const added = ws.addRow(values);
    values.forEach((v, i) => {
      const cell = added.getCell(i + 1);
      if (v instanceof Date) cell.numFmt = 'yyyy-mm-dd hh:mm';
      else if (typeof v === 'string' && FORMULA_LIKE.test(v)) cell.numFmt = '@';
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The same workbook as buildWorkbook, written row by row while the rows arrive (pages of a
 * list): each row is committed to a compressing stream (zlib works off the main thread) and the
 * event loop gets a turn after every page, so a 50,000-row export never holds the server still
 * the way one `writeBuffer()` of the whole sheet does.
 */
export async function streamWorkbook(
  title: string,
  columns: readonly ExportColumn[],
  pages: AsyncIterable<Iterable<Record<string, ExportCell | Date>>>,
  utcOffsetMinutes = 480,
): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  wb.creator = 'CityLoop';
  const ws = wb.addWorksheet(sheetNameOf(title), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    header: c.title,
    key: c.key,
    width: c.width ?? Math.min(60, Math.max(10, c.title.length * 2 + 2)),
  }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  const offsetMs = utcOffsetMinutes * 60_000;
  for await (const page of pages) {
    for (const row of page) {
      const values = columns.map((c) => {
        const v = row[c.key];
        if (v === undefined || v === null) return null;
        if (v instanceof Date) return new Date(v.getTime() + offsetMs);
        if (typeof v === 'number' && !Number.isFinite(v)) return null;
        return v;
      });
      const added = ws.addRow(values);
      values.forEach((v, i) => {
        const cell = added.getCell(i + 1);
        if (v instanceof Date) cell.numFmt = 'yyyy-mm-dd hh:mm';
        else if (typeof v === 'string' && FORMULA_LIKE.test(v)) cell.numFmt = '@';
      });
      added.commit();
    }
    await yieldToEventLoop();
  }
  ws.commit();
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}

/** YYYYMMDD of the local day at the given offset. */
export function localDateStamp(at: Date, utcOffsetMinutes = 480): string {
  return new Date(at.getTime() + utcOffsetMinutes * 60_000).toISOString().slice(0, 10).replaceAll('-', '');
}

/** `attachment` with an ASCII fallback name and the real (possibly Chinese) one per RFC 5987. */
export function contentDisposition(filename: string, asciiFallback?: string): string {
  const ascii = (asciiFallback ?? filename).replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export function sendXlsx(reply: FastifyReply, body: Buffer, filename: string, asciiFallback?: string) {
  return reply
    .header('content-type', XLSX_TYPE)
    .header('content-disposition', contentDisposition(filename, asciiFallback))
    .header('cache-control', 'no-store')
    .send(body);
}

/** File names keep letters (Chinese included), digits and a few marks; the rest becomes '_'. */
export function safeFileBase(title: string): string {
  return (
    title
      .replace(/[^\p{L}\p{N} ._-]/gu, '_')
      .trim()
      .slice(0, 80) || 'export'
  );
}

export const MAX_GENERIC_ROWS = 20_000;
const MAX_BODY_BYTES = 32 * 1024 * 1024;

const columnSchema = z.strictObject({
  key: z.string().min(1).max(100),
  title: z.string().trim().min(1).max(200),
  width: z.number().min(1).max(200).optional(),
});
const cellSchema = z.union([z.string().max(32_767), z.number().finite(), z.boolean(), z.null()]);
export const exportBody = z.strictObject({
  title: z.string().trim().min(1).max(100),
  columns: z
    .array(columnSchema)
    .min(1)
    .max(200)
    .refine((cols) => new Set(cols.map((c) => c.key)).size === cols.length, 'each key once'),
  // Rows may carry fields that are not exported; only the columns' values are checked.
  rows: z.array(z.record(z.string(), z.unknown())),
});

/** POST /export/xlsx: any list the console has loaded, as a workbook. */
export async function xlsxExportRoutes(app: ApiApp, deps: Deps): Promise<void> {
  app.post(
    '/export/xlsx',
    {
      bodyLimit: MAX_BODY_BYTES,
      schema: {
        tags: ['export'],
        summary:
          'A list as .xlsx: {title, columns: [{key, title, width?}], rows: [{key: string|number|boolean|null}]} (≤ 20,000 rows)',
        body: exportBody,
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(deps.store.db, request);
      requirePermission(ctx.actor, 'export.xlsx');
      const { title, columns, rows } = request.body;
      if (rows.length > MAX_GENERIC_ROWS) {
        throw new AppError('EXPORT_TOO_MANY_ROWS', {
          details: { limit: MAX_GENERIC_ROWS, rows: rows.length },
        });
      }
      const issues: Array<{ path: string[]; message: string }> = [];
      const cells = rows.map((row, i) => {
        const out: Record<string, ExportCell> = {};
        for (const c of columns) {
          const parsed = cellSchema.optional().safeParse(row[c.key]);
          if (parsed.success) out[c.key] = parsed.data ?? null;
          else if (issues.length < 20) {
            issues.push({ path: ['rows', String(i), c.key], message: 'a string, number, boolean or null' });
          }
        }
        return out;
      });
      if (issues.length > 0) {
        throw new AppError('VALIDATION_FAILED', { details: { in: 'body', issues } });
      }
      const body = await buildWorkbook(title, columns, cells);
      const stamp = localDateStamp(new Date());
      const filename = `${safeFileBase(title)}-${stamp}.xlsx`;
      // Old clients read only `filename`: a Chinese title falls back to a plain name there.
      return sendXlsx(
        reply,
        body,
        filename,
        /^[\x20-\x7e]+$/.test(filename) ? filename : `export-${stamp}.xlsx`,
      );
    },
  );
}
