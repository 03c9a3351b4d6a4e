/**
 * CSV (RFC 4180) of open-data rows: UTF-8 with a byte-order mark so spreadsheet programs read the
 * Chinese text, CRLF line ends, quotes doubled. A cell that a spreadsheet would run as a formula
 * (starting with = + - @, tab or CR) is prefixed with an apostrophe (OWASP "CSV injection").
 */
const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = Array.isArray(value) ? value.join(' ') : String(value);
  if (typeof value === 'string' && FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv<T extends object>(fields: readonly (keyof T)[], rows: readonly T[]): string {
  const lines = [fields.join(','), ...rows.map((r) => fields.map((f) => csvCell(r[f])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
