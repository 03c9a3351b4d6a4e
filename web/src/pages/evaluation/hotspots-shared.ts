/** Types and colours of the hot-spot page (answers of /analytics/hotspots…). */
import type { FeatureCollection, Polygon } from 'geojson';
import type { ExpressionSpecification } from 'maplibre-gl';

export type Mode = 'gi' | 'kde' | 'emerging';
export type Bin = -3 | -2 | -1 | 0 | 1 | 2 | 3;
export type EmergingClassName = 'new' | 'intensifying' | 'persistent' | 'fading' | 'sporadic';

export interface Params {
  unit: 'hex' | 'grid';
  resolution?: number;
  band?: number;
  kind?: string;
  categoryCode?: string;
}

type Features = FeatureCollection<Polygon>;

export interface Cell {
  id: string;
  centre: [number, number];
  count: number;
  z: number;
  p: number;
  bin: Bin;
  density: number[];
}

export interface Hotspots {
  caseCount: number;
  cellCount: number;
  radii: number[];
  summary: { hot: Record<99 | 95 | 90, number>; cold: Record<99 | 95 | 90, number> };
  cells: Cell[];
  features: Features;
}

export interface EmergingCell {
  id: string;
  class: EmergingClassName;
  counts: number[];
  zs: number[];
}

export interface Emerging {
  caseCount: number;
  cellCount: number;
  weeks: { from: string; to: string }[];
  summary: Record<EmergingClassName, number>;
  cells: EmergingCell[];
  features: Features;
}

/** Diverging red–blue (ColorBrewer RdBu): hot spots red, cold spots blue, the darker the surer. */
export const BIN_COLORS: Record<Bin, string> = {
  3: '#b2182b',
  2: '#ef8a62',
  1: '#fddbc7',
  0: '#f0f0f0',
  [-1]: '#d1e5f0',
  [-2]: '#67a9cf',
  [-3]: '#2166ac',
};

export const CLASS_COLORS: Record<EmergingClassName, string> = {
  new: '#d62728',
  intensifying: '#8c2d04',
  persistent: '#fd8d3c',
  fading: '#6baed6',
  sporadic: '#bdbdbd',
};

/** The fill colour of the cells for a mode: significance, density or emerging class. */
export function paintFor(
  mode: Mode,
  radius: number,
  data: Hotspots | Emerging,
): ExpressionSpecification | string {
  if (mode === 'emerging') {
    return [
      'match',
      ['get', 'class'],
      ...Object.entries(CLASS_COLORS).flat(),
      '#bdbdbd',
    ] as unknown as ExpressionSpecification;
  }
  if (mode === 'kde') {
    const max = Math.max(1e-9, ...(data as Hotspots).cells.map((c) => c.density[radius] ?? 0));
    return [
      'interpolate',
      ['linear'],
      ['at', radius, ['get', 'density']],
      0,
      '#fff5eb',
      max / 2,
      '#fd8d3c',
      max,
      '#7f2704',
    ] as ExpressionSpecification;
  }
  return [
    'match',
    ['get', 'bin'],
    ...Object.entries(BIN_COLORS).flatMap(([b, c]) => [Number(b), c]),
    '#f0f0f0',
  ] as unknown as ExpressionSpecification;
}
