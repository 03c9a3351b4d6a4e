import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellAt, generateDemoCity } from '../demo-city/index.js';
import { METRES_PER_DEGREE_LAT, METRES_PER_DEGREE_LNG } from '../demo-city/lattice.js';
import { normaliseDoorNumber, parseRoadName } from './address.js';
import type { LngLat } from './crs.js';
import { type DemoGazetteer, generateDemoGazetteer } from './demo-gazetteer.js';
import { DISTRICT_ROADS } from './demo-names.js';

const city = generateDemoCity();
const g = generateDemoGazetteer(city);

/** Where people who know Chengdu expect these places (the examples and a few more). */
const REAL_DISTRICTS: Record<string, readonly string[]> = {
  '510104': ['春熙路', '太古里', '红星路', 'IFS', '大慈寺', '水井坊', '合江亭', '东大街', '总府路'],
  '510105': ['宽窄巷子', '人民公园', '杜甫草堂', '天府广场', '文殊院', '青羊宫', '人民中路', '琴台路'],
  '510106': ['金牛万达', '茶店子', '营门口', '火车北站', '人民北路', '蜀汉路', '交大路', '沙湾路'],
};

/** The district of the grid covering a point, from the city's own grids (not from the gazetteer). */
function districtAt(c: typeof city): (p: LngLat) => string | null {
  const byCell = new Map<string, string>();
  for (const grid of c.grids) {
    const [sw, , ne] = grid.ring;
    const cell = cellAt(((sw?.[0] ?? 0) + (ne?.[0] ?? 0)) / 2, ((sw?.[1] ?? 0) + (ne?.[1] ?? 0)) / 2);
    if (cell) byCell.set(`${cell.col},${cell.row}`, grid.code.slice(0, 6));
  }
  return ([lng, lat]) => {
    const cell = cellAt(lng, lat);
    return cell ? (byCell.get(`${cell.col},${cell.row}`) ?? null) : null;
  };
}

/** Every 50 m along a road, the cells 1 m to either side: at least one is in the road's district. */
function roadLiesIn(line: LngLat[], district: string, at: (p: LngLat) => string | null): boolean {
  const [[x0, y0], [x1, y1]] = line as [LngLat, LngLat];
  const metres = Math.hypot((x1 - x0) * METRES_PER_DEGREE_LNG, (y1 - y0) * METRES_PER_DEGREE_LAT);
  const vertical = x0 === x1;
  for (let m = 25; m < metres; m += 50) {
    const f = m / metres;
    const p: LngLat = [x0 + (x1 - x0) * f, y0 + (y1 - y0) * f];
    const off = vertical ? [1 / METRES_PER_DEGREE_LNG, 0] : [0, 1 / METRES_PER_DEGREE_LAT];
    const sides = [
      at([p[0] - (off[0] ?? 0), p[1] - (off[1] ?? 0)]),
      at([p[0] + (off[0] ?? 0), p[1] + (off[1] ?? 0)]),
    ];
    if (!sides.includes(district)) return false;
  }
  return true;
}

/** Whose pool a road name comes from: arterials and streets by name, lanes by the road they are numbered after. */
function poolDistrictOf(roadName: string): string | undefined {
  const stem = roadName.replace(/[一二三四五六七八九十]+[段巷]$/, '');
  return Object.entries(DISTRICT_ROADS).find(([, pools]) =>
    [...pools.main, ...pools.secondary].some((r) => r.name === stem),
  )?.[0];
}

function placesInTheirDistricts(c: typeof city, gz: DemoGazetteer) {
  const at = districtAt(c);
  const roads = new Map(gz.roads.map((r) => [r.name, r]));
  for (const r of gz.roads) {
    expect(poolDistrictOf(r.name), r.name).toBe(r.district);
    expect(roadLiesIn(r.line, r.district, at), `${r.name} leaves ${r.district}`).toBe(true);
  }
  for (const d of gz.doors) expect(at(d.point), `${d.road}${d.number}`).toBe(roads.get(d.road)?.district);
  for (const p of gz.pois) {
    expect(at(p.point), p.name).toBe(p.district);
    const road = [...roads.values()].find(
      (r) => p.address.startsWith(r.name) && /^\d/.test(p.address.slice(r.name.length)),
    );
    expect(road?.district, `${p.name} at ${p.address}`).toBe(p.district);
  }
  for (const a of gz.areas.filter((x) => x.kind === 'park')) {
    const ring = a.geometry.type === 'Polygon' ? (a.geometry.coordinates[0] ?? []) : [];
    for (const corner of ring) expect(at(corner), a.name).toBe(a.district);
  }
  for (const [district, names] of Object.entries(REAL_DISTRICTS)) {
    for (const name of names) {
      const places = gz.pois.filter((p) => p.name.includes(name) || p.aliases.includes(name));
      const named = gz.roads.filter((r) => parseRoadName(r.name).base === name);
      expect(places.length + named.length, `${name} is in the demo city`).toBeGreaterThan(0);
      for (const p of places) expect(at(p.point), `${p.name} should be in ${district}`).toBe(district);
      for (const r of named)
        expect(roadLiesIn(r.line, district, at), `${r.name} should be in ${district}`).toBe(true);
    }
  }
}

