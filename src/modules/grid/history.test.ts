import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bbox, centre, gridsOf, rect } from '../../../test/fixtures/grids/demo-files.js';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { type DemoGrid, generateDemoCity } from '../../domain/demo-city/index.js';
import type { ApiApp } from '../../platform/http/types.js';

const city = generateDemoCity();
const community = (prefix: string) =>
  city.divisions.find((d) => d.level === 'community' && d.code.startsWith(prefix))?.code as string;
const C = community('510104');
const OTHER = community('510105');
const grids = gridsOf(city, C);
const maxSeq = Math.max(...grids.map((g) => g.seq));
const code = (seq: number, c = C) => `${c}${String(seq).padStart(3, '0')}`;
const polygon = (ring: number[][]) => ({ type: 'Polygon' as const, coordinates: [ring] });

function eastPairs(list: DemoGrid[]): Array<[DemoGrid, DemoGrid]> {
  const out: Array<[DemoGrid, DemoGrid]> = [];
  for (const g of list) {
    const n = list.find(
      (x) => bbox(x.ring).west === bbox(g.ring).east && bbox(x.ring).south === bbox(g.ring).south,
    );
    if (n) out.push([g, n]);
  }
  return out;
}
const pairs = eastPairs(grids);
/** Halves (south, north) of a grid's cell. */
const halves = (g: DemoGrid) => {
  const b = bbox(g.ring);
  const mid = (b.south + b.north) / 2;
  return [rect(b.west, b.south, b.east, mid), rect(b.west, mid, b.east, b.north)];
};

