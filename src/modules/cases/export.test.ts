/** Case export and the generic list export: workbook content, scope, formula injection, guards. */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { actorFromSession } from '../auth/service.js';
import { exportCases } from './export.js';
import { client, expectError, type Fixtures, fixtures, loginAll, type Tokens } from './testkit.js';

const CASE_HEADERS = ['案件编号', '状态', '问题类型', '类别', '类别代码', '来源', '紧急程度', '地址', '网格'];

async function sheetOf(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const header = (ws.getRow(1).values as unknown[]).slice(1);
  const rows: ExcelJS.Row[] = [];
  ws.eachRow((row, n) => {
    if (n > 1) rows.push(row);
  });
  return { ws, header, rows };
}

describe.each(testStores())('xlsx exports (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  let mine: { id: number; number: string; reportedAt: string };
  let theirs: { number: string };
  const INJECTION = '=HYPERLINK("http://evil.example","点我")';

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store);
    tokens = await loginAll(app);
    fx = await fixtures(ts.store);
    c = client(app, tokens);
    const base = { kind: 'event', categoryCode: fx.category.code, address: '导出测试地址' };
    mine = await c.report('supervisor', {
      ...base,
      source: 'supervisor',
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      description: INJECTION,
    });
    theirs = await c.report('intake2', {
      ...base,
      source: 'public',
      lng: fx.otherDistrict.lng,
      lat: fx.otherDistrict.lat,
      description: '青羊区的案卷',
    });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  /** Every case number GET /cases lists for the user with the given filters. */
  const listed = async (user: 'intake' | 'intake2', query = '') => {
    const numbers: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await c.call(
        user,
        'GET',
        `/api/v1/cases?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      numbers.push(...res.json().items.map((i: { number: string }) => i.number));
      cursor = res.json().nextCursor;
    } while (cursor);
    return numbers;
  };

  it('exports exactly the rows of the list, in scope, with Chinese headers and neutralised formulas', async () => {
    const res = await c.call('intake', 'GET', '/api/v1/cases/export');
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="cases-\d{8}\.xlsx"; filename\*=UTF-8''%E6%A1%88%E5%8D%B7%E5%88%97%E8%A1%A8-\d{8}\.xlsx$/,
    );
    const { header, rows, ws } = await sheetOf(res.rawPayload);
    expect(header.slice(0, CASE_HEADERS.length)).toEqual(CASE_HEADERS);
    expect(header).toEqual(expect.arrayContaining(['上报时间', '当前时限', '灯色', '问题描述']));
    const numbers = rows.map((r) => r.getCell(1).value);
    expect(numbers).toEqual(await listed('intake'));
    expect(numbers).toContain(mine.number);
    expect(numbers).not.toContain(theirs.number);

    const col = (title: string) => header.indexOf(title) + 1;
    const row = rows.find((r) => r.getCell(1).value === mine.number)!;
    expect(row.getCell(col('地址')).value).toBe('导出测试地址');
    expect(row.getCell(col('网格')).value).toBe(fx.supervised.code);
    expect(row.getCell(col('来源')).value).toBe('监督员上报');
    expect(row.getCell(col('类别代码')).value).toBe(fx.category.code);
    // Wall-clock time at +08:00 (Excel has no time zones).
    const reported = row.getCell(col('上报时间')).value as Date;
    expect(reported.getTime()).toBe(Date.parse(mine.reportedAt) + 8 * 3_600_000);
    // The description is text, never a formula a spreadsheet would run.
    const description = row.getCell(col('问题描述'));
    expect(description.type).toBe(ExcelJS.ValueType.String);
    expect(description.value).toBe(INJECTION);
    expect(description.numFmt).toBe('@');
    expect(ws.name).toBe('案卷列表');

    // Same filters as the list; intake2 sees only its own district.
    const all = await sheetOf((await c.call('intake', 'GET', '/api/v1/cases/export?state=all')).rawPayload);
    expect(all.rows.map((r) => r.getCell(1).value)).toEqual(await listed('intake', '&state=all'));
    const other = await sheetOf((await c.call('intake2', 'GET', '/api/v1/cases/export')).rawPayload);
    const otherNumbers = other.rows.map((r) => r.getCell(1).value);
    expect(otherNumbers).toContain(theirs.number);
    expect(otherNumbers).not.toContain(mine.number);
    expect(otherNumbers).toEqual(await listed('intake2'));
  });

  it('as a background job: 202, progress to 100, the same rows as the direct export, for the asker only', async () => {
    const start = await c.call('intake', 'POST', '/api/v1/cases/exports', { state: 'all' });
    expect(start.statusCode, start.body).toBe(202);
    const job = start.json();
    expect(job).toMatchObject({ kind: 'cases.export' });
    expect(start.headers.location).toBe(`/api/v1/jobs/${job.id}`);
    let view = job;
    for (const end = Date.now() + 60_000; !['succeeded', 'failed', 'cancelled'].includes(view.state); ) {
      if (Date.now() > end) throw new Error(`export job still ${view.state}`);
      await new Promise((r) => setTimeout(r, 25));
      view = (await c.call('intake', 'GET', `/api/v1/jobs/${job.id}`)).json();
    }
    expect(view).toMatchObject({ state: 'succeeded', progress: 100, error: null });
    expect(view.file).toMatchObject({
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    expect(view.file.name).toMatch(/^案卷列表-\d{8}\.xlsx$/);
    const res = await c.call('intake', 'GET', `/api/v1/jobs/${job.id}/result`);
    expect(res.statusCode).toBe(200);
    expect(view.file.bytes).toBe(res.rawPayload.length);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="cases-\d{8}\.xlsx"/);
    const { rows, header } = await sheetOf(res.rawPayload);
    expect(header.slice(0, CASE_HEADERS.length)).toEqual(CASE_HEADERS);
    expect(rows.map((r) => r.getCell(1).value)).toEqual(await listed('intake', '&state=all'));
    // Another operator of the same centre does not see it.
    expectError(await c.call('intake2', 'GET', `/api/v1/jobs/${job.id}/result`), 404, 'NOT_FOUND');
    // 401 / 403 / 400 of the enqueueing endpoint.
    expectError(
      await app.inject({ method: 'POST', url: '/api/v1/cases/exports', payload: {} }),
      401,
      'UNAUTHENTICATED',
    );
    expectError(await c.call('citizen', 'POST', '/api/v1/cases/exports', {}), 403, 'FORBIDDEN');
    for (const body of [{ queue: 'nope' }, { limit: '5' }, { state: 'closed' }, { x: 1 }]) {
      expectError(await c.call('intake', 'POST', '/api/v1/cases/exports', body), 400, 'VALIDATION_FAILED');
    }
  });

  it('refuses more rows than the cap, bad filters, strangers and citizens', async () => {
    const actor = await actorFromSession(ts.store.db, tokens.intake.authorization.slice('Bearer '.length));
    const ctx = { db: ts.store.db, actor, meta: { ip: null, requestId: null, userAgent: null } };
    await expect(exportCases(ctx, { state: 'open' }, 0)).rejects.toMatchObject({
      code: 'EXPORT_TOO_MANY_ROWS',
      details: { limit: 0 },
    });
    expectError(await app.inject({ method: 'GET', url: '/api/v1/cases/export' }), 401, 'UNAUTHENTICATED');
    expectError(await c.call('citizen', 'GET', '/api/v1/cases/export'), 403, 'FORBIDDEN');
    for (const q of ['queue=nope', 'limit=5', 'cursor=abc', 'state=closed', 'x=1']) {
      expectError(await c.call('intake', 'GET', `/api/v1/cases/export?${q}`), 400, 'VALIDATION_FAILED');
    }
  });

  it('exports any loaded list as a workbook (POST /export/xlsx)', async () => {
    const payload = {
      title: '用户列表',
      columns: [
        { key: 'name', title: '姓名' },
        { key: 'count', title: '数量', width: 8 },
        { key: 'active', title: '启用' },
      ],
      rows: [
        { name: '=1+1', count: 3, active: true, id: 99 },
        { name: '+SUM(A1:A9)', count: null },
        { name: '@cmd', count: 1.5, active: false },
        { name: '-2+3', count: 0, active: null },
        { name: '张三', count: -4 },
      ],
    };
    const res = await c.call('leader', 'POST', '/api/v1/export/xlsx', payload);
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="export-\d{8}\.xlsx"; filename\*=UTF-8''%E7%94%A8%E6%88%B7%E5%88%97%E8%A1%A8-\d{8}\.xlsx$/,
    );
    const { ws, header, rows } = await sheetOf(res.rawPayload);
    expect(ws.name).toBe('用户列表');
    expect(header).toEqual(['姓名', '数量', '启用']);
    expect(rows).toHaveLength(5);
    for (const [i, text] of ['=1+1', '+SUM(A1:A9)', '@cmd', '-2+3'].entries()) {
      const cell = rows[i]!.getCell(1);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(text);
      expect(cell.formula).toBeUndefined();
    }
    expect(rows[0]!.getCell(2).value).toBe(3);
    expect(rows[0]!.getCell(3).value).toBe(true);
    expect(rows[1]!.getCell(2).value).toBeNull();
    expect(rows[2]!.getCell(2).value).toBe(1.5);
    expect(rows[4]!.getCell(1).value).toBe('张三');
    expect(ws.getColumn(2).width).toBe(8);

    const ascii = await c.call('dept', 'POST', '/api/v1/export/xlsx', { ...payload, title: 'Audit log' });
    expect(ascii.statusCode).toBe(200);
    expect(ascii.headers['content-disposition']).toMatch(
      /^attachment; filename="Audit log-\d{8}\.xlsx"; filename\*=UTF-8''Audit%20log-\d{8}\.xlsx$/,
    );
  });

  it('accepts any title, a leading apostrophe included (it was a 500)', async () => {
    const columns = [{ key: 'a', title: 'A' }];
    for (const [title, sheet] of [
      ["'quoted'", 'quoted'],
      ["'", 'Sheet1'],
      ['History', 'Sheet1'],
      ["[a]:b*?/\\c'", 'a  b    c'],
    ]) {
      const res = await c.call('leader', 'POST', '/api/v1/export/xlsx', { title, columns, rows: [{ a: 1 }] });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      expect((await sheetOf(res.rawPayload)).ws.name).toBe(sheet);
    }
  });

  it('guards the generic export: 401, 403, 400 and the row cap', async () => {
    const ok = { title: 't', columns: [{ key: 'a', title: 'A' }], rows: [{ a: 1 }] };
    expectError(
      await app.inject({ method: 'POST', url: '/api/v1/export/xlsx', payload: ok }),
      401,
      'UNAUTHENTICATED',
    );
    for (const user of ['citizen', 'handler', 'supervisor'] as const) {
      expectError(await c.call(user, 'POST', '/api/v1/export/xlsx', ok), 403, 'FORBIDDEN');
    }
    const bad: unknown[] = [
      { ...ok, rows: [{ a: { nested: 1 } }] },
      { ...ok, rows: [{ a: [1, 2] }] },
      { ...ok, columns: [] },
      {
        ...ok,
        columns: [
          { key: 'a', title: 'A' },
          { key: 'a', title: 'B' },
        ],
      },
      { ...ok, title: '' },
      { ...ok, extra: true },
      { columns: ok.columns, rows: ok.rows },
      { ...ok, columns: [{ key: 'a', title: 'A', formula: '=1' }] },
    ];
    for (const payload of bad) {
      expectError(await c.call('leader', 'POST', '/api/v1/export/xlsx', payload), 400, 'VALIDATION_FAILED');
    }
    const tooMany = { ...ok, rows: Array.from({ length: 20_001 }, () => ({ a: 1 })) };
    const err = expectError(
      await c.call('leader', 'POST', '/api/v1/export/xlsx', tooMany),
      400,
      'EXPORT_TOO_MANY_ROWS',
      { catalogueMessage: true },
    );
    expect(err.details).toEqual({ limit: 20_000, rows: 20_001 });
  });
});
