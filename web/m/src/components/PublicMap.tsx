/**
 * The citizens' map: the same MapLibre set-up as the console's CityMap, drawn with the city's
 * public boundaries (districts, streets, communities from /public/map/tiles, no login) so it works
 * on a closed network, over the deployment's raster base map when one is configured, plus
 * whatever the page adds (the report point, public cases).
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import { Map as MlMap, type StyleSpecification, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { type CSSProperties, useEffect, useRef, useState } from 'react';
import { useClientConfig } from '../../../src/map/client-config';

setWorkerUrl(workerUrl);

const boundaries = (layer: string, minzoom: number) => ({
  type: 'vector' as const,
  tiles: [`${window.location.origin}/api/v1/public/map/tiles/${layer}/{z}/{x}/{y}.mvt`],
  minzoom,
  maxzoom: 18,
});

function publicStyle(raster: { url: string; attribution?: string } | null): StyleSpecification {
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
      districts: boundaries('districts', 8),
      streets: boundaries('streets', 10),
      communities: boundaries('communities', 11),
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef2f7' } },
      ...(raster ? [{ id: 'basemap', type: 'raster' as const, source: 'basemap' }] : []),
      {
        id: 'districts-fill',
        type: 'fill',
        source: 'districts',
        'source-layer': 'districts',
        paint: { 'fill-color': '#e3eaf5', 'fill-opacity': raster ? 0 : 0.9 },
      },
      {
        id: 'communities-line',
        type: 'line',
        source: 'communities',
        'source-layer': 'communities',
        minzoom: 12,
        paint: { 'line-color': '#b7c6dc', 'line-width': 0.6 },
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
