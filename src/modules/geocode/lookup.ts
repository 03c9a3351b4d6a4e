/** Reverse and forward geocoding (地理编码) over the gazetteer. Reference data: every internal role reads it. */
import { parseAddress } from '../../domain/geo/address.js';
import { type Crs, positionFor, toWgs84 } from '../../domain/geo/crs.js';
import { type Candidate, explainMatches, rankCandidates } from '../../domain/geo/rank.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { locatePoint } from '../grid/repo.js';
import {
  type AddressRow,
  addressCandidates,
  type DivisionRow,
  divisionCandidates,
  nearestAddresses,
  nearestPois,
  nearestRoads,
  type PoiRow,
  poiCandidates,
  type RoadRow,
  roadCandidates,
} from './read-repo.js';

/** How far reverse geocoding looks for a road, a door and places. */
export const REVERSE_RADIUS_M = { road: 500, address: 200, poi: 300 } as const;
const round1 = (x: number) => Math.round(x * 10) / 10;

export async function reverseGeocode(ctx: Ctx, q: { lng: number; lat: number; crs: Crs }) {
  requirePermission(ctx.actor, 'geocode.read');
  const [lng, lat] = toWgs84(q.lng, q.lat, q.crs);
  // Reference data: the grid answer is not limited to the reader's own district.
  const [hit, roads, addresses, pois] = await Promise.all([
    locatePoint(ctx.db, lng, lat, ''),
    nearestRoads(ctx.db, lng, lat, REVERSE_RADIUS_M.road, 1),
    nearestAddresses(ctx.db, lng, lat, REVERSE_RADIUS_M.address, 1),
    nearestPois(ctx.db, lng, lat, REVERSE_RADIUS_M.poi, 3),
  ]);
  if (!hit) {
    throw new AppError('NOT_FOUND', {
      details: { lng: q.lng, lat: q.lat, crs: q.crs },
      message: { zh: '该位置不在任何单元网格内', en: 'No unit grid covers this point' },
    });
  }
  const road = roads[0];
  const address = addresses[0];
  const place = address ? `${address.road_name}${address.number}` : (road?.name ?? '');
  return {
    location: positionFor(lng, lat, q.crs),
    gridCode: hit.code,
    areaClass: hit.area_class,
    community: { code: hit.community_code, name: hit.community_name },
    street: { code: hit.street_code, name: hit.street_name },
    district: { code: hit.district_code, name: hit.district_name },
    road: road ? { id: road.id, name: road.name, distanceM: round1(road.distance_m) } : null,
    address: address
      ? {
          id: address.id,
          roadId: address.road_id,
          label: `${address.road_name}${address.number}`,
          number: address.number,
          distanceM: round1(address.distance_m),
          position: positionFor(address.lng, address.lat, q.crs),
        }
      : null,
    pois: pois.map((p) => ({
      id: p.id,
      name: p.name,
      category: p.category,
      distanceM: round1(p.distance_m),
      position: positionFor(p.lng, p.lat, q.crs),
    })),
    formatted: `${hit.district_name}${hit.street_name}${place}${place ? '附近' : ''}`,
  };
}

interface Located extends Candidate {
  label: string;
  lng: number;
  lat: number;
  districtCode: string | null;
  gridCode: string | null;
}

const placed = (r: AddressRow | PoiRow) => ({
  district: r.district_name,
  street: r.street_name,
  community: r.community_name,
  districtCode: r.district_code,
  gridCode: r.grid_code,
  lng: r.lng,
  lat: r.lat,
});

function fromAddress(r: AddressRow): Located {
  return {
    kind: 'address',
    id: r.id,
    label: `${r.district_name ?? ''}${r.road_name}${r.number}`,
    ...placed(r),
    road: r.road_base,
    roadAliases: r.road_aliases,
    segment: r.road_segment,
    number: r.number,
    numberMain: r.number_main,
  };
}

