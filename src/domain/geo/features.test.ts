import { describe, expect, it } from 'vitest';
import { fromWgs84 } from './crs.js';
import { readFeature } from './features.js';

const line = (coordinates: unknown, properties: unknown = { name: '红星路二段' }) => ({
  type: 'Feature',
  geometry: { type: 'LineString', coordinates },
  properties,
});
const point = (coordinates: unknown, properties: unknown) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates },
  properties,
});

describe('readFeature', () => {
  it('reads a road, splitting its segment', () => {
    const r = readFeature(
      'roads',
      line(
        [
          [104.07, 30.65],
          [104.07, 30.64],
        ],
        { name: '红星路２段', aliases: ['红星二段'] },
      ),
      0,
    );
    expect(r.errors).toEqual([]);
    expect(r.entry).toMatchObject({
      name: '红星路2段',
      baseName: '红星路',
      segment: '二段',
      aliases: ['红星二段'],
    });
  });

  it('names the index and field of every problem', () => {
    const r = readFeature(
      'roads',
      line([[104.07, 30.65]], { name: 'x', aliases: 'no', districtCode: '51' }),
      7,
    );
    expect(r.entry).toBeNull();
    expect(r.errors.map((e) => [e.index, e.field])).toEqual([
      [7, 'name'],
      [7, 'aliases'],
      [7, 'districtCode'],
      [7, 'geometry'],
    ]);
    expect(r.errors[0]?.message).toEqual({
      zh: 'name 长度应为 2–60 个字符',
      en: 'name must be 2–60 characters long',
    });
  });

  it('rejects zero-length lines, out-of-range and non-numeric positions', () => {
    const fields = (coords: unknown) => readFeature('roads', line(coords), 0).errors.map((e) => e.field);
    expect(
      fields([
        [104, 30],
        [104, 30],
      ]),
    ).toEqual(['geometry']);
    expect(
      fields([
        [104, 30],
        [190, 30],
      ]),
    ).toEqual(['geometry.coordinates[1]']);
    expect(
      fields([
        [104, 30],
        [null, 30],
      ]),
    ).toEqual(['geometry.coordinates[1]']);
    expect(
      readFeature(
        'roads',
        { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { name: '路路' } },
        0,
      ).errors[0]?.field,
    ).toBe('geometry');
    expect(readFeature('roads', { type: 'Nope' }, 3).errors).toEqual([
      { index: 3, field: 'type', message: { zh: '应为 GeoJSON Feature', en: 'must be a GeoJSON Feature' } },
    ]);
  });

  it('reads a door address, normalising its number, and converts GCJ-02 input', () => {
    const [x, y] = fromWgs84(104.07, 30.65, 'gcj02');
    const r = readFeature('addresses', point([x, y], { road: '红星路二段', number: '88' }), 0, 'gcj02');
    expect(r.entry?.number).toBe('88号');
    expect(r.entry?.point[0]).toBeCloseTo(104.07, 9);
    expect(r.entry?.point[1]).toBeCloseTo(30.65, 9);
  });

  it('rejects a malformed door number and a missing road', () => {
    const r = readFeature('addresses', point([104, 30], { number: '八八八号楼' }), 2);
    expect(r.errors.map((e) => e.field)).toEqual(['road', 'number']);
  });

  it('reads a place and requires its name and category', () => {
    expect(
      readFeature('pois', point([104, 30], { name: '太古里', category: '商场' }), 0).entry,
    ).toMatchObject({
      name: '太古里',
      category: '商场',
      address: null,
      aliases: [],
    });
    expect(readFeature('pois', point([104, 30], {}), 0).errors.map((e) => e.field)).toEqual([
      'name',
      'category',
    ]);
  });
});
