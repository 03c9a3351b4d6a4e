/**
 * Open cases as a vector-tile layer: the server clusters them below its cluster zoom (circles
 * sized by count, coloured by the worst light) and sends single cases above it. Nothing here
 * loads case points as GeoJSON, so the map stays smooth with 100k+ cases. No text labels: the
 * map has no glyphs offline.
 */
import type { ExpressionSpecification, Map as MlMap, VectorTileSource } from 'maplibre-gl';
import { tileUrl } from '../CityMap';

export const CASES_SOURCE = 'cases';
export const CASE_CLUSTERS = 'cases-clusters';
export const CASE_POINTS = 'cases-points';

export const LIGHT_COLOURS = { green: '#52c41a', yellow: '#faad14', red: '#f5222d', none: '#8c8c8c' };

const lightColour: ExpressionSpecification = [
  'match',
  ['get', 'light'],
  'green',
  LIGHT_COLOURS.green,
  'yellow',
  LIGHT_COLOURS.yellow,
  'red',
  LIGHT_COLOURS.red,
  LIGHT_COLOURS.none,
];

/** The tile URL template of the cases layer for a filter query (already URL-encoded). */
export const caseTilesUrl = (query: string) => tileUrl(CASES_SOURCE, query);

/** Adds the source and its two circle layers (clusters, single cases) above everything else. */
export function addCaseLayers(map: MlMap, query: string) {
  map.addSource(CASES_SOURCE, { type: 'vector', tiles: [caseTilesUrl(query)], minzoom: 0, maxzoom: 18 });
  map.addLayer({
    id: CASE_CLUSTERS,
    type: 'circle',
    source: CASES_SOURCE,
    'source-layer': 'cases',
    filter: ['==', ['get', 'cluster'], true],
    paint: {
      // Area grows with the count: 1 → 6 px, 10 → 11 px, 100 → 20 px, 1000+ → 30 px.
      'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'count']], 1, 6, 3.2, 11, 10, 20, 32, 30],
      'circle-color': lightColour,
      'circle-opacity': 0.78,
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
    },
  });
  map.addLayer({
    id: CASE_POINTS,
    type: 'circle',
    source: CASES_SOURCE,
    'source-layer': 'cases',
    filter: ['==', ['get', 'cluster'], false],
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 14, 5, 18, 8],
      'circle-color': lightColour,
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
    },
  });
}

/** Points the source at new tiles (other filters, or a bumped `rev` after a live change). */
export function setCaseTiles(map: MlMap, query: string) {
  const source = map.getSource<VectorTileSource>(CASES_SOURCE);
  source?.setTiles([caseTilesUrl(query)]);
}
