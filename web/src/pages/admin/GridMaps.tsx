/**
 * The maps of the grid admin page (单元网格): a community's grids over the base map, and an
 * import report's problems where they are, with the file's own shapes; clicking a problem in the
 * report zooms the map to it.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { GeoJSONSource, LngLatBoundsLike, Map as MlMap } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { CityMap } from '../../map/CityMap';
import { MAP_FONTS } from '../../map/style';

const AREA_COLOURS = { A: '#f5222d', B: '#fa8c16', C: '#1677ff' };
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** The box around some GeoJSON geometries, or null when there is none. */
function boundsOf(features: ReadonlyArray<Feature<Geometry | null>>): LngLatBoundsLike | null {
  let [w, s, e, n] = [180, 90, -180, -90];
  const visit = (c: unknown) => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as [number, number];
      [w, s, e, n] = [Math.min(w, x), Math.min(s, y), Math.max(e, x), Math.max(n, y)];
    } else if (Array.isArray(c)) for (const d of c) visit(d);
  };
  for (const f of features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return w <= e ? [w, s, e, n] : null;
}

/** Sets a GeoJSON source's data once the map has it (the source is added in onReady). */
function useSourceData(map: MlMap | null, source: string, data: FeatureCollection) {
  useEffect(() => {
    map?.getSource<GeoJSONSource>(source)?.setData(data);
  }, [map, source, data]);
}

export interface GridFeature {
  geometry: Geometry;
  properties: { code: string; seq: number; areaClass: 'A' | 'B' | 'C' };
}

/** A community's grids, coloured by area class and numbered; a click opens a grid. */
export function CommunityGridMap({
  grids,
  selected,
  onPick,
}: {
  grids: GridFeature[];
  selected: string | null;
  onPick: (code: string) => void;
}) {
  const [map, setMap] = useState<MlMap | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const [data, setData] = useState<FeatureCollection>(EMPTY);
  useEffect(() => {
    setData({
      type: 'FeatureCollection',
      features: grids.map((g) => ({ type: 'Feature', geometry: g.geometry, properties: g.properties })),
    });
  }, [grids]);
  useSourceData(map, 'admin-grids', data);
  useEffect(() => {
    const bounds = boundsOf(data.features);
    if (map && bounds) map.fitBounds(bounds, { padding: 32, maxZoom: 17, animate: false });
  }, [map, data]);
  useEffect(() => {
    map?.setFilter('admin-grids-selected', ['==', ['get', 'code'], selected ?? '']);
  }, [map, selected]);

  const onReady = (m: MlMap) => {
    m.addSource('admin-grids', { type: 'geojson', data: EMPTY });
    m.addLayer({
      id: 'admin-grids-fill',
      type: 'fill',
      source: 'admin-grids',
      paint: {
        'fill-color': [
          'match',
          ['get', 'areaClass'],
          'A',
          AREA_COLOURS.A,
          'B',
          AREA_COLOURS.B,
          AREA_COLOURS.C,
        ],
        'fill-opacity': 0.12,
      },
    });
    m.addLayer({
      id: 'admin-grids-line',
      type: 'line',
      source: 'admin-grids',
      paint: { 'line-color': '#1d39c4', 'line-width': 1.2 },
    });
    m.addLayer({
      id: 'admin-grids-selected',
      type: 'line',
      source: 'admin-grids',
      filter: ['==', ['get', 'code'], ''],
      paint: { 'line-color': '#f5222d', 'line-width': 3 },
    });
    m.addLayer({
      id: 'admin-grids-seq',
      type: 'symbol',
      source: 'admin-grids',
      minzoom: 15,
      layout: { 'text-field': ['to-string', ['get', 'seq']], 'text-font': MAP_FONTS, 'text-size': 12 },
      paint: { 'text-color': '#1d39c4', 'text-halo-color': '#fff', 'text-halo-width': 1.5 },
    });
    m.on('click', 'admin-grids-fill', (e) => {
      const code = e.features?.[0]?.properties?.code;
      if (typeof code === 'string') pick.current(code);
    });
    m.on('mouseenter', 'admin-grids-fill', () => {
      m.getCanvas().style.cursor = 'pointer';
    });
    m.on('mouseleave', 'admin-grids-fill', () => {
      m.getCanvas().style.cursor = '';
    });
    setMap(m);
  };
  return (
    <div data-testid="grid-map" style={{ position: 'relative', height: '100%' }}>
      <CityMap onReady={onReady} style={{ height: '100%', minHeight: 360, borderRadius: 6 }} />
    </div>
  );
}

