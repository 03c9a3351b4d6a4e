/** Filters of the cases tile layer and the grid heat counts: what they hold, tags, scope, 400s. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { decodeTile, expectError, type FixtureCase, fixtureCases, insertCases, tileUrl } from './testkit.js';
import { type TileCoord, tileAt, tileBounds3857, toWebMercator } from './tile.js';

const OPEN = new Set(['reported', 'filed', 'dispatched', 'handling']);
const SOURCES = ['supervisor', 'public', 'hotline_12345'] as const;
/** The categories given to the fixture: one component 小类 and two event 小类 (GB/T 30428). */
const CATEGORIES = [
  { kind: 'component', code: '0101' },
  { kind: 'event', code: '0102' },
  { kind: 'event', code: '0501' },
] as const;
const PAST = new Date('2026-03-10T02:00:00Z');

interface Case extends FixtureCase {
  source: (typeof SOURCES)[number];
  kind: 'component' | 'event';
  categoryCode: string;
  /** Reported in March 2026 (the rest: now). */
  past: boolean;
}

const CASES: Case[] = fixtureCases(700, 11).map((c, i) => {
  const cat = CATEGORIES[(i * 5 + Math.floor(i / 6)) % 3]!;
  return {
    ...c,
    source: SOURCES[Math.floor(i / 6) % 3]!,
    kind: cat.kind,
    categoryCode: cat.code,
    past: i % 4 === 0,
  };
});
// A z11 tile over the centre holds most of the demo city; z13 keeps several clusters per tile.
const WIDE = tileAt(104.06, 30.66, 11);
const CENTRE = tileAt(104.06, 30.66, 13);
const STREET = CASES[0]!.gridCode.slice(0, 9);
const GRID = CASES.find((c) => OPEN.has(c.state))!.gridCode;

function inTile(t: TileCoord, c: Case) {
  const b = tileBounds3857(t);
  const [x, y] = toWebMercator(c.lng, c.lat);
  return x >= b.west && x <= b.east && y >= b.south && y <= b.north;
}

/** The model of a filter query over the fixture (what the server must answer). */
function matches(q: URLSearchParams, c: Case): boolean {
  const list = (k: string) => q.get(k)?.split(',');
  const light = c.light ?? 'none';
  return (
    (!q.get('kind') || c.kind === q.get('kind')) &&
    (!q.get('categoryCode') || c.categoryCode.startsWith(q.get('categoryCode')!)) &&
    (!q.get('areaCode') || c.gridCode.startsWith(q.get('areaCode')!)) &&
    (!list('state') || list('state')!.includes(c.state)) &&
    (!list('light') || list('light')!.includes(light)) &&
    (!list('source') || list('source')!.includes(c.source))
  );
}

const FILTERS = [
  '',
  'light=red',
  'light=green,yellow',
  'light=none',
  'state=filed,handling',
  'source=public',
  'source=public,hotline_12345',
  'categoryCode=05',
  'categoryCode=01',
  'kind=event&categoryCode=01',
  'kind=component',
  'categoryCode=0501',
  'areaCode=510105',
  `areaCode=${STREET}`,
  `areaCode=${GRID}`,
  'light=red,yellow&source=supervisor&areaCode=510104&kind=event',
];

