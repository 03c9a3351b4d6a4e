/**
 * The map style every map starts from: a base map drawn from the city's own data (gazetteer roads
 * by class, parks and rivers, division boundaries) with its names, so it works on a closed
 * network; over a raster base map (e.g. 天地图 or an intranet one) when the deployment configures
 * its URL, which then draws the land and roads and keeps our boundaries and names on top.
 *
 * Labels need no glyph server: the style has no `glyphs` URL, so MapLibre draws every character
 * (Chinese, digits, Latin) itself with the fonts of the user's machine (TinySDF on a canvas).
 */
import type {
  DataDrivenPropertyValueSpecification,
  ExpressionSpecification,
  LayerSpecification,
  StyleSpecification,
} from 'maplibre-gl';

export const tileUrl = (layer: string, query = '') =>
  `${window.location.origin}/api/v1/map/tiles/${layer}/{z}/{x}/{y}.mvt${query ? `?${query}` : ''}`;

/** Boundaries and the base map anyone may see, served without a login (the citizens' map). */
const publicTileUrl = (layer: string) =>
  `${window.location.origin}/api/v1/public/map/tiles/${layer}/{z}/{x}/{y}.mvt`;

/**
 * Local fonts that draw Chinese well on the desktops and phones of a city (Windows, macOS/iOS,
 * Android, Linux with fonts-wqy-microhei), in CSS fallback order. A family whose name says Bold
 * makes MapLibre draw the text bold in whichever family the machine has.
 */
export const MAP_FONTS = [
  'Microsoft YaHei',
  'PingFang SC',
  'Noto Sans CJK SC',
  'WenQuanYi Micro Hei',
  'sans-serif',
];
const BOLD_FONTS = ['Microsoft YaHei Bold', ...MAP_FONTS];

/** Colours of the base map, shared with the legend. */
export const BASE_COLOURS = {
  land: '#f4f1ea',
  park: '#c8e6b5',
  water: '#9fc9eb',
  mainRoad: '#fbd38d',
  mainCasing: '#d9a45a',
  road: '#ffffff',
  roadCasing: '#cfc8bc',
  district: '#7b5ea7',
  street: '#9d8bbb',
  community: '#b8adc9',
  grid: '#d5d9e0',
  place: '#5b6b7c',
  landmark: '#c0503a',
} as const;

const zoomed = (stops: Array<[number, number]>): ExpressionSpecification => [
  'interpolate',
  ['exponential', 1.6],
  ['zoom'],
  ...stops.flat(),
];

/** Road widths in pixels by class and zoom: arterials from z10, streets from z12, lanes from z14. */
const ROAD_WIDTH: Record<'main' | 'secondary' | 'minor', Array<[number, number]>> = {
  main: [
    [10, 1.2],
    [13, 4],
    [16, 14],
    [18, 36],
  ],
  secondary: [
    [12, 0.8],
    [14, 3],
    [16, 9],
    [18, 24],
  ],
  minor: [
    [14, 1],
    [16, 5],
    [18, 14],
  ],
};
const MIN_ZOOM = { main: 10, secondary: 12, minor: 14 } as const;

function roadLayers(): LayerSpecification[] {
  const classes = ['minor', 'secondary', 'main'] as const;
  const of = (c: (typeof classes)[number]) => ['==', ['get', 'class'], c] as ExpressionSpecification;
  const casing = classes.map(
    (c): LayerSpecification => ({
      id: `roads-${c}-casing`,
      type: 'line',
      source: 'roads',
      'source-layer': 'roads',
      minzoom: MIN_ZOOM[c],
      filter: of(c),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': c === 'main' ? BASE_COLOURS.mainCasing : BASE_COLOURS.roadCasing,
        'line-width': zoomed(ROAD_WIDTH[c].map(([z, w]) => [z, w + 2] as [number, number])),
      },
    }),
  );
  const fill = classes.map(
    (c): LayerSpecification => ({
      id: `roads-${c}`,
      type: 'line',
      source: 'roads',
      'source-layer': 'roads',
      minzoom: MIN_ZOOM[c],
      filter: of(c),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': c === 'main' ? BASE_COLOURS.mainRoad : BASE_COLOURS.road,
        'line-width': zoomed(ROAD_WIDTH[c]),
      },
    }),
  );
  return [...casing, ...fill];
}

