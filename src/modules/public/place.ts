/**
 * Where a citizen's point is, in words (公众端地址): district, street, community and the nearest
 * door or road from the gazetteer, so the portal shows an address and not only coordinates. The
 * staff endpoint (/geocode/reverse) also gives grid codes, distances and places; a citizen gets
 * the words only.
 */
import type { Kysely } from 'kysely';
import { type Crs, toWgs84 } from '../../domain/geo/crs.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { REVERSE_RADIUS_M } from '../geocode/lookup.js';
import { nearestAddresses, nearestRoads } from '../geocode/read-repo.js';
import { locatePoint } from '../grid/repo.js';

export interface PublicPlace {
  district: string;
  street: string;
  community: string;
  /** 锦江区春熙路街道红星路二段12号附近 */
  formatted: string;
}

export async function publicPlace(
  db: Kysely<Database>,
  q: { lng: number; lat: number; crs: Crs },
): Promise<PublicPlace> {
  const [lng, lat] = toWgs84(q.lng, q.lat, q.crs);
  const [hit, roads, addresses] = await Promise.all([
    locatePoint(db, lng, lat, ''),
    nearestRoads(db, lng, lat, REVERSE_RADIUS_M.road, 1),
    nearestAddresses(db, lng, lat, REVERSE_RADIUS_M.address, 1),
  ]);
  if (!hit) {
    throw new AppError('PUBLIC_OUTSIDE_CITY', {
      details: { lng: q.lng, lat: q.lat, crs: q.crs },
      message: { zh: '该位置不在本市城市管理范围内', en: 'This point lies outside the city’s managed area' },
    });
  }
  const address = addresses[0];
  const near = address ? `${address.road_name}${address.number}` : (roads[0]?.name ?? '');
  return {
    district: hit.district_name,
    street: hit.street_name,
    community: hit.community_name,
    formatted: `${hit.district_name}${hit.street_name}${near}${near ? '附近' : ''}`,
  };
}