describe.each(testStores())('case layer filters and grid heat on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  /** Same store, single points at every zoom: the case numbers themselves can be compared. */
  let points: ApiApp;
  const who: Record<string, { authorization: string }> = {};

  beforeAll(async () => {
    t = await openTestStore(kind);
    [app, points] = await Promise.all([testApp(t.store), testApp(t.store, { MAP_CLUSTER_BELOW_ZOOM: '0' })]);
    for (const u of ['admin', 'intake2', 'dept', 'citizen']) who[u] = await bearer(app, u);
    await insertCases(t.store, CASES);
    const values = CASES.map(
      (c) =>
        sql`(${c.number}, ${c.source}, ${c.kind}, ${c.categoryCode}, ${c.past ? PAST : null}::timestamptz)`,
    );
    await sql`
      UPDATE cases SET source = v.source, kind = v.kind, reported_at = coalesce(v.at, cases.reported_at),
        category_id = (SELECT id FROM categories WHERE scheme = 'gbt30428' AND kind = v.kind AND code = v.code)
      FROM (VALUES ${sql.join(values)}) AS v(number, source, kind, code, at)
      WHERE cases.number = v.number`.execute(t.store.db);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await points?.close();
    await t?.dispose();
  });

  const get = (url: string, headers: Record<string, string> = who.admin!, on = app) =>
    on.inject({ method: 'GET', url, headers });
  const features = async (tile: TileCoord, query: string, headers = who.admin!, on = app) => {
    const res = await get(`${tileUrl('cases', tile)}${query ? `?${query}` : ''}`, headers, on);
    if (res.statusCode === 204) return [];
    expect(res.statusCode, res.body).toBe(200);
    return decodeTile(res.rawPayload, tile).cases!.features;
  };
  const open = (filter: (c: Case) => boolean) => CASES.filter((c) => OPEN.has(c.state) && filter(c));

  it('each filter leaves exactly the matching open cases in the tile, as points and as cluster counts', async () => {
    let all = 0;
    for (const query of FILTERS) {
      const q = new URLSearchParams(query);
      const expected = open((c) => inTile(WIDE, c) && matches(q, c))
        .map((c) => c.number)
        .sort();
      const got = (await features(WIDE, query, who.admin, points)).map((f) => f.properties.number).sort();
      expect(got, query).toEqual(expected);
      const clusters = await features(CENTRE, query);
      const total = clusters.reduce((n, f) => n + (f.properties.count as number), 0);
      expect(total, query).toBe(open((c) => inTile(CENTRE, c) && matches(q, c)).length);
      if (query === '') all = expected.length;
      else expect(expected.length, query).toBeLessThan(all);
    }
    expect(all).toBeGreaterThan(200);
  });

  it('clusters still carry the worst light of the cases the filter leaves', async () => {
    const lights = async (query: string) =>
      new Set((await features(CENTRE, query)).map((f) => f.properties.light ?? 'none'));
    expect(await lights('')).toEqual(new Set(['green', 'yellow', 'red', 'none']));
    expect(await lights('light=red')).toEqual(new Set(['red']));
    expect(await lights('light=green,yellow')).toEqual(new Set(['green', 'yellow']));
    expect(await lights('light=none')).toEqual(new Set(['none']));
    // A cluster of green and yellow cases is yellow: the worst light over the same cells.
    const worst = await features(CENTRE, 'light=green,yellow');
    const greens = await features(CENTRE, 'light=green');
    expect(worst.filter((f) => f.properties.light === 'yellow').length).toBeGreaterThan(0);
    expect(greens.every((f) => f.properties.light === 'green')).toBe(true);
  });

  it('tags differ per filter even for the same bytes; list order, duplicates and rev do not matter', async () => {
    const url = tileUrl('cases', CENTRE);
    const plain = await get(url);
    const allLights = await get(`${url}?light=green,yellow,red,none`);
    expect(allLights.statusCode).toBe(200);
    expect(allLights.rawPayload.equals(plain.rawPayload)).toBe(true);
    expect(allLights.headers.etag).not.toBe(plain.headers.etag);
    const reordered = await get(`${url}?light=red,none,green,yellow,red&rev=abc`);
    expect(reordered.headers.etag).toBe(allLights.headers.etag);
    // The unfiltered tile's tag does not revalidate a filtered one, and vice versa.
    const stale = await get(`${url}?light=green,yellow,red,none`, {
      ...who.admin!,
      'if-none-match': plain.headers.etag as string,
    });
    expect(stale.statusCode).toBe(200);
    const fresh = await get(`${url}?light=none,red,yellow,green&rev=2`, {
      ...who.admin!,
      'if-none-match': allLights.headers.etag as string,
    });
    expect(fresh.statusCode).toBe(304);
    expect(
      new Set(
        await Promise.all(
          ['light=red', 'source=public', ''].map(async (q) => (await get(`${url}?${q}`)).headers.etag),
        ),
      ).size,
    ).toBe(3);
  });

  it('scope still applies under every filter', async () => {
    const q = (s: string) => new URLSearchParams(s);
    for (const query of ['', 'light=red', 'areaCode=510105', 'categoryCode=05&source=public']) {
      const mine = open((c) => inTile(WIDE, c) && c.gridCode.startsWith('510105') && matches(q(query), c));
      const got = await features(WIDE, query, who.intake2, points);
      expect(got.map((f) => f.properties.number).sort(), query).toEqual(mine.map((c) => c.number).sort());
      const dept = open((c) => inTile(WIDE, c) && c.department === 1 && matches(q(query), c));
      const gotDept = await features(WIDE, query, who.dept, points);
      expect(gotDept.map((f) => f.properties.number).sort(), query).toEqual(dept.map((c) => c.number).sort());
    }
    // Another district's code filters down to nothing, never past the scope.
    expect((await get(`${tileUrl('cases', WIDE)}?areaCode=510104`, who.intake2)).statusCode).toBe(204);
  });

  it.each([
    ['light=blue', 'light'],
    ['light=', 'light'],
    ['light=red,,green', 'light'],
    ['state=closed', 'state'],
    ['state=voided,filed', 'state'],
    ['source=twitter', 'source'],
    ['kind=vehicle', 'kind'],
    ['categoryCode=abc', 'categoryCode'],
    ['categoryCode=1', 'categoryCode'],
    ['categoryCode=01019999', 'categoryCode'],
    ['areaCode=5101', 'areaCode'],
    ['areaCode=5101041', 'areaCode'],
    ['rev=a%20b', 'rev'],
    ['colour=red', ''],
  ])('?%s → 400 VALIDATION_FAILED naming %s', async (query, field) => {
    const error = expectError(await get(`${tileUrl('cases', CENTRE)}?${query}`), 400, 'VALIDATION_FAILED');
    const paths = (error.details.issues as { path: string[] }[]).map((i) => i.path[0]);
    if (field) expect(paths).toContain(field);
  });

  it('other layers refuse the filters (400) instead of ignoring them', async () => {
    const tile = tileAt(104.06, 30.66, 14);
    for (const query of ['light=red', 'areaCode=510104', 'rev=1']) {
      const error = expectError(await get(`${tileUrl('grids', tile)}?${query}`), 400, 'VALIDATION_FAILED');
      expect(error.details).toEqual({ layer: 'grids', parameters: [query.split('=')[0]] });
      expect(error.messages.en).toContain('filters apply to the cases layer only');
    }
  });

  it('documents the filters in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, { get: { parameters: { name: string; in: string }[] } }>;
    };
    const names = (path: string) =>
      doc.paths[path]!.get.parameters.filter((p) => p.in === 'query').map((p) => p.name);
    const filters = ['kind', 'categoryCode', 'areaCode', 'state', 'light', 'source'];
    expect(names('/api/v1/map/tiles/{layer}/{z}/{x}/{y}.mvt')).toEqual([...filters, 'rev']);
    expect(names('/api/v1/map/heat/grids')).toEqual([...filters, 'from', 'to']);
  });

  describe('grid heat', () => {
    const heat = async (query = '', headers = who.admin!) => {
      const res = await get(`/api/v1/map/heat/grids${query ? `?${query}` : ''}`, headers);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as {
        measure: string;
        from: string | null;
        to: string | null;
        total: number;
        max: number;
        counts: Record<string, number>;
      };
    };
    const countsOf = (cases: Case[]) => {
      const out: Record<string, number> = {};
      for (const c of cases) out[c.gridCode] = (out[c.gridCode] ?? 0) + 1;
      return out;
    };

    it('counts open cases per grid, filtered like the tiles', async () => {
      for (const query of ['', 'categoryCode=05', 'light=red&source=public', 'areaCode=510105']) {
        const expected = countsOf(open((c) => matches(new URLSearchParams(query), c)));
        const body = await heat(query);
        expect(body.counts, query).toEqual(expected);
        expect(body.measure).toBe('open');
        expect(body.total).toBe(Object.values(expected).reduce((a, b) => a + b, 0));
        expect(body.max).toBe(Math.max(0, ...Object.values(expected)));
      }
      expect(Object.keys((await heat()).counts).length).toBeGreaterThan(100);
    });

    it('with from and to: cases reported in the period, whatever their state', async () => {
      const body = await heat('from=2026-03-01T00:00:00%2B08:00&to=2026-04-01T00:00:00%2B08:00&kind=event');
      expect(body.counts).toEqual(countsOf(CASES.filter((c) => c.past && c.kind === 'event')));
      expect(body).toMatchObject({
        measure: 'reported',
        from: '2026-02-28T16:00:00.000Z',
        to: '2026-03-31T16:00:00.000Z',
      });
      const empty = await heat('from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z');
      expect(empty).toMatchObject({ counts: {}, total: 0, max: 0 });
    });

    it('keeps to the scope of who asks', async () => {
      expect((await heat('', who.intake2)).counts).toEqual(
        countsOf(open((c) => c.gridCode.startsWith('510105'))),
      );
      expect((await heat('', who.dept)).counts).toEqual(countsOf(open((c) => c.department === 1)));
    });

    it('answers 401 without login, 403 to citizens and 400 to bad filters or periods', async () => {
      expectError(await app.inject({ method: 'GET', url: '/api/v1/map/heat/grids' }), 401, 'UNAUTHENTICATED');
      expectError(await get('/api/v1/map/heat/grids', who.citizen), 403, 'FORBIDDEN');
      for (const query of [
        'light=blue',
        'state=closed',
        'from=2026-03-01T00:00:00Z',
        'from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z',
        'from=2025-01-01T00:00:00Z&to=2026-03-01T00:00:00Z',
        'from=yesterday&to=today',
        'bbox=1,2,3,4',
      ]) {
        expectError(await get(`/api/v1/map/heat/grids?${query}`), 400, 'VALIDATION_FAILED');
      }
    });
  });
});
