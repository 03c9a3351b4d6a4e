import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { jobAnswer } from '../../../test/helpers/jobs.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import {
  CHECK_PHOTOS_COLUMN,
  COLUMNS,
  GBT47678_CLASSES,
  NATIONAL_CLASSES,
  URGENT_LIMIT_COLUMNS,
} from '../../domain/catalog/index.js';
import type { ApiApp } from '../../platform/http/types.js';
import { standardsOf } from './repo.js';
import { catalogCounts, expectError } from './testkit.js';
import { readStandardsWorkbook, SHEET_NAME, XLSX_TYPE } from './xlsx.js';

type Cells = (string | null)[][];

/** The cells of the data sheet as the importer sees them. */
const cellsOf = (buffer: Buffer): Promise<Cells> => readStandardsWorkbook(buffer);

async function workbookFrom(cells: Cells): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(SHEET_NAME);
  for (const row of cells) ws.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(testStores())('standards xlsx on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let admin: { authorization: string };
  let intake: { authorization: string };
  let seedVersionId: number;
  let seedFile: Buffer;

  const exportFile = async (id: number, query = '') => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/catalog/versions/${id}/export${query}`,
      headers: admin,
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return res;
  };
  const upload = (url: string, body: Buffer, headers: Record<string, string> = admin, type = XLSX_TYPE) =>
    // The import runs as a job: its answer is the job's result (or its error), as it used to be.
    app
      .inject({
        method: 'POST',
        url: `/api/v1${url}`,
        headers: { ...headers, 'content-type': type },
        payload: body,
      })
      .then((res) => jobAnswer(app, headers, res));

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    [admin, intake] = await Promise.all([bearer(app, 'admin'), bearer(app, 'intake')]);
    const versions = (
      await app.inject({ method: 'GET', url: '/api/v1/catalog/versions', headers: admin })
    ).json();
    seedVersionId = versions.items[0].id;
    seedFile = (await exportFile(seedVersionId)).rawPayload;
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('exports the version as an xlsx download in the documented layout', async () => {
    const res = await exportFile(seedVersionId);
    expect(res.headers['content-type']).toBe(XLSX_TYPE);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="standards-v${seedVersionId}-gbt30428.xlsx"`,
    );
    const cells = await cellsOf(res.rawPayload);
    // The fixed columns, then the 紧急 and 特急 limits the seeded table writes, then 核查须拍照.
    expect(cells[0]?.slice(0, COLUMNS.length)).toEqual(COLUMNS);
    expect(cells[0]?.slice(COLUMNS.length)).toEqual([
      ...URGENT_LIMIT_COLUMNS.map((c) => c.header),
      CHECK_PHOTOS_COLUMN,
    ]);
    // A 部件 is shown repaired on a photo: the seeded table asks for one at 核查.
    expect(cells.find((r) => r[3] === '0101')?.at(-1)).toBe('是');
    expect(cells).toHaveLength(NATIONAL_CLASSES.length + 1);
    const cover = cells.find((r) => r[3] === '0101');
    const col = (name: string) => COLUMNS.indexOf(name);
    expect(cover?.slice(0, 11)).toEqual([
      '部件',
      '01',
      '公用设施',
      '0101',
      '上水井盖',
      null,
      null,
      '井盖破损、缺失、移位，面积大于0.01平方米或下沉超过2厘米',
      '井盖恢复完好，安装牢固，周边无安全隐患',
      '紧急',
      'GS',
    ]);
    expect([cover?.[col('签收时限-A')], cover?.[col('处置时限-C')], cover?.[col('对应代码')]]).toEqual([
      '30分钟',
      '6小时',
      '01001',
    ]);
    const garbage = cells.find((r) => r[0] === '事件' && r[3] === '0102');
    expect([garbage?.[col('处置时限-A')], garbage?.[col('处置时限-C')]]).toEqual(['4工作时', '1工作日']);
    // A split class lists all its counterparts.
    expect(cells.find((r) => r[0] === '部件' && r[3] === '0117')?.[col('对应代码')]).toBe(
      '01030、01031、01032、01033、01034',
    );
    // The GB/T 47678.5 table: every class of the list, each with its (derived) row.
    const neu = await cellsOf((await exportFile(seedVersionId, '?scheme=gbt47678')).rawPayload);
    expect(neu).toHaveLength(GBT47678_CLASSES.length + 1);
    const exposed = neu.find((r) => r[0] === '事件' && r[3] === '06010');
    expect([exposed?.[col('处置时限-A')], exposed?.[col('对应代码')]]).toEqual(['4工作时', '0102']);
  });

  it('round trip is lossless: export → import as a new draft → export gives the same cells and rows', async () => {
    const before = await catalogCounts(t.store);
    const res = await upload('/catalog/versions/import?name=往返测试', seedFile);
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ rows: NATIONAL_CLASSES.length, standards: NATIONAL_CLASSES.length });
    expect(body.version).toMatchObject({
      name: '往返测试',
      status: 'draft',
      rowCount: NATIONAL_CLASSES.length,
    });
    const again = await exportFile(body.version.id);
    expect(await cellsOf(again.rawPayload)).toEqual(await cellsOf(seedFile));
    const strip = (rows: Awaited<ReturnType<typeof standardsOf>>) =>
      rows.map((r) => ({
        ...r,
        derivedFrom: null,
        limits: [...r.limits].sort((a, b) =>
          `${a.urgency}${a.step}${a.areaClass}`.localeCompare(`${b.urgency}${b.step}${b.areaClass}`),
        ),
      }));
    // The file holds the GB/T 30428.2 rows (the seed version also has the derived 47678.5 ones).
    const ids = new Set((await standardsOf(t.store.db, body.version.id)).map((r) => r.categoryId));
    expect(ids.size).toBe(NATIONAL_CLASSES.length);
    expect(strip(await standardsOf(t.store.db, body.version.id))).toEqual(
      strip(await standardsOf(t.store.db, seedVersionId, [...ids])),
    );
    const after = await catalogCounts(t.store);
    expect(after?.versions).toBe((before?.versions ?? 0) + 1);
    expect(after?.audit).toBe((before?.audit ?? 0) + 1);
  });

  it('import into a draft replaces its content; into a published version is refused', async () => {
    const draft = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/catalog/versions',
        headers: admin,
        payload: { name: '替换' },
      })
    ).json();
    const cells = await cellsOf(seedFile);
    const edited = cells.slice(0, 3).map((r) => [...r]);
    const row = edited[2] as (string | null)[];
    row[COLUMNS.indexOf('处置时限-A')] = '0.5工作日';
    row[COLUMNS.indexOf('责任部门')] = 'SZ、HW';
    const res = await upload(`/catalog/versions/${draft.id}/import`, await workbookFrom(edited));
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.json().version.rowCount).toBe(2);
    const second = await standardsOf(t.store.db, draft.id);
    expect(second.map((s) => s.departmentCodes)).toEqual([['GS'], ['SZ', 'HW']]);
    expect(second[1]?.limits.find((l) => l.step === 'handle' && l.areaClass === 'A')?.limit).toEqual({
      amount: 0.5,
      unit: 'working_days',
    });

    const before = await catalogCounts(t.store);
    expectError(
      await upload(`/catalog/versions/${seedVersionId}/import`, seedFile),
      409,
      'CATALOG_VERSION_PUBLISHED',
    );
    expect(await catalogCounts(t.store)).toEqual(before);
  });

  it('a file broken in known ways returns every error with row and column and writes nothing', async () => {
    const cells = (await cellsOf(seedFile)).map((r) => [...r]);
    const col = (name: string) => COLUMNS.indexOf(name);
    const set = (rowNo: number, column: string, value: string) => {
      (cells[rowNo - 1] as (string | null)[])[col(column)] = value;
    };
    set(3, '小类代码', '0199'); // unknown 小类
    set(4, '处置时限-B', '六小时'); // bad time limit
    set(5, '责任部门', 'SZ、XX'); // unknown department
    set(6, '紧急程度', '很急');
    cells.push([...(cells[1] as (string | null)[])]); // duplicate of row 2
    // Missing required column: drop 结案条件 everywhere.
    const broken = cells.map((r) => r.filter((_, i) => i !== col('结案条件')));
    const before = await catalogCounts(t.store);
    const res = await upload('/catalog/versions/import', await workbookFrom(broken));
    const e = expectError(res, 400, 'CATALOG_IMPORT_INVALID');
    const errors = (e.details?.errors ?? []) as Array<{
      row: number;
      column: string;
      code: string;
      message: { zh: string; en: string };
    }>;
    expect(errors.map((x) => [x.row, x.column, x.code])).toEqual([
      [1, '结案条件', 'COLUMN_MISSING'],
      [3, '小类代码', 'CATEGORY_UNKNOWN'],
      [4, '处置时限-B', 'TIME_LIMIT_INVALID'],
      [5, '责任部门', 'DEPARTMENT_UNKNOWN'],
      [6, '紧急程度', 'URGENCY_INVALID'],
      [NATIONAL_CLASSES.length + 2, '小类代码', 'ROW_DUPLICATE'],
    ]);
    expect(errors[2]?.message.zh).toContain('时限"六小时"格式错误');
    expect(errors[3]?.message).toEqual({ zh: '部门代码不存在：XX', en: 'Unknown department codes: XX' });
    expect(errors[5]?.message.en).toBe('Duplicates row 2 (each class may appear once)');
    expect(await catalogCounts(t.store)).toEqual(before);
    // The same file with the column restored still fails on the row errors (no partial write).
    const restored = await upload('/catalog/versions/import', await workbookFrom(cells));
    expect(restored.json().error.details.errorCount).toBe(5);
    expect(await catalogCounts(t.store)).toEqual(before);
  });

  it('refuses unreadable bodies, other content types, oversize files, and non-admins', async () => {
    const before = await catalogCounts(t.store);
    expectError(
      await upload('/catalog/versions/import', Buffer.from('not a workbook')),
      400,
      'CATALOG_FILE_UNREADABLE',
    );
    expectError(
      await upload('/catalog/versions/import', Buffer.from('{}'), admin, 'application/json'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectError(
      await upload('/catalog/versions/import', Buffer.alloc(11 * 1024 * 1024)),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expectError(await upload('/catalog/versions/import', seedFile, intake), 403, 'FORBIDDEN');
    expectError(await upload('/catalog/versions/import', seedFile, {}), 401, 'UNAUTHENTICATED');
    expectError(await upload('/catalog/versions/import?scheme=gbt99999', seedFile), 400, 'VALIDATION_FAILED');
    expectError(
      await upload(`/catalog/versions/${seedVersionId}/import?extra=1`, seedFile),
      400,
      'VALIDATION_FAILED',
    );
    // A gbt30428 file read as gbt47678: every code is unknown in that scheme.
    const wrong = expectError(
      await upload('/catalog/versions/import?scheme=gbt47678', seedFile),
      400,
      'CATALOG_IMPORT_INVALID',
    );
    expect(((wrong.details?.errors ?? []) as Array<{ code: string }>)[0]?.code).toBe('CATEGORY_UNKNOWN');
    expect(await catalogCounts(t.store)).toEqual(before);
  });

  it('imports a class list into a scheme: creates, renames, adds mapping pairs (several per row)', async () => {
    const header = [
      '类型',
      '大类代码',
      '大类名称',
      '小类代码',
      '小类名称',
      '细类代码',
      '细类名称',
      '对应代码',
    ];
    const bad = await workbookFrom([
      header,
      ['事件', '06', '市容环境类', '0101', '私搭乱建', null, null, '0101'],
      ['事件', '06', '市容环境类', '06053', '占道晾晒', null, null, '0511、9999'],
      ['事件', '06', '市容环境类', '06053', '占道晾晒', null, null, null],
    ]);
    const before = await catalogCounts(t.store);
    const e = expectError(
      await upload('/catalog/categories/import?scheme=gbt47678', bad),
      400,
      'CATALOG_IMPORT_INVALID',
    );
    expect(
      ((e.details?.errors ?? []) as Array<{ row: number; column: string; code: string }>).map((x) => [
        x.row,
        x.column,
        x.code,
      ]),
    ).toEqual([
      [2, '小类代码', 'CATEGORY_UNKNOWN'],
      [3, '对应代码', 'CATEGORY_UNKNOWN'],
      [4, '小类代码', 'ROW_DUPLICATE'],
    ]);
    expectError(await upload('/catalog/categories/import?scheme=gbt47678', bad, intake), 403, 'FORBIDDEN');
    expectError(await upload('/catalog/categories/import?scheme=gbt47678', bad, {}), 401, 'UNAUTHENTICATED');
    expectError(await upload('/catalog/categories/import', bad), 400, 'VALIDATION_FAILED');
    expect(await catalogCounts(t.store)).toEqual(before);

    const list = await workbookFrom([
      header,
      ['事件', '06', '市容环境类', '06053', '占道晾晒', null, null, '0511、0507'],
      ['事件', '06', '市容环境类', '06001', '私搭乱建', null, null, '0101'],
    ]);
    const res = await upload('/catalog/categories/import?scheme=gbt47678', list);
    expect(res.statusCode, res.body.slice(0, 400)).toBe(200);
    expect(res.json()).toEqual({ scheme: 'gbt47678', created: 1, updated: 2, deactivated: 0, mapped: 3 });
    const mappings = (
      await app.inject({ method: 'GET', url: '/api/v1/catalog/mappings?kind=event', headers: admin })
    ).json().items as Array<{ from: { code: string }; to: Array<{ code: string; basis: string }> }>;
    const to = (code: string) =>
      mappings.find((m) => m.from.code === code)?.to.map((x) => `${x.code} ${x.basis}`);
    // Pairs are added, never taken away: 0511 keeps 06007, 0101 keeps its reviewed pair.
    expect([to('0511'), to('0507'), to('0101')]).toEqual([
      ['06007 name', '06053 admin'],
      ['06036 reviewed', '06053 admin'],
      ['06001 name'],
    ]);
    // The new class has no row of its own: its counterparts' row serves it (0507 first by code).
    const limit = await app.inject({
      method: 'GET',
      url: '/api/v1/catalog/time-limit?code=06053&kind=event&scheme=gbt47678&areaClass=B&step=handle',
      headers: admin,
    });
    expect(limit.json()).toMatchObject({ amount: 4, unit: 'working_hours' });
    const after = await catalogCounts(t.store);
    expect([after?.categories, after?.mappings, after?.audit]).toEqual([
      (before?.categories ?? 0) + 1,
      (before?.mappings ?? 0) + 2,
      (before?.audit ?? 0) + 1,
    ]);
  });

  it('documents the upload in OpenAPI', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const op = doc.paths['/api/v1/catalog/versions/import'].post;
    expect(Object.keys(op.requestBody.content)).toEqual([XLSX_TYPE]);
    expect(op.requestBody.content[XLSX_TYPE].schema).toMatchObject({ type: 'string', format: 'binary' });
  });
});
