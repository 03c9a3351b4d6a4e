import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { jobAnswer } from '../../../test/helpers/jobs.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { validateComponentCode } from '../../domain/codes.js';
import { parseCsv } from '../../domain/component/csv.js';
import type { DemoComponent } from '../../domain/component/demo.js';
import type { ApiApp } from '../../platform/http/types.js';
import { IMPORT_BODY_LIMIT } from './routes.js';
import { city, counts, demo, ensureCatalog, expectError, type Headers, visibleTo } from './testkit.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const centreOf = (code: string) => {
  const g = city.grids.find((x) => x.code === code);
  if (!g) throw new Error(code);
  const [sw, , ne] = g.ring as [[number, number], [number, number], [number, number]];
  return { lng: (sw[0] + ne[0]) / 2, lat: (sw[1] + ne[1]) / 2 };
};
const g104 = city.grids.filter((g) => g.code.startsWith('510104')).map((g) => g.code);
const [a, b, c] = [centreOf(g104[10] as string), centreOf(g104[11] as string), centreOf(g104[12] as string)];

interface RowErr {
  row: number;
  field: string;
  code: string;
  message: { zh: string; en: string };
}

describe.each(testStores())('component import and export on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  const auth: Record<string, Headers> = {};
  const upload = (
    body: string | Buffer | object,
    contentType: string,
    query = '',
    headers: Headers = auth.admin as Headers,
  ) =>
    // The import runs as a job: its answer is the job's result (or its error), as it used to be.
    app
      .inject({
        method: 'POST',
        url: `/api/v1/components/import${query}`,
        headers: { ...headers, 'content-type': contentType },
        payload: typeof body === 'object' && !Buffer.isBuffer(body) ? JSON.stringify(body) : body,
      })
      .then((res) => jobAnswer(app, headers, res));

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    await ensureCatalog(t.store.db);
    for (const u of ['admin', 'intake', 'citizen']) auth[u] = await bearer(app, u);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  async function invalid(
    res: Awaited<ReturnType<typeof upload>>,
    before: { components: number; audit: number },
  ) {
    const err = expectError(res, 400, 'COMPONENT_IMPORT_INVALID');
    expect(await counts(t.store.db)).toEqual(before);
    return { ...err, errors: (err.details?.errors ?? []) as RowErr[] };
  }

  describe('POST /components/import', () => {
    const csv = [
      '部件名称,小类代码,经度,纬度,状态,权属单位,初始日期,id',
      `上水井盖,0101,${a.lng},${a.lat},完好,GS,2021-03-04,`,
      `路灯,0118,${b.lng},${b.lat},damaged,SZ,,`,
      `"垃圾箱, 新",,${c.lng},${c.lat},,HW,,5101040305700001`,
    ].join('\r\n');

    it('checks a valid CSV without writing on dryRun, then writes it all', async () => {
      const before = await counts(t.store.db);
      const dry = await upload(csv, 'text/csv', '?dryRun=true');
      expect(dry.statusCode, dry.body).toBe(200);
      expect(dry.json()).toEqual({ dryRun: true, format: 'csv', rows: 3, created: 0, ids: [] });
      expect(await counts(t.store.db)).toEqual(before);

      const res = await upload(csv, 'text/csv; charset=utf-8');
      expect(res.statusCode, res.body).toBe(200);
      const { ids, created } = res.json() as { ids: string[]; created: number };
      expect(created).toBe(3);
      expect(ids[2]).toBe('5101040305700001');
      for (const id of ids) expect(validateComponentCode(id).ok).toBe(true);
      expect(await counts(t.store.db)).toEqual({
        components: before.components + 3,
        audit: before.audit + 1,
      });
      const got = await app.inject({
        method: 'GET',
        url: `/api/v1/components/${ids[1]}`,
        headers: auth.admin,
      });
      expect(got.json()).toMatchObject({
        name: '路灯',
        state: 'damaged',
        gridCode: g104[11],
        owningDepartment: { code: 'SZ' },
      });
      expect(
        (await app.inject({ method: 'GET', url: `/api/v1/components/${ids[2]}`, headers: auth.admin })).json()
          .name,
      ).toBe('垃圾箱, 新');
    });

    it('names every bad row and field (zh + en) and writes nothing', async () => {
      const before = await counts(t.store.db);
      const taken = demo[5] as DemoComponent;
      const bad = [
        'name,category,lng,lat,state,owning,id',
        `好的,0101,${a.lng},${a.lat},,,`,
        `坏经度,0101,east,${a.lat},,,`,
        `未知类,0199,${a.lng},${a.lat},,,`,
        `重复,,${taken.lng},${taken.lat},,,${taken.id}`,
        `无网格,0101,100,20,坏了,NOPE,`,
      ].join('\n');
      for (const query of ['', '?dryRun=true']) {
        const err = await invalid(await upload(bad, 'text/csv', query), before);
        expect(err.details).toMatchObject({ format: 'csv', rows: 5, errorCount: 4 });
        expect(err.errors.map((e) => [e.row, e.field, e.code])).toEqual([
          [3, 'lng', 'COMPONENT_FIELD_INVALID'],
          [4, 'category', 'COMPONENT_CATEGORY_UNKNOWN'],
          [5, 'id', 'COMPONENT_ID_TAKEN'],
          [6, 'state', 'COMPONENT_FIELD_INVALID'],
        ]);
        expect(err.errors[0]?.message).toEqual({
          zh: '第 3 行「经度 lng」：应为 -180 到 180 之间的数字（WGS84 度）',
          en: 'Row 3, lng: must be a number from -180 to 180 (WGS84 degrees)',
        });
        expect(err.messages.zh).toContain('4 行错误');
        expect(err.messages.en).toContain('nothing was written');
      }
      // Once the state is fixed, the grid and department of that row are checked too.
      const fixed = bad.replace('坏了', '完好');
      const err = await invalid(await upload(fixed, 'text/csv'), before);
      expect(err.errors.filter((e) => e.row === 6).map((e) => [e.field, e.code])).toEqual([
        ['lng', 'COMPONENT_GRID_INVALID'],
        ['owning', 'COMPONENT_DEPARTMENT_UNKNOWN'],
      ]);
    });

    it('refuses unknown columns, repeated ids within the file and unreadable files', async () => {
      const before = await counts(t.store.db);
      let err = await invalid(
        await upload(`name,category,lng,lat,colour\nx,0101,${a.lng},${a.lat},red`, 'text/csv'),
        before,
      );
      expect(err.errors[0]).toMatchObject({ row: 1, field: 'colour', code: 'COMPONENT_FIELD_INVALID' });
      const twice = `name,id,lng,lat\nx,5101040101800001,${a.lng},${a.lat}\ny,5101040101800001,${b.lng},${b.lat}`;
      err = await invalid(await upload(twice, 'text/csv'), before);
      expect(err.errors).toEqual([
        expect.objectContaining({ row: 3, field: 'id', code: 'COMPONENT_ID_TAKEN' }),
      ]);
      expect(err.errors[0]?.message.en).toBe('Row 3, id: component id 5101040101800001 repeats row 2');
      const broken = expectError(
        await upload('name,lng\n"oops,1', 'text/csv'),
        400,
        'COMPONENT_IMPORT_FORMAT',
      );
      expect(broken.details).toEqual({ row: 2 });
      expectError(await upload('name,category,lng,lat\n', 'text/csv'), 400, 'COMPONENT_IMPORT_FORMAT');
      expectError(await upload(Buffer.from('not a zip'), XLSX), 400, 'COMPONENT_IMPORT_FORMAT');
      expectError(await upload({ type: 'Feature' }, 'application/json'), 400, 'COMPONENT_IMPORT_FORMAT');
      expectError(await upload('{"type":', 'application/json'), 400, 'MALFORMED_JSON');
      expect(await counts(t.store.db)).toEqual(before);
    });

    it('reads GBK-encoded CSV (as saved by Excel in China)', async () => {
      const gbk = Buffer.concat([
        Buffer.from('6e616d652c63617465676f72792c6c6e672c6c61740d0ac2b7b5c62c303131382c', 'hex'),
        Buffer.from(`${c.lng},${c.lat}\r\n`),
      ]);
      const res = await upload(gbk, 'text/csv', '?dryRun=1');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().rows).toBe(1);
    });

    it('imports GeoJSON features and reports bad features by number', async () => {
      const before = await counts(t.store.db);
      const feature = (lng: number, lat: number, properties: Record<string, unknown>) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [lng, lat] },
        properties,
      });
      const bad = {
        type: 'FeatureCollection',
        features: [
          feature(a.lng, a.lat, { name: '行道树', category: '0402' }),
          {
            type: 'Feature',
            geometry: { type: 'LineString', coordinates: [] },
            properties: { name: 'x', category: '0402' },
          },
          feature(b.lng, b.lat, { name: 'y', category: '0402', lng: 1, height: 3 }),
        ],
      };
      const err = await invalid(await upload(bad, 'application/json'), before);
      expect(err.errors.map((e) => [e.row, e.field])).toEqual([
        [2, 'geometry'],
        [3, 'lng'],
        [3, 'height'],
      ]);
      const good = {
        type: 'FeatureCollection',
        features: [
          bad.features[0],
          feature(b.lng, b.lat, { 部件名称: '行道树', 小类代码: '0402', 养护单位: 'YL-01' }),
        ],
      };
      const res = await upload(good, 'application/geo+json');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ format: 'geojson', created: 2 });
    });

    it('imports an xlsx sheet (ids as text, dates as dates)', async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('部件');
      ws.addRow(['部件编码', '部件名称', '小类代码', '经度', '纬度', '初始日期', '精度等级']);
      ws.addRow(['5101040209600001', '交通标志牌', null, a.lng, a.lat, new Date(Date.UTC(2019, 6, 1)), 'B']);
      ws.addRow([null, '路名牌', '0213', b.lng, b.lat, null, null]);
      const body = Buffer.from(await wb.xlsx.writeBuffer());
      const res = await upload(body, XLSX);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ format: 'xlsx', rows: 2, created: 2 });
      const got = await app.inject({
        method: 'GET',
        url: '/api/v1/components/5101040209600001',
        headers: auth.admin,
      });
      expect(got.json()).toMatchObject({ startDate: '2019-07-01', accuracyClass: 'B', categoryCode: '0209' });
    });

    it('answers 415 for other content types, 413 above the size limit, 400/401/403', async () => {
      const before = await counts(t.store.db);
      expectError(await upload('name', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectError(
        await upload(Buffer.alloc(IMPORT_BODY_LIMIT + 1, 0x41), 'text/csv'),
        413,
        'PAYLOAD_TOO_LARGE',
      );
      expectError(await upload(csv, 'text/csv', '?dryRun=maybe'), 400, 'VALIDATION_FAILED');
      expectError(await upload(csv, 'text/csv', '?mode=x'), 400, 'VALIDATION_FAILED');
      expectError(await upload(csv, 'text/csv', '', {}), 401, 'UNAUTHENTICATED');
      const err = expectError(await upload(csv, 'text/csv', '', auth.intake), 403, 'FORBIDDEN');
      expect(err.details).toEqual({ permission: 'component.write' });
      expect(await counts(t.store.db)).toEqual(before);
    });
  });

  describe('GET /components/export', () => {
    const exp = (query: string, headers: Headers = auth.admin as Headers) =>
      app.inject({ method: 'GET', url: `/api/v1/components/export?${query}`, headers });
    const signs = demo.filter((x) => x.categoryCode === '0213').sort((p, q) => p.id.localeCompare(q.id));
    /** The registry's own answer for the same filters (imports above added a few rows). */
    const listed = async (query: string, headers: Headers = auth.admin as Headers) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/components?limit=500&${query}`, headers });
      const body = res.json() as { items: Array<{ id: string }>; total: number };
      expect(body.total).toBeLessThanOrEqual(500);
      return body.items.map((i) => i.id);
    };

    it('exports CSV that matches the registry, in the reader’s scope', async () => {
      const res = await exp('format=csv&category=0213');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="components.csv"');
      const [header, ...rows] = parseCsv(res.body);
      expect(header?.slice(0, 7)).toEqual(['id', 'name', 'category', 'division', 'lng', 'lat', 'grid']);
      expect(rows.map((r) => r[0])).toEqual(await listed('category=0213'));
      expect(rows.length).toBeGreaterThanOrEqual(signs.length);
      const first = signs[0] as DemoComponent;
      expect(rows[0]?.slice(0, 11)).toEqual([
        first.id,
        first.name,
        '0213',
        first.divisionCode,
        String(first.lng),
        String(first.lat),
        first.gridCode,
        { intact: '完好', damaged: '破损', missing: '丢失', occupied: '占用' }[first.state],
        first.managingDepartment,
        first.owningDepartment,
        first.maintainingDepartment,
      ]);
      const mine = parseCsv((await exp('format=csv&category=0213', auth.intake)).body).slice(1);
      expect(mine.map((r) => r[0])).toEqual(await listed('category=0213', auth.intake));
      expect(mine.length).toBeGreaterThanOrEqual(signs.filter((x) => visibleTo('510104', x)).length);
    });

    it('exports xlsx and GeoJSON', async () => {
      const x = await exp('format=xlsx&category=0213&state=intact');
      expect(x.headers['content-type']).toBe(XLSX);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0] as ExcelJS.Worksheet;
      const intact = await listed('category=0213&state=intact');
      expect(ws.rowCount).toBe(intact.length + 1);
      expect(ws.getRow(2).getCell(1).value).toBe(intact[0]);
      const firstIntact = signs.find((s) => s.id === intact[0]);
      expect(ws.getRow(2).getCell(5).value).toBe(firstIntact?.lng);
      const g = await exp('format=geojson&category=0213');
      expect(g.headers['content-type']).toBe('application/geo+json; charset=utf-8');
      const fc = g.json();
      expect(fc.features.map((f: { id: string }) => f.id)).toEqual(await listed('category=0213'));
      expect(fc.features[0]).toMatchObject({
        type: 'Feature',
        id: signs[0]?.id,
        geometry: { type: 'Point', coordinates: [signs[0]?.lng, signs[0]?.lat] },
        properties: { name: '路名牌', grid: signs[0]?.gridCode },
      });
    });

    it('round-trips: an exported GeoJSON without ids imports as new components with the same attributes', async () => {
      const grid = (signs[0] as DemoComponent).gridCode;
      const fc = (await exp(`format=geojson&grid=${grid}`)).json();
      for (const f of fc.features) delete f.properties.id;
      const res = await upload(fc, 'application/json');
      expect(res.statusCode, res.body).toBe(200);
      const ids = res.json().ids as string[];
      expect(ids).toHaveLength(fc.features.length);
      const again = (await exp(`format=geojson&grid=${grid}`)).json();
      const props = (f: { properties: Record<string, unknown> }) => {
        const { id: _id, ...rest } = f.properties;
        return JSON.stringify(rest);
      };
      const created = again.features
        .filter((f: { id: string }) => ids.includes(f.id))
        .map(props)
        .sort();
      expect(created).toEqual(fc.features.map(props).sort());
    });

    it('refuses a missing or unknown format and bad filters; 401 and 403', async () => {
      for (const q of ['', 'format=pdf', 'format=csv&limit=5', 'format=csv&state=broken']) {
        expectError(await exp(q), 400, 'VALIDATION_FAILED');
      }
      expectError(await exp('format=csv', {}), 401, 'UNAUTHENTICATED');
      expectError(await exp('format=csv', auth.citizen), 403, 'FORBIDDEN');
    });
  });
});
