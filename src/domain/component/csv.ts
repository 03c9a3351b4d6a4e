/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, an optional UTF-8 BOM. Pure. */

export class CsvSyntaxError extends Error {
  constructor(readonly row: number) {
    super(`unterminated quoted field starting in row ${row}`);
  }
}

/** Records of fields; blank lines are kept as [''] so row numbers match the file's lines. */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let quoteStartRow = 0;
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      quoteStartRow = rows.length + 1;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (ch === '\r' && src[i + 1] === '\n') i++;
    } else {
      field += ch;
    }
    i++;
  }
  if (quoted) throw new CsvSyntaxError(quoteStartRow);
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// A leading =, +, @ or tab makes spreadsheet programs evaluate the cell as a formula.
const FORMULA_START = /^[=+@\t\r]/;

function escapeField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** CRLF-separated CSV with a BOM, so spreadsheet programs read the Chinese text as UTF-8. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  return `\ufeff${rows.map((r) => r.map(escapeField).join(',')).join('\r\n')}\r\n`;
}
