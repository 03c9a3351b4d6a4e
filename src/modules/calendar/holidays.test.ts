/**
 * Holidays after the bundled data, on both stores: the coverage warning (API and the health
 * detail for admins) and the import of the State Council's notice as a 2027 table (CSV and
 * xlsx), validated row by row, all or nothing.
 */
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { toCsv } from '../../domain/component/csv.js';
import { at, HOLIDAY_TABLE_2027 } from '../../domain/timelimit/fixtures.js';
import { CHINA_UTC_OFFSET_MINUTES, deadlineFor } from '../../domain/timelimit/index.js';
import type { ApiApp } from '../../platform/http/types.js';
import { expectError, loginAll, type Tokens } from '../cases/testkit.js';
import { loadCalendar } from './repo.js';

const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const csvOf = (rows: ReadonlyArray<ReadonlyArray<string | null>>) =>
  toCsv(rows.map((r) => r.map((c) => c ?? '')));

async function xlsxOf(rows: ReadonlyArray<ReadonlyArray<string | null>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('2027年节假日');
  for (const r of rows) ws.addRow([...r]);
  // A date typed as a real Excel date cell, as people do.
  ws.getCell('A2').value = new Date(Date.UTC(2027, 0, 1));
  ws.getCell('A2').numFmt = 'yyyy-mm-dd';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Text in GB18030, as Excel in China saves a CSV: every two-byte code decoded once by the
 * platform's own decoder gives the table (Node has no GB18030 encoder).
 */
function encodeGb18030(text: string): Buffer {
  const pairs: number[] = [];
  for (let a = 0x81; a <= 0xfe; a++) for (let b = 0x40; b <= 0xfe; b++) if (b !== 0x7f) pairs.push(a, b);
  const chars = [...new TextDecoder('gb18030').decode(new Uint8Array(pairs))];
  const table = new Map<string, [number, number]>();
  chars.forEach((ch, i) => {
    if (!table.has(ch)) table.set(ch, [pairs[2 * i] as number, pairs[2 * i + 1] as number]);
  });
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) out.push(code);
    else {
      const hit = table.get(ch);
      if (!hit) throw new Error(`no GB18030 two-byte code for ${ch}`);
      out.push(...hit);
    }
  }
  const bytes = Buffer.from(out);
  expect(new TextDecoder('gb18030').decode(bytes)).toBe(text);
  return bytes;
}

/** The years ahead the bundled data (2004–2026) does not cover, seen from today in China. */
function expectedGaps(): number[] {
  const year = new Date(Date.now() + CHINA_UTC_OFFSET_MINUTES * 60_000).getUTCFullYear();
  return [year, year + 1].filter((y) => y > 2026);
}

