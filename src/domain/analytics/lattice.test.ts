import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { type CasePoint, emergingHotspots, hotspots } from './hotspots.js';
import { gridLattice, hexLattice, type LatticeGrid } from './lattice.js';

// A 10 × 10 block of square grids of about 100 m at 30.66°N (0.001° lat ≈ 111 m, 0.00104° lng ≈ 100 m).
const DLNG = 0.00104;
const DLAT = 0.0009;
const grids: LatticeGrid[] = [];
for (let r = 0; r < 10; r++)
  for (let c = 0; c < 10; c++) {
    const w = 104.0 + c * DLNG;
    const s = 30.66 + r * DLAT;
    grids.push({
      code: `510104001001${String(r * 10 + c + 1).padStart(3, '0')}`,
      ring: [
        [w, s],
        [w + DLNG, s],
        [w + DLNG, s + DLAT],
        [w, s + DLAT],
        [w, s],
      ],
    });
  }
const centre = (r: number, c: number): [number, number] => [
  104.0 + (c + 0.5) * DLNG,
  30.66 + (r + 0.5) * DLAT,
];
const code = (r: number, c: number) => grids[r * 10 + c]!.code;

describe('grid lattice', () => {
  const lattice = gridLattice(grids, 150);

  it('a 150 m band takes the eight grids around an inner grid and itself', () => {
    // Centres are ~100 m apart east-west and north-south, ~141 m diagonally.
    const n = lattice.neighbours(lattice.ids.indexOf(code(5, 5))).map(({ j }) => lattice.ids[j]);
    expect(n.sort()).toEqual([4, 5, 6].flatMap((r) => [4, 5, 6].map((c) => code(r, c))).sort());
    expect(lattice.neighbours(lattice.ids.indexOf(code(0, 0)))).toHaveLength(4);
  });

  it('a case falls in its own grid, whatever its point', () => {
    expect(lattice.cellOf(0, 0, code(3, 7))).toBe(lattice.ids.indexOf(code(3, 7)));
    expect(lattice.cellOf(0, 0, '510104001001999')).toBe(-1);
  });
});

describe('hex lattice', () => {
  const lattice = hexLattice(grids, 10);

  it('covers every grid centre, and neighbours are the ring around a cell', () => {
    for (let r = 0; r < 10; r++)
      for (let c = 0; c < 10; c++) {
        const [lng, lat] = centre(r, c);
        expect(lattice.cellOf(lng, lat, '')).toBeGreaterThanOrEqual(0);
      }
    const [lng, lat] = centre(5, 5);
    const id = latLngToCell(lat, lng, 10);
    const i = lattice.ids.indexOf(id);
    const ring = lattice.neighbours(i).map(({ j }) => lattice.ids[j]);
    expect(ring).toContain(id);
    // An inner hexagon of the area has all six neighbours inside it.
    expect(new Set(ring)).toEqual(new Set(gridDisk(id, 1)));
    expect(lattice.boundary(i)).toHaveLength(7);
    const [clat, clng] = cellToLatLng(id);
    expect(lattice.centres[i]).toEqual([clng, clat]);
  });

  it('a point far outside the grids is outside the area', () => {
    expect(lattice.cellOf(105, 31, '')).toBe(-1);
  });
});

describe('hot spots over a planted cluster', () => {
  // 60 cases spread over the 3 × 3 grids around (7, 7), one case in every other fifth grid.
  const cluster: CasePoint[] = [];
  for (let k = 0; k < 60; k++) {
    const r = 6 + (k % 3);
    const c = 6 + (Math.floor(k / 3) % 3);
    const [lng, lat] = centre(r, c);
    cluster.push({ lng, lat, gridCode: code(r, c) });
  }
  const noise: CasePoint[] = grids
    .filter((_, i) => i % 5 === 0)
    .map((g, i) => {
      const r = Math.floor((grids.indexOf(g) / 10) | 0);
      const c = grids.indexOf(g) % 10;
      const [lng, lat] = centre(r, c);
      return { lng, lat: lat + i * 1e-7, gridCode: g.code };
    });

  it('grid unit: the cluster is a 99 % hot spot, a far corner is not', () => {
    const res = hotspots(gridLattice(grids, 150), [...cluster, ...noise]);
    expect(res.counted).toBe(60 + 20);
    const cell = (r: number, c: number) => res.cells.find((x) => x.id === code(r, c))!;
    expect(cell(7, 7).bin).toBe(3);
    expect(cell(7, 7).count).toBeGreaterThanOrEqual(6);
    expect(cell(0, 0).bin).toBeLessThanOrEqual(0);
    // Density is highest in the cluster at every radius.
    for (let k = 0; k < 3; k++) expect(cell(7, 7).density[k]).toBeGreaterThan(cell(1, 1).density[k]!);
  });

  it('hex unit: the hottest cell holds the cluster', () => {
    const res = hotspots(hexLattice(grids, 9), [...cluster, ...noise]);
    const best = [...res.cells].sort((a, b) => b.z - a.z)[0]!;
    const [lng, lat] = centre(7, 7);
    expect(gridDisk(best.id, 1)).toContain(latLngToCell(lat, lng, 9));
    expect(best.bin).toBeGreaterThanOrEqual(2);
  });

  it('emerging: a cluster that appears only in the last week is new', () => {
    const week = 7 * 86_400_000;
    const t0 = Date.UTC(2026, 10, 2);
    const starts = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => t0 + k * week);
    // Every week the same background noise; the cluster only in the last week.
    const points = starts.flatMap((s, k) => [
      ...noise.map((p) => ({ ...p, at: s + 3600_000 })),
      ...(k === 7 ? cluster.map((p) => ({ ...p, at: s + 7200_000 })) : []),
    ]);
    const cells = emergingHotspots(gridLattice(grids, 150), points, starts, t0 + 8 * week);
    const c77 = cells.find((c) => c.id === code(7, 7))!;
    expect(c77.class).toBe('new');
    expect(c77.counts.slice(0, 7).every((n) => n === c77.counts[0])).toBe(true);
    expect(c77.counts[7]).toBeGreaterThan(c77.counts[0]!);
    // The noise lines (every fifth grid, the same each week) are hot every week until the cluster
    // raises the mean in the last one: those cells fade, none of the cluster's does.
    const inCluster = [6, 7, 8].flatMap((r) => [6, 7, 8].map((c) => code(r, c)));
    for (const c of cells.filter((x) => inCluster.includes(x.id))) expect(c.class).toBe('new');
    expect(cells.filter((c) => c.class === 'fading').every((c) => !inCluster.includes(c.id))).toBe(true);
  });
});
