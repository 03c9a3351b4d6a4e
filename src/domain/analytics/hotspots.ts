/**
 * Hot spots of a period and emerging hot spots over weeks, from case points on a lattice.
 * Pure: the module reads the cases and the grids, this counts and tests.
 */
import { type EmergingClass, emergingClass } from './emerging.js';
import { getisOrdGiStar, type SignificanceBin } from './gistar.js';
import { KDE_RADII_M, kernelDensity, localPlane } from './kde.js';
import type { Lattice } from './lattice.js';

export interface CasePoint {
  lng: number;
  lat: number;
  gridCode: string;
  /** Milliseconds since the epoch (emerging hot spots only). */
  at?: number;
}

export interface HotspotCell {
  id: string;
  centre: [number, number];
  count: number;
  z: number;
  p: number;
  bin: SignificanceBin;
  /** Kernel density at the cell centre, cases per km², one per radius. */
  density: number[];
}

export interface HotspotResult {
  cells: HotspotCell[];
  /** Cases inside the study area (cases outside it are not counted anywhere). */
  counted: number;
  radii: number[];
}

/** Counts per cell; cases outside the lattice are left out. */
export function countCells(
  lattice: Lattice,
  points: readonly CasePoint[],
): { counts: number[]; counted: number } {
  const counts = lattice.ids.map(() => 0);
  let counted = 0;
  for (const p of points) {
    const i = lattice.cellOf(p.lng, p.lat, p.gridCode);
    if (i < 0) continue;
    counts[i] = (counts[i] as number) + 1;
    counted++;
  }
  return { counts, counted };
}

export function hotspots(
  lattice: Lattice,
  points: readonly CasePoint[],
  radii: readonly number[] = KDE_RADII_M,
): HotspotResult {
  const { counts, counted } = countCells(lattice, points);
  const gi = getisOrdGiStar(counts, (i) => lattice.neighbours(i));
  const refLat = lattice.centres.length
    ? lattice.centres.reduce((s, c) => s + c[1], 0) / lattice.centres.length
    : 0;
  const plane = localPlane(refLat);
  const density = kernelDensity(
    points.map((p) => plane(p.lng, p.lat)),
    lattice.centres.map(([lng, lat]) => plane(lng, lat)),
    radii,
  );
  return {
    counted,
    radii: [...radii],
    cells: lattice.ids.map((id, i) => ({
      id,
      centre: lattice.centres[i]!,
      count: counts[i]!,
      ...gi[i]!,
      density: density[i]!,
    })),
  };
}

export interface EmergingCell {
  id: string;
  centre: [number, number];
  class: EmergingClass;
  /** Per week, oldest first. */
  counts: number[];
  zs: number[];
}

/**
 * Emerging hot spots over consecutive windows starting at `starts[k]` (ms, ascending; the last
 * window ends at `end`). Only cells with a class are returned.
 */
export function emergingHotspots(
  lattice: Lattice,
  points: readonly CasePoint[],
  starts: readonly number[],
  end: number,
): EmergingCell[] {
  const weeks = starts.map((from, k) => {
    const to = k + 1 < starts.length ? (starts[k + 1] as number) : end;
    return points.filter((p) => p.at !== undefined && p.at >= from && p.at < to);
  });
  const perWeek = weeks.map((pts) => {
    const { counts } = countCells(lattice, pts);
    return { counts, gi: getisOrdGiStar(counts, (i) => lattice.neighbours(i)) };
  });
  const out: EmergingCell[] = [];
  lattice.ids.forEach((id, i) => {
    const zs = perWeek.map((w) => w.gi[i]!.z);
    const cls = emergingClass(zs);
    if (cls === null) return;
    out.push({ id, centre: lattice.centres[i]!, class: cls, counts: perWeek.map((w) => w.counts[i]!), zs });
  });
  return out;
}
