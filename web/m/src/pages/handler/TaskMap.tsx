/** The department's open cases on the city map, coloured by time-limit light; a tap opens one. */
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import type { CaseView } from '../../../../src/api/types';
import { CityMap } from '../../../../src/map/CityMap';
import { useTasks } from '../../lib/tasks';

function collection(items: CaseView[]) {
  return {
    type: 'FeatureCollection' as const,
    features: items.map((c) => ({
      type: 'Feature' as const,
      properties: { id: c.id, light: c.clock?.light ?? 'green' },
      geometry: { type: 'Point' as const, coordinates: [c.location.lng, c.location.lat] },
    })),
  };
}

export function TaskMap({ queues }: { queues: readonly string[] }) {
  const tasks = useTasks(queues);
  const navigate = useNavigate();
  const mapRef = useRef<MlMap | null>(null);
  const items = tasks.data ?? [];
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    (map.getSource('tasks') as GeoJSONSource | undefined)?.setData(collection(items));
    fitTo(map, items);
  }, [items]);
  const onReady = (map: MlMap) => {
    mapRef.current = map;
    map.addSource('tasks', { type: 'geojson', data: collection(items) });
    map.addLayer({
      id: 'tasks',
      type: 'circle',
      source: 'tasks',
      paint: {
        'circle-radius': 9,
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 2,
        'circle-color': ['match', ['get', 'light'], 'red', '#ff3141', 'yellow', '#ff8f1f', '#00b578'],
      },
    });
    map.on('click', 'tasks', (e) => {
      const id = e.features?.[0]?.properties?.id;
      if (id) navigate(`/case/${id}`);
    });
    fitTo(map, items);
  };
  return <CityMap onReady={onReady} style={{ height: '100%', minHeight: 400 }} />;
}

function fitTo(map: MlMap, items: CaseView[]) {
  if (items.length === 0) return;
  const lngs = items.map((c) => c.location.lng);
  const lats = items.map((c) => c.location.lat);
  map.fitBounds(
    [
      [Math.min(...lngs), Math.min(...lats)],
      [Math.max(...lngs), Math.max(...lats)],
    ],
    { padding: 60, maxZoom: 16, duration: 0 },
  );
}
