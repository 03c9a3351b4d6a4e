/** The parse worker: a value comes back, an AppError keeps its code and details, abort ends it. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { JobCancelled } from '../jobs/port.js';
import { inWorker } from './run.js';

const XLSX = new URL('../../modules/catalog/xlsx.ts', import.meta.url);

describe('inWorker', () => {
  it('reads a workbook in a worker thread and answers its rows', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('标准表').addRows([
      ['a', 'b'],
      ['1', '2'],
    ]);
    const body = Buffer.from(await wb.xlsx.writeBuffer());
    const rows = await inWorker<unknown[][]>(XLSX, 'readStandardsWorkbook', [body]);
    expect(rows[0]?.slice(0, 2)).toEqual(['a', 'b']);
    expect(rows[1]?.slice(0, 2)).toEqual(['1', '2']);
  });

  it('throws the AppError the worker threw, with its code and details', async () => {
    const err = (await inWorker(XLSX, 'readStandardsWorkbook', [Buffer.from('not a workbook')]).catch(
      (e) => e,
    )) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('CATALOG_FILE_UNREADABLE');
    expect((err.details as { reason: string }).reason).toBeTruthy();
  });

  it('an abort ends the worker and throws JobCancelled', async () => {
    const abort = new AbortController();
    const p = inWorker(XLSX, 'readStandardsWorkbook', [Buffer.from('x')], abort.signal);
    abort.abort();
    await expect(p).rejects.toBeInstanceOf(JobCancelled);
  });
});
