/**
 * Emerging hot spots: how a cell's Gi* evolves week over week. The classes follow the
 * space-time pattern mining definitions of common GIS practice (Esri, "Emerging Hot Spot
 * Analysis"), reduced to the four a centre acts on:
 * - new: a significant hot spot in the last week and never before;
 * - intensifying: hot in ≥ 90 % of the weeks including the last, with a significant rising trend
 *   of its z-scores (Mann-Kendall);
 * - persistent: hot in ≥ 90 % of the weeks including the last, without a significant trend;
 * - fading: hot in ≥ 90 % of the weeks including the last with a significant falling trend
 *   (Esri: diminishing), or hot in ≥ 90 % of the earlier weeks but no longer in the last
 *   (Esri: historical).
 * Any other cell that was hot in some week is `sporadic`; a cell never hot has no class.
 * "Hot" means Gi* significant at 90 % or better (z ≥ 1.645).
 */
import { twoSidedP } from './gistar.js';

export type EmergingClass = 'new' | 'intensifying' | 'persistent' | 'fading' | 'sporadic';

export interface MannKendall {
  s: number;
  z: number;
  p: number;
}

/** The Mann-Kendall trend test (with the tie correction of the variance). */
export function mannKendall(series: readonly number[]): MannKendall {
  const n = series.length;
  let s = 0;
  for (let k = 0; k < n - 1; k++) {
    for (let j = k + 1; j < n; j++) s += Math.sign((series[j] as number) - (series[k] as number));
  }
  const ties = new Map<number, number>();
  for (const x of series) ties.set(x, (ties.get(x) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of ties.values()) tieTerm += t * (t - 1) * (2 * t + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  if (variance <= 0 || s === 0) return { s, z: 0, p: 1 };
  // Continuity correction: S moves in steps of two.
  const z = (s > 0 ? s - 1 : s + 1) / Math.sqrt(variance);
  return { s, z, p: twoSidedP(z) };
}

const HOT_Z = 1.645;
const MOSTLY = 0.9;
const TREND_P = 0.05;

/** The class of a cell from its weekly Gi* z-scores, oldest first (null: never hot). */
export function emergingClass(zs: readonly number[]): EmergingClass | null {
  const n = zs.length;
  if (n === 0) return null;
  const hot = zs.map((z) => z >= HOT_Z);
  const hotWeeks = hot.filter(Boolean).length;
  if (hotWeeks === 0) return null;
  const last = hot[n - 1] as boolean;
  if (last && hotWeeks === 1) return 'new';
  if (last && hotWeeks >= MOSTLY * n) {
    const trend = mannKendall(zs);
    if (trend.p < TREND_P) return trend.z > 0 ? 'intensifying' : 'fading';
    return 'persistent';
  }
  const earlier = hot.slice(0, n - 1).filter(Boolean).length;
  if (!last && n > 1 && earlier >= MOSTLY * (n - 1)) return 'fading';
  return 'sporadic';
}
