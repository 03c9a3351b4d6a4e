/**
 * The citizens' map: the same MapLibre set-up as the console's CityMap, drawn with the city's
 * public base map (boundaries, roads, places, parks, rivers and their names from
 * /public/map/tiles, no login) so it works on a closed network, over the deployment's raster base
 * map when one is configured, plus whatever the page adds (the report point, public cases).
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import { Map as MlMap, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { type CSSProperties, type ReactNode, useEffect, useRef, useState } from 'react';
import { useClientConfig } from '../../../src/map/client-config';
import { exposeMap } from '../../../src/map/expose';
import { baseStyle } from '../../../src/map/style';

setWorkerUrl(workerUrl);

export function PublicMap({
  onReady,
  style,
  children,
}: {
  onReady?: (map: MlMap) => void;
  style?: CSSProperties;
  /** Overlays (a legend) drawn over the map. */
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const config = useClientConfig();
  const [ready, setReady] = useState(false);
  const readyRef = useRef(onReady);
  readyRef.current = onReady;
  useEffect(() => {
    if (!ref.current || !config) return;
    const m = new MlMap({
      container: ref.current,
      style: baseStyle(config.baseMap, { public: true }),
      center: config.map.center,
      zoom: config.map.zoom,
      attributionControl: false,
    });
    exposeMap(ref.current, m);
    m.on('load', () => {
      readyRef.current?.(m);
      setReady(true);
    });
    return () => {
      setReady(false);
      m.remove();
    };
  }, [config]);
  return (
    <div
      ref={ref}
      data-testid="city-map"
      data-ready={ready ? 'true' : 'false'}
      style={{ position: 'relative', minHeight: 200, ...style }}
    >
      {children}
    </div>
  );
}
