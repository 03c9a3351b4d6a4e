import { describe, expect, it } from 'vitest';
import {
  areaClassOf,
  CELL_LAT7,
  CELL_LNG7,
  COLS,
  cellAt,
  cellRing,
  hilbertOrder,
  METRES_PER_DEGREE_LAT,
  METRES_PER_DEGREE_LNG,
  ROWS,
} from './lattice.js';

describe('lattice', () => {
  it('uses ≈100 m cells derived from the WGS 84 ellipsoid at 30.66° N', () => {
    const a = 6378137;
    const f = 1 / 298.257223563;
    const e2 = f * (2 - f);
    const phi = (30.66 * Math.PI) / 180;
    const w = 1 - e2 * Math.sin(phi) ** 2;
    const perDegreeLat = ((a * (1 - e2)) / w ** 1.5) * (Math.PI / 180);
    const perDegreeLng = (a / Math.sqrt(w)) * Math.cos(phi) * (Math.PI / 180);
    expect(METRES_PER_DEGREE_LAT).toBeCloseTo(perDegreeLat, 1);
    expect(METRES_PER_DEGREE_LNG).toBeCloseTo(perDegreeLng, 1);
    expect(CELL_LAT7).toBe(Math.round((100 / perDegreeLat) * 1e7));
    expect(CELL_LNG7).toBe(Math.round((100 / perDegreeLng) * 1e7));
  });

  it('builds rings from 7-decimal vertices around the city centre', () => {
    const ring = cellRing(COLS / 2, ROWS / 2 - 1); // the cell north-east of the centre
    expect(ring).toEqual([
      [104.06, 30.66],
      [104.0610434, 30.66],
      [104.0610434, 30.660902],
      [104.06, 30.660902],
      [104.06, 30.66],
    ]);
  });

  it('maps points back to their cell', () => {
    for (const [col, row] of [
      [0, 0],
      [COLS - 1, ROWS - 1],
      [17, 33],
    ] as const) {
      const [sw, , ne] = cellRing(col, row);
      if (sw === undefined || ne === undefined) throw new Error('ring too short');
      expect(cellAt((sw[0] + ne[0]) / 2, (sw[1] + ne[1]) / 2)).toEqual({ col, row });
    }
    expect(cellAt(103.9, 30.66)).toBeNull();
    expect(cellAt(104.06, 30.8)).toBeNull();
  });

  it('classes the centre A, a middle ring B and the corners C', () => {
    const classAt = (lng: number, lat: number) => {
      const cell = cellAt(lng, lat);
      return cell === null ? null : areaClassOf(cell.col, cell.row);
    };
    expect(classAt(104.0601, 30.6601)).toBe('A');
    expect(classAt(104.0599, 30.6599)).toBe('A');
    expect(classAt(104.06, 30.669)).toBe('A'); // ≈1.0 km north
    expect(classAt(104.06, 30.68)).toBe('B'); // ≈2.2 km north
    expect(classAt(104.0288, 30.6825)).toBe('C'); // north-west corner
    expect(classAt(104.0912, 30.6376)).toBe('C'); // south-east corner
  });

  it.each([
    [COLS, ROWS],
    [8, 6],
    [6, 10],
    [2, 2],
  ])('visits every cell of %i × %i once with unit steps', (cols, rows) => {
    const order = hilbertOrder(cols, rows);
    expect(new Set(order.map((c) => c.row * cols + c.col)).size).toBe(cols * rows);
    for (let i = 1; i < order.length; i++) {
      const prev = order[i - 1] as { col: number; row: number };
      const cur = order[i] as { col: number; row: number };
      expect(Math.abs(cur.col - prev.col) + Math.abs(cur.row - prev.row)).toBe(1);
    }
    // Starts in the south-west corner, so the first district sits in the west.
    expect(order[0]).toEqual({ col: 0, row: rows - 1 });
  });
});
