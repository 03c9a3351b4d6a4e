/**
 * The city map every page builds on: MapLibre with CityLoop's own base map (gazetteer roads,
 * parks, rivers, boundaries, unit grids and their names) so it works on a closed network. A
 * raster base map (e.g. 天地图) is added underneath only when the deployment configures its URL.
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import { type MapOptions, Map as MlMap, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { type CSSProperties, type ReactNode, useEffect, useRef, useState } from 'react';
import { useClientConfig } from './client-config';
import { exposeMap } from './expose';
import { baseStyle } from './style';

export { baseStyle, tileUrl } from './style';

setWorkerUrl(workerUrl);

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
    exposeMap(ref.current, m);
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