const halo = { 'text-halo-color': '#ffffff', 'text-halo-width': 1.6, 'text-halo-blur': 0.3 };

/** Names: rivers, parks, roads along their line, places, then communities, streets and districts on top. */
function labelLayers(): LayerSpecification[] {
  const roadSize: DataDrivenPropertyValueSpecification<number> = [
    'match',
    ['get', 'class'],
    'main',
    13,
    'secondary',
    12,
    11,
  ];
  return [
    {
      id: 'water-label',
      type: 'symbol',
      source: 'areas',
      'source-layer': 'areas',
      minzoom: 12,
      filter: ['==', ['get', 'kind'], 'water'],
      layout: {
        'symbol-placement': 'line',
        'text-field': ['get', 'name'],
        'text-font': MAP_FONTS,
        'text-size': 13,
        'text-letter-spacing': 0.3,
        'symbol-spacing': 400,
      },
      paint: { 'text-color': '#3f78a8', ...halo },
    },
    {
      id: 'roads-label',
      type: 'symbol',
      source: 'roads',
      'source-layer': 'roads',
      minzoom: 12,
      filter: [
        'any',
        ['==', ['get', 'class'], 'main'],
        ['all', ['>=', ['zoom'], 14], ['==', ['get', 'class'], 'secondary']],
        ['>=', ['zoom'], 15.5],
      ],
      layout: {
        'symbol-placement': 'line',
        'text-field': ['get', 'name'],
        'text-font': MAP_FONTS,
        'text-size': roadSize,
        'symbol-spacing': 300,
        'text-max-angle': 30,
        // Arterials first when labels collide.
        'symbol-sort-key': ['match', ['get', 'class'], 'main', 0, 'secondary', 1, 2],
      },
      paint: { 'text-color': '#404040', ...halo },
    },
    {
      id: 'places-dot',
      type: 'circle',
      source: 'places',
      'source-layer': 'places',
      minzoom: 13,
      filter: ['any', ['==', ['get', 'rank'], 1], ['>=', ['zoom'], 15]],
      paint: {
        'circle-radius': ['match', ['get', 'rank'], 1, 4, 3],
        'circle-color': ['match', ['get', 'rank'], 1, BASE_COLOURS.landmark, BASE_COLOURS.place],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.2,
      },
    },
    {
      id: 'places-label',
      type: 'symbol',
      source: 'places',
      'source-layer': 'places',
      minzoom: 13,
      filter: ['any', ['==', ['get', 'rank'], 1], ['>=', ['zoom'], 15]],
      layout: {
        'text-field': ['get', 'name'],
        'text-font': MAP_FONTS,
        'text-size': ['match', ['get', 'rank'], 1, 13, 11],
        'text-anchor': 'top',
        'text-offset': [0, 0.5],
        'text-max-width': 8,
        'symbol-sort-key': ['get', 'rank'],
      },
      paint: {
        'text-color': ['match', ['get', 'rank'], 1, '#8c3a2b', '#4f5b66'],
        ...halo,
      },
    },
    {
      id: 'parks-label',
      type: 'symbol',
      source: 'areas',
      'source-layer': 'areas',
      minzoom: 14,
      filter: ['==', ['get', 'kind'], 'park'],
      layout: { 'text-field': ['get', 'name'], 'text-font': MAP_FONTS, 'text-size': 12 },
      paint: { 'text-color': '#3d7a2a', ...halo },
    },
    divisionLabel('community', 14, 24, 12, '#6f6385'),
    divisionLabel('street', 12, 15.5, 13, '#5f4f80'),
    divisionLabel('district', 9, 14.5, 17, BASE_COLOURS.district, true),
  ];
}

function divisionLabel(
  level: 'district' | 'street' | 'community',
  minzoom: number,
  maxzoom: number,
  size: number,
  colour: string,
  bold = false,
): LayerSpecification {
  return {
    id: `labels-${level}`,
    type: 'symbol',
    source: 'labels',
    'source-layer': 'labels',
    minzoom,
    maxzoom,
    filter: ['==', ['get', 'level'], level],
    layout: {
      'text-field': ['get', 'name'],
      'text-font': bold ? BOLD_FONTS : MAP_FONTS,
      'text-size': size,
      'text-letter-spacing': level === 'district' ? 0.4 : 0.1,
      'text-max-width': 6,
      // Division names stay put: other labels give way to them.
      'symbol-sort-key': level === 'district' ? 0 : level === 'street' ? 1 : 2,
    },
    paint: { 'text-color': colour, 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 2 },
  };
}