function fromRoad(r: RoadRow): Located {
  return {
    kind: 'road',
    id: r.id,
    label: `${r.district_name ?? ''}${r.name}`,
    district: r.district_name,
    districtCode: r.district_code,
    gridCode: null,
    lng: r.mid_lng,
    lat: r.mid_lat,
    road: r.base_name,
    roadAliases: r.aliases,
    segment: r.segment,
  };
}

function fromPoi(r: PoiRow): Located {
  const where = r.address ? parseAddress(r.address).parts : {};
  return {
    kind: 'poi',
    id: r.id,
    label: r.name,
    ...placed(r),
    name: r.name,
    aliases: r.aliases,
    road: where.road ?? null,
    segment: where.segment ?? null,
    number: where.number ?? null,
    numberMain: where.numberMain ?? null,
  };
}

function fromDivision(r: DivisionRow): Located {
  return {
    kind: 'division',
    id: r.code,
    label: r.level === 'district' ? r.name : `${r.district_name ?? ''}${r.name}`,
    name: r.name,
    district: r.district_name,
    street: r.level === 'street' ? r.name : r.level === 'community' ? r.parent_name : null,
    community: r.level === 'community' ? r.name : null,
    districtCode: r.code.slice(0, 6),
    gridCode: null,
    lng: r.lng,
    lat: r.lat,
  };
}

/** Whether a candidate lies in the area of a scope prefix (by its grid, else by its district). */
function inArea(prefix: string, c: Located): boolean {
  if (c.gridCode) return c.gridCode.startsWith(prefix);
  if (!c.districtCode) return prefix === '';
  // A road has only its district: in scope when the district and the scope overlap.
  return c.districtCode.startsWith(prefix) || prefix.startsWith(c.districtCode);
}

export async function searchAddress(
  ctx: Ctx,
  q: { q: string; limit: number; district?: string | undefined; crs: Crs },
) {
  requirePermission(ctx.actor, 'geocode.read');
  const parsed = parseAddress(q.q);
  const { parts, tail } = parsed;
  const compact = parsed.normalised.replace(/ /g, '');
  const roads = await roadCandidates(ctx.db, { road: parts.road, text: compact });
  const terms = [parts.poi, tail].filter((t): t is string => !!t && t.length >= 1);
  const [addresses, pois, divisions] = await Promise.all([
    parts.numberMain === undefined
      ? []
      : addressCandidates(
          ctx.db,
          roads.map((r) => r.id),
          parts.numberMain,
        ),
    poiCandidates(ctx.db, terms, compact),
    parts.road || parts.poi
      ? []
      : divisionCandidates(
          ctx.db,
          [parts.community, parts.street, parts.district].filter((n): n is string => !!n),
        ),
  ]);
  let candidates: Located[] = [
    ...addresses.map(fromAddress),
    ...roads.map(fromRoad),
    ...pois.map(fromPoi),
    ...divisions.map(fromDivision),
  ];
  if (q.district) {
    const d = q.district;
    candidates = candidates.filter((c) => c.districtCode?.startsWith(d));
  }
  // The operator's own area first (he can only take in what lies there), each part by score.
  const inScope = (c: Located) => inArea(ctx.actor.scopePrefix, c);
  const scored = rankCandidates(parsed, candidates, candidates.length);
  const ranked = [
    ...scored.filter((s) => inScope(s.candidate)),
    ...scored.filter((s) => !inScope(s.candidate)),
  ].slice(0, q.limit);
  return {
    query: q.q,
    parsed: parts,
    candidates: ranked.map(({ candidate: c, score, matches }) => ({
      kind: c.kind,
      id: c.id,
      label: c.label,
      score,
      matches,
      explanation: explainMatches(matches),
      district: c.districtCode ? { code: c.districtCode, name: c.district ?? null } : null,
      gridCode: c.gridCode,
      inScope: inScope(c),
      position: positionFor(c.lng, c.lat, q.crs),
    })),
  };
}
