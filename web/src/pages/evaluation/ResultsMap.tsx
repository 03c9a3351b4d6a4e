/**
 * The results of a region type (grid … district) on the map: each area filled with its grade's
 * colour, grey without a result. The fill is one `match` on the area code, rebuilt when the rows
 * change (period, filters, scheme) without re-creating the map. Hovering an area tells its name,
 * score, grade and rank; clicking it also selects it for the trend. Loaded lazily (MapLibre).
 */
import { Typography, theme } from 'antd';
import {
  type ExpressionSpecification,
  type MapLayerMouseEvent,
  type Map as MlMap,
  NavigationControl,
  Popup,
} from 'maplibre-gl';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CityMap, tileUrl } from '../../map/CityMap';
import { useClientConfig } from '../../map/client-config';
import { GRADE_COLOR, GRADES } from './grades';
import { REGION_LAYERS, type RegionType } from './regions';
import { type ResultRow, score } from './shared';

const NO_DATA = '#bfbfbf';
const FILL_OPACITY = 0.65;
const TYPES = Object.keys(REGION_LAYERS) as RegionType[];
const fillId = (type: RegionType) => `results-${type}-fill`;
const lineId = (type: RegionType) => `results-${type}-line`;
const selectedId = (type: RegionType) => `results-${type}-selected`;

/** Fill colour by area code: the graded rows' codes, everything else grey. */
function fillColor(rows: readonly ResultRow[], colors: Record<string, string>) {
  const pairs = rows
    .filter((r) => r.grade && colors[r.grade])
    .flatMap((r) => [r.subjectId, colors[r.grade!]!]);
  const expression = (
    pairs.length ? ['match', ['to-string', ['get', 'code']], ...pairs, NO_DATA] : NO_DATA
  ) as ExpressionSpecification | string;
  return { expression, colored: pairs.length / 2 };
}

/** One source and three layers per region type, all hidden until their type is shown. */
function addRegionLayers(map: MlMap) {
  for (const type of TYPES) {
    const { layer, minZoom } = REGION_LAYERS[type];
    const source = `results-${layer}`;
    map.addSource(source, { type: 'vector', tiles: [tileUrl(layer)], minzoom: minZoom, maxzoom: 18 });
    const common = {
      source,
      'source-layer': layer,
      minzoom: minZoom,
      layout: { visibility: 'none' as const },
    };
    // Under the base style's boundary lines, so streets and districts stay readable on top.
    map.addLayer(
      {
        id: fillId(type),
        type: 'fill',
        ...common,
        paint: { 'fill-color': NO_DATA, 'fill-opacity': FILL_OPACITY },
      },
      'communities-line',
    );
    map.addLayer(
      { id: lineId(type), type: 'line', ...common, paint: { 'line-color': '#ffffff', 'line-width': 0.8 } },
      'communities-line',
    );
    map.addLayer({
      id: selectedId(type),
      type: 'line',
      ...common,
      filter: ['==', ['to-string', ['get', 'code']], ''],
      paint: { 'line-color': '#1f1f1f', 'line-width': 2.5 },
    });
  }
}

function el(tag: string, text?: string, style?: Partial<CSSStyleDeclaration>): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (style) Object.assign(node.style, style);
  return node;
}

export interface ResultsMapProps {
  subjectType: RegionType;
  rows: readonly ResultRow[];
  selected: string | null;
  onSelect: (subjectId: string) => void;
}

