import { zipSync } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridsOf, projectRings } from '../../../test/fixtures/grids/demo-files.js';
import {
  GRID_FIELDS,
  PRJ,
  type ShpFeature,
  zippedShapefile,
} from '../../../test/fixtures/grids/shapefile-writer.js';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { jobAnswer } from '../../../test/helpers/jobs.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import type { ApiApp } from '../../platform/http/types.js';
import { encodingOfCpg, readZippedShapefile } from './shapefile.js';

const city = generateDemoCity();
const C = city.divisions.find((d) => d.level === 'community' && d.code.startsWith('510106'))?.code as string;
const grids = gridsOf(city, C);
const CHINESE_CLASS = { A: '一类', B: '二类', C: '三类' } as const;
const features = (rings?: number[][][][]): ShpFeature[] =>
  grids.map((g, i) => ({
    rings: rings?.[i] ?? [g.ring],
    attributes: { CODE: g.code, COMMUNITY: g.communityCode, AREACLASS: CHINESE_CLASS[g.areaClass] },
  }));

describe('reading zipped shapefiles (no database)', () => {
  it('reads polygons and GBK attributes of a genuine shapefile byte stream', async () => {
    const zip = zippedShapefile(features(), { fields: GRID_FIELDS, encoding: 'gbk', prj: PRJ.wgs84 });
    const shp = await readZippedShapefile(zip);
    expect(shp.encoding).toBe('gbk');
    expect(shp.prj).toBe(PRJ.wgs84);
    expect(shp.features).toHaveLength(grids.length);
    const first = shp.features[0] as {
      properties: Record<string, string>;
      geometry: { type: string; coordinates: number[][][] };
    };
    expect(first.properties).toEqual({
      CODE: grids[0]?.code,
      COMMUNITY: C,
      AREACLASS: CHINESE_CLASS[grids[0]?.areaClass ?? 'B'],
    });
    expect(first.geometry.type).toBe('Polygon');
    expect(new Set(first.geometry.coordinates[0]?.map((p) => p.join(',')))).toEqual(
      new Set(grids[0]?.ring.map((p) => p.join(','))),
    );
  });

  it('takes the encoding from the .cpg, the request, or the bytes', async () => {
    expect(encodingOfCpg('UTF-8\n')).toBe('utf-8');
    expect(encodingOfCpg('936')).toBe('gbk');
    expect(encodingOfCpg('GB2312')).toBe('gbk');
    expect(encodingOfCpg('ISO-8859-1')).toBeNull();
    const utf8 = zippedShapefile(features(), { fields: GRID_FIELDS, encoding: 'utf-8', cpg: 'UTF-8' });
    expect((await readZippedShapefile(utf8)).encoding).toBe('utf-8');
    const gbkNoCpg = zippedShapefile(features(), { fields: GRID_FIELDS, encoding: 'gbk' });
    // Forced to UTF-8, GBK text decodes to replacement characters: the wrong class value shows.
    const forced = await readZippedShapefile(gbkNoCpg, 'utf-8');
    expect((forced.features[0] as { properties: Record<string, string> }).properties.AREACLASS).not.toMatch(
      /类/,
    );
  });
});

describe.each(testStores())('shapefile import on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    admin = await bearer(app, 'admin');
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });
  const gridCount = async () =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM grids`.execute(t.store.db)).rows[0]?.n;
  const post = (zip: Uint8Array, query = '?dryRun=true') =>
    // The import runs as a job: its answer is the job's result (or its error), as it used to be.
    app
      .inject({
        method: 'POST',
        url: `/api/v1/grids/import${query}`,
        headers: { ...admin, 'content-type': 'application/zip' },
        payload: Buffer.from(zip),
      })
      .then((res) => jobAnswer(app, admin, res));

  it('a GBK shapefile without .cpg (Chinese area classes) validates clean in WGS84', async () => {
    const res = await post(
      zippedShapefile(features(), { fields: GRID_FIELDS, encoding: 'gbk', prj: PRJ.wgs84 }),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      ok: true,
      problems: [],
      summary: { encoding: 'gbk', crs: { srid: 4326, source: 'prj' }, changes: { unchanged: grids.length } },
    });
  });

  it('the same file read as UTF-8 names every grid with an unreadable area class', async () => {
    const res = await post(
      zippedShapefile(features(), { fields: GRID_FIELDS, encoding: 'gbk' }),
      '?dryRun=true&encoding=utf-8',
    );
    const problems = res.json().problems as Array<{ code: string; gridCode: string }>;
    expect(problems.map((p) => p.code)).toEqual(grids.map(() => 'GRID_AREA_CLASS'));
    expect(problems.map((p) => p.gridCode)).toEqual(grids.map((g) => g.code));
  });

  it('a .prj of CGCS2000 3° Gauss-Krüger CM 105E is detected and transformed', async () => {
    const rings = await projectRings(t.store, grids, 4544);
    const zip = zippedShapefile(features(rings), {
      fields: GRID_FIELDS,
      encoding: 'utf-8',
      cpg: 'UTF-8',
      prj: PRJ.cgcs2000GkCm105,
    });
    const res = await post(zip);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      ok: true,
      summary: { crs: { srid: 4544, source: 'prj' }, encoding: 'utf-8' },
    });
    // Applied: nothing changes (same grids), but the file is accepted and written through.
    const before = await gridCount();
    const applied = await post(zip, '');
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json().summary.changes).toMatchObject({ unchanged: grids.length, created: 0, retired: 0 });
    expect(await gridCount()).toBe(before);
  });

  it('refuses an unsupported .prj (Xian 1980), a bad archive and an archive without .dbf', async () => {
    const before = await gridCount();
    const xian = await post(zippedShapefile(features(), { fields: GRID_FIELDS, prj: PRJ.xian1980Gk }), '');
    expect(xian.statusCode).toBe(400);
    expect(xian.json().error.code).toBe('GRID_CRS_UNKNOWN');
    expect(xian.json().error.messages.en).toContain('.prj');
    const garbage = await post(new TextEncoder().encode('not a zip at all'), '');
    expect(garbage.json().error).toMatchObject({
      code: 'GRID_IMPORT_FILE',
      messages: { en: 'The body is not a readable ZIP archive' },
    });
    const noDbf = await post(zippedShapefile(features(), { fields: GRID_FIELDS, omit: ['dbf'] }), '');
    expect(noDbf.json().error.code).toBe('GRID_IMPORT_FILE');
    expect(noDbf.json().error.messages.en).toContain('grids.dbf is missing');
    const none = await post(zipSync({ 'readme.txt': new TextEncoder().encode('x') }), '');
    expect(none.json().error.messages.en).toBe('The archive must hold exactly one .shp file; it holds 0');
    expect(await gridCount()).toBe(before);
  });
});