describe.each(testStores())('grid history on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let admin: { authorization: string };
  let intake: { authorization: string };
  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    [admin, intake] = await Promise.all([bearer(app, 'admin'), bearer(app, 'intake')]);
    // The demo grids were in force long before the changes below.
    await sql`UPDATE grids SET valid_from = '2020-01-01'`.execute(t.store.db);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });
  const counts = async () =>
    (
      await sql<{ grids: number; audit: number; changes: number; lineage: number }>`
      SELECT (SELECT count(*)::int FROM grids) AS grids, (SELECT count(*)::int FROM audit_log) AS audit,
        (SELECT count(*)::int FROM grid_changes) AS changes, (SELECT count(*)::int FROM grid_lineage) AS lineage`.execute(
        t.store.db,
      )
    ).rows[0] as { grids: number; audit: number; changes: number; lineage: number };
  const req = (
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = admin,
  ) =>
    app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload: payload as object } : {}) });
  async function refused(
    method: 'POST',
    url: string,
    payload: unknown,
    status: number,
    errorCode: string,
    headers: Record<string, string> = admin,
  ) {
    const before = await counts();
    const res = await req(method, url, payload, headers);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(errorCode);
    expect(await counts()).toEqual(before);
    return res.json().error as { messages: { zh: string; en: string }; details: Record<string, unknown> };
  }

  describe('split', () => {
    const [target] = pairs[0] as [DemoGrid, DemoGrid];
    it('refuses parts that do not tile the grid, naming what is wrong and where', async () => {
      const [south, north] = halves(target) as unknown as [number[][], number[][]];
      const b = bbox(target.ring);
      const gap = await refused(
        'POST',
        `/grids/${target.code}/split`,
        {
          parts: [
            { geometry: polygon(south) },
            { geometry: polygon(rect(b.west, (b.south + b.north) / 2, (b.west + b.east) / 2, b.north)) },
          ],
        },
        400,
        'GRID_SPLIT_INVALID',
      );
      const gapProblem = (gap.details.problems as Array<{ code: string; lng: number }>)[0];
      expect(gapProblem?.code).toBe('GRID_GAP');
      expect(gapProblem?.lng).toBeGreaterThan((b.west + b.east) / 2);
      const overlap = await refused(
        'POST',
        `/grids/${target.code}/split`,
        { parts: [{ geometry: polygon(target.ring) }, { geometry: polygon(north) }] },
        400,
        'GRID_SPLIT_INVALID',
      );
      expect((overlap.details.problems as Array<{ code: string }>).map((p) => p.code)).toEqual([
        'GRID_OVERLAP',
      ]);
      const outside = await refused(
        'POST',
        `/grids/${target.code}/split`,
        {
          parts: [
            { geometry: polygon(south) },
            { geometry: polygon(rect(b.west, (b.south + b.north) / 2, b.east, b.north + 0.0003)) },
          ],
        },
        400,
        'GRID_SPLIT_INVALID',
      );
      expect(outside.messages.en).toContain('outside the grid being split');
      const bow = [
        [b.west, b.south],
        [b.east, b.north],
        [b.east, b.south],
        [b.west, b.north],
        [b.west, b.south],
      ];
      const invalid = await refused(
        'POST',
        `/grids/${target.code}/split`,
        { parts: [{ geometry: polygon(bow) }, { geometry: polygon(north) }] },
        400,
        'GRID_SPLIT_INVALID',
      );
      expect(invalid.messages.en).toMatch(/Self-intersection/i);
      const used = await refused(
        'POST',
        `/grids/${target.code}/split`,
        { parts: [{ geometry: polygon(south), code: grids[5]?.code }, { geometry: polygon(north) }] },
        400,
        'GRID_SPLIT_INVALID',
      );
      expect(used.messages.en).toContain(`Grid code ${grids[5]?.code} is already used`);
      await refused(
        'POST',
        `/grids/${target.code}/split`,
        { parts: [{ geometry: polygon(south), code: code(900, OTHER) }, { geometry: polygon(north) }] },
        400,
        'GRID_SPLIT_INVALID',
      );
      const open = [...south.slice(0, 4)];
      await refused(
        'POST',
        `/grids/${target.code}/split`,
        { parts: [{ geometry: polygon(open) }, { geometry: polygon(north) }] },
        400,
        'GRID_SPLIT_INVALID',
      );
    });

    it('needs login, grid.write, a known grid and a strict body', async () => {
      const parts = halves(target).map((r) => ({ geometry: polygon(r) }));
      await refused('POST', `/grids/${target.code}/split`, { parts }, 401, 'UNAUTHENTICATED', {});
      await refused('POST', `/grids/${target.code}/split`, { parts }, 403, 'FORBIDDEN', intake);
      await refused('POST', `/grids/${code(999)}/split`, { parts }, 404, 'NOT_FOUND');
      await refused('POST', `/grids/${target.code}/split`, { parts, extra: 1 }, 400, 'VALIDATION_FAILED');
      await refused(
        'POST',
        `/grids/${target.code}/split`,
        { parts: parts.slice(0, 1) },
        400,
        'VALIDATION_FAILED',
      );
      await refused('POST', '/grids/12345/split', { parts }, 400, 'VALIDATION_FAILED');
    });

    it('ends the grid and creates the parts with the next free codes; history, locate and supervisors follow', async () => {
      await sql`INSERT INTO supervisor_grids (user_id, grid_code) SELECT id, ${target.code} FROM users WHERE username = 'supervisor' ON CONFLICT DO NOTHING`.execute(
        t.store.db,
      );
      const before = await counts();
      const [south, north] = halves(target) as unknown as [number[][], number[][]];
      const res = await req('POST', `/grids/${target.code}/split`, {
        parts: [{ geometry: polygon(south) }, { geometry: polygon(north), areaClass: 'A' }],
        reason: '道路改建',
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body.retired).toBe(target.code);
      expect(body.created.map((f: { id: string }) => f.id)).toEqual([code(maxSeq + 1), code(maxSeq + 2)]);
      expect(body.created[0].properties).toMatchObject({
        areaClass: target.areaClass,
        predecessors: [target.code],
        validTo: null,
      });
      expect(body.created[1].properties.areaClass).toBe('A');
      expect(await counts()).toEqual({
        grids: before.grids + 2,
        audit: before.audit + 1,
        changes: before.changes + 1,
        lineage: before.lineage + 2,
      });

      const old = await req('GET', `/grids/${target.code}`);
      expect(old.statusCode).toBe(200);
      expect(old.json().properties).toMatchObject({
        validTo: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        successors: [code(maxSeq + 1), code(maxSeq + 2)],
      });
      const history = (await req('GET', `/grids/${target.code}/history`)).json();
      expect(history).toMatchObject({
        current: false,
        successors: [{ code: code(maxSeq + 1) }, { code: code(maxSeq + 2) }],
        changes: [{ kind: 'split', role: 'retired', actorName: 'admin', reason: '道路改建' }],
      });

      const [lng, lat] = centre(target.ring);
      const now = await req('GET', `/grids/locate?lng=${lng}&lat=${lat - 0.0001}`);
      expect(now.json().gridCode).toBe(code(maxSeq + 1));
      const then = await req('GET', `/grids/locate?lng=${lng}&lat=${lat - 0.0001}&at=2025-06-01`);
      expect(then.json().gridCode).toBe(target.code);
      const before2020 = await req('GET', `/grids/locate?lng=${lng}&lat=${lat}&at=2019-12-31`);
      expect(before2020.statusCode).toBe(404);
      expect(before2020.json().error.details).toEqual({ lng, lat, at: '2019-12-31' });
      for (const bad of ['2025-02-30', '2025-6-1', 'yesterday']) {
        expect((await req('GET', `/grids/locate?lng=${lng}&lat=${lat}&at=${bad}`)).json().error.code).toBe(
          'VALIDATION_FAILED',
        );
      }
      const supervised = await sql<{
        grid_code: string;
      }>`SELECT grid_code FROM supervisor_grids s JOIN users u ON u.id = s.user_id WHERE u.username = 'supervisor' AND grid_code LIKE ${`${C}%`} ORDER BY grid_code`.execute(
        t.store.db,
      );
      expect(supervised.rows.map((r) => r.grid_code)).toEqual(
        expect.arrayContaining([target.code, code(maxSeq + 1), code(maxSeq + 2)]),
      );
      const auditRow = await t.store.db
        .selectFrom('audit_log')
        .select(['action', 'target'])
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      expect(auditRow).toEqual({ action: 'grid.split', target: `grid:${target.code}` });

      // A retired grid cannot be split again.
      const again = await refused(
        'POST',
        `/grids/${target.code}/split`,
        { parts: [{ geometry: polygon(south) }, { geometry: polygon(north) }] },
        409,
        'GRID_NOT_CURRENT',
      );
      expect(again.messages.en).toContain(`Grid ${target.code} was retired on`);
    });
  });

  describe('merge', () => {
    const [a, b] = pairs[3] as [DemoGrid, DemoGrid];
    const far = grids.find(
      (g) => !pairs.slice(0, 4).flat().includes(g) && Math.abs(bbox(g.ring).west - bbox(a.ring).west) > 0.003,
    ) as DemoGrid;
    it('refuses non-adjacent grids, other communities, mixed classes without a choice, duplicates and retired grids', async () => {
      const e = await refused(
        'POST',
        '/grids/merge',
        { codes: [a.code, far.code], areaClass: 'B' },
        400,
        'GRID_MERGE_INVALID',
      );
      expect(e.messages.en).toContain('are not adjacent');
      const other = gridsOf(city, OTHER)[0] as DemoGrid;
      const e2 = await refused(
        'POST',
        '/grids/merge',
        { codes: [a.code, other.code], areaClass: 'B' },
        400,
        'GRID_MERGE_INVALID',
      );
      expect(e2.details).toEqual({ communities: [C, OTHER] });
      await refused('POST', '/grids/merge', { codes: [a.code, a.code] }, 400, 'GRID_MERGE_INVALID');
      const retired = (pairs[0] as [DemoGrid, DemoGrid])[0];
      await refused('POST', '/grids/merge', { codes: [retired.code, a.code] }, 409, 'GRID_NOT_CURRENT');
      const mixed = pairs.find(([x, y]) => x.areaClass !== y.areaClass);
      if (mixed) {
        const e3 = await refused(
          'POST',
          '/grids/merge',
          { codes: mixed.map((g) => g.code) },
          400,
          'GRID_MERGE_INVALID',
        );
        expect(e3.messages.en).toContain('give areaClass');
      }
      await refused(
        'POST',
        '/grids/merge',
        { codes: [a.code, b.code], code: code(5, OTHER) },
        400,
        'GRID_MERGE_INVALID',
      );
    });
    it('needs login, grid.write and a strict body', async () => {
      await refused('POST', '/grids/merge', { codes: [a.code, b.code] }, 401, 'UNAUTHENTICATED', {});
      await refused('POST', '/grids/merge', { codes: [a.code, b.code] }, 403, 'FORBIDDEN', intake);
      await refused('POST', '/grids/merge', { codes: [a.code] }, 400, 'VALIDATION_FAILED');
      await refused('POST', '/grids/merge', { codes: [a.code, b.code], x: 1 }, 400, 'VALIDATION_FAILED');
    });
    it('merges two adjacent grids into one with a given code; the boundary stays the same', async () => {
      const area = async () =>
        (
          await sql<{
            a: number;
          }>`SELECT ST_Area(boundary::geography) AS a FROM divisions WHERE code = ${C}`.execute(t.store.db)
        ).rows[0]?.a as number;
      const areaBefore = await area();
      const before = await counts();
      const res = await req('POST', '/grids/merge', {
        codes: [a.code, b.code],
        code: code(990),
        areaClass: 'C',
      });
      expect(res.statusCode, res.body).toBe(201);
      const f = res.json().created;
      expect(f).toMatchObject({
        id: code(990),
        properties: { areaClass: 'C', seq: 990, predecessors: [a.code, b.code].sort() },
      });
      expect(f.geometry.coordinates[0].length).toBeGreaterThanOrEqual(5);
      expect(f.properties.areaM2).toBeGreaterThan(19_000);
      expect(await counts()).toEqual({
        grids: before.grids + 1,
        audit: before.audit + 1,
        changes: before.changes + 1,
        lineage: before.lineage + 2,
      });
      expect(await area()).toBeCloseTo(areaBefore, 0);
      const located = await req('GET', `/grids/locate?lng=${centre(b.ring)[0]}&lat=${centre(b.ring)[1]}`);
      expect(located.json().gridCode).toBe(code(990));
      // Codes are never reused: the next split after 990 continues from 991.
      const [s1, s2] = halves(pairs[6]?.[0] as DemoGrid) as unknown as [number[][], number[][]];
      const split = await req('POST', `/grids/${pairs[6]?.[0].code}/split`, {
        parts: [{ geometry: polygon(s1) }, { geometry: polygon(s2) }],
      });
      expect(split.json().created.map((x: { id: string }) => x.id)).toEqual([code(991), code(992)]);
    });
  });

  describe('POST /grids guards', () => {
    it('refuses a grid outside its community boundary, locating the part outside', async () => {
      const g = grids[0] as DemoGrid;
      const b = bbox(g.ring);
      // Reaches 0.01° beyond the community to the north of the whole city: outside, no overlap needed.
      const err = await refused(
        'POST',
        '/grids',
        { code: code(995), communityCode: C, geometry: polygon(rect(b.west, 31.5, b.east, 31.501)) },
        400,
        'GRID_OUTSIDE_COMMUNITY',
      );
      expect(err.details).toMatchObject({ code: code(995), communityCode: C, lat: expect.any(Number) });
      expect(err.details.lat as number).toBeGreaterThan(31.5);
    });
    it.runIf(kind === 'postgres')(
      'two concurrent creates of overlapping grids: exactly one wins',
      async () => {
        const street = C.slice(0, 9);
        const fresh = `${street}097`;
        expect(
          (await req('POST', '/divisions', { code: fresh, name: '并发测试社区', parentCode: street }))
            .statusCode,
        ).toBe(201);
        const ring = rect(105.5, 31.5, 105.501, 31.501);
        const results = await Promise.all(
          [1, 2, 3, 4].map((seq) =>
            req('POST', '/grids', { code: code(seq, fresh), communityCode: fresh, geometry: polygon(ring) }),
          ),
        );
        expect(results.map((r) => r.statusCode).sort()).toEqual([201, 400, 400, 400]);
        const n = await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM grids WHERE community_code = ${fresh}`.execute(t.store.db);
        expect(n.rows[0]?.n).toBe(1);
      },
    );
  });

  it('GET /grids/:code/history needs login and grid.read, and hides other districts (404)', async () => {
    const touched = pairs.slice(0, 7).flat();
    const g = grids.find((x) => !touched.includes(x)) as DemoGrid;
    expect((await req('GET', `/grids/${g.code}/history`, undefined, {})).statusCode).toBe(401);
    const citizen = await bearer(app, 'citizen');
    expect((await req('GET', `/grids/${g.code}/history`, undefined, citizen)).statusCode).toBe(403);
    const other = gridsOf(city, OTHER)[0] as DemoGrid;
    expect((await req('GET', `/grids/${other.code}/history`, undefined, intake)).statusCode).toBe(404);
    const mine = await req('GET', `/grids/${g.code}/history`, undefined, intake);
    expect(mine.json()).toMatchObject({
      code: g.code,
      current: true,
      predecessors: [],
      successors: [],
      changes: [],
    });
  });
});
