/**
 * Where the problem is: the GPS fix with its accuracy on a small city map; a tap on the map
 * moves the point (GPS in street canyons is often 30–50 m off). The grid, community and address
 * are looked up from the server's gazetteer when there is signal.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Space } from 'antd-mobile';
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../src/api/client';
import { CityMap } from '../../../src/map/CityMap';
import { circle, currentFix, type Fix } from '../lib/geo';
import { PublicMap } from './PublicMap';

export interface Place {
  gridCode: string;
  community: { name: string };
  street: { name: string };
  district: { name: string };
  formatted: string;
}

/** A citizen's view of a place: the address in words (GET /public/place). */
export interface PublicPlace {
  district: string;
  street: string;
  community: string;
  formatted: string;
}

/** Reverse geocoding by the server (staff endpoint with the grid); nothing without signal. */
export function usePlace(fix: Fix | null, enabled: boolean) {
  return useQuery({
    queryKey: ['place', fix?.lng.toFixed(6), fix?.lat.toFixed(6)],
    queryFn: () => api<Place>('/geocode/reverse', { query: { lng: fix?.lng, lat: fix?.lat } }),
    enabled: enabled && fix !== null && navigator.onLine,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The address a citizen sees under the map (no login, no grid codes). */
function usePublicPlace(fix: Fix | null, enabled: boolean) {
  return useQuery({
    queryKey: ['public-place', fix?.lng.toFixed(6), fix?.lat.toFixed(6)],
    queryFn: () => api<PublicPlace>('/public/place', { query: { lng: fix?.lng, lat: fix?.lat } }),
    enabled: enabled && fix !== null && navigator.onLine,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

function features(fix: Fix | null) {
  if (!fix) return { type: 'FeatureCollection' as const, features: [] };
  return {
    type: 'FeatureCollection' as const,
    features: [
      ...(fix.accuracyM
        ? [
            {
              type: 'Feature' as const,
              properties: { kind: 'accuracy' },
              geometry: { type: 'Polygon' as const, coordinates: [circle(fix.lng, fix.lat, fix.accuracyM)] },
            },
          ]
        : []),
      {
        type: 'Feature' as const,
        properties: { kind: 'point' },
        geometry: { type: 'Point' as const, coordinates: [fix.lng, fix.lat] },
      },
    ],
  };
}

export function LocationPicker({
  value,
  onChange,
  showPlace = true,
  publicMap = false,
}: {
  value: Fix | null;
  onChange: (fix: Fix) => void;
  showPlace?: boolean;
  /** Citizens: a map without the staff-only base layers. */
  publicMap?: boolean;
}) {
  const { t } = useTranslation('mobile');
  const [locating, setLocating] = useState(false);
  const [failed, setFailed] = useState(false);
  const mapRef = useRef<MlMap | null>(null);
  const changeRef = useRef(onChange);
  changeRef.current = onChange;
  const place = usePlace(value, showPlace && !publicMap);
  const publicPlace = usePublicPlace(value, publicMap);

  const locate = useCallback(async () => {
    setLocating(true);
    setFailed(false);
    try {
      changeRef.current(await currentFix());
    } catch {
      setFailed(true);
    } finally {
      setLocating(false);
    }
  }, []);

  useEffect(() => {
    if (!value) void locate();
    // Only on first show: a later empty value is the user's to fill.
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !value) return;
    (map.getSource('fix') as GeoJSONSource | undefined)?.setData(features(value));
    if (!value.manual) map.easeTo({ center: [value.lng, value.lat], zoom: Math.max(map.getZoom(), 16) });
  }, [value]);

  const onReady = (map: MlMap) => {
    mapRef.current = map;
    map.addSource('fix', { type: 'geojson', data: features(value) });
    map.addLayer({
      id: 'fix-accuracy',
      type: 'fill',
      source: 'fix',
      filter: ['==', ['get', 'kind'], 'accuracy'],
      paint: { 'fill-color': '#1677ff', 'fill-opacity': 0.15 },
    });
    map.addLayer({
      id: 'fix-point',
      type: 'circle',
      source: 'fix',
      filter: ['==', ['get', 'kind'], 'point'],
      paint: {
        'circle-radius': 7,
        'circle-color': '#ff3141',
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 2,
      },
    });
    map.on('click', (e) =>
      changeRef.current({ lng: e.lngLat.lng, lat: e.lngLat.lat, accuracyM: null, manual: true }),
    );
    if (value) map.jumpTo({ center: [value.lng, value.lat], zoom: 16 });
  };

  return (
    <div className="location-picker" data-testid="location-picker">
      {publicMap ? (
        <PublicMap onReady={onReady} style={{ height: 200, borderRadius: 8 }} />
      ) : (
        <CityMap onReady={onReady} style={{ height: 200, minHeight: 200, borderRadius: 8 }} />
      )}
      <div className="location-info" data-testid="location-info">
        {value ? (
          <>
            <div>
              {value.manual ? t('location.manual') : t('location.accuracy', { m: value.accuracyM ?? '?' })} ·{' '}
              {value.lng.toFixed(5)}, {value.lat.toFixed(5)}
            </div>
            {showPlace && place.data && (
              <div data-testid="location-grid">
                {t('location.grid', { code: place.data.gridCode, community: place.data.community.name })}
                <br />
                {place.data.formatted}
              </div>
            )}
            {publicMap && publicPlace.data ? (
              <div data-testid="location-address">{publicPlace.data.formatted}</div>
            ) : null}
            {publicMap && publicPlace.isError ? (
              <div className="muted">{t('location.outsideCity')}</div>
            ) : null}
            {showPlace && place.isError && <div className="muted">{t('location.noGrid')}</div>}
            {showPlace && !navigator.onLine && <div className="muted">{t('location.offline')}</div>}
          </>
        ) : (
          <div className="muted">{failed ? t('location.failed') : t('location.locating')}</div>
        )}
        <Space>
          <Button size="mini" loading={locating} onClick={() => void locate()}>
            {t('location.relocate')}
          </Button>
          <span className="muted">{t('location.tapHint')}</span>
        </Space>
      </div>
    </div>
  );
}
