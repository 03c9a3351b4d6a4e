/**
 * Getis-Ord Gi* (Getis & Ord 1992; Ord & Getis 1995): for each cell, the z-score of the sum of
 * the values in its neighbourhood (the cell itself included) against what the whole study area
 * would give at random. A high positive z is a hot spot (counts cluster higher than chance), a
 * low negative z a cold spot. Cells without cases are part of the study area with value 0: that
 * is what makes a cluster of many cases stand out.
 *
 *   G*_i = (Σ_j w_ij x_j − X̄ Σ_j w_ij) / (S √((n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1)))
 *   X̄ = Σ x_j / n,  S = √(Σ x_j² / n − X̄²)
 *
 * Significance bins as in common GIS practice: ±3 at 99 % (|z| ≥ 2.576), ±2 at 95 % (1.960),
 * ±1 at 90 % (1.645), 0 otherwise.
 */
import { errorFunction } from 'simple-statistics';

export interface Neighbour {
  /** Index of the neighbouring cell (the cell itself must be listed for Gi*). */
  j: number;
  /** Spatial weight w_ij (1 for a binary distance band or contiguity). */
  w: number;
}

export type SignificanceBin = -3 | -2 | -1 | 0 | 1 | 2 | 3;

export interface GiStar {
  z: number;
  /** Two-sided p-value of z under the normal approximation. */
  p: number;
  bin: SignificanceBin;
}

const THRESHOLDS: readonly [number, 1 | 2 | 3][] = [
  [2.576, 3],
  [1.96, 2],
  [1.645, 1],
];

/** The significance bin of a z-score: the sign says hot or cold, the size the confidence. */
export function significanceBin(z: number): SignificanceBin {
  for (const [limit, level] of THRESHOLDS) {
    if (z >= limit) return level;
    if (z <= -limit) return -level as SignificanceBin;
  }
  return 0;
}

/** Two-sided p-value of a standard normal z: 1 − erf(|z|/√2) (erf of simple-statistics). */
export function twoSidedP(z: number): number {
  return Math.min(1, Math.max(0, 1 - errorFunction(Math.abs(z) / Math.SQRT2)));
}

/**
 * Gi* for every cell. `neighbours(i)` lists the cells in i's neighbourhood with their weights,
 * i itself included. A study area of one value everywhere (S = 0) has no hot spots: every z is 0.
 */
export function getisOrdGiStar(values: readonly number[], neighbours: (i: number) => readonly Neighbour[]) {
  const n = values.length;
  if (n < 2) return values.map(() => ({ z: 0, p: 1, bin: 0 as SignificanceBin }));
  let sum = 0;
  let sumSq = 0;
  for (const x of values) {
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n;
  const s = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  return values.map((_, i): GiStar => {
    let wx = 0;
    let wSum = 0;
    let wSq = 0;
    for (const { j, w } of neighbours(i)) {
      wx += w * (values[j] as number);
      wSum += w;
      wSq += w * w;
    }
    const spread = (n * wSq - wSum * wSum) / (n - 1);
    // No spread (every value equal) or a neighbourhood covering the whole area: no evidence.
    if (s === 0 || spread <= 0) return { z: 0, p: 1, bin: 0 };
    const z = (wx - mean * wSum) / (s * Math.sqrt(spread));
    return { z, p: twoSidedP(z), bin: significanceBin(z) };
  });
}
