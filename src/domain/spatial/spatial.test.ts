import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateDemoCity } from '../demo-city/index.js';
import { COLS, cellRing, latAt, lngAt, ROWS } from '../demo-city/lattice.js';
import { flatRing, GridLocator, pointInPolygon, pointInRing, polygonsFromWkb } from './index.js';

const square = flatRing([
  [0, 0],
  [10, 0],
  [10, 10],
  [0, 10],
  [0, 0],
]);
const hole = flatRing([
  [4, 4],
  [6, 4],
  [6, 6],
  [4, 6],
  [4, 4],
]);

/** Little-endian WKB of a polygon, written by hand as PostGIS would. */
function polygonWkb(rings: number[][][]): Uint8Array {
  const size = 9 + rings.reduce((n, r) => n + 4 + r.length * 16, 0);
  const view = new DataView(new ArrayBuffer(size));
  view.setUint8(0, 1);
  view.setUint32(1, 3, true);
  view.setUint32(5, rings.length, true);
  let at = 9;
  for (const ring of rings) {
    view.setUint32(at, ring.length, true);
    at += 4;
    for (const [x, y] of ring) {
      view.setFloat64(at, x as number, true);
      view.setFloat64(at + 8, y as number, true);
      at += 16;
    }
  }
  return new Uint8Array(view.buffer);
}

describe('pointInRing / pointInPolygon', () => {
  it.each([
    [5, 5, 'inside'],
    [0, 5, 'boundary'],
    [10, 10, 'boundary'],
    [5, 0, 'boundary'],
    [10.0000001, 5, 'outside'],
    [-1, -1, 'outside'],
    [5, 10.5, 'outside'],
  ] as const)('(%d, %d) is %s the square', (x, y, expected) => {
    expect(pointInRing(square, x, y)).toBe(expected);
  });

  it('a point in a hole is outside, on the hole ring is on the boundary', () => {
    expect(pointInPolygon([square, hole], 5, 5)).toBe('outside');
    expect(pointInPolygon([square, hole], 4, 5)).toBe('boundary');
    expect(pointInPolygon([square, hole], 6, 6)).toBe('boundary');
    expect(pointInPolygon([square, hole], 2, 2)).toBe('inside');
  });

  it('winding does not depend on ring orientation', () => {
    const clockwise = flatRing([
      [0, 0],
      [0, 10],
      [10, 10],
      [10, 0],
      [0, 0],
    ]);
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: 15, noNaN: true }),
        fc.double({ min: -5, max: 15, noNaN: true }),
        (x, y) => {
          expect(pointInRing(clockwise, x, y)).toBe(pointInRing(square, x, y));
        },
      ),
    );
  });
});

describe('polygonsFromWkb', () => {
  it('reads back the exact doubles of every ring', () => {
    const rings = [
      [
        [104.0286955, 30.6825505],
        [104.0297389, 30.6825505],
        [104.0297389, 30.6834525],
        [104.0286955, 30.6825505],
      ],
      [
        [0.1, 0.2],
        [0.3, 0.4],
        [0.5, 0.6],
        [0.1, 0.2],
      ],
    ];
    const [polygon, ...rest] = polygonsFromWkb(polygonWkb(rings));
    expect(rest).toEqual([]);
    expect(polygon?.map((r) => Array.from(r))).toEqual(rings.map((r) => r.flat()));
  });

  it('refuses geometry types it does not read', () => {
    const point = new Uint8Array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => polygonsFromWkb(point)).toThrow('unsupported WKB geometry type 1');
  });
});

describe('GridLocator over the demo lattice', () => {
  const city = generateDemoCity();
  const locator = GridLocator.build(
    city.grids.map((g) => ({ code: g.code, polygons: [[flatRing(g.ring)]] })),
  );
  /** Expected answer from the lattice alone: the lowest code of the cells touching the point. */
  const codeAt = new Map(
    city.grids.map((g) => {
      const [[west, south]] = g.ring as [[number, number]];
      return [`${west},${south}`, g.code] as const;
    }),
  );
  const cellCode = (col: number, row: number) => codeAt.get(`${lngAt(col)},${latAt(row + 1)}`);
  const expectedAt = (col: number, row: number, onEast: boolean, onNorth: boolean) => {
    const cols = onEast ? [col, col + 1] : [col];
    const rows = onNorth ? [row, row - 1] : [row];
    const codes = cols.flatMap((c) => rows.map((r) => cellCode(c, r))).filter((c) => c !== undefined);
    return codes.sort()[0] ?? null;
  };

  it('indexes every grid', () => {
    expect(locator.size).toBe(COLS * ROWS);
    expect(codeAt.size).toBe(COLS * ROWS);
  });

  it('cell interiors, shared edges and shared vertices resolve like the lattice says', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: COLS - 1 }),
        fc.integer({ min: 0, max: ROWS - 1 }),
        fc.constantFrom('interior', 'east-edge', 'north-edge', 'north-east-vertex'),
        (col, row, where) => {
          const ring = cellRing(col, row);
          const [west, south] = ring[0] as [number, number];
          const [east, north] = ring[2] as [number, number];
          const onEast = where === 'east-edge' || where === 'north-east-vertex';
          const onNorth = where === 'north-edge' || where === 'north-east-vertex';
          const lng = onEast ? east : (west + east) / 2;
          const lat = onNorth ? north : (south + north) / 2;
          expect(locator.locate(lng, lat)).toBe(expectedAt(col, row, onEast, onNorth));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('honours the scope prefix and answers null outside the city', () => {
    const g = city.grids.find((x) => x.code.startsWith('510105')) as (typeof city.grids)[number];
    const [[west, south]] = g.ring as [[number, number]];
    const [, , [east, north]] = g.ring as [unknown, unknown, [number, number]];
    const mid: [number, number] = [(west + east) / 2, (south + north) / 2];
    expect(locator.locate(...mid)).toBe(g.code);
    expect(locator.locate(...mid, '510105')).toBe(g.code);
    expect(locator.locate(...mid, '510104')).toBeNull();
    expect(locator.locate(0, 0)).toBeNull();
    expect(locator.locate(Number.NaN, 30)).toBeNull();
    expect(GridLocator.build([]).locate(...mid)).toBeNull();
  });
});
