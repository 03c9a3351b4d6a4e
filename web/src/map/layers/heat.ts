/**
 * Grid heat: case counts per unit grid (GET /map/heat/grids, a small `{code: n}` object) joined
 * onto the boundary tiles through feature-state, so no polygon is downloaded twice. Counts are
 * summed up the code prefixes (grid 15 → community 12 → street 9 → district 6) and each level is
 * shown at the zooms where its polygons are a sensible size, coloured relative to its own maximum.
 */
import type { ExpressionSpecification, Map as MlMap } from 'maplibre-gl';
import { tileUrl } from '../CityMap';

const LEVELS = [
  { layer: 'districts', digits: 6, minzoom: 0, maxzoom: 10, tiles: 8 },
  { layer: 'streets', digits: 9, minzoom: 10, maxzoom: 11, tiles: 10 },
  { layer: 'communities', digits: 12, minzoom: 11, maxzoom: 13, tiles: 11 },
  { layer: 'grids', digits: 15, minzoom: 13, maxzoom: 24, tiles: 12 },
] as const;

const sourceId = (layer: string) => `heat-${layer}`;
const layerId = (layer: string) => `heat-${layer}-fill`;

const share: ExpressionSpecification = ['coalesce', ['feature-state', 'v'], 0];

/**
 * Adds the (hidden) heat layers below `beforeId`, by default under the base map's roads and names
 * (so the heat never hides where it is).
 */
export function addHeatLayers(map: MlMap, beforeId: string | undefined = firstBaseLayer(map)) {
  for (const l of LEVELS) {
    map.addSource(sourceId(l.layer), {
      type: 'vector',
      tiles: [tileUrl(l.layer)],
      minzoom: l.tiles,
      maxzoom: 18,
      promoteId: { [l.layer]: 'code' },
    });
    map.addLayer(
      {
        id: layerId(l.layer),
        type: 'fill',
        source: sourceId(l.layer),
        'source-layer': l.layer,
        minzoom: l.minzoom,
        maxzoom: l.maxzoom,
        layout: { visibility: 'none' },
        paint: {
          'fill-color': [
            'interpolate',
            ['linear'],
            share,
            0,
            '#fff7bc',
            0.35,
            '#fec44f',
            0.7,
            '#fe9929',
            1,
            '#cc4c02',
          ],
          'fill-opacity': ['case', ['>', share, 0], 0.7, 0],
          'fill-outline-color': 'rgba(204, 76, 2, 0.25)',
        },
      },
      beforeId,
    );
  }
}

function firstBaseLayer(map: MlMap): string | undefined {
  return ['roads-minor-casing', 'communities-line', 'water-label'].find((id) => map.getLayer(id));
}

export function setHeatVisible(map: MlMap, visible: boolean) {
  for (const l of LEVELS) map.setLayoutProperty(layerId(l.layer), 'visibility', visible ? 'visible' : 'none');
}

/** Sums grid counts up to each division level: `{ 6: {district: n}, 9: …, 12: …, 15: grids }`. */
export function rollUp(counts: Record<string, number>) {
  const out = new Map<number, Map<string, number>>(LEVELS.map((l) => [l.digits, new Map()]));
  for (const [code, n] of Object.entries(counts)) {
    for (const l of LEVELS) {
      const key = code.slice(0, l.digits);
      const level = out.get(l.digits)!;
      level.set(key, (level.get(key) ?? 0) + n);
    }
  }
  return out;
}

/** Replaces the counts shown (the previous ones are cleared first). */
export function setHeatCounts(map: MlMap, counts: Record<string, number>) {
  const levels = rollUp(counts);
  for (const l of LEVELS) {
    const source = sourceId(l.layer);
    map.removeFeatureState({ source, sourceLayer: l.layer });
    const values = levels.get(l.digits)!;
    const max = Math.max(0, ...values.values());
    for (const [code, n] of values) {
      map.setFeatureState({ source, sourceLayer: l.layer, id: code }, { n, v: max > 0 ? n / max : 0 });
    }
  }
}
