/**
 * Supervisors' last positions (GET /patrol/positions/latest): a few hundred points at most, so a
 * GeoJSON source that is replaced on every refresh. On duty: filled blue; off duty: hollow grey.
 */
import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';

export const SUPERVISORS_SOURCE = 'supervisors';
export const SUPERVISORS_LAYER = 'supervisors-points';

/** One entry of GET /patrol/positions/latest (src/modules/patrol/service.ts `latest`). */
export interface SupervisorPosition {
  user: { id: number; username: string; name: string; divisionCode: string | null };
  onDuty: boolean;
  shiftStartedAt: string | null;
  last: {
    at: string;
    /** WGS84 always (and the requested other CRS, which the console never asks for). */
    position: { wgs84: [number, number] };
    accuracyM: number | null;
    speed: number | null;
    heading: number | null;
    minutesAgo: number;
    gridCode: string | null;
  } | null;
}

function collection(items: readonly SupervisorPosition[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: items.flatMap((s) =>
      s.last
        ? [
            {
              type: 'Feature' as const,
              id: s.user.id,
              geometry: { type: 'Point' as const, coordinates: s.last.position.wgs84 },
              properties: { userId: s.user.id, onDuty: s.onDuty },
            },
          ]
        : [],
    ),
  };
}

export function addSupervisorLayer(map: MlMap) {
  map.addSource(SUPERVISORS_SOURCE, { type: 'geojson', data: collection([]) });
  map.addLayer({
    id: SUPERVISORS_LAYER,
    type: 'circle',
    source: SUPERVISORS_SOURCE,
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 5, 16, 8],
      'circle-color': ['case', ['get', 'onDuty'], '#1677ff', '#ffffff'],
      'circle-stroke-color': ['case', ['get', 'onDuty'], '#ffffff', '#8c8c8c'],
      'circle-stroke-width': 2,
    },
  });
}

export function setSupervisors(map: MlMap, items: readonly SupervisorPosition[]) {
  map.getSource<GeoJSONSource>(SUPERVISORS_SOURCE)?.setData(collection(items));
}
