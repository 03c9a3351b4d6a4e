/**
 * Hot-spot analysis over HTTP on both stores: a planted cluster is found as a 99 % hot spot
 * (grid and hexagon lattices), the cases behind a cell are exactly those counted, emerging hot
 * spots see a cluster that appears in the last week as new, the asker's area bounds everything,
 * and every endpoint answers 401/403/400/404 as documented.
 */
import { latLngToCell } from 'h3-js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import type { ApiApp } from '../../platform/http/types.js';
import { localWeekStart } from './hotspots.js';

const city = generateDemoCity();
const division = new Map(city.divisions.map((d) => [d.code, d]));
const byCode = new Map(city.grids.map((g) => [g.code, g]));

function centreOf(code: string): [number, number] {
  const [[w, s], , [e, n]] = byCode.get(code)!.ring as [[number, number], unknown, [number, number]];
  return [(w + e) / 2, (s + n) / 2];
}

/** Analysis week: 8 local weeks ending Monday 2026-11-30 00:00 +08:00. */
const END = Date.parse('2026-11-30T00:00:00+08:00');
const WEEK = 7 * 86_400_000;
const FROM = new Date(END - 8 * WEEK).toISOString();
const TO = new Date(END).toISOString();

// The cluster: 45 cases in one grid of 锦江区 and its two eastern neighbours, all in the last
// week; background: one case a week in every 40th grid of the city.
const JINJIANG = city.grids.filter((g) => g.code.startsWith('510104'));
const HOT = JINJIANG[Math.floor(JINJIANG.length / 2)]!.code;
const BACKGROUND = city.grids.filter((_, i) => i % 40 === 0).map((g) => g.code);

interface Planted {
  number: string;
  grid: string;
  lng: number;
  lat: number;
  at: Date;
  state: string;
}

function plant(): Planted[] {
  const out: Planted[] = [];
  let seq = 0;
  const add = (grid: string, at: number, state = 'filed', jitter = 0) => {
    const [lng, lat] = centreOf(grid);
    seq++;
    out.push({
      number: `${grid.slice(0, 6)}-20261101-E-${String(seq).padStart(4, '0')}`,
      grid,
      lng: lng + jitter * 1e-6,
      lat,
      at: new Date(at),
      state,
    });
  };
  for (let k = 0; k < 45; k++) add(HOT, END - WEEK + 3_600_000 * (k + 1), k % 2 ? 'closed' : 'filed', k % 9);
  for (let w = 0; w < 8; w++) for (const g of BACKGROUND) add(g, END - (8 - w) * WEEK + 86_400_000);
  // Duplicates and refusals are not problems of their own: never counted.
  add(HOT, END - WEEK + 1000, 'voided');
  add(HOT, END - WEEK + 2000, 'merged');
  return out;
}
const PLANTED = plant();
const COUNTED = PLANTED.filter((p) => !['voided', 'merged'].includes(p.state));

async function insert(ts: TestStore) {
  for (let i = 0; i < PLANTED.length; i += 200) {
    const values = PLANTED.slice(i, i + 200).map((c) => {
      const community = division.get(c.grid.slice(0, 12))!;
      const street = division.get(community.parentCode!)!;
      return sql`(${c.number}, ${c.grid}, ${community.code}, ${street.code}, ${street.parentCode},
        ST_SetSRID(ST_MakePoint(${c.lng}, ${c.lat}), 4326), ${c.state}, ${c.at.toISOString()}::timestamptz)`;
    });
    await sql`
      INSERT INTO cases (number, source, kind, category_id, grid_code, community_code, street_code, district_code,
        area_class, location, address, description, reporter_role, state, reported_at, merged_into_id)
      SELECT v.number, 'supervisor', 'event', (SELECT min(id) FROM categories WHERE kind = 'event'), v.grid,
        v.community, v.street, v.district, 'B', v.location, '测试地址', '热点分析测试案卷', 'supervisor', v.state,
        v.at, CASE WHEN v.state = 'merged' THEN (SELECT min(id) FROM cases) END
      FROM (VALUES ${sql.join(values)}) AS v(number, grid, community, street, district, location, state, at)`.execute(
      ts.store.db,
    );
  }
}

