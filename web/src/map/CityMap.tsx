/**
 * The city map every page builds on: MapLibre with CityLoop's own vector layers (districts,
 * streets, communities, unit grids) as the base, so it works on a closed network. A raster
 * base map (e.g. 天地图) is added underneath only when the deployment configures its URL.
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import { type MapOptions, Map as MlMap, type StyleSpecification, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { type CSSProperties, type ReactNode, useEffect, useRef, useState } from 'react';
import { useClientConfig } from './client-config';

setWorkerUrl(workerUrl);

export const tileUrl = (layer: string, query = '') =>
  `${window.location.origin}/api/v1/map/tiles/${layer}/{z}/{x}/{y}.mvt${query ? `?${query}` : ''}`;

/** The base style: own boundaries and grids; an optional configured raster base map. */
export function baseStyle(raster?: { url: string; attribution?: string } | null): StyleSpecification {
  const vector = (layer: string, minzoom: number) => ({
    type: 'vector' as const,
    tiles: [tileUrl(layer)],
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
      communities: vector('communities', 12),
      grids: vector('grids', 14),
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
      {
        id: 'grids-line',
        type: 'line',
        source: 'grids',
        'source-layer': 'grids',
        minzoom: 14,
        paint: { 'line-color': '#c5d3e6', 'line-width': 0.5 },
      },
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

export interface CityMapProps {
  /** Called once the style has loaded: add sources, layers and handlers here. */
  onReady?: (map: MlMap) => void;
  center?: [number, number];
  zoom?: number;
  style?: CSSProperties;
  className?: string;
  options?: Partial<MapOptions>;
  children?: ReactNode;
}

export function CityMap({ onReady, center, zoom, style, className, options, children }: CityMapProps) {
  const ref = useRef<HTMLDivElement>(null);
  const config = useClientConfig();
  const [map, setMap] = useState<MlMap | null>(null);
  const readyRef = useRef(onReady);
  readyRef.current = onReady;

  useEffect(() => {
    if (!ref.current || !config) return;
    const m = new MlMap({
      container: ref.current,
      style: baseStyle(config.baseMap),
      center: center ?? config.map.center,
      zoom: zoom ?? config.map.zoom,
      attributionControl: false,
      ...options,
    });
    m.on('load', () => {
      readyRef.current?.(m);
      setMap(m);
    });
    // Without a listener MapLibre prints every error event. Tiles cancelled because the view
    // moved or the page closed, and tiles refused after the session ended (the app goes back to
    // the login page), are expected; anything else is reported with its message.
    m.on('error', (e) => {
      const error = e.error as (Error & { status?: number }) | undefined;
      if (!error || error.name === 'AbortError' || error.status === 401) return;
      console.error(`map: ${error.message}`);
    });
    return () => {
      setMap(null);
      m.remove();
    };
  }, [config]);

  return (
    <div
      ref={ref}
      className={className}
      data-testid="city-map"
      data-ready={map ? 'true' : 'false'}
      style={{ position: 'relative', minHeight: 240, ...style }}
    >
      {children}
    </div>
  );
}
