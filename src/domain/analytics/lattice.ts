/**
 * The study area of a hot-spot analysis as a lattice of cells with their neighbourhoods:
 * - `grid`: the city's own unit grids (单元网格), neighbours within a distance band of their
 *   centres (the cell itself included, as Gi* requires);
 * - `hex`: H3 hexagons (equal-area cells that do not depend on how grids were drawn), the
 *   hexagons covering the unit grids, neighbours the ring around each (k = 1, itself included).
 * Cells without cases stay in the lattice with a count of 0: the area is where the city is
 * watched, not where cases happened.
 */
import Flatbush from 'flatbush';
import { cellToBoundary, cellToLatLng, gridDisk, latLngToCell, polygonToCells } from 'h3-js';
import type { Neighbour } from './gistar.js';
import { localPlane } from './kde.js';

export type LatticeUnit = 'grid' | 'hex';

export interface LatticeGrid {
  code: string;
  /** Outer ring, [lng, lat] pairs. */
  ring: readonly (readonly [number, number])[];
}

export interface Lattice {
  unit: LatticeUnit;
  ids: string[];
  /** Cell centres, [lng, lat]. */
  centres: [number, number][];
  neighbours(i: number): Neighbour[];
  /** The cell a case falls in (grid: its grid code; hex: its point), −1 outside the area. */
  cellOf(lng: number, lat: number, gridCode: string): number;
  /** The outline of a cell, [lng, lat] pairs, closed. */
  boundary(i: number): [number, number][];
}

function centreOf(ring: LatticeGrid['ring']): [number, number] {
  // The closing point repeats the first: leave it out of the average.
  const pts = ring.length > 1 ? ring.slice(0, -1) : ring;
  let x = 0;
  let y = 0;
  for (const [lng, lat] of pts) {
    x += lng;
    y += lat;
  }
  return [x / pts.length, y / pts.length];
}

/** Unit grids, neighbours within `bandM` metres of the centre (itself included). */
export function gridLattice(grids: readonly LatticeGrid[], bandM: number): Lattice {
  const ids = grids.map((g) => g.code);
  const centres = grids.map((g) => centreOf(g.ring));
  const refLat = centres.length ? centres.reduce((s, c) => s + c[1], 0) / centres.length : 0;
  const plane = localPlane(refLat);
  const pts = centres.map(([lng, lat]) => plane(lng, lat));
  const index = new Flatbush(Math.max(1, pts.length));
  for (const p of pts) index.add(p.x, p.y, p.x, p.y);
  if (pts.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  const byCode = new Map(ids.map((id, i) => [id, i]));
  return {
    unit: 'grid',
    ids,
    centres,
    neighbours(i) {
      const p = pts[i]!;
      return index
        .search(p.x - bandM, p.y - bandM, p.x + bandM, p.y + bandM)
        .filter((j) => j < pts.length && Math.hypot(pts[j]!.x - p.x, pts[j]!.y - p.y) <= bandM)
        .map((j) => ({ j, w: 1 }));
    },
    cellOf: (_lng, _lat, gridCode) => byCode.get(gridCode) ?? -1,
    boundary: (i) => grids[i]!.ring.map(([x, y]) => [x, y] as [number, number]),
  };
}

/** H3 hexagons at `resolution` covering the grids, neighbours the k = 1 ring (itself included). */
export function hexLattice(grids: readonly LatticeGrid[], resolution: number): Lattice {
  const cells = new Set<string>();
  for (const g of grids) {
    const [lng, lat] = centreOf(g.ring);
    cells.add(latLngToCell(lat, lng, resolution));
    // Larger grids span several hexagons (GeoJSON order: [lng, lat]).
    for (const c of polygonToCells([g.ring.map(([x, y]) => [x, y])], resolution, true)) cells.add(c);
  }
  const ids = [...cells].sort();
  const byId = new Map(ids.map((id, i) => [id, i]));
  return {
    unit: 'hex',
    ids,
    centres: ids.map((id) => {
      const [lat, lng] = cellToLatLng(id);
      return [lng, lat];
    }),
    neighbours(i) {
      return gridDisk(ids[i]!, 1)
        .map((c) => byId.get(c))
        .filter((j): j is number => j !== undefined)
        .map((j) => ({ j, w: 1 }));
    },
    cellOf: (lng, lat) => byId.get(latLngToCell(lat, lng, resolution)) ?? -1,
    boundary: (i) => cellToBoundary(ids[i]!, true) as [number, number][],
  };
}

export function buildLattice(
  grids: readonly LatticeGrid[],
  unit: LatticeUnit,
  opts: { resolution: number; bandM: number },
): Lattice {
  return unit === 'grid' ? gridLattice(grids, opts.bandM) : hexLattice(grids, opts.resolution);
}