/**
 * The base style: the city's own base map, boundaries, grids and names; an optional configured
 * raster base map underneath. The public variant (citizen portal) reads the tiles open to
 * everyone and has no grids.
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
  // Over a raster base map, its own land and roads show; ours would hide them.
  const ownBase: LayerSpecification[] = raster
    ? []
    : [
        {
          id: 'parks-fill',
          type: 'fill',
          source: 'areas',
          'source-layer': 'areas',
          filter: ['==', ['get', 'kind'], 'park'],
          paint: { 'fill-color': BASE_COLOURS.park, 'fill-outline-color': '#a6d08f' },
        },
        {
          id: 'water-line',
          type: 'line',
          source: 'areas',
          'source-layer': 'areas',
          filter: ['all', ['==', ['get', 'kind'], 'water'], ['==', ['geometry-type'], 'LineString']],
          layout: { 'line-cap': 'round', 'line-join': 'round' },
          paint: {
            'line-color': BASE_COLOURS.water,
            'line-width': zoomed([
              [10, 2],
              [13, 6],
              [16, 40],
              [18, 150],
            ]),
          },
        },
        {
          id: 'water-fill',
          type: 'fill',
          source: 'areas',
          'source-layer': 'areas',
          filter: ['all', ['==', ['get', 'kind'], 'water'], ['==', ['geometry-type'], 'Polygon']],
          paint: { 'fill-color': BASE_COLOURS.water },
        },
      ];
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
      roads: vector('roads', 10),
      places: vector('places', 12),
      areas: vector('areas', 10),
      labels: vector('labels', 8),
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': BASE_COLOURS.land } },
      ...(raster ? [{ id: 'basemap', type: 'raster' as const, source: 'basemap' }] : []),
      {
        id: 'districts-fill',
        type: 'fill',
        source: 'districts',
        'source-layer': 'districts',
        // A faint tint per district, so one sees at a glance where a district ends.
        paint: {
          'fill-color': [
            'match',
            ['%', ['to-number', ['get', 'code'], 0], 3],
            0,
            '#f7efe2',
            1,
            '#eef3e4',
            '#eaf0f6',
          ],
          'fill-opacity': raster ? 0 : 0.85,
        },
      },
      ...ownBase,
      ...(open
        ? []
        : [
            {
              id: 'grids-line',
              type: 'line' as const,
              source: 'grids',
              'source-layer': 'grids',
              minzoom: 15,
              paint: { 'line-color': BASE_COLOURS.grid, 'line-width': 0.5 },
            },
          ]),
      ...(raster ? [] : roadLayers()),
      {
        id: 'communities-line',
        type: 'line',
        source: 'communities',
        'source-layer': 'communities',
        minzoom: 13,
        paint: { 'line-color': BASE_COLOURS.community, 'line-width': 1, 'line-dasharray': [2, 2] },
      },
      {
        id: 'streets-line',
        type: 'line',
        source: 'streets',
        'source-layer': 'streets',
        minzoom: 11,
        paint: { 'line-color': BASE_COLOURS.street, 'line-width': 1.4, 'line-dasharray': [4, 2] },
      },
      {
        id: 'districts-line',
        type: 'line',
        source: 'districts',
        'source-layer': 'districts',
        paint: {
          'line-color': BASE_COLOURS.district,
          'line-width': zoomed([
            [9, 1.5],
            [14, 3],
          ]),
          'line-opacity': 0.8,
          'line-dasharray': [5, 2, 1, 2],
        },
      },
      ...labelLayers(),
    ],
  };
}

/** Ids of the label layers, for tests and pages that check what was drawn. */
export const LABEL_LAYERS = [
  'labels-district',
  'labels-street',
  'labels-community',
  'roads-label',
  'places-label',
  'water-label',
  'parks-label',
];