describe.each(testStores())('holidays after the bundled data (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store);
    tokens = await loginAll(app);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  const upload = (
    user: 'admin' | 'dispatcher' | null,
    body: string | Buffer,
    type = CSV,
    url = '/api/v1/calendars/office/years/2027/import',
  ) =>
    app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': type, ...(user ? tokens[user] : {}) },
      payload: body,
    });
  const days2027 = async () =>
    Number(
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM calendar_days
          WHERE day >= '2027-01-01' AND day < '2028-01-01'`.execute(ts.store.db)
      ).rows[0]?.n,
    );
  const coverage = () => app.inject({ url: '/api/v1/calendars/coverage/holidays', headers: tokens.admin });

  it('warns admins of the years ahead without holiday data: coverage API and the health detail', async () => {
    expect((await app.inject({ url: '/api/v1/calendars/coverage/holidays' })).statusCode).toBe(401);
    expectError(
      await app.inject({ url: '/api/v1/calendars/coverage/holidays', headers: tokens.dispatcher }),
      403,
      'FORBIDDEN',
    );
    const res = await coverage();
    expect(res.statusCode).toBe(200);
    const office = res.json().calendars.find((c: { id: string }) => c.id === 'office');
    expect(office.years).toContain(2026);
    expect(office.gaps.map((g: { year: number }) => g.year)).toEqual(expectedGaps());
    // Calendars that keep no holidays (the centre works every day) are not warned about.
    expect(res.json().calendars.map((c: { id: string }) => c.id)).toEqual(['office']);

    const anonymous = await app.inject({ url: '/api/health' });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json().detail).toBeUndefined();
    expect(
      (await app.inject({ url: '/api/health', headers: tokens.dispatcher })).json().detail,
    ).toBeUndefined();
    const forged = await app.inject({ url: '/api/health', headers: { authorization: 'Bearer nope' } });
    expect(forged.statusCode).toBe(200);
    expect(forged.json().detail).toBeUndefined();
    const admin = (await app.inject({ url: '/api/health', headers: tokens.admin })).json();
    expect(admin).toMatchObject({ status: 'ok', database: 'ok' });
    expect(admin.detail.holidays.status).toBe(expectedGaps().length > 0 ? 'warn' : 'ok');
    expect(
      admin.detail.holidays.missing.map((g: { calendarId: string; year: number }) => [g.calendarId, g.year]),
    ).toEqual(expectedGaps().map((y) => ['office', y]));
  });

  it('refuses the import without login, for non-admins, in another format, or unreadable', async () => {
    const csv = csvOf(HOLIDAY_TABLE_2027);
    expect((await upload(null, csv)).statusCode).toBe(401);
    expectError(await upload('dispatcher', csv), 403, 'FORBIDDEN');
    expectError(await upload('admin', csv, 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await upload('admin', Buffer.from('not a workbook'), XLSX), 400, 'CALENDAR_FILE_UNREADABLE');
    expectError(await upload('admin', '日期,类型\n"2027-01-01,放假\n'), 400, 'CALENDAR_FILE_UNREADABLE');
    expectError(
      await upload('admin', csv, CSV, '/api/v1/calendars/office/years/1999/import'),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await upload('admin', csv, CSV, '/api/v1/calendars/office/years/2027/import?dryRun=maybe'),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await upload('admin', csv, CSV, '/api/v1/calendars/nowhere/years/2027/import'),
      404,
      'NOT_FOUND',
    );
    expect(await days2027()).toBe(0);
  });

  it('lists every bad row and imports nothing (all or nothing)', async () => {
    const rows = HOLIDAY_TABLE_2027.map((r) => [...r]);
    (rows[2] as (string | null)[])[0] = '2027-02-22'; // a Monday as 调休上班
    (rows[5] as (string | null)[])[1] = '休假';
    const res = await upload('admin', csvOf(rows));
    expectError(res, 400, 'CALENDAR_IMPORT_INVALID');
    expect(res.json().error.details).toMatchObject({ year: 2027, errorCount: 2 });
    expect(
      res.json().error.details.errors.map((e: { row: number; code: string }) => [e.row, e.code]),
    ).toEqual([
      [3, 'MAKEUP_NOT_WEEKEND'],
      [6, 'KIND_INVALID'],
    ]);
    expect(res.json().error.details.errors[1].message).toEqual({
      zh: '类型应为"放假"或"调休上班"',
      en: 'The type must be 放假 (holiday) or 调休上班 (make-up workday)',
    });
    expect(await days2027()).toBe(0);
  });

  it('checks a 2027 table without writing it (dryRun)', async () => {
    const res = await upload(
      'admin',
      csvOf(HOLIDAY_TABLE_2027),
      CSV,
      '/api/v1/calendars/office/years/2027/import?dryRun=true',
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: true, year: 2027, holidays: 29, makeupWorkdays: 6 });
    expect(await days2027()).toBe(0);
  });

  it('imports the 2027 table from CSV: deadlines across 国庆节 2027 move, the warning for 2027 goes', async () => {
    const office = await loadCalendar(ts.store.db, 'office');
    const limit = { amount: 1, unit: 'working_days' } as const;
    // Thursday 2027-09-30 16:00 + 1 working day, before the import: Friday 10-01 16:00.
    expect(deadlineFor(office!, at('2027-09-30 16:00'), limit)).toEqual(at('2027-10-01 16:00'));
    const res = await upload('admin', csvOf(HOLIDAY_TABLE_2027));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: false, holidays: 29, makeupWorkdays: 6 });
    expect(await days2027()).toBe(35);
    const after = await loadCalendar(ts.store.db, 'office');
    expect(after?.notes['2027-02-09']).toBe('春节');
    expect(after?.notes['2027-10-09']).toBe('国庆节调休');
    // After: 90 min on 09-30, 10-01…10-07 off, 360 min on Friday 10-08 → 10-08 16:00.
    expect(deadlineFor(after!, at('2027-09-30 16:00'), limit)).toEqual(at('2027-10-08 16:00'));
    const gaps = (await coverage()).json().gaps.map((g: { year: number }) => g.year);
    expect(gaps).not.toContain(2027);
    const audit = await sql<{ details: { year: number; holidays: number } }>`
      SELECT details FROM audit_log WHERE action = 'calendar.import_year'`.execute(ts.store.db);
    expect(audit.rows.map((r) => r.details)).toEqual([expect.objectContaining({ year: 2027, holidays: 29 })]);
  });

  it('imports the same table as xlsx (a real date cell) and a GB18030 CSV, replacing the year', async () => {
    const xlsx = await upload('admin', await xlsxOf(HOLIDAY_TABLE_2027.slice(0, 4)), XLSX);
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    // 元旦 (the date cell: one day) + 春节 9 days, one make-up day: the year now holds just these.
    expect(xlsx.json()).toMatchObject({ holidays: 10, makeupWorkdays: 1 });
    expect(await days2027()).toBe(11);
    expect((await loadCalendar(ts.store.db, 'office'))?.holidays).toContain('2027-01-01');
    const gb18030 = encodeGb18030(csvOf(HOLIDAY_TABLE_2027).replace('\ufeff', ''));
    const res = await upload('admin', gb18030);
    expect(res.statusCode, res.body).toBe(200);
    expect(await days2027()).toBe(35);
    expect((await loadCalendar(ts.store.db, 'office'))?.notes['2027-06-09']).toBe('端午节');
  });

  it('serves the documented template, which imports as it is', async () => {
    expect((await app.inject({ url: '/api/v1/calendars/templates/holidays' })).statusCode).toBe(401);
    const csv = await app.inject({
      url: '/api/v1/calendars/templates/holidays?format=csv&year=2028',
      headers: tokens.dispatcher,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.replace('\ufeff', '').split('\r\n')[0]).toBe('日期,类型,节日');
    const xlsx = await app.inject({
      url: '/api/v1/calendars/templates/holidays?year=2028',
      headers: tokens.admin,
    });
    expect(xlsx.headers['content-disposition']).toBe('attachment; filename="holidays-2028-template.xlsx"');
    const back = await upload(
      'admin',
      xlsx.rawPayload,
      XLSX,
      '/api/v1/calendars/office/years/2028/import?dryRun=true',
    );
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ year: 2028, holidays: 8 });
  });
});
