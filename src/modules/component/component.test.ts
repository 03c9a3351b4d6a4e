import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { DemoComponent } from '../../domain/component/demo.js';
import { STATE_LABELS } from '../../domain/component/states.js';
import type { ApiApp } from '../../platform/http/types.js';
import { componentById } from './service.js';
import {
  city,
  demo,
  demoById,
  ensureCatalog,
  expectError,
  type Headers,
  metres,
  visibleTo,
} from './testkit.js';

const inDistrict = (d: string) => demo.filter((c) => visibleTo(d, c));
const sample = demo.filter((_, i) => i % 1009 === 0);
const firstOf = (district: string, category: string) =>
  demo.find((c) => c.divisionCode === district && c.categoryCode === category) as DemoComponent;

describe.each(testStores())('component registry (read) on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  const auth: Record<string, Headers> = {};
  const get = (url: string, headers: Headers = auth.admin as Headers) =>
    app.inject({ method: 'GET', url: `/api/v1${url}`, headers });

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    await ensureCatalog(t.store.db);
    for (const u of ['admin', 'intake', 'intake2', 'citizen', 'dept']) auth[u] = await bearer(app, u);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  describe('demo seed', () => {
    it('holds exactly the generated demo components', async () => {
      const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM components`.execute(t.store.db);
      expect(n.rows[0]?.n).toBe(demo.length);
      expect(demo.length).toBeGreaterThanOrEqual(20_000);
      for (const c of sample) {
        const got = await componentById(t.store.db, c.id);
        expect(got).toEqual({
          id: c.id,
          name: c.name,
          categoryCode: c.categoryCode,
          scheme: 'gbt30428',
          gridCode: c.gridCode,
          state: c.state,
          owningDepartmentCode: c.owningDepartment,
          managingDepartmentCode: c.managingDepartment,
          maintainingDepartmentCode: c.maintainingDepartment,
          location: { lng: c.lng, lat: c.lat },
        });
      }
      expect(await componentById(t.store.db, '5101040101999999')).toBeNull();
    });

    it('every stored component lies inside its own grid (PostGIS)', async () => {
      const r = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM components c JOIN grids g ON g.code = c.grid_code
        WHERE NOT ST_Covers(g.geom, c.geom)`.execute(t.store.db);
      expect(r.rows[0]?.n).toBe(0);
    });
  });

  describe('GET /components/:id', () => {
    it('returns the component with its class, departments and state label', async () => {
      const c = firstOf('510104', '0101');
      const res = await get(`/components/${c.id}`);
      expect(res.statusCode, res.body).toBe(200);
      const depts = new Map(city.departments.map((d) => [d.code, d.name]));
      expect(res.json()).toEqual({
        id: c.id,
        scheme: 'gbt30428',
        divisionCode: '510104',
        categoryCode: '0101',
        categoryName: '上水井盖',
        name: '上水井盖',
        managingDepartment: { code: c.managingDepartment, name: depts.get(c.managingDepartment) },
        owningDepartment: { code: 'GS', name: '自来水公司' },
        maintainingDepartment: { code: c.maintainingDepartment, name: depts.get(c.maintainingDepartment) },
        gridCode: c.gridCode,
        state: c.state,
        stateLabel: STATE_LABELS[c.state],
        startDate: c.startDate,
        changeDate: c.changeDate,
        dataSource: c.dataSource,
        accuracyClass: 'A',
        note: c.note,
        location: { lng: c.lng, lat: c.lat },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('answers 404 outside the reader’s district (intake2 cannot read 510104 components)', async () => {
      const c104 = firstOf('510104', '0118');
      const c105 = firstOf('510105', '0118');
      expectError(await get(`/components/${c104.id}`, auth.intake2), 404, 'NOT_FOUND');
      expect((await get(`/components/${c105.id}`, auth.intake2)).statusCode).toBe(200);
      expect((await get(`/components/${c104.id}`, auth.intake)).statusCode).toBe(200);
      expectError(await get(`/components/${c105.id}`, auth.intake), 404, 'NOT_FOUND');
      // City-wide department staff read everything.
      expect((await get(`/components/${c105.id}`, auth.dept)).statusCode).toBe(200);
    });

    it('answers 404 for an unknown id, 400 for a malformed one, 401 and 403', async () => {
      expectError(await get('/components/5101040101999999'), 404, 'NOT_FOUND');
      for (const id of ['123', '51010401010000011x', '510104010100000012345']) {
        expectError(await get(`/components/${id}`), 400, 'VALIDATION_FAILED');
      }
      const id = (sample[0] as DemoComponent).id;
      expectError(await get(`/components/${id}`, {}), 401, 'UNAUTHENTICATED');
      const err = expectError(await get(`/components/${id}`, auth.citizen), 403, 'FORBIDDEN');
      expect(err.details).toEqual({ permission: 'component.read' });
    });
  });

  describe('GET /components', () => {
    const list = async (query: string, headers?: Headers) => {
      const res = await get(`/components?${query}`, headers);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: Array<{ id: string }>; total: number; limit: number; offset: number };
    };
    const expectIds = (got: { items: Array<{ id: string }>; total: number }, expected: DemoComponent[]) => {
      const ids = expected.map((c) => c.id).sort();
      expect(got.total).toBe(ids.length);
      expect(got.items.map((i) => i.id)).toEqual(ids.slice(0, got.items.length));
    };

    it('is limited to the reader’s district', async () => {
      expect((await list('limit=1')).total).toBe(demo.length);
      expectIds(await list('limit=20', auth.intake), inDistrict('510104'));
      expectIds(await list('limit=20', auth.intake2), inDistrict('510105'));
    });

    it('searches by exact id and by id prefix', async () => {
      const c = sample[3] as DemoComponent;
      expectIds(await list(`id=${c.id}`), [c]);
      expectIds(await list(`id=${c.id}`, c.divisionCode === '510105' ? auth.intake : auth.intake2), []);
      const prefix = c.id.slice(0, 12);
      expectIds(
        await list(`idPrefix=${prefix}&limit=500`),
        demo.filter((x) => x.id.startsWith(prefix)),
      );
      expectIds(
        await list('idPrefix=5101040402'),
        demo.filter((x) => x.id.startsWith('5101040402')),
      );
    });

    it('filters by class, state, grid, department and bbox', async () => {
      expectIds(
        await list('category=04'),
        demo.filter((c) => c.categoryCode.startsWith('04')),
      );
      expectIds(
        await list('category=0118&state=missing'),
        demo.filter((c) => c.categoryCode === '0118' && c.state === 'missing'),
      );
      const community = (sample[5] as DemoComponent).gridCode.slice(0, 12);
      expectIds(
        await list(`grid=${community}&limit=500`),
        demo.filter((c) => c.gridCode.startsWith(community)),
      );
      const grid = (sample[6] as DemoComponent).gridCode;
      expectIds(
        await list(`grid=${grid}`),
        demo.filter((c) => c.gridCode === grid),
      );
      expectIds(
        await list('department=GS'),
        demo.filter((c) =>
          [c.owningDepartment, c.managingDepartment, c.maintainingDepartment].includes('GS'),
        ),
      );
      expectIds(
        await list('department=SZ&departmentRole=owning&state=damaged'),
        demo.filter((c) => c.owningDepartment === 'SZ' && c.state === 'damaged'),
      );
      expectIds(
        await list('department=TX-02&departmentRole=maintaining', auth.intake),
        inDistrict('510104').filter((c) => c.maintainingDepartment === 'TX-02'),
      );
      const c = sample[7] as DemoComponent;
      const box = [c.lng - 0.002, c.lat - 0.0015, c.lng + 0.002, c.lat + 0.0015] as const;
      const inBox = demo.filter(
        (x) => x.lng >= box[0] && x.lng <= box[2] && x.lat >= box[1] && x.lat <= box[3],
      );
      expect(inBox.length).toBeGreaterThan(10);
      expectIds(await list(`bbox=${box.join(',')}&limit=500`), inBox);
    });

    it('pages with limit and offset, in id order', async () => {
      const all = demo
        .filter((c) => c.categoryCode === '0213')
        .map((c) => c.id)
        .sort();
      const p1 = await list('category=0213&limit=7&offset=0');
      const p2 = await list('category=0213&limit=7&offset=7');
      expect([...p1.items, ...p2.items].map((i) => i.id)).toEqual(all.slice(0, 14));
      expect([p1.total, p1.limit, p2.offset]).toEqual([all.length, 7, 7]);
      expect((await list('')).items).toHaveLength(50);
    });

    it('refuses malformed filters with VALIDATION_FAILED, and needs login and permission', async () => {
      for (const q of [
        'limit=0',
        'limit=501',
        'offset=-1',
        'idPrefix=51a',
        'id=5101',
        'category=1',
        'category=010101',
        'state=broken',
        'grid=51',
        'bbox=104,30,103,31',
        'departmentRole=owning',
        'department=bad code',
        'colour=red',
      ]) {
        const err = expectError(await get(`/components?${q}`), 400, 'VALIDATION_FAILED');
        expect(err.details?.in, q).toBe('querystring');
      }
      expectError(await get('/components', {}), 401, 'UNAUTHENTICATED');
      expectError(await get('/components', auth.citizen), 403, 'FORBIDDEN');
    });
  });

  describe('GET /components/nearest', () => {
    type Near = { id: string; distanceM: number; categoryCode: string; gridCode: string };
    const nearest = async (lng: number, lat: number, query = '', headers?: Headers) => {
      const res = await get(`/components/nearest?lng=${lng}&lat=${lat}${query}`, headers);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: Near[] }).items;
    };

    /** Compares with a brute-force ranking of every candidate by distance, in JS. */
    function expectNearest(
      got: Near[],
      p: { lng: number; lat: number },
      candidates: DemoComponent[],
      n: number,
    ) {
      const ranked = candidates.map((c) => ({ id: c.id, d: metres(p, c) })).sort((a, b) => a.d - b.d);
      expect(got).toHaveLength(Math.min(n, ranked.length));
      const cutoff = ranked[got.length - 1]?.d ?? 0;
      const tol = 0.05;
      got.forEach((item, i) => {
        const c = demoById.get(item.id) as DemoComponent;
        expect(candidates).toContain(c);
        const d = metres(p, c);
        expect(Math.abs(item.distanceM - d), item.id).toBeLessThan(0.001 * d + tol);
        expect(d).toBeLessThanOrEqual(cutoff + tol);
        if (i > 0) expect(item.distanceM).toBeGreaterThanOrEqual((got[i - 1] as Near).distanceM);
      });
      // Everything clearly nearer than the last one returned is in the answer.
      const ids = new Set(got.map((g) => g.id));
      for (const r of ranked) {
        if (r.d >= cutoff - tol) break;
        expect(ids.has(r.id), `${r.id} at ${r.d} m missing`).toBe(true);
      }
    }

    it('ranks by true distance in metres, like a brute-force computation', async () => {
      for (const [i, c] of sample.slice(0, 12).entries()) {
        const p = { lng: c.lng + 0.0004 * ((i % 3) - 1), lat: c.lat + 0.0003 };
        const n = [1, 5, 20][i % 3] as number;
        expectNearest(await nearest(p.lng, p.lat, `&limit=${n}`), p, demo, n);
      }
    });

    it('ranks correctly at random points of the city (property)', async () => {
      const lngs = demo.map((c) => c.lng);
      const lats = demo.map((c) => c.lat);
      const [w, e, s, n] = [Math.min(...lngs), Math.max(...lngs), Math.min(...lats), Math.max(...lats)];
      await fc.assert(
        fc.asyncProperty(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          async (x, y) => {
            const p = { lng: w + x * (e - w), lat: s + y * (n - s) };
            expectNearest(await nearest(p.lng, p.lat, '&limit=8'), p, demo, 8);
          },
        ),
        { numRuns: kind === 'postgres' ? 25 : 6 },
      );
    });

    it('filters by class and stays in the reader’s district', async () => {
      const c = firstOf('510105', '0111');
      const p = { lng: c.lng + 0.001, lat: c.lat - 0.0005 };
      expectNearest(
        await nearest(p.lng, p.lat, '&limit=6&category=0111'),
        p,
        demo.filter((x) => x.categoryCode === '0111'),
        6,
      );
      expectNearest(
        await nearest(p.lng, p.lat, '&category=01'),
        p,
        demo.filter((x) => x.categoryCode.startsWith('01')),
        10,
      );
      const mine = inDistrict('510104');
      expectNearest(await nearest(p.lng, p.lat, '&limit=15', auth.intake), p, mine, 15);
      // Far from every component, still the nearest ones (no fixed search radius).
      const far = { lng: c.lng + 0.2, lat: c.lat + 0.1 };
      expectNearest(await nearest(far.lng, far.lat, '&limit=3'), far, demo, 3);
      expect(await nearest(p.lng, p.lat, '&category=0999')).toEqual([]);
    });

    it('refuses bad coordinates and limits with VALIDATION_FAILED; 401 and 403', async () => {
      for (const q of [
        'lng=104.06',
        'lng=&lat=',
        'lng=200&lat=30',
        'lng=104&lat=30&limit=0',
        'lng=104&lat=30&limit=101',
        'lng=104&lat=30&category=x',
        'lng=104&lat=30&radius=5',
      ]) {
        expectError(await get(`/components/nearest?${q}`), 400, 'VALIDATION_FAILED');
      }
      expectError(await get('/components/nearest?lng=104&lat=30', {}), 401, 'UNAUTHENTICATED');
      expectError(await get('/components/nearest?lng=104&lat=30', auth.citizen), 403, 'FORBIDDEN');
    });
  });
});
