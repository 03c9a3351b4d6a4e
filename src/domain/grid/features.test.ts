import { describe, expect, it } from 'vitest';
import { crsRangeViolation, parseGridFeatures } from './features.js';

const ring = [
  [104, 30],
  [104.001, 30],
  [104.001, 30.001],
  [104, 30.001],
  [104, 30],
];
const f = (
  properties: Record<string, unknown>,
  geometry: unknown = { type: 'Polygon', coordinates: [ring] },
) => ({
  type: 'Feature',
  properties,
  geometry,
});

describe('grid features of a file', () => {
  it('accepts codes, communities and area classes under common property spellings', () => {
    const { candidates, problems } = parseGridFeatures([
      f({ CODE: '510104001001001', COMMUNITY: '510104001001', AREACLASS: 'a' }),
      f({ gridCode: 510104001001002, area_class: '三类' }),
      f({ code: '510104001001003' }, { type: 'MultiPolygon', coordinates: [[ring]] }),
    ]);
    expect(problems).toEqual([]);
    expect(candidates.map((c) => [c.code, c.communityCode, c.seq, c.areaClass, c.usable])).toEqual([
      ['510104001001001', '510104001001', 1, 'A', true],
      ['510104001001002', '510104001001', 2, 'C', true],
      ['510104001001003', '510104001001', 3, 'B', true],
    ]);
  });

  it('reports every structural problem of every feature, by grid code or feature number', () => {
    const { candidates, problems } = parseGridFeatures([
      f({}),
      f({ code: '510104001002001', community: '510104001001' }),
      f({ code: '510104001001000' }),
      f({ code: '510104001001004', areaClass: 'D' }, { type: 'Point', coordinates: [104, 30] }),
      f({ code: '510104001001005' }, { type: 'Polygon', coordinates: [ring.slice(0, 4)] }),
      f({ code: '510104001001005' }),
      { type: 'Nope' },
    ]);
    expect(problems.map((p) => [p.code, p.gridCode, p.feature])).toEqual([
      ['GRID_CODE_MISSING', null, 0],
      ['GRID_CODE_COMMUNITY_MISMATCH', '510104001002001', 1],
      ['GRID_CODE_SEQUENCE', '510104001001000', 2],
      ['GRID_AREA_CLASS', '510104001001004', 3],
      ['GRID_GEOMETRY_TYPE', '510104001001004', 3],
      ['GRID_GEOMETRY_INVALID', '510104001001005', 4],
      ['GRID_CODE_DUPLICATE', '510104001001005', 5],
      ['GRID_FEATURE_INVALID', null, 6],
    ]);
    expect(problems[0]?.en).toBe('Feature #1: has no grid code property (code)');
    expect(problems[4]?.zh).toBe(
      '单元网格 510104001001004：图形无效：geometry is Point, a grid is one Polygon',
    );
    expect(problems[5]?.en).toBe('Grid 510104001001005: invalid geometry: ring 0 is not closed');
    // A bad code keeps its polygon in the spatial checks; a broken or duplicate feature does not.
    expect(candidates.map((c) => c.usable)).toEqual([false, true, true, false, false, false, false]);
  });

  it('finds coordinates that cannot be in the declared CRS', () => {
    const gk = [
      [409_907, 3_393_656],
      [410_007, 3_393_656],
      [410_007, 3_393_756],
      [409_907, 3_393_756],
      [409_907, 3_393_656],
    ];
    const { candidates } = parseGridFeatures([
      f({ code: '510104001001001' }, { type: 'Polygon', coordinates: [gk] }),
    ]);
    const v = crsRangeViolation(4326, candidates);
    expect(v).toMatchObject({
      srid: 4326,
      outside: 5,
      sample: { gridCode: '510104001001001', position: [409_907, 3_393_656] },
    });
    expect(v?.guess).toContain('Gauss-Krüger');
    expect(crsRangeViolation(4544, candidates)).toBeNull();
    expect(
      crsRangeViolation(4326, parseGridFeatures([f({ code: '510104001001001' })]).candidates),
    ).toBeNull();
  });
});
