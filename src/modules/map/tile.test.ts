import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ZOOM, parseTile, tileAt, tileBounds3857, tileBoundsLngLat, toWebMercator } from './tile.js';

const tileArb = fc
  .integer({ min: 0, max: MAX_ZOOM })
  .chain((z) => fc.record({ z: fc.constant(z), x: fc.nat(2 ** z - 1), y: fc.nat(2 ** z - 1) }));

describe('tile arithmetic', () => {
  it('parses every valid z/x/y and refuses the first value out of range', () => {
    fc.assert(
      fc.property(tileArb, (t) => {
        expect(parseTile({ z: String(t.z), x: String(t.x), y: String(t.y) })).toEqual(t);
        const edge = String(2 ** t.z);
        expect(() => parseTile({ z: String(t.z), x: edge, y: '0' })).toThrow('x must be an integer');
        expect(() => parseTile({ z: String(t.z), x: '0', y: edge })).toThrow('y must be an integer');
      }),
    );
  });

  it('the degree box projects onto the EPSG:3857 square', () => {
    fc.assert(
      fc.property(tileArb, (t) => {
        const deg = tileBoundsLngLat(t);
        const m = tileBounds3857(t);
        const [west, south] = toWebMercator(deg.west, deg.south);
        const [east, north] = toWebMercator(deg.east, deg.north);
        const tolerance = 1e-6 * (m.east - m.west) + 1e-6;
        expect(Math.abs(west - m.west)).toBeLessThan(tolerance);
        expect(Math.abs(east - m.east)).toBeLessThan(tolerance);
        expect(Math.abs(south - m.south)).toBeLessThan(tolerance);
        expect(Math.abs(north - m.north)).toBeLessThan(tolerance);
      }),
    );
  });

  it('neighbouring tiles share their edges exactly, and a point lies in the tile tileAt names', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_ZOOM }),
        fc.double({ min: -179.9, max: 179.9, noNaN: true }),
        fc.double({ min: -85, max: 85, noNaN: true }),
        (z, lng, lat) => {
          const t = tileAt(lng, lat, z);
          const b = tileBoundsLngLat(t);
          expect(lng).toBeGreaterThanOrEqual(b.west - 1e-9);
          expect(lng).toBeLessThanOrEqual(b.east + 1e-9);
          expect(lat).toBeGreaterThanOrEqual(b.south - 1e-9);
          expect(lat).toBeLessThanOrEqual(b.north + 1e-9);
          if (t.y + 1 < 2 ** z) expect(tileBoundsLngLat({ ...t, y: t.y + 1 }).north).toBe(b.south);
          if (t.x + 1 < 2 ** z) expect(tileBoundsLngLat({ ...t, x: t.x + 1 }).west).toBe(b.east);
        },
      ),
    );
  });
});
