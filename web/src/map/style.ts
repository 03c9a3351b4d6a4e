/**
 * The map style every map starts from: CityLoop's own vector layers (districts, streets,
 * communities, unit grids) so it works on a closed network, over a raster base map (e.g. 天地图)
 * only when the deployment configures its URL.
 */
import type { StyleSpecification } from 'maplibre-gl';

export const tileUrl = (layer: string, query = '') =>
  `${window.location.origin}/api/v1/map/tiles/${layer}/{z}/{x}/{y}.mvt${query ? `?${query}` : ''}`;

/** Boundaries anyone may see, served without a login (the citizens' map). */
const publicTileUrl = (layer: string) =>
  `${window.location.origin}/api/v1/public/map/tiles/${layer}/{z}/{x}/{y}.mvt`;

/**
 * The base style: own boundaries and grids; an optional configured raster base map. The public
 * variant (citizen portal) reads the boundary tiles open to everyone and has no grids.
 */
export function baseStyle(
  raster?: { url: string; attribution?: string } | null,
  { public: open = false }: { public?: boolean } = {},
): StyleSpecification {
  const vector = (layer: string, minzoom: number) => ({
    type: 'vector' as const,
    tiles: [open ? publicTileUrl(layer) : tileUrl(layer)],
    minzoom,
    maxzoom: 18,
  });
  return {
    version: 8,
    sources: {
      ...(raster
        ? {
            basemap: {
              type: 'raster' as const,
              tiles: [raster.url],
              tileSize: 256,
              ...(raster.attribution ? { attribution: raster.attribution } : {}),
            },
          }
        : {}),
      districts: vector('districts', 0),
      streets: vector('streets', 10),
      communities: vector('communities', open ? 11 : 12),
      ...(open ? {} : { grids: vector('grids', 14) }),
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f3f5f8' } },
      ...(raster ? [{ id: 'basemap', type: 'raster' as const, source: 'basemap' }] : []),
      {
        id: 'districts-fill',
        type: 'fill',
        source: 'districts',
        'source-layer': 'districts',
        paint: { 'fill-color': '#e8eef7', 'fill-opacity': raster ? 0 : 0.9 },
      },
      {
        id: 'communities-line',
        type: 'line',
        source: 'communities',
        'source-layer': 'communities',
        minzoom: 12,
        paint: { 'line-color': '#9bb3d1', 'line-width': 0.8 },
      },
      ...(open
        ? []
        : [
            {
              id: 'grids-line',
              type: 'line' as const,
              source: 'grids',
              'source-layer': 'grids',
              minzoom: 14,
              paint: { 'line-color': '#c5d3e6', 'line-width': 0.5 },
            },
          ]),
      {
        id: 'streets-line',
        type: 'line',
        source: 'streets',
        'source-layer': 'streets',
        minzoom: 10,
        paint: { 'line-color': '#7d9cc4', 'line-width': 1.2, 'line-dasharray': [3, 2] },
      },
      {
        id: 'districts-line',
        type: 'line',
        source: 'districts',
        'source-layer': 'districts',
        paint: { 'line-color': '#3f6cb0', 'line-width': 2 },
      },
    ],
  };
}
