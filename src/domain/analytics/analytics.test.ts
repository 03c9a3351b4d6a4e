import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emergingClass, mannKendall } from './emerging.js';
import { getisOrdGiStar, type Neighbour, significanceBin, twoSidedP } from './gistar.js';
import { kernelDensity, localPlane, quarticKernel } from './kde.js';

/** Queen contiguity on a side × side lattice, the cell itself included (binary weights). */
function queen(side: number) {
  return (i: number): Neighbour[] => {
    const r = Math.floor(i / side);
    const c = i % side;
    const out: Neighbour[] = [];
    for (let dr = -1; dr <= 1; dr++)
      for (let dc = -1; dc <= 1; dc++) {
        const rr = r + dr;
        const cc = c + dc;
        if (rr >= 0 && rr < side && cc >= 0 && cc < side) out.push({ j: rr * side + cc, w: 1 });
      }
    return out;
  };
}

const at = (r: number, c: number) => r * 5 + c;

describe('Getis-Ord Gi* on a 5×5 lattice (worked by hand)', () => {
  // A 3×3 block of 10 cases in the top-left corner, every other cell 0.
  // n = 25, Σx = 90, X̄ = 3.6, Σx² = 900, S² = 900/25 − 3.6² = 23.04, S = 4.8.
  const values = Array.from({ length: 25 }, (_, i) => (Math.floor(i / 5) < 3 && i % 5 < 3 ? 10 : 0));
  const g = getisOrdGiStar(values, queen(5));

  it('the centre of the block: 9 neighbours, all 10', () => {
    // (90 − 3.6·9) / (4.8 · √((25·9 − 81)/24)) = 57.6 / (4.8·√6) = 2√6
    expect(g[at(1, 1)]!.z).toBeCloseTo(2 * Math.sqrt(6), 9);
    expect(g[at(1, 1)]!.bin).toBe(3);
    expect(g[at(1, 1)]!.p).toBeLessThan(0.001);
  });

  it('the corner: 4 neighbours, all 10', () => {
    // (40 − 14.4) / (4.8 · √((100 − 16)/24)) = 25.6 / (4.8·√3.5) = 2.850786…
    expect(g[at(0, 0)]!.z).toBeCloseTo(25.6 / (4.8 * Math.sqrt(3.5)), 9);
    expect(g[at(0, 0)]!.z).toBeCloseTo(2.850786, 5);
    expect(g[at(0, 0)]!.bin).toBe(3);
  });

  it('the block edge toward the open area is not significant', () => {
    // (2,2): four 10s among 9 → (40 − 32.4) / (4.8·√6) = 0.646393
    expect(g[at(2, 2)]!.z).toBeCloseTo(0.646393, 5);
    expect(g[at(2, 2)]!.bin).toBe(0);
  });

  it('cold spots away from the block', () => {
    // (3,3): one 10 among 9 → (10 − 32.4)/(4.8·√6) = −1.905159 (90 % cold)
    expect(g[at(3, 3)]!.z).toBeCloseTo(-1.905159, 5);
    expect(g[at(3, 3)]!.bin).toBe(-1);
    // (2,4): six neighbours, none 10 → −21.6 / (4.8·√4.75) = −21.6 / 10.461358 = −2.064742 (95 % cold)
    expect(g[at(2, 4)]!.z).toBeCloseTo(-21.6 / (4.8 * Math.sqrt(4.75)), 9);
    expect(g[at(2, 4)]!.z).toBeCloseTo(-2.064742, 5);
    expect(g[at(2, 4)]!.bin).toBe(-2);
    // (4,4): four zeros → −14.4 / (4.8·√3.5) = −1.603567, not significant
    expect(g[at(4, 4)]!.z).toBeCloseTo(-1.603567, 5);
    expect(g[at(4, 4)]!.bin).toBe(0);
    // (3,0): six neighbours, two 10s → (20 − 21.6)/(4.8·√4.75) = −0.152944
    expect(g[at(3, 0)]!.z).toBeCloseTo(-0.152944, 5);
  });

  it('a single case in the centre is not a hot spot (z = 4/3)', () => {
    // n = 25, X̄ = 0.4, S = √(100/25 − 0.16) = √3.84; centre: (10 − 3.6) / (√3.84 · √6) = 6.4/4.8
    const one = Array.from({ length: 25 }, (_, i) => (i === at(2, 2) ? 10 : 0));
    const z = getisOrdGiStar(one, queen(5));
    expect(z[at(2, 2)]!.z).toBeCloseTo(4 / 3, 9);
    expect(z[at(1, 1)]!.z).toBeCloseTo(4 / 3, 9);
    expect(z[at(0, 0)]!.z).toBeCloseTo(-1.6 / Math.sqrt(3.84 * 3.5), 9);
    expect(z.every((x) => x.bin === 0 || x.bin === -1 || x.bin === 1)).toBe(true);
  });

  it('an area of equal values, or a single cell, has no hot spot', () => {
    expect(getisOrdGiStar(Array(25).fill(3), queen(5)).every((x) => x.z === 0 && x.bin === 0)).toBe(true);
    expect(getisOrdGiStar([7], () => [{ j: 0, w: 1 }])).toEqual([{ z: 0, p: 1, bin: 0 }]);
  });

  it('z does not change when every count is scaled or shifted (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 25, maxLength: 25 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 100 }),
        (xs, a, b) => {
          const base = getisOrdGiStar(xs, queen(5));
          const moved = getisOrdGiStar(
            xs.map((x) => a * x + b),
            queen(5),
          );
          base.forEach((g, i) => {
            expect(moved[i]!.z).toBeCloseTo(g.z, 6);
          });
        },
      ),
    );
  });
});