describe('demo gazetteer', () => {
  it('is deterministic and of the advertised size', () => {
    expect(generateDemoGazetteer(city)).toEqual(g);
    expect(g.roads.length).toBeGreaterThan(150);
    expect(g.doors.length).toBeGreaterThan(15_000);
    expect(g.pois.length).toBeGreaterThanOrEqual(200);
    expect(new Set(g.roads.map((r) => r.name)).size).toBe(g.roads.length);
    expect(new Set(g.pois.map((p) => p.name)).size).toBe(g.pois.length);
    expect(g.areas.filter((a) => a.kind === 'water').map((a) => a.name)).toEqual(['府河', '南河', '锦江']);
    expect(g.areas.filter((a) => a.kind === 'park').length).toBeGreaterThanOrEqual(4);
  });

  it('has the example roads, doors and places of the issue', () => {
    expect(g.doors.some((d) => d.road === '红星路二段' && d.number === '88号')).toBe(true);
    expect(g.doors.some((d) => d.road === '红星路一段' && d.number === '88号')).toBe(true);
    expect(g.pois.find((p) => p.aliases.includes('IFS'))?.district).toBe('510104');
    expect(g.roads.map((r) => r.name)).toEqual(
      expect.arrayContaining(['春熙路', '人民中路一段', '人民北路']),
    );
    expect(g.roads.filter((r) => r.roadClass === 'main').length).toBeGreaterThan(30);
  });

  it('no road name belongs to two districts', () => {
    const seen = new Map<string, string>();
    for (const [district, pools] of Object.entries(DISTRICT_ROADS)) {
      for (const r of [...pools.main, ...pools.secondary]) {
        expect(seen.get(r.name), r.name).toBeUndefined();
        seen.set(r.name, district);
      }
    }
  });

  it('every road, door, place and park lies in the district it belongs to', () => {
    placesInTheirDistricts(city, g);
  });

  it('so it does for any seed of the demo city', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const other = generateDemoCity(seed);
        placesInTheirDistricts(other, generateDemoGazetteer(other));
      }),
      { numRuns: 4 },
    );
  });

  it('every door number is well formed, odd on the west/north side and even on the east/south side', () => {
    const roads = new Map(g.roads.map((r) => [r.name, r]));
    for (const d of g.doors) {
      expect(normaliseDoorNumber(d.number)?.text).toBe(d.number);
      expect(cellAt(...d.point)).not.toBeNull();
      const [[x0, y0], [x1]] = (roads.get(d.road) as { line: [number, number][] }).line as [
        [number, number],
        [number, number],
      ];
      const vertical = x0 === x1;
      const side = vertical ? d.point[0] - x0 : y0 - d.point[1];
      const odd = Number.parseInt(d.number, 10) % 2 === 1;
      expect(odd ? side < 0 : side > 0).toBe(true);
    }
  });

  it('no point of the city is more than 100 m from a road', () => {
    const roadsX = new Set(
      g.roads.filter((r) => r.line[0]?.[0] === r.line[1]?.[0]).map((r) => r.line[0]?.[0]),
    );
    const roadsY = new Set(
      g.roads.filter((r) => r.line[0]?.[1] === r.line[1]?.[1]).map((r) => r.line[0]?.[1]),
    );
    let worst = 0;
    for (let i = 0; i <= 100; i++) {
      for (let j = 0; j <= 100; j++) {
        const lng = 104.0287 + (0.0626 * i) / 100;
        const lat = 30.6375 + (0.0451 * j) / 100;
        if (!cellAt(lng, lat)) continue;
        const dx = Math.min(...[...roadsX].map((x) => Math.abs((x as number) - lng) * METRES_PER_DEGREE_LNG));
        const dy = Math.min(...[...roadsY].map((y) => Math.abs((y as number) - lat) * METRES_PER_DEGREE_LAT));
        worst = Math.max(worst, Math.min(dx, dy));
      }
    }
    expect(worst).toBeLessThanOrEqual(101);
  });
});
