import { describe, expect, it } from 'vitest';
import { validateComponentCode } from '../codes.js';
import { generateDemoCity } from '../demo-city/index.js';
import {
  COLS,
  latAt,
  lngAt,
  METRES_PER_DEGREE_LAT,
  METRES_PER_DEGREE_LNG,
  ROWS,
} from '../demo-city/lattice.js';
import { DEMO_COMPONENT_KINDS, generateDemoComponents } from './demo.js';

const city = generateDemoCity();
const components = generateDemoComponents(city);
const gridByCode = new Map(city.grids.map((g) => [g.code, g]));

describe('demo components', () => {
  it('are deterministic: same city and seed → the same components', () => {
    expect(generateDemoComponents(generateDemoCity())).toEqual(components);
    const other = generateDemoComponents(city, city.seed + 1);
    expect(other).not.toEqual(components);
    expect(other.length).toBeGreaterThanOrEqual(20_000);
  });

  it('number at least 20,000, with every kind well represented', () => {
    expect(components.length).toBeGreaterThanOrEqual(20_000);
    const byClass = new Map<string, number>();
    for (const c of components) byClass.set(c.categoryCode, (byClass.get(c.categoryCode) ?? 0) + 1);
    for (const kind of Object.values(DEMO_COMPONENT_KINDS)) {
      expect(byClass.get(kind.categoryCode), kind.name).toBeGreaterThan(300);
    }
    expect(new Set(components.map((c) => c.divisionCode))).toEqual(new Set(['510104', '510105', '510106']));
    const covers = components.filter((c) => c.name.endsWith('井盖')).length;
    expect(covers).toBeGreaterThan(components.length / 3);
  });

  it('have valid, unique ids whose sequences run 1…n per district and class', () => {
    const ids = new Set<string>();
    const seqs = new Map<string, number[]>();
    for (const c of components) {
      const v = validateComponentCode(c.id);
      expect(v.ok, c.id).toBe(true);
      if (!v.ok) continue;
      expect([v.divisionCode, `${v.majorCode}${v.minorCode}`, v.seq]).toEqual([
        c.divisionCode,
        c.categoryCode,
        c.seq,
      ]);
      ids.add(c.id);
      const key = c.id.slice(0, 10);
      seqs.set(key, [...(seqs.get(key) ?? []), c.seq]);
    }
    expect(ids.size).toBe(components.length);
    for (const [key, list] of seqs) expect(list, key).toEqual(list.map((_, i) => i + 1));
  });

  it('lie strictly inside the cell of their grid, a grid of their own district', () => {
    for (const c of components) {
      const grid = gridByCode.get(c.gridCode);
      expect(grid, c.id).toBeDefined();
      if (!grid) continue;
      const lngs = grid.ring.map((p) => p[0]);
      const lats = grid.ring.map((p) => p[1]);
      const inside =
        c.lng > Math.min(...lngs) &&
        c.lng < Math.max(...lngs) &&
        c.lat > Math.min(...lats) &&
        c.lat < Math.max(...lats);
      expect(inside, `${c.id} at ${c.lng},${c.lat} outside ${c.gridCode}`).toBe(true);
      expect(c.gridCode.startsWith(c.divisionCode)).toBe(true);
    }
  });

  it('stand along the streets (lattice lines), within 10 m of one and not on it', () => {
    const verticals = Array.from({ length: COLS + 1 }, (_, i) => lngAt(i));
    const horizontals = Array.from({ length: ROWS + 1 }, (_, i) => latAt(i));
    for (const c of components) {
      const dx = Math.min(...verticals.map((x) => Math.abs(c.lng - x))) * METRES_PER_DEGREE_LNG;
      const dy = Math.min(...horizontals.map((y) => Math.abs(c.lat - y))) * METRES_PER_DEGREE_LAT;
      const toStreet = Math.min(dx, dy);
      expect(toStreet, c.id).toBeLessThanOrEqual(10);
      expect(toStreet, c.id).toBeGreaterThanOrEqual(1.4);
    }
  });

  it('belong to the demo departments by kind, with consistent states and dates', () => {
    const departments = new Set(city.departments.map((d) => d.code));
    const kinds = new Map(Object.values(DEMO_COMPONENT_KINDS).map((k) => [k.categoryCode, k]));
    for (const c of components) {
      const kind = kinds.get(c.categoryCode);
      expect(kind?.name).toBe(c.name);
      expect(departments.has(c.owningDepartment) && departments.has(c.managingDepartment)).toBe(true);
      expect(departments.has(c.maintainingDepartment)).toBe(true);
      expect(kind?.owning).toContain(c.owningDepartment);
      expect(c.accuracyClass).toBe(kind?.accuracy);
      if (c.state === 'intact') expect(c.changeDate).toBeNull();
      else expect(c.changeDate && c.changeDate >= c.startDate).toBe(true);
    }
    const owners = new Set(components.map((c) => c.owningDepartment));
    expect(owners).toEqual(new Set(['SZ', 'HW', 'YL', 'JG', 'GS', 'RQ', 'GD', 'TX-01', 'TX-02', 'TX-03']));
    const states = new Set(components.map((c) => c.state));
    expect(states).toEqual(new Set(['intact', 'damaged', 'missing', 'occupied']));
  });
});
