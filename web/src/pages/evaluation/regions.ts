/**
 * The subject types that are areas on the map, with their vector tile layer and that layer's
 * server min zoom (src/modules/map/layers.ts: below it the tiles are empty).
 */
import type { SubjectType } from './shared';

export const REGION_LAYERS = {
  district: { layer: 'districts', minZoom: 8 },
  street: { layer: 'streets', minZoom: 10 },
  community: { layer: 'communities', minZoom: 11 },
  grid: { layer: 'grids', minZoom: 12 },
} as const satisfies Partial<Record<SubjectType, { layer: string; minZoom: number }>>;

export type RegionType = keyof typeof REGION_LAYERS;

export const isRegionType = (type: SubjectType): type is RegionType => type in REGION_LAYERS;