export function ResultsMap({ subjectType, rows, selected, onSelect }: ResultsMapProps) {
  const { t } = useTranslation('evaluation');
  const { token } = theme.useToken();
  const config = useClientConfig();
  const [map, setMap] = useState<MlMap | null>(null);
  const [zoom, setZoom] = useState<number | null>(null);
  // Set once the map has drawn the current colouring (a test waits for it).
  const [colored, setColored] = useState<number | null>(null);
  const colors = useMemo(
    () =>
      Object.fromEntries(
        GRADES.map((g) => [g, token[`${GRADE_COLOR[g]}6` as keyof typeof token] as string]),
      ) as Record<string, string>,
    [token],
  );

  // The map's handlers are registered once; they read the current values through refs.
  const byCode = useMemo(() => new Map(rows.map((r) => [r.subjectId, r])), [rows]);
  const live = useRef({ byCode, onSelect, t });
  live.current = { byCode, onSelect, t };
  const popup = useRef<Popup | null>(null);
  const shownCode = useRef<string | null>(null);

  /** Name, score, grade and rank of the area under the pointer. */
  const show = useCallback(
    (m: MlMap, e: MapLayerMouseEvent, select: boolean) => {
      const feature = e.features?.[0];
      if (!feature) return;
      const { byCode: current, t: tr, onSelect: pickRow } = live.current;
      const code = String(feature.properties.code);
      const row = current.get(code);
      if (select && row) pickRow(code);
      popup.current ??= new Popup({ closeButton: false, closeOnClick: false, maxWidth: '240px', offset: 8 });
      popup.current.setLngLat(e.lngLat);
      // Moving within the same area only moves the popup.
      if (shownCode.current === code && popup.current.isOpen()) return;
      shownCode.current = code;
      const box = el('div');
      box.dataset.testid = 'results-map-popup';
      box.dataset.code = code;
      box.append(el('strong', row?.subjectName ?? String(feature.properties.name ?? code)));
      if (row && row.composite !== null) {
        box.append(el('div', `${tr('col.score')} ${score(row.composite)}`));
        const rank = row.rank === null ? '—' : `${row.rank}${row.tied ? '=' : ''}`;
        box.append(el('div', `${tr('col.grade')} ${row.grade ?? '—'} · ${tr('col.rank')} ${rank}`));
      } else {
        box.append(el('div', tr('map.noResult'), { color: token.colorTextSecondary }));
      }
      popup.current.setDOMContent(box).addTo(m);
      m.getCanvas().style.cursor = row ? 'pointer' : '';
    },
    [token.colorTextSecondary],
  );

  const onReady = useCallback(
    (m: MlMap) => {
      m.addControl(new NavigationControl({ showCompass: false }), 'top-right');
      addRegionLayers(m);
      for (const type of TYPES) {
        m.on('mousemove', fillId(type), (e) => show(m, e, false));
        m.on('click', fillId(type), (e) => show(m, e, true));
        m.on('mouseleave', fillId(type), () => {
          popup.current?.remove();
          m.getCanvas().style.cursor = '';
        });
      }
      m.on('zoomend', () => setZoom(m.getZoom()));
      setMap(m);
    },
    [show],
  );

  // The shown type's layers, with the city in view at no less than the layer's min zoom.
  useEffect(() => {
    if (!map || !config) return;
    for (const type of TYPES) {
      const visibility = type === subjectType ? 'visible' : 'none';
      for (const id of [fillId(type), lineId(type), selectedId(type)])
        map.setLayoutProperty(id, 'visibility', visibility);
    }
    popup.current?.remove();
    const { minZoom } = REGION_LAYERS[subjectType];
    const camera = config.map.bounds ? map.cameraForBounds(config.map.bounds, { padding: 16 }) : undefined;
    // The configured centre (the middle of the city's extent) stays the map's centre.
    map.jumpTo({
      center: config.map.center,
      zoom: Math.max(camera?.zoom ?? config.map.zoom, minZoom),
    });
    setZoom(map.getZoom());
  }, [map, config, subjectType]);

  // New rows (byCode): an open popup would tell the previous figures.
  useEffect(() => {
    popup.current?.remove();
    shownCode.current = null;
  }, [byCode]);

  // Re-coloured when the colouring changes (the rows are a new array on every load), without
  // re-creating the map; `colored` is told once the map has drawn it (idle after a repaint).
  const fill = useMemo(() => fillColor(rows, colors), [rows, colors]);
  const fillKey = JSON.stringify(fill.expression);
  const n = fill.colored;
  useEffect(() => {
    if (!map) return;
    map.setPaintProperty(fillId(subjectType), 'fill-color', JSON.parse(fillKey));
    setColored(null);
    const drawn = () => setColored(n);
    map.once('idle', drawn);
    map.triggerRepaint();
    return () => {
      map.off('idle', drawn);
    };
  }, [map, fillKey, n, subjectType]);

  useEffect(() => {
    if (map) map.setFilter(selectedId(subjectType), ['==', ['to-string', ['get', 'code']], selected ?? '']);
  }, [map, selected, subjectType]);

  useEffect(
    () => () => {
      popup.current?.remove();
    },
    [],
  );

  const { minZoom } = REGION_LAYERS[subjectType];
  const legend = [
    ...GRADES.map((g) => ({ key: g, label: g, color: colors[g] })),
    { key: 'none', label: t('map.noResult'), color: NO_DATA },
  ];
  return (
    <div
      data-testid="results-map"
      data-type={subjectType}
      data-zoom={zoom ?? undefined}
      {...(colored !== null ? { 'data-colored': colored } : {})}
    >
      <CityMap onReady={onReady} style={{ height: 360, borderRadius: 4 }} />
      {/* Under the map, so it never covers an area. */}
      <div
        data-testid="results-map-legend"
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 12,
          flexWrap: 'wrap',
          marginTop: 8,
          fontSize: 12,
        }}
      >
        <Typography.Text strong style={{ fontSize: 12 }}>
          {t('col.grade')}
        </Typography.Text>
        {legend.map((item) => (
          <span key={item.key} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
            <span
              style={{
                width: 14,
                height: 14,
                borderRadius: 2,
                background: item.color,
                opacity: FILL_OPACITY,
              }}
            />
            {item.label}
          </span>
        ))}
        {zoom !== null && zoom < minZoom ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="results-map-zoom-hint">
            {t('map.zoomIn', { type: t(`subject.${subjectType}`) })}
          </Typography.Text>
        ) : null}
      </div>
    </div>
  );
}