export interface LocatedProblem {
  code: string;
  lng: number | null;
  lat: number | null;
}

/**
 * The import report on a map: the file's shapes (when it is GeoJSON) and a numbered point per
 * problem that has a location; `focus` (a problem's index) zooms there and marks it.
 */
export function ProblemMap({
  problems,
  shapes,
  focus,
  onFocus,
}: {
  problems: LocatedProblem[];
  shapes: FeatureCollection | null;
  focus: number | null;
  onFocus: (index: number) => void;
}) {
  const [map, setMap] = useState<MlMap | null>(null);
  const [focused, setFocused] = useState<number | null>(null);
  const focusRef = useRef(onFocus);
  focusRef.current = onFocus;
  const [points, setPoints] = useState<FeatureCollection>(EMPTY);
  useEffect(() => {
    setPoints({
      type: 'FeatureCollection',
      features: problems.flatMap((p, i) =>
        p.lng === null || p.lat === null
          ? []
          : [
              {
                type: 'Feature' as const,
                geometry: { type: 'Point' as const, coordinates: [p.lng, p.lat] },
                properties: { index: i, label: String(i + 1), code: p.code },
              },
            ],
      ),
    });
  }, [problems]);
  useSourceData(map, 'import-problems', points);
  useSourceData(map, 'import-shapes', shapes ?? EMPTY);
  useEffect(() => {
    const bounds = boundsOf([...points.features, ...(shapes?.features ?? [])]);
    if (map && bounds) map.fitBounds(bounds, { padding: 48, maxZoom: 16, animate: false });
  }, [map, points, shapes]);
  useEffect(() => {
    if (!map || focus === null) return;
    const p = problems[focus];
    map.setFilter('import-problems-focus', ['==', ['get', 'index'], focus]);
    if (p?.lng == null || p.lat == null) return;
    map.getContainer().scrollIntoView({ block: 'nearest' });
    // Listening first: with reduced motion the move ends inside flyTo.
    map.once('moveend', () => setFocused(focus));
    map.flyTo({ center: [p.lng, p.lat], zoom: 17, duration: 400 });
  }, [map, focus, problems]);

  const onReady = (m: MlMap) => {
    m.addSource('import-shapes', { type: 'geojson', data: EMPTY });
    m.addSource('import-problems', { type: 'geojson', data: EMPTY });
    m.addLayer({
      id: 'import-shapes-fill',
      type: 'fill',
      source: 'import-shapes',
      paint: { 'fill-color': '#fa8c16', 'fill-opacity': 0.15 },
    });
    m.addLayer({
      id: 'import-shapes-line',
      type: 'line',
      source: 'import-shapes',
      paint: { 'line-color': '#d46b08', 'line-width': 1.5, 'line-dasharray': [3, 2] },
    });
    m.addLayer({
      id: 'import-problems-focus',
      type: 'circle',
      source: 'import-problems',
      filter: ['==', ['get', 'index'], -1],
      paint: { 'circle-radius': 18, 'circle-color': '#f5222d', 'circle-opacity': 0.25 },
    });
    m.addLayer({
      id: 'import-problems',
      type: 'circle',
      source: 'import-problems',
      paint: {
        'circle-radius': 10,
        'circle-color': '#f5222d',
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    });
    m.addLayer({
      id: 'import-problems-label',
      type: 'symbol',
      source: 'import-problems',
      layout: {
        'text-field': ['get', 'label'],
        'text-font': MAP_FONTS,
        'text-size': 12,
        'text-allow-overlap': true,
      },
      paint: { 'text-color': '#ffffff' },
    });
    m.on('click', 'import-problems', (e) => {
      const index = e.features?.[0]?.properties?.index;
      if (typeof index === 'number') focusRef.current(index);
    });
    setMap(m);
  };
  return (
    <div
      data-testid="grid-problem-map"
      data-focus={focused ?? ''}
      style={{ position: 'relative', height: 420 }}
    >
      <CityMap onReady={onReady} style={{ height: '100%', borderRadius: 6 }} />
    </div>
  );
}
