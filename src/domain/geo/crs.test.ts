import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromWgs84, outOfChina, positionFor, toWgs84 } from './crs.js';

const close = (actual: [number, number], expected: [number, number], digits: number) => {
  expect(actual[0]).toBeCloseTo(expected[0], digits);
  expect(actual[1]).toBeCloseTo(expected[1], digits);
};

describe('reference values', () => {
  // Published pairs for (116.404, 39.915), central Beijing: wandergis/coordtransform test/app.js
  // ("//result" block), reused by hutool's CoordinateUtilTest and coordtransform_rs.
  it('WGS84 → GCJ-02 and GCJ-02 ↔ BD-09 match coordtransform', () => {
    close(fromWgs84(116.404, 39.915, 'gcj02'), [116.41024449916938, 39.91640428150164], 10);
    close(toWgs84(116.41024449916938, 39.91640428150164, 'gcj02'), [116.404, 39.915], 9);
    // GCJ-02 → BD-09 of (116.404, 39.915) = (116.41036949371029, 39.92133699351021), so BD-09 of
    // the WGS84 point whose GCJ-02 is (116.404, 39.915) is that value.
    const wgs = toWgs84(116.404, 39.915, 'gcj02');
    close(fromWgs84(wgs[0], wgs[1], 'bd09'), [116.41036949371029, 39.92133699351021], 9);
    // BD-09 (116.404, 39.915) → GCJ-02 (116.39762729119315, 39.90865673957631): the published
    // inverse is a closed-form approximation; ours inverts exactly, 2e-7° (≈ 2 cm) away.
    const viaBd = toWgs84(116.404, 39.915, 'bd09');
    close(fromWgs84(viaBd[0], viaBd[1], 'gcj02'), [116.39762729119315, 39.90865673957631], 6);
    close(fromWgs84(viaBd[0], viaBd[1], 'bd09'), [116.404, 39.915], 10);
  });

  it('coordtransform’s one-step GCJ-02 → WGS84 value is within 2e-5° of the exact inverse', () => {
    // coordtransform: gcj02towgs84(116.404, 39.915) = (116.39775550083061, 39.91359571849836),
    // a one-step approximation; ours iterates until the forward transform reproduces the input.
    close(toWgs84(116.404, 39.915, 'gcj02'), [116.39775550083061, 39.91359571849836], 4);
    const exact = toWgs84(116.404, 39.915, 'gcj02');
    close(fromWgs84(exact[0], exact[1], 'gcj02'), [116.404, 39.915], 10);
  });

  it('matches gcoord’s own unit tests at (123, 45)', () => {
    // hujiulong/gcoord test/unit/crs/WGS84.spec.ts, GCJ02.spec.ts and BD09.spec.ts.
    close(fromWgs84(123, 45, 'gcj02'), [123.00607541, 45.00197815], 6);
    close(fromWgs84(123, 45, 'bd09'), [123.0124491, 45.0083293], 6);
    close(toWgs84(123, 45, 'gcj02'), [122.99395597, 44.99804071], 5);
    close(toWgs84(123, 45, 'bd09'), [122.9876221, 44.9917154], 5);
  });

  it('GCJ-02 equals WGS84 outside China (BD-09 still adds its own offset)', () => {
    expect(outOfChina(2.35, 48.85)).toBe(true);
    expect(outOfChina(104.06, 30.66)).toBe(false);
    expect(fromWgs84(2.35, 48.85, 'gcj02')).toEqual([2.35, 48.85]);
    expect(toWgs84(-74.006, 40.7128, 'gcj02')).toEqual([-74.006, 40.7128]);
    expect(toWgs84(104.06, 30.66, 'wgs84')).toEqual([104.06, 30.66]);
  });

  it('moves Chengdu by a few hundred metres, as Chinese web maps show', () => {
    const [lng, lat] = fromWgs84(104.06, 30.66, 'gcj02');
    const dx = (lng - 104.06) * 95_841;
    const dy = (lat - 30.66) * 110_864;
    expect(Math.hypot(dx, dy)).toBeGreaterThan(200);
    expect(Math.hypot(dx, dy)).toBeLessThan(500);
  });

  it('positionFor always gives WGS84 and adds the requested CRS', () => {
    expect(positionFor(104.06, 30.66, 'wgs84')).toEqual({ wgs84: [104.06, 30.66] });
    const p = positionFor(104.06, 30.66, 'bd09');
    expect(Object.keys(p)).toEqual(['wgs84', 'bd09']);
  });
});

describe('round trips over China', () => {
  const china = fc.record({
    lng: fc.double({ min: 73.6, max: 134.7, noNaN: true }),
    lat: fc.double({ min: 18.2, max: 53.5, noNaN: true }),
  });

  it('WGS84 → GCJ-02 → WGS84 returns within 1e-5°', () => {
    fc.assert(
      fc.property(china, ({ lng, lat }) => {
        const [x, y] = fromWgs84(lng, lat, 'gcj02');
        const [bx, by] = toWgs84(x, y, 'gcj02');
        expect(Math.abs(bx - lng)).toBeLessThan(1e-5);
        expect(Math.abs(by - lat)).toBeLessThan(1e-5);
      }),
      { numRuns: 500 },
    );
  });

  it('WGS84 → BD-09 → WGS84 returns within 1e-5°', () => {
    fc.assert(
      fc.property(china, ({ lng, lat }) => {
        const [x, y] = fromWgs84(lng, lat, 'bd09');
        const [bx, by] = toWgs84(x, y, 'bd09');
        expect(Math.abs(bx - lng)).toBeLessThan(1e-5);
        expect(Math.abs(by - lat)).toBeLessThan(1e-5);
      }),
      { numRuns: 500 },
    );
  });

  it('outside China GCJ-02 is the identity', () => {
    const abroad = fc
      .record({
        lng: fc.double({ min: -180, max: 180, noNaN: true }),
        lat: fc.double({ min: -85, max: 85, noNaN: true }),
      })
      .filter(({ lng, lat }) => outOfChina(lng, lat));
    fc.assert(
      fc.property(abroad, ({ lng, lat }) => {
        expect(fromWgs84(lng, lat, 'gcj02')).toEqual([lng, lat]);
        expect(toWgs84(lng, lat, 'gcj02')).toEqual([lng, lat]);
      }),
    );
  });
});
