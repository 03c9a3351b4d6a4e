/**
 * The citizens' map: the same MapLibre set-up as the console's CityMap but without its vector
 * base layers, which are served to logged-in staff only. It shows the deployment's raster base
 * map when one is configured, and whatever the page adds (the report point, public cases).
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import { Map as MlMap, type StyleSpecification, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { type CSSProperties, useEffect, useRef, useState } from 'react';
import { useClientConfig } from '../../../src/map/client-config';

setWorkerUrl(workerUrl);

function publicStyle(raster: { url: string; attribution?: string } | null): StyleSpecification {
  return {
    version: 8,
    sources: raster
      ? {
          basemap: {
            type: 'raster',
            tiles: [raster.url],
            tileSize: 256,
            ...(raster.attribution ? { attribution: raster.attribution } : {}),
          },
        }
      : {},
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef2f7' } },
      ...(raster ? [{ id: 'basemap', type: 'raster' as const, source: 'basemap' }] : []),
    ],
  };
}

export function PublicMap({ onReady, style }: { onReady?: (map: MlMap) => void; style?: CSSProperties }) {
  const ref = useRef<HTMLDivElement>(null);
  const config = useClientConfig();
  const [ready, setReady] = useState(false);
  const readyRef = useRef(onReady);
  readyRef.current = onReady;
  useEffect(() => {
    if (!ref.current || !config) return;
    const m = new MlMap({
      container: ref.current,
      style: publicStyle(config.baseMap),
      center: config.map.center,
      zoom: config.map.zoom,
      attributionControl: false,
    });
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
    />
  );
}
