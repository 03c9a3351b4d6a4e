/**
 * Where the problem is: search an address (gazetteer) or click the city map. Every point set is
 * reverse-geocoded (address text) and located in its unit grid, which decides scope and owner.
 */
import { EnvironmentOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { AutoComplete, Input, Space, Tag, Typography } from 'antd';
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { useErrorText, useShowError } from '../../../components/errors';
import { CityMap } from '../../../map/CityMap';

export interface Point {
  lng: number;
  lat: number;
}

interface Candidate {
  kind: string;
  id: number;
  label: string;
  district: { code: string; name: string } | null;
  gridCode: string | null;
  /** In the operator's own area (the server ranks those first). */
  inScope?: boolean;
  position: { wgs84: [number, number] };
}

interface Reverse {
  formatted: string | null;
}

interface Located {
  gridCode: string;
  areaClass: string;
  community: { code: string; name: string };
  street: { code: string; name: string };
  district: { code: string; name: string };
}

const SOURCE = 'picked-point';

function pointData(p: Point | null): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: p
      ? [{ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lng, p.lat] }, properties: {} }]
      : [],
  };
}

/** Waits a moment after typing so a search runs once per pause, not per key. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

export interface LocationPickerProps {
  point: Point | null;
  address: string;
  onPoint: (p: Point) => void;
  onAddress: (a: string) => void;
}

export function LocationPicker({ point, address, onPoint, onAddress }: LocationPickerProps) {
  const { t } = useTranslation('cases');
  const showError = useShowError();
  const errorText = useErrorText();
  const mapRef = useRef<MlMap | null>(null);
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const candidates = useQuery({
    queryKey: ['geocode', 'search', q],
    queryFn: () => api<{ candidates: Candidate[] }>('/geocode/search', { query: { q, limit: 8 } }),
    enabled: q.length > 0,
  });
  const located = useQuery({
    queryKey: ['grids', 'locate', point?.lng, point?.lat],
    queryFn: () => api<Located>('/grids/locate', { query: { lng: point?.lng, lat: point?.lat } }),
    enabled: !!point,
    retry: false,
  });
  const onPointRef = useRef(onPoint);
  onPointRef.current = onPoint;
  const onAddressRef = useRef(onAddress);
  onAddressRef.current = onAddress;

  const setPoint = async (p: Point, fillAddress: boolean) => {
    onPointRef.current(p);
    if (!fillAddress) return;
    try {
      const r = await api<Reverse>('/geocode/reverse', { query: { lng: p.lng, lat: p.lat } });
      if (r.formatted) onAddressRef.current(r.formatted);
    } catch (err) {
      showError(err);
    }
  };
  const setPointRef = useRef(setPoint);
  setPointRef.current = setPoint;

  // Keep the marker (a GeoJSON source) and the view on the chosen point.
  useEffect(() => {
    const map = mapRef.current;
    const source = map?.getSource(SOURCE) as GeoJSONSource | undefined;
    source?.setData(pointData(point));
  }, [point]);

  const onReady = (map: MlMap) => {
    mapRef.current = map;
    map.addSource(SOURCE, { type: 'geojson', data: pointData(point) });
    map.addLayer({
      id: 'picked-point',
      type: 'circle',
      source: SOURCE,
      paint: {
        'circle-radius': 8,
        'circle-color': '#f5222d',
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 2,
      },
    });
    map.getCanvas().style.cursor = 'crosshair';
    map.on('click', (e) => {
      void setPointRef.current({ lng: e.lngLat.lng, lat: e.lngLat.lat }, true);
    });
  };

  const options = (candidates.data?.candidates ?? []).map((c) => ({
    value: `${c.kind}:${c.id}`,
    label: (
      <Space size={4}>
        <EnvironmentOutlined />
        <span>{c.label}</span>
        {c.district ? <Typography.Text type="secondary">{c.district.name}</Typography.Text> : null}
        {c.inScope === false ? <Tag color="orange">{t('intakeForm.outOfScope')}</Tag> : null}
      </Space>
    ),
    candidate: c,
  }));

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={8}>
      <AutoComplete
        options={options}
        value={search}
        onSearch={setSearch}
        onChange={setSearch}
        onSelect={(_, option) => {
          const c = (option as (typeof options)[number]).candidate;
          const [lng, lat] = c.position.wgs84;
          setSearch(c.label);
          onAddressRef.current(c.label);
          void setPointRef.current({ lng, lat }, false);
          mapRef.current?.flyTo({ center: [lng, lat], zoom: Math.max(mapRef.current.getZoom(), 16) });
        }}
        style={{ width: '100%' }}
      >
        <Input.Search placeholder={t('intakeForm.addressSearch')} data-testid="address-search" allowClear />
      </AutoComplete>
      <CityMap
        onReady={onReady}
        zoom={13}
        style={{ height: 340, borderRadius: 4, border: '1px solid #f0f0f0' }}
      />
      <Space wrap size={4} data-testid="picked-grid">
        <Typography.Text type="secondary">{t('intakeForm.grid')}:</Typography.Text>
        {point && located.data ? (
          <>
            <Tag color="blue">{located.data.gridCode}</Tag>
            <span>
              {located.data.district.name} {located.data.street.name} {located.data.community.name}
            </span>
            <Tag>{located.data.areaClass}</Tag>
          </>
        ) : point && located.error ? (
          // e.g. LOCATION_OUT_OF_SCOPE: which district the point is in and which one the operator serves.
          <Typography.Text type="danger" data-testid="picked-grid-error">
            {errorText(located.error)}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">{point ? '…' : t('intakeForm.gridNone')}</Typography.Text>
        )}
        {point ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            ({point.lng.toFixed(6)}, {point.lat.toFixed(6)})
          </Typography.Text>
        ) : null}
      </Space>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {address ? null : t('intakeForm.addressHint')}
      </Typography.Text>
    </Space>
  );
}
