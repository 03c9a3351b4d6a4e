import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bbox,
  centre,
  collection,
  featureOf,
  type GridFeature,
  gridsOf,
  rect,
} from '../../../test/fixtures/grids/demo-files.js';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { jobAnswer } from '../../../test/helpers/jobs.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { type DemoGrid, generateDemoCity } from '../../domain/demo-city/index.js';
import type { ApiApp } from '../../platform/http/types.js';

const city = generateDemoCity();
const communities = city.divisions.filter((d) => d.level === 'community');
/** The first community of 锦江区 (510104) and one of 青羊区 (510105). */
const C1 = communities.find((c) => c.code.startsWith('510104'))?.code as string;
const C2 = communities.find((c) => c.code.startsWith('510105'))?.code as string;
const cityBox = (() => {
  const boxes = city.grids.map((g) => bbox(g.ring));
  return {
    east: Math.max(...boxes.map((b) => b.east)),
    north: Math.max(...boxes.map((b) => b.north)),
  };
})();

/** A grid of the community whose eastern neighbour is in the same community. */
function eastPair(communityCode: string, skip: string[] = []): [DemoGrid, DemoGrid] {
  const grids = gridsOf(city, communityCode);
  for (const g of grids) {
    if (skip.includes(g.code)) continue;
    const b = bbox(g.ring);
    const n = grids.find((x) => bbox(x.ring).west === b.east && bbox(x.ring).south === b.south);
    if (n && !skip.includes(n.code)) return [g, n];
  }
  throw new Error(`no east pair in ${communityCode}`);
}

type Problem = {
  code: string;
  gridCode: string | null;
  communityCode: string | null;
  lng: number;
  lat: number;
  zh: string;
  en: string;
};

