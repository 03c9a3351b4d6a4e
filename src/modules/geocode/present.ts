/** API shapes of gazetteer entries: GeoJSON Features in WGS84 (never raw rows). */
import type { AddressRow, PoiRow, RoadRow } from './read-repo.js';

const r7 = (x: number) => Math.round(x * 1e7) / 1e7;

export function roadFeature(r: RoadRow) {
  return {
    type: 'Feature' as const,
    id: r.id,
    geometry: JSON.parse(r.geometry) as { type: 'LineString'; coordinates: number[][] },
    properties: {
      id: r.id,
      name: r.name,
      baseName: r.base_name,
      segment: r.segment,
      aliases: r.aliases,
      districtCode: r.district_code,
      districtName: r.district_name,
      lengthM: Math.round(r.length_m * 10) / 10,
    },
  };
}

const placement = (r: AddressRow | PoiRow) => ({
  gridCode: r.grid_code,
  community: r.community_code ? { code: r.community_code, name: r.community_name } : null,
  street: r.street_code ? { code: r.street_code, name: r.street_name } : null,
  district: r.district_code ? { code: r.district_code, name: r.district_name } : null,
});

export function addressFeature(r: AddressRow) {
  return {
    type: 'Feature' as const,
    id: r.id,
    geometry: { type: 'Point' as const, coordinates: [r7(r.lng), r7(r.lat)] },
    properties: {
      id: r.id,
      roadId: r.road_id,
      road: r.road_name,
      number: r.number,
      label: `${r.road_name}${r.number}`,
      ...placement(r),
    },
  };
}

export function poiFeature(r: PoiRow) {
  return {
    type: 'Feature' as const,
    id: r.id,
    geometry: { type: 'Point' as const, coordinates: [r7(r.lng), r7(r.lat)] },
    properties: {
      id: r.id,
      name: r.name,
      aliases: r.aliases,
      category: r.category,
      address: r.address,
      ...placement(r),
    },
  };
}
