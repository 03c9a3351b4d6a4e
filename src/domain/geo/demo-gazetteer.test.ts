import { describe, expect, it } from 'vitest';
import { cellAt } from '../demo-city/index.js';
import { METRES_PER_DEGREE_LAT, METRES_PER_DEGREE_LNG } from '../demo-city/lattice.js';
import { normaliseDoorNumber, parseRoadName } from './address.js';
import { generateDemoGazetteer } from './demo-gazetteer.js';

const g = generateDemoGazetteer();

describe('demo gazetteer', () => {
  it('is deterministic and of the advertised size', () => {
    expect(generateDemoGazetteer()).toEqual(g);
    expect(g.roads).toHaveLength(171);
    expect(g.doors.length).toBeGreaterThan(15_000);
    expect(g.pois.length).toBeGreaterThanOrEqual(200);
    expect(new Set(g.roads.map((r) => r.name)).size).toBe(g.roads.length);
    expect(new Set(g.pois.map((p) => p.name)).size).toBe(g.pois.length);
  });

  it('has the example roads, doors and places of the issue', () => {
    expect(g.doors.some((d) => d.road === '红星路二段' && d.number === '88号')).toBe(true);
    expect(g.pois.find((p) => p.aliases.includes('IFS'))?.address).toMatch(/^春熙路/);
    expect(parseRoadName('东大街一段').base).toBe('东大街');
    expect(g.roads.map((r) => r.name)).toEqual(
      expect.arrayContaining(['蜀都大道一段', '人民南路二段', '府南河路三段']),
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