describe.each(testStores())('grid import on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let admin: { authorization: string };
  let intake: { authorization: string };

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    [admin, intake] = await Promise.all([bearer(app, 'admin'), bearer(app, 'intake')]);
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

  it('a dry run of the demo city file finds no problem and writes nothing', async () => {
    // The whole city on PostgreSQL; one district's first communities on PGlite (slower PostGIS).
    const grids = kind === 'postgres' ? city.grids : [...gridsOf(city, C1), ...gridsOf(city, C2)];
    const before = await counts();
    const res = await post(collection(grids.map(featureOf)), '?dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.ok).toBe(true);
    expect(body.problems).toEqual([]);
    expect(body.changeId).toBeNull();
    expect(body.summary).toMatchObject({
      features: grids.length,
      problems: 0,
      crs: { srid: 4326, source: 'default' },
      changes: { created: 0, reshaped: 0, reclassified: 0, retired: 0, unchanged: grids.length },
    });
    expect(await counts()).toEqual(before);
  });

  describe('a broken file: every problem named with its grid and place, nothing written', () => {
    const [overlapper, overlapped] = eastPair(C1);
    const [shrunk, shrunkEast] = eastPair(C1, [overlapper.code, overlapped.code]);
    const grids = gridsOf(city, C1);
    const others = grids.filter((g) => ![overlapper, overlapped, shrunk, shrunkEast].includes(g));
    const [badCode, bowTie, badClass] = others.slice(3, 6) as [DemoGrid, DemoGrid, DemoGrid];
    const foreignCode = `${C1.slice(0, 9)}${String(Number(C1.slice(9)) + 1).padStart(3, '0')}${badCode.code.slice(12)}`;
    const features = grids.map((g): GridFeature => {
      const f = featureOf(g);
      const b = bbox(g.ring);
      if (g === overlapper)
        f.geometry.coordinates = [rect(b.west, b.south, (b.east + bbox(overlapped.ring).east) / 2, b.north)];
      if (g === shrunk) f.geometry.coordinates = [rect(b.west, b.south, (b.west + b.east) / 2, b.north)];
      if (g === badCode) f.properties.code = foreignCode;
      if (g === bowTie) {
        f.geometry.coordinates = [
          [
            [b.west, b.south],
            [b.east, b.north],
            [b.east, b.south],
            [b.west, b.north],
            [b.west, b.south],
          ],
        ];
      }
      if (g === badClass) f.properties.areaClass = 'D';
      return f;
    });
    const free = rect(cityBox.east + 0.05, cityBox.north + 0.05, cityBox.east + 0.051, cityBox.north + 0.051);
    features.push({
      type: 'Feature',
      properties: { code: `${C1.slice(0, 9)}099001`, community: `${C1.slice(0, 9)}099` },
      geometry: { type: 'Polygon', coordinates: [free] },
    });
    features.push({
      ...featureOf(others[0] as DemoGrid),
      geometry: { type: 'Polygon', coordinates: [free] },
    });

    const expectNear = (p: Problem, [lng, lat]: [number, number], within = 0.0006) => {
      expect(Math.abs(p.lng - lng), JSON.stringify(p)).toBeLessThan(within);
      expect(Math.abs(p.lat - lat), JSON.stringify(p)).toBeLessThan(within);
    };

    it('dryRun lists them all', async () => {
      const before = await counts();
      const res = await post(collection(features), '?dryRun=true');
      expect(res.statusCode, res.body).toBe(200);
      const { ok, problems, summary } = res.json() as {
        ok: boolean;
        problems: Problem[];
        summary: Record<string, unknown>;
      };
      expect(ok).toBe(false);
      expect(summary.changes).toBeNull();
      const byCode = (code: string) => problems.filter((p) => p.code === code);
      expect(problems.map((p) => p.code).sort()).toEqual(
        [
          'GRID_AREA_CLASS',
          'GRID_CODE_COMMUNITY_MISMATCH',
          'GRID_CODE_DUPLICATE',
          'GRID_COMMUNITY_UNKNOWN',
          'GRID_GAP',
          'GRID_GEOMETRY_INVALID',
          'GRID_OVERLAP',
        ].sort(),
      );
      const overlap = byCode('GRID_OVERLAP')[0] as Problem;
      expect(overlap.gridCode).toBe(overlapper.code);
      expect(overlap.en).toContain(overlapped.code);
      expect(overlap.zh).toContain(overlapped.code);
      const ob = bbox(overlapped.ring);
      expectNear(overlap, [(ob.west * 3 + ob.east) / 4, (ob.south + ob.north) / 2]);

      const gap = byCode('GRID_GAP')[0] as Problem;
      expect(gap.communityCode).toBe(C1);
      const sb = bbox(shrunk.ring);
      expectNear(gap, [(sb.west + sb.east * 3) / 4, (sb.south + sb.north) / 2]);
      expect(gap.en).toMatch(/m² are covered by no grid/);

      const invalid = byCode('GRID_GEOMETRY_INVALID')[0] as Problem;
      expect(invalid.gridCode).toBe(bowTie.code);
      expect(invalid.en).toMatch(/Self-intersection/i);
      expectNear(invalid, centre(bowTie.ring), 1e-6);

      const mismatch = byCode('GRID_CODE_COMMUNITY_MISMATCH')[0] as Problem;
      expect(mismatch.gridCode).toBe(foreignCode);
      expectNear(mismatch, centre(badCode.ring), 0.0001);
      expect(byCode('GRID_AREA_CLASS')[0]?.gridCode).toBe(badClass.code);
      expect(byCode('GRID_AREA_CLASS')[0]?.en).toContain('"D"');
      expect(byCode('GRID_COMMUNITY_UNKNOWN')[0]?.gridCode).toBe(`${C1.slice(0, 9)}099001`);
      expect(byCode('GRID_CODE_DUPLICATE')[0]?.gridCode).toBe(others[0]?.code);
      for (const p of problems) {
        expect(p.zh.length).toBeGreaterThan(0);
        expect(p.en.length).toBeGreaterThan(0);
        expect(Number.isFinite(p.lng) && Number.isFinite(p.lat)).toBe(true);
      }
      expect(await counts()).toEqual(before);
    });

    it('applying it is refused with GRID_IMPORT_INVALID carrying the same report', async () => {
      const before = await counts();
      const res = await post(collection(features));
      expect(res.statusCode, res.body).toBe(400);
      const err = res.json().error;
      expect(err.code).toBe('GRID_IMPORT_INVALID');
      expect(err.messages.en).toBe('The grid file has 7 problems; nothing was written');
      expect(err.details.problems).toHaveLength(7);
      expect(await counts()).toEqual(before);
    });
  });

  it('applies a re-cut community: split, merged and reclassified grids, history kept, boundary unchanged', async () => {
    const [a, b] = eastPair(C2);
    const [m1, m2] = eastPair(C2, [a.code, b.code]);
    const reclassified = gridsOf(city, C2).find((g) => ![a, b, m1, m2].includes(g)) as DemoGrid;
    const maxSeq = Math.max(...gridsOf(city, C2).map((g) => g.seq));
    const code = (seq: number) => `${C2}${String(seq).padStart(3, '0')}`;
    const ab = bbox(a.ring);
    const midLat = (ab.south + ab.north) / 2;
    const features = gridsOf(city, C2)
      .filter((g) => ![a, m1, m2].includes(g))
      .map((g) =>
        g === reclassified
          ? { ...featureOf(g), properties: { code: g.code, areaClass: g.areaClass === 'A' ? 'C' : 'A' } }
          : featureOf(g),
      );
    features.push(
      {
        type: 'Feature',
        properties: { code: code(maxSeq + 1) },
        geometry: { type: 'Polygon', coordinates: [rect(ab.west, ab.south, ab.east, midLat)] },
      },
      {
        type: 'Feature',
        properties: { code: code(maxSeq + 2), areaClass: 'A' },
        geometry: { type: 'Polygon', coordinates: [rect(ab.west, midLat, ab.east, ab.north)] },
      },
      {
        type: 'Feature',
        properties: { code: code(maxSeq + 3) },
        geometry: {
          type: 'Polygon',
          coordinates: [
            rect(bbox(m1.ring).west, bbox(m1.ring).south, bbox(m2.ring).east, bbox(m1.ring).north),
          ],
        },
      },
    );
    const boundaryArea = async () =>
      (
        await sql<{
          a: number;
        }>`SELECT ST_Area(boundary::geography) AS a FROM divisions WHERE code = ${C2}`.execute(t.store.db)
      ).rows[0]?.a;
    const areaBefore = await boundaryArea();
    const before = await counts();
    const res = await post(collection(features));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ ok: true, dryRun: false, changeId: expect.any(Number) });
    expect(body.summary.changes).toMatchObject({ created: 3, retired: 3, reclassified: 1, reshaped: 0 });
    expect(await counts()).toEqual({
      grids: before.grids + 3,
      current: before.current,
      audit: before.audit + 1,
      changes: before.changes + 1,
    });
    expect(await boundaryArea()).toBeCloseTo(areaBefore as number, 0);

    const old = await app.inject({ method: 'GET', url: `/api/v1/grids/${a.code}`, headers: admin });
    expect(old.json().properties).toMatchObject({
      validTo: expect.any(String),
      successors: [code(maxSeq + 1), code(maxSeq + 2)],
    });
    const merged = await app.inject({
      method: 'GET',
      url: `/api/v1/grids/${code(maxSeq + 3)}/history`,
      headers: admin,
    });
    expect(merged.json()).toMatchObject({
      current: true,
      predecessors: [{ code: m1.code }, { code: m2.code }],
    });
    const located = await app.inject({
      method: 'GET',
      url: `/api/v1/grids/locate?lng=${centre(a.ring)[0]}&lat=${midLat + 0.0001}`,
      headers: admin,
    });
    expect(located.json().gridCode).toBe(code(maxSeq + 2));
    const rc = await app.inject({
      method: 'GET',
      url: `/api/v1/grids/${reclassified.code}/history`,
      headers: admin,
    });
    expect(rc.json().changes).toMatchObject([
      { kind: 'import', role: 'reclassified', previousAreaClass: reclassified.areaClass },
    ]);
    const auditRow = await t.store.db
      .selectFrom('audit_log')
      .select(['action', 'target'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    expect(auditRow).toEqual({ action: 'grid.import', target: `grid_change:${body.changeId}` });

    // The same file again changes nothing; a file reusing a retired code is refused.
    const again = await post(collection(features));
    expect(again.json().summary.changes).toMatchObject({
      created: 0,
      retired: 0,
      unchanged: features.length,
    });
    expect(again.json().changeId).toBeNull();
    const reuse = await post(
      collection([
        ...features,
        {
          ...featureOf(a),
          geometry: { type: 'Polygon', coordinates: [rect(ab.west, ab.south, ab.east, midLat)] },
        },
      ]),
      '?dryRun=true',
    );
    expect((reuse.json().problems as Problem[]).map((p) => p.code)).toContain('GRID_CODE_RETIRED');
  });

  it('creates the grids of a new community and derives its boundary; a hole is a gap', async () => {
    const street = C1.slice(0, 9);
    const community = `${street}098`;
    const div = await app.inject({
      method: 'POST',
      url: '/api/v1/divisions',
      headers: admin,
      payload: { code: community, name: '导入新社区', parentCode: street },
    });
    expect(div.statusCode, div.body).toBe(201);
    const [x, y] = [cityBox.east + 0.02, cityBox.north + 0.02];
    const cells = [0, 1, 2].flatMap((i) =>
      [0, 1, 2].map((j) => rect(x + i * 0.001, y + j * 0.001, x + (i + 1) * 0.001, y + (j + 1) * 0.001)),
    );
    const feature = (ring: number[][], seq: number): GridFeature => ({
      type: 'Feature',
      properties: { code: `${community}${String(seq).padStart(3, '0')}`, community, areaClass: '一类' },
      geometry: { type: 'Polygon', coordinates: [ring] },
    });
    const withHole = cells.filter((_, i) => i !== 4).map((r, i) => feature(r, i + 1));
    const holed = await post(collection(withHole), '?dryRun=true');
    const problems = holed.json().problems as Problem[];
    expect(problems.map((p) => p.code)).toEqual(['GRID_GAP']);
    expect(problems[0]?.lng).toBeCloseTo(x + 0.0015, 6);
    const before = await counts();
    const res = await post(collection(cells.map((r, i) => feature(r, i + 1))));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().summary.changes).toMatchObject({ created: 9, retired: 0 });
    expect((await counts()).grids).toBe(before.grids + 9);
    const got = await app.inject({ method: 'GET', url: `/api/v1/divisions/${community}`, headers: admin });
    expect(got.json().boundary.type).toBe('MultiPolygon');
    const g = await app.inject({ method: 'GET', url: `/api/v1/grids/${community}005`, headers: admin });
    expect(g.json().properties.areaClass).toBe('A');
  });

  describe('access and bad requests', () => {
    const body = collection(gridsOf(city, C1).slice(0, 1).map(featureOf));
    it('needs a login (401) and grid.write (403)', async () => {
      const before = await counts();
      expect((await post(body, '', {})).json().error.code).toBe('UNAUTHENTICATED');
      const denied = await post(body, '', intake);
      expect(denied.statusCode).toBe(403);
      expect(denied.json().error.details).toEqual({ permission: 'grid.write' });
      expect(await counts()).toEqual(before);
    });
    it('refuses unknown query fields, bad flags, non-collections, text bodies and huge bodies', async () => {
      const before = await counts();
      for (const q of ['?foo=1', '?dryRun=yes', '?encoding=latin1']) {
        expect((await post(body, q)).json().error.code).toBe('VALIDATION_FAILED');
      }
      for (const b of [{ type: 'Feature' }, { type: 'FeatureCollection' }, [1, 2]]) {
        const res = await post(b);
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
      }
      expect((await post('{"type":', '', admin, 'application/geo+json')).json().error.code).toBe(
        'MALFORMED_JSON',
      );
      expect((await post('hello', '', admin, 'text/plain')).statusCode).toBe(415);
      const empty = await post(collection([]));
      expect(empty.json().error.code).toBe('GRID_IMPORT_FILE');
      const huge = await post(Buffer.alloc(64 * 1024 * 1024 + 1), '', admin, 'application/zip');
      expect(huge.statusCode).toBe(413);
      expect(await counts()).toEqual(before);
    });
  });
});