describe.each(testStores())('hot-spot analysis (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let leader: { authorization: string };
  let shiftlead: { authorization: string };

  beforeAll(async () => {
    ts = await openTestStore(kind);
    await insert(ts);
    app = await testApp(ts.store);
    leader = await bearer(app, 'leader');
    shiftlead = await bearer(app, 'shiftlead');
  });
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  const get = (url: string, headers?: Record<string, string>) => app.inject({ method: 'GET', url, headers });
  const q = (path: string, params: Record<string, string | number>) =>
    `/api/v1/analytics/${path}?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`;

  it('finds the planted cluster as a 99 % hot spot of unit grids, counting every case once', async () => {
    const res = await get(q('hotspots', { unit: 'grid', band: 300, from: FROM, to: TO }), leader);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.caseCount).toBe(COUNTED.length);
    expect(body.cellCount).toBe(city.grids.length);
    const hot = body.cells.find((c: { id: string }) => c.id === HOT);
    expect(hot).toMatchObject({ count: COUNTED.filter((p) => p.grid === HOT).length, bin: 3 });
    // Listed by z: first the grids whose 300 m band reaches the cluster (its own among them).
    const [hx, hy] = centreOf(HOT);
    for (const c of body.cells.slice(0, 5)) {
      const [x, y] = centreOf(c.id);
      expect(Math.hypot((x - hx) * 95_800, (y - hy) * 111_200)).toBeLessThanOrEqual(300);
    }
    expect(Math.max(...body.cells.map((c: { count: number }) => c.count))).toBe(hot.count);
    expect(body.summary.hot[99]).toBeGreaterThanOrEqual(1);
    expect(body.radii).toEqual([200, 500, 1000]);
    expect(hot.density[0]).toBeGreaterThan(0);
    // The map layer has the same cells with their outlines.
    const feature = body.features.features.find((f: { id: string }) => f.id === HOT);
    expect(feature.geometry.type).toBe('Polygon');
    expect(feature.properties.bin).toBe(3);
    expect(body.features.features).toHaveLength(body.cells.length);
  });

  it('hexagons: the hottest cell holds the cluster, and its cases are exactly those counted', async () => {
    const res = await get(q('hotspots', { unit: 'hex', resolution: 9, from: FROM, to: TO }), leader);
    expect(res.statusCode, res.body).toBe(200);
    const [lng, lat] = centreOf(HOT);
    const top = res.json().cells.find((c: { id: string }) => c.id === latLngToCell(lat, lng, 9));
    expect(top.bin).toBe(3);
    expect(res.json().cells[0].bin).toBe(3);
    const expected = COUNTED.filter((p) => latLngToCell(p.lat, p.lng, 9) === top.id);
    expect(top.count).toBe(expected.length);

    const page1 = await get(
      q('hotspots/cases', { unit: 'hex', cell: top.id, from: FROM, to: TO, limit: 20 }),
      leader,
    );
    expect(page1.statusCode, page1.body).toBe(200);
    expect(page1.json()).toMatchObject({ total: expected.length, limit: 20, offset: 0, nextOffset: 20 });
    const all = [];
    for (let offset = 0; offset < expected.length; offset += 20) {
      const page = await get(
        q('hotspots/cases', { unit: 'hex', cell: top.id, from: FROM, to: TO, limit: 20, offset }),
        leader,
      );
      all.push(...page.json().items);
    }
    expect(all.map((c: { number: string }) => c.number).sort()).toEqual(expected.map((p) => p.number).sort());
    // Newest first.
    const times = all.map((c: { reportedAt: string }) => Date.parse(c.reportedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('grid cell cases: the grid code picks the cell', async () => {
    const res = await get(
      q('hotspots/cases', { unit: 'grid', cell: HOT, from: FROM, to: TO, limit: 200 }),
      leader,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().total).toBe(COUNTED.filter((p) => p.grid === HOT).length);
    expect(res.json().items.every((c: { gridCode: string }) => c.gridCode === HOT)).toBe(true);
  });

  it('emerging hot spots: the cluster of the last week is new', async () => {
    const res = await get(q('hotspots/emerging', { unit: 'grid', band: 300, weeks: 8, to: TO }), leader);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.weeks).toHaveLength(8);
    expect(body.weeks[0].from).toBe(FROM);
    expect(body.weeks[7].to).toBe(TO);
    const hot = body.cells.find((c: { id: string }) => c.id === HOT);
    expect(hot.class).toBe('new');
    expect(hot.counts[7]).toBeGreaterThanOrEqual(45);
    expect(body.summary.new).toBeGreaterThanOrEqual(1);
    expect(body.caseCount).toBe(COUNTED.length);
  });

  it('emerging weeks end at the start of the current local week by default', () => {
    // Wednesday 2026-12-02 10:00 +08:00 → Monday 2026-11-30 00:00 +08:00; a Monday morning is its own week.
    expect(localWeekStart(Date.parse('2026-12-02T10:00:00+08:00'))).toBe(END);
    expect(localWeekStart(Date.parse('2026-11-30T00:30:00+08:00'))).toBe(END);
    expect(localWeekStart(Date.parse('2026-11-29T23:59:00+08:00'))).toBe(END - WEEK);
  });

  it('a district shift leader analyses his district only', async () => {
    const res = await get(q('hotspots', { unit: 'grid', from: FROM, to: TO }), shiftlead);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().area).toBe('510104');
    expect(res.json().cellCount).toBe(JINJIANG.length);
    expect(res.json().caseCount).toBe(COUNTED.filter((p) => p.grid.startsWith('510104')).length);
    expectError(
      await get(q('hotspots', { areaCode: '510105', from: FROM, to: TO }), shiftlead),
      404,
      'NOT_FOUND',
    );
    // A street of his own district narrows it further.
    const street = HOT.slice(0, 9);
    const narrowed = await get(
      q('hotspots', { unit: 'grid', areaCode: street, from: FROM, to: TO }),
      shiftlead,
    );
    expect(narrowed.json().cellCount).toBe(JINJIANG.filter((g) => g.code.startsWith(street)).length);
  });

  it('401 without login, 403 without evaluation.read', async () => {
    const paths: [string, Record<string, string>][] = [
      ['hotspots', { from: FROM, to: TO }],
      ['hotspots/emerging', {}],
      ['hotspots/cases', { from: FROM, to: TO, cell: HOT, unit: 'grid' }],
    ];
    for (const [path, params] of paths) {
      expectError(await get(q(path, params)), 401, 'UNAUTHENTICATED');
      expectError(await get(q(path, params), await bearer(app, 'supervisor')), 403, 'FORBIDDEN');
    }
  });

  it('400 on bad input', async () => {
    const bad = [
      q('hotspots', { from: TO, to: FROM }),
      q('hotspots', { from: FROM }),
      q('hotspots', { from: '2025-01-01T00:00:00Z', to: TO }),
      q('hotspots', { from: FROM, to: TO, unit: 'square' }),
      q('hotspots', { from: FROM, to: TO, resolution: 12 }),
      q('hotspots', { from: FROM, to: TO, band: 10 }),
      q('hotspots', { from: FROM, to: TO, areaCode: '5101' }),
      q('hotspots/emerging', { weeks: 2 }),
      q('hotspots/cases', { unit: 'hex', cell: 'zz', from: FROM, to: TO }),
      q('hotspots/cases', { unit: 'hex', cell: '000000000000000', from: FROM, to: TO }),
    ];
    for (const url of bad) expectError(await get(url, leader), 400, 'VALIDATION_FAILED');
  });
});
