/**
 * The regular ≈100 m lattice the demo city's unit grids are cut from.
 *
 * Every vertex is computed from integer lattice indices in units of 1e-7 degree, so two
 * neighbouring cells produce bit-identical shared edges and PostGIS can union them
 * without slivers.
 */
import type { AreaClass, Ring } from './types.js';

/** City centre (天府广场 area), in 1e-7 degree. */
export const CENTRE_LNG7 = 1_040_600_000;
export const CENTRE_LAT7 = 306_600_000;

/**
 * Metres per degree at 30.66° N on the WGS 84 ellipsoid (a = 6378137, f = 1/298.257223563):
 * meridian M·π/180 = 110 863.64 m per degree of latitude,
 * parallel N·cos φ·π/180 = 95 841.43 m per degree of longitude.
 */
export const METRES_PER_DEGREE_LAT = 110_863.64;
export const METRES_PER_DEGREE_LNG = 95_841.43;

/** 100 m expressed in 1e-7 degree: round(100 / 110863.64 · 1e7), round(100 / 95841.43 · 1e7). */
export const CELL_LAT7 = 9_020;
export const CELL_LNG7 = 10_434;

/** 6.0 km × 5.0 km around the centre; both even so the curve below has unit steps only. */
export const COLS = 60;
export const ROWS = 50;

const WEST_LNG7 = CENTRE_LNG7 - (COLS / 2) * CELL_LNG7;
const NORTH_LAT7 = CENTRE_LAT7 + (ROWS / 2) * CELL_LAT7;

/** Longitude of the vertical lattice line `col` (0 = west edge of the city). */
export function lngAt(col: number): number {
  return (WEST_LNG7 + col * CELL_LNG7) / 1e7;
}

/** Latitude of the horizontal lattice line `row` (0 = north edge of the city). */
export function latAt(row: number): number {
  return (NORTH_LAT7 - row * CELL_LAT7) / 1e7;
}

/** Closed, counter-clockwise ring of cell (col, row); row 0 is the northernmost. */
export function cellRing(col: number, row: number): Ring {
  const west = lngAt(col);
  const east = lngAt(col + 1);
  const north = latAt(row);
  const south = latAt(row + 1);
  return [
    [west, south],
    [east, south],
    [east, north],
    [west, north],
    [west, south],
  ];
}

/** Lattice cell containing a point, or null outside the city lattice. */
export function cellAt(lng: number, lat: number): { col: number; row: number } | null {
  const col = Math.floor((lng * 1e7 - WEST_LNG7) / CELL_LNG7);
  const row = Math.floor((NORTH_LAT7 - lat * 1e7) / CELL_LAT7);
  if (col < 0 || col >= COLS || row < 0 || row >= ROWS) return null;
  return { col, row };
}

/** A within 1.2 km of the centre (old town core), B within 2.4 km, C beyond. */
export function areaClassOf(col: number, row: number): AreaClass {
  // Offsets of the cell centre from the city centre, which sits on a lattice vertex.
  const dxMetres = (((col + 0.5 - COLS / 2) * CELL_LNG7) / 1e7) * METRES_PER_DEGREE_LNG;
  const dyMetres = (((ROWS / 2 - row - 0.5) * CELL_LAT7) / 1e7) * METRES_PER_DEGREE_LAT;
  const distance = Math.hypot(dxMetres, dyMetres);
  if (distance <= 1_200) return 'A';
  if (distance <= 2_400) return 'B';
  return 'C';
}

export interface Cell {
  col: number;
  row: number;
}

/**
 * Visits every cell once along a generalized Hilbert ("gilbert") curve, starting in the
 * south-west corner and ending in the south-east one. Consecutive cells are 4-adjacent,
 * so any contiguous run of the curve is a connected, compact patch: cutting the curve
 * into runs yields districts, streets and communities that tile the city exactly.
 */
export function hilbertOrder(cols: number, rows: number): Cell[] {
  const out: Cell[] = [];
  // The algorithm works with y pointing north from the south edge; rows count from north.
  const visit = (x: number, y: number) => out.push({ col: x, row: rows - 1 - y });
  if (cols >= rows) gilbert(visit, 0, 0, cols, 0, 0, rows);
  else gilbert(visit, 0, 0, 0, rows, cols, 0);
  return out;
}

// Port of Jakub Červený's gilbert2d (BSD-2-Clause); floor division as in the Python original.
function gilbert(
  visit: (x: number, y: number) => void,
  x0: number,
  y0: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): void {
  let x = x0;
  let y = y0;
  const w = Math.abs(ax + ay);
  const h = Math.abs(bx + by);
  const dax = Math.sign(ax);
  const day = Math.sign(ay);
  const dbx = Math.sign(bx);
  const dby = Math.sign(by);

  if (h === 1 || w === 1) {
    const [dx, dy, n] = h === 1 ? [dax, day, w] : [dbx, dby, h];
    for (let i = 0; i < n; i++) {
      visit(x, y);
      x += dx;
      y += dy;
    }
    return;
  }

  let ax2 = Math.floor(ax / 2);
  let ay2 = Math.floor(ay / 2);
  let bx2 = Math.floor(bx / 2);
  let by2 = Math.floor(by / 2);
  const w2 = Math.abs(ax2 + ay2);
  const h2 = Math.abs(bx2 + by2);

  if (2 * w > 3 * h) {
    if (w2 % 2 !== 0 && w > 2) {
      ax2 += dax;
      ay2 += day;
    }
    gilbert(visit, x, y, ax2, ay2, bx, by);
    gilbert(visit, x + ax2, y + ay2, ax - ax2, ay - ay2, bx, by);
    return;
  }

  if (h2 % 2 !== 0 && h > 2) {
    bx2 += dbx;
    by2 += dby;
  }
  gilbert(visit, x, y, bx2, by2, ax2, ay2);
  gilbert(visit, x + bx2, y + by2, ax, ay, bx - bx2, by - by2);
  gilbert(
    visit,
    x + (ax - dax) + (bx2 - dbx),
    y + (ay - day) + (by2 - dby),
    -bx2,
    -by2,
    -(ax - ax2),
    -(ay - ay2),
  );
}