describe('significance', () => {
  it.each([
    [2.576, 3],
    [2.575, 2],
    [1.96, 2],
    [1.959, 1],
    [1.645, 1],
    [1.644, 0],
    [0, 0],
    [-1.645, -1],
    [-1.96, -2],
    [-2.576, -3],
  ])('z %f → bin %i', (z, bin) => {
    expect(significanceBin(z)).toBe(bin);
  });

  it('two-sided p of the usual critical values', () => {
    expect(twoSidedP(1.96)).toBeCloseTo(0.05, 2);
    expect(twoSidedP(-2.576)).toBeCloseTo(0.01, 2);
    expect(twoSidedP(0)).toBeCloseTo(1, 6);
    expect(twoSidedP(2 * Math.sqrt(6))).toBeCloseTo(9.6e-7, 7);
  });
});

describe('quartic kernel density', () => {
  it('the kernel at the centre and at the edge', () => {
    // 3 / (π r²) at d = 0; zero at and beyond r; (3/(π r²))·(1 − 1/4)² at d = r/2.
    expect(quarticKernel(0, 100)).toBeCloseTo(3 / (Math.PI * 10_000), 12);
    expect(quarticKernel(50, 100)).toBeCloseTo((3 / (Math.PI * 10_000)) * 0.5625, 12);
    expect(quarticKernel(100, 100)).toBe(0);
    expect(quarticKernel(150, 100)).toBe(0);
  });

  it('densities per km² at several radii from hand-placed cases', () => {
    // Two cases: one on the place, one 100 m east. At r = 200 m:
    // 1e6 · 3/(π·40,000) · (1 + (1 − 0.25)²) = 1e6 · 2.387324e-5 · 1.5625 = 37.3019 per km².
    const d = kernelDensity(
      [
        { x: 0, y: 0 },
        { x: 100, y: 0 },
      ],
      [{ x: 0, y: 0 }],
      [200, 500],
    );
    expect(d[0]![0]).toBeCloseTo(1e6 * (3 / (Math.PI * 40_000)) * 1.5625, 6);
    // r = 500: 1e6 · 3/(π·250,000) · (1 + (1 − 0.04)²) = 3.819719 · 1.9216
    expect(d[0]![1]).toBeCloseTo(1e6 * (3 / (Math.PI * 250_000)) * (1 + 0.96 ** 2), 6);
  });

  it('a density map integrates back to the number of cases (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ x: fc.integer({ min: 0, max: 1000 }), y: fc.integer({ min: 0, max: 1000 }) }), {
          minLength: 1,
          maxLength: 6,
        }),
        (cases) => {
          // A 20 m raster over the cases' reach: Σ density · cell area ≈ the count.
          const places = [];
          for (let x = -300; x <= 1300; x += 20) for (let y = -300; y <= 1300; y += 20) places.push({ x, y });
          const total = kernelDensity(cases, places, [200]).reduce((s, [v]) => s + (v as number) * 4e-4, 0);
          expect(total).toBeCloseTo(cases.length, 1);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('the local plane keeps city distances (1 km east at 30.6°N)', () => {
    const to = localPlane(30.6);
    const a = to(104.0, 30.6);
    const b = to(104.0 + 1 / (111.195 * Math.cos((30.6 * Math.PI) / 180)), 30.6);
    expect(b.x - a.x).toBeCloseTo(1000, 0);
  });
});

describe('Mann-Kendall and emerging hot spots', () => {
  it('a steady rise of 8 weeks: S = 28, Var = 8·7·21/18, z = 27/√Var', () => {
    const mk = mannKendall([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(mk.s).toBe(28);
    expect(mk.z).toBeCloseTo(27 / Math.sqrt(1176 / 18), 9);
    expect(mk.p).toBeLessThan(0.01);
  });

  it('ties reduce the variance: 3,2,3,2,3,2,3,2 → S = −4, Var = (1176 − 2·156)/18 = 48', () => {
    const mk = mannKendall([3, 2, 3, 2, 3, 2, 3, 2]);
    expect(mk.s).toBe(-4);
    expect(mk.z).toBeCloseTo(-3 / Math.sqrt(48), 9);
  });

  it('reversing a series negates S (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 2, maxLength: 20 }), (xs) => {
        expect(mannKendall([...xs].reverse()).s + mannKendall(xs).s).toBe(0);
      }),
    );
  });

  it.each([
    ['new', [0, 0, 0, 0, 0, 0, 0, 2]],
    ['intensifying', [2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5]],
    ['persistent', [3, 2, 3, 2, 3, 2, 3, 2]],
    ['fading', [5.5, 5, 4.5, 4, 3.5, 3, 2.5, 2]],
    ['fading', [3, 3, 3, 3, 3, 3, 3, 0]],
    ['sporadic', [0, 2, 0, 0, 2, 0, 0, 0]],
    ['sporadic', [0, 0, 0, 0, 0, 2, 2, 2]],
    [null, [0, 1, 1.6, -2, 0, 0, 0, 0]],
    [null, []],
  ])('%s ← %j', (cls, zs) => {
    expect(emergingClass(zs as number[])).toBe(cls);
  });
});
