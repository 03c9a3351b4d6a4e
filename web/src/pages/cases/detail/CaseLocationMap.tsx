import type { Map as MlMap } from 'maplibre-gl';
import { CityMap } from '../../../map/CityMap';

/** A small map centred on the case with its point (a GeoJSON source). */
export function CaseLocationMap({ lng, lat }: { lng: number; lat: number }) {
  const onReady = (map: MlMap) => {
    map.addSource('case-point', {
      type: 'geojson',
      data: { type: 'Feature', geometry: { type: 'Point', coordinates: [lng, lat] }, properties: {} },
    });
    map.addLayer({
      id: 'case-point',
      type: 'circle',
      source: 'case-point',
      paint: {
        'circle-radius': 7,
        'circle-color': '#f5222d',
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 2,
      },
    });
  };
  return <CityMap onReady={onReady} center={[lng, lat]} zoom={16} style={{ height: 220, borderRadius: 4 }} />;
}
