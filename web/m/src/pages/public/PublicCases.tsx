/** Filed cases without personal data, newest first, on a list and a map. */
import { useQuery } from '@tanstack/react-query';
import { Image, List, Segmented, Space, Tag } from 'antd-mobile';
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ErrorMessages } from '../../../../src/api/client';
import { MapLegend } from '../../../../src/map/MapLegend';
import { PublicMap } from '../../components/PublicMap';
import { fmtTime } from '../../lib/text';

interface PublicCase {
  number: string;
  category: { code: string; name: string };
  address: string;
  location: { lng: number; lat: number };
  status: string;
  statusLabel: ErrorMessages;
  reportedAt: string;
  description: string | null;
  photos: string[];
  satisfaction: number | null;
}

export function PublicCases() {
  const { t, i18n } = useTranslation('mobile');
  const [view, setView] = useState<'list' | 'map'>('list');
  const cases = useQuery({
    queryKey: ['public', 'cases'],
    queryFn: () => api<{ items: PublicCase[] }>('/public/cases', { query: { limit: 50 } }),
  });
  const items = cases.data?.items ?? [];
  return (
    <>
      <div className="section">
        <Segmented
          block
          value={view}
          onChange={(v) => setView(v as 'list' | 'map')}
          options={[
            { label: t('public.list'), value: 'list' },
            { label: t('public.map'), value: 'map' },
          ]}
        />
      </div>
      {view === 'map' ? (
        <CasesMap items={items} />
      ) : (
        <List data-testid="public-cases">
          {items.map((c) => (
            <List.Item
              key={c.number}
              prefix={
                c.photos[0] ? <Image src={c.photos[0]} width={48} height={48} fit="cover" /> : undefined
              }
              description={
                <Space direction="vertical" style={{ '--gap': '2px' }}>
                  <span>{c.address}</span>
                  {c.description && <span className="clamp">{c.description}</span>}
                  <span>
                    {fmtTime(c.reportedAt, i18n.language)}
                    {c.satisfaction !== null && ` · ${t('public.satisfaction', { n: c.satisfaction })}`}
                  </span>
                </Space>
              }
              extra={
                <Tag color={c.status === 'closed' ? 'success' : 'primary'}>
                  {i18n.language === 'en' ? c.statusLabel.en : c.statusLabel.zh}
                </Tag>
              }
            >
              {c.category.name}
            </List.Item>
          ))}
        </List>
      )}
    </>
  );
}

function CasesMap({ items }: { items: PublicCase[] }) {
  const { t, i18n } = useTranslation('mobile');
  const mapRef = useRef<MlMap | null>(null);
  const data = {
    type: 'FeatureCollection' as const,
    features: items.map((c) => ({
      type: 'Feature' as const,
      properties: { closed: c.status === 'closed' },
      geometry: { type: 'Point' as const, coordinates: [c.location.lng, c.location.lat] },
    })),
  };
  useEffect(() => {
    (mapRef.current?.getSource('public') as GeoJSONSource | undefined)?.setData(data);
  });
  return (
    <PublicMap
      style={{ height: 'calc(100% - 56px)', minHeight: 420 }}
      onReady={(map) => {
        mapRef.current = map;
        map.addSource('public', { type: 'geojson', data });
        map.addLayer({
          id: 'public',
          type: 'circle',
          source: 'public',
          paint: {
            'circle-radius': 6,
            'circle-stroke-color': '#fff',
            'circle-stroke-width': 1.5,
            'circle-color': ['case', ['get', 'closed'], '#00b578', '#1677ff'],
          },
        });
      }}
    >
      <MapLegend
        lang={i18n.language}
        extra={[
          { label: t('public.legendOpen'), colour: '#1677ff', shape: 'dot' },
          { label: t('public.legendClosed'), colour: '#00b578', shape: 'dot' },
        ]}
      />
    </PublicMap>
  );
}
