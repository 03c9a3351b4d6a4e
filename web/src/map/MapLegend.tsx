/**
 * The key to the base map (roads, parks, rivers, boundaries) and to whatever a page draws over
 * it; plain HTML so both the console (antd) and the field app (antd-mobile) can use it.
 */
import { BASE_COLOURS } from './style';

export interface LegendItem {
  label: string;
  colour: string;
  /** dot: a point layer (cases); line: a boundary or road; area: a fill. */
  shape: 'dot' | 'line' | 'area';
  dashed?: boolean;
  casing?: string;
}

const BASE: Record<'zh' | 'en', LegendItem[]> = {
  zh: [
    { label: '主干路', colour: BASE_COLOURS.mainRoad, casing: BASE_COLOURS.mainCasing, shape: 'line' },
    { label: '街道、小巷', colour: BASE_COLOURS.road, casing: BASE_COLOURS.roadCasing, shape: 'line' },
    { label: '公园、广场', colour: BASE_COLOURS.park, shape: 'area' },
    { label: '河流', colour: BASE_COLOURS.water, shape: 'area' },
    { label: '区界', colour: BASE_COLOURS.district, shape: 'line', dashed: true },
    { label: '街道界', colour: BASE_COLOURS.street, shape: 'line', dashed: true },
    { label: '地标', colour: BASE_COLOURS.landmark, shape: 'dot' },
  ],
  en: [
    { label: 'Arterial road', colour: BASE_COLOURS.mainRoad, casing: BASE_COLOURS.mainCasing, shape: 'line' },
    { label: 'Street, lane', colour: BASE_COLOURS.road, casing: BASE_COLOURS.roadCasing, shape: 'line' },
    { label: 'Park, square', colour: BASE_COLOURS.park, shape: 'area' },
    { label: 'River', colour: BASE_COLOURS.water, shape: 'area' },
    { label: 'District boundary', colour: BASE_COLOURS.district, shape: 'line', dashed: true },
    { label: 'Street boundary', colour: BASE_COLOURS.street, shape: 'line', dashed: true },
    { label: 'Landmark', colour: BASE_COLOURS.landmark, shape: 'dot' },
  ],
};

function Swatch({ item }: { item: LegendItem }) {
  if (item.shape === 'dot') {
    return (
      <span
        style={{
          display: 'inline-block',
          width: 10,
          height: 10,
          margin: '0 5px',
          borderRadius: '50%',
          background: item.colour,
          border: '1.5px solid #fff',
          boxShadow: '0 0 0 1px rgba(0,0,0,0.15)',
        }}
      />
    );
  }
  if (item.shape === 'area') {
    return (
      <span
        style={{ display: 'inline-block', width: 20, height: 12, background: item.colour, borderRadius: 2 }}
      />
    );
  }
  return (
    <span
      style={{
        display: 'inline-block',
        width: 20,
        height: 0,
        borderTop: `${item.casing ? 5 : 2}px ${item.dashed ? 'dashed' : 'solid'} ${item.colour}`,
        outline: item.casing ? `1px solid ${item.casing}` : undefined,
        verticalAlign: 'middle',
      }}
    />
  );
}

export function MapLegend({ lang, extra = [] }: { lang: string; extra?: LegendItem[] }) {
  const items = [...extra, ...BASE[lang.startsWith('en') ? 'en' : 'zh']];
  return (
    <div
      data-testid="map-legend"
      style={{
        position: 'absolute',
        left: 8,
        bottom: 8,
        zIndex: 2,
        padding: '6px 8px',
        background: 'rgba(255,255,255,0.92)',
        borderRadius: 6,
        boxShadow: '0 1px 4px rgba(0,0,0,0.18)',
        fontSize: 12,
        lineHeight: '18px',
        color: '#333',
        pointerEvents: 'none',
      }}
    >
      {items.map((item) => (
        <div key={item.label} style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
          <span style={{ width: 22, display: 'inline-flex', justifyContent: 'center' }}>
            <Swatch item={item} />
          </span>
          {item.label}
        </div>
      ))}
    </div>
  );
}
