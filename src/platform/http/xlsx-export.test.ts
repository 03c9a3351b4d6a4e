/** Sheet names from any title: whatever a user types, the workbook is written. */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildWorkbook, sheetNameOf } from './xlsx-export.js';

describe('xlsx sheet names (pure)', () => {
  it('every title gives a name exceljs (and Excel) accepts', () => {
    const marks = fc.constantFrom("'", ' ', '[', ']', ':', '*', '?', '/', '\\', 'History', 'history', '表');
    const title = fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.array(fc.oneof(marks, fc.string({ maxLength: 3 })), { maxLength: 40 }).map((a) => a.join('')),
    );
    fc.assert(
      fc.property(title, (t) => {
        const name = sheetNameOf(t);
        expect(name.length).toBeGreaterThan(0);
        expect(name.length).toBeLessThanOrEqual(31);
        expect(name).not.toMatch(/^'|'$|[[\]:*?/\\]/);
        expect(() => new ExcelJS.Workbook().addWorksheet(name)).not.toThrow();
      }),
    );
  });

  it('keeps the title where it can: apostrophes and blanks trimmed at the ends only', () => {
    expect(sheetNameOf("'abc")).toBe('abc');
    expect(sheetNameOf("'O'Brien's list'")).toBe("O'Brien's list");
    expect(sheetNameOf("'")).toBe('Sheet1');
    expect(sheetNameOf('History')).toBe('Sheet1');
    expect(sheetNameOf('用户列表')).toBe('用户列表');
    expect(sheetNameOf(`${'a'.repeat(30)}'b`)).toBe('a'.repeat(30));
  });

  it("writes a workbook for a title starting with '", async () => {
    const body = await buildWorkbook("'=cmd", [{ key: 'a', title: 'A' }], [{ a: 1 }]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    expect(wb.worksheets[0]?.name).toBe('=cmd');
  });
});
