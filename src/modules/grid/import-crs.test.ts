import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collection,
  featureOf,
  type GridFeature,
  gridsOf,
  projectRings,
} from '../../../test/fixtures/grids/demo-files.js';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { jobAnswer } from '../../../test/helpers/jobs.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import type { ApiApp } from '../../platform/http/types.js';

const city = generateDemoCity();
const communities = city.divisions.filter((d) => d.level === 'community');
/** A community of 青羊区 (510105). */
const C2 = communities.find((c) => c.code.startsWith('510105'))?.code as string;

type Problem = {
  code: string;
  gridCode: string | null;
  communityCode: string | null;
  lng: number;
  lat: number;
  zh: string;
  en: string;
};

const grids = gridsOf(city, C2);

describe.each(testStores())('grid import coordinate systems on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let admin: { authorization: string };
  let gk: GridFeature[];

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    admin = await bearer(app, 'admin');
    const rings = await projectRings(t.store, grids, 4544);
    gk = grids.map((g, i) => ({ ...featureOf(g), geometry: { type: 'Polygon', coordinates: rings[i] } }));
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const counts = async () => {
    const r = await sql<{ grids: number; current: number; audit: number; changes: number }>`
      SELECT (SELECT count(*)::int FROM grids) AS grids,
             (SELECT count(*)::int FROM grids WHERE valid_to IS NULL) AS current,
             (SELECT count(*)::int FROM audit_log) AS audit,
             (SELECT count(*)::int FROM grid_changes) AS changes`.execute(t.store.db);
    return r.rows[0] as NonNullable<(typeof r.rows)[0]>;
  };
  const post = (
    payload: unknown,
    query = '',
    headers: Record<string, string> = admin,
    contentType?: string,
  ) =>
    // The import runs as a job: its answer is the job's result (or its error), as it used to be.
    app
      .inject({
        method: 'POST',
        url: `/api/v1/grids/import${query}`,
        headers: contentType ? { ...headers, 'content-type': contentType } : headers,
        payload: payload as string,
      })
      .then((res) => jobAnswer(app, headers, res));

  it('Gauss-Krüger metres declared as (or defaulting to) WGS84 are refused, naming the likely CRS', async () => {
    const before = await counts();
    for (const query of ['', '?crs=EPSG:4326', '?dryRun=true']) {
      const res = await post(collection(gk), query);
      expect(res.statusCode, res.body).toBe(400);
      const err = res.json().error;
      expect(err.code).toBe('GRID_CRS_OUT_OF_RANGE');
      expect(err.messages.en).toContain('outside the range of EPSG:4326 (WGS 84)');
      expect(err.messages.en).toContain(grids[0]?.code);
      expect(err.messages.en).toContain('CGCS2000 3° Gauss-Krüger');
      expect(err.details.outside).toBe(grids.length * 5);
    }
    expect(await counts()).toEqual(before);
  });

  it('declared as EPSG:4544 (query or GeoJSON crs member) they are transformed and match the grids', async () => {
    for (const [body, query] of [
      [collection(gk), '?dryRun=true&crs=EPSG:4544'],
      [collection(gk, 'urn:ogc:def:crs:EPSG::4544'), '?dryRun=true'],
    ] as const) {
      const res = await post(body, query);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        ok: true,
        problems: [],
        summary: { crs: { srid: 4544 }, changes: { unchanged: grids.length, reshaped: 0 } },
      });
    }
  });

  it('declared as a wrong but valid zone (EPSG:4547), the grids land far away and are named', async () => {
    const res = await post(collection(gk), '?dryRun=true&crs=4547');
    expect(res.statusCode, res.body).toBe(200);
    const problems = res.json().problems as Problem[];
    const outside = problems.filter((p) => p.code === 'GRID_OUTSIDE_COMMUNITY');
    expect(outside.map((p) => p.gridCode).sort()).toEqual(grids.map((g) => g.code).sort());
    expect(outside[0]?.lng).toBeGreaterThan(110);
    expect(problems.some((p) => p.code === 'GRID_GAP')).toBe(true);
  });

  it('refuses an unknown CRS and a CRS differing from the file', async () => {
    const before = await counts();
    const unknown = await post(collection(gk), '?crs=EPSG:2383');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('GRID_CRS_UNKNOWN');
    expect(unknown.json().error.messages.en).toContain('EPSG:4490');
    const inFile = await post(collection(gk, 'EPSG:2383'));
    expect(inFile.json().error.code).toBe('GRID_CRS_UNKNOWN');
    const conflict = await post(collection(gk, 'EPSG:4544'), '?crs=EPSG:4547');
    expect(conflict.statusCode).toBe(400);
    expect(conflict.json().error).toMatchObject({
      code: 'GRID_CRS_CONFLICT',
      details: { declared: 4547, file: 4544 },
    });
    expect(await counts()).toEqual(before);
  });
});
