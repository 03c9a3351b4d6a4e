/**
 * Coordinate reference systems accepted for grid imports: which EPSG code a .prj (WKT 1 or 2,
 * EPSG or ESRI flavour) or a declared name means, and whether coordinates can be in it at all.
 * Pure: the transform itself is PostGIS's ST_Transform.
 */

export interface CrsInfo {
  srid: number;
  name: string;
  kind: 'geographic' | 'projected';
}

/** CGCS2000 3-degree Gauss-Krüger with the zone number in the easting (EPSG:4513–4533, zones 25–45). */
const GK_ZONE_FIRST = { srid: 4513, zone: 25 };
const GK_ZONE_LAST_ZONE = 45;
/** CGCS2000 3-degree Gauss-Krüger without zone prefix (EPSG:4534–4554, CM 75°E–135°E). */
const GK_CM_FIRST = { srid: 4534, cm: 75 };
const GK_CM_LAST_CM = 135;

const FIXED: Record<number, CrsInfo> = {
  4326: { srid: 4326, name: 'WGS 84', kind: 'geographic' },
  4490: { srid: 4490, name: 'CGCS2000', kind: 'geographic' },
  3857: { srid: 3857, name: 'WGS 84 / Pseudo-Mercator', kind: 'projected' },
};

/** The supported CRS with this EPSG code, or null. */
export function crsInfo(srid: number): CrsInfo | null {
  const fixed = FIXED[srid];
  if (fixed) return fixed;
  const zone = srid - GK_ZONE_FIRST.srid + GK_ZONE_FIRST.zone;
  if (Number.isInteger(srid) && zone >= GK_ZONE_FIRST.zone && zone <= GK_ZONE_LAST_ZONE) {
    return { srid, name: `CGCS2000 / 3-degree Gauss-Kruger zone ${zone}`, kind: 'projected' };
  }
  const cm = (srid - GK_CM_FIRST.srid) * 3 + GK_CM_FIRST.cm;
  if (Number.isInteger(srid) && cm >= GK_CM_FIRST.cm && cm <= GK_CM_LAST_CM) {
    return { srid, name: `CGCS2000 / 3-degree Gauss-Kruger CM ${cm}E`, kind: 'projected' };
  }
  return null;
}

export const SUPPORTED_CRS_TEXT =
  'EPSG:4326 (WGS 84), EPSG:4490 (CGCS2000), EPSG:3857, EPSG:4513–4554 (CGCS2000 3° Gauss-Krüger)';

/** "EPSG:4547", "epsg:4547", "4547", "urn:ogc:def:crs:EPSG::4547", "CRS84" → EPSG code, else null. */
export function parseCrsName(name: string): number | null {
  const s = name.trim();
  if (/^(urn:ogc:def:crs:OGC:1\.3:)?CRS84$/i.test(s)) return 4326;
  const m = /^(?:urn:ogc:def:crs:EPSG:[0-9.]*:|EPSG:{1,2})?([0-9]{4,6})$/i.exec(s);
  return m ? Number(m[1]) : null;
}

const norm = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

function parameter(wkt: string, name: RegExp): number | null {
  const re = /PARAMETER\["([^"]+)",\s*(-?[0-9.eE+-]+)/g;
  for (const m of wkt.matchAll(re)) {
    if (name.test(norm(m[1] ?? ''))) return Number(m[2]);
  }
  return null;
}

/**
 * EPSG code of a .prj text, or null when it is not one of the supported systems. An
 * authority code on the outermost object wins; ESRI .prj files carry none, so their names
 * and Gauss-Krüger parameters are read instead.
 */
export function detectCrsFromWkt(wkt: string): number | null {
  const text = wkt.trim();
  if (!text) return null;
  const head = norm(text.slice(0, 12));
  const projected = /^(PROJCS|PROJCRS|PROJECTEDCRS)/.test(head);
  // The outermost object's authority code is the last element before the final bracket.
  const outer = /(?:AUTHORITY|ID)\["EPSG",\s*"?([0-9]+)"?\]\s*\]$/i.exec(text);
  if (outer && crsInfo(Number(outer[1]))) return Number(outer[1]);
  const all = norm(text);
  const cgcs = /CGCS_?2000|CHINA_GEODETIC_COORDINATE_SYSTEM_2000|CHINA_2000/.test(all);
  const wgs84 = /WGS_?(19)?84/.test(all);
  if (!projected) {
    if (cgcs) return 4490;
    if (wgs84) return 4326;
    return null;
  }
  if (/PSEUDO_MERCATOR|WEB_MERCATOR|MERCATOR_AUXILIARY_SPHERE/.test(all) && wgs84) return 3857;
  if (!cgcs) return null;
  const byName = /3_DEGREE_GK_CM_([0-9]{2,3})E/.exec(all);
  if (byName) return gkCm(Number(byName[1]));
  const zoneName = /3_DEGREE_GK_ZONE_([0-9]{2})/.exec(all);
  if (zoneName) return gkZone(Number(zoneName[1]));
  // A generic transverse Mercator on CGCS2000 that matches the 3° Gauss-Krüger definition.
  if (!/TRANSVERSE_MERCATOR|GAUSS_KRUGER/.test(all)) return null;
  const cm = parameter(text, /CENTRAL_MERIDIAN|LONGITUDE_OF_NATURAL_ORIGIN/);
  const k = parameter(text, /SCALE_FACTOR/) ?? 1;
  const fe = parameter(text, /FALSE_EASTING/);
  const fn = parameter(text, /FALSE_NORTHING/) ?? 0;
  const lat0 = parameter(text, /LATITUDE_OF_ORIGIN|LATITUDE_OF_NATURAL_ORIGIN/) ?? 0;
  if (cm === null || fe === null || k !== 1 || fn !== 0 || lat0 !== 0 || cm % 3 !== 0) return null;
  if (fe === 500_000) return gkCm(cm);
  if (fe === (cm / 3) * 1_000_000 + 500_000) return gkZone(cm / 3);
  return null;
}

function gkCm(cm: number): number | null {
  if (cm % 3 !== 0 || cm < GK_CM_FIRST.cm || cm > GK_CM_LAST_CM) return null;
  return GK_CM_FIRST.srid + (cm - GK_CM_FIRST.cm) / 3;
}

function gkZone(zone: number): number | null {
  if (zone < GK_ZONE_FIRST.zone || zone > GK_ZONE_LAST_ZONE) return null;
  return GK_ZONE_FIRST.srid + zone - GK_ZONE_FIRST.zone;
}

export interface Extent {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Where coordinates of a supported CRS can lie; anything outside is a wrong declaration. */
export function validExtent(srid: number): Extent | null {
  const info = crsInfo(srid);
  if (!info) return null;
  if (info.kind === 'geographic') return { minX: -180, minY: -90, maxX: 180, maxY: 90 };
  if (srid === 3857) {
    const m = 20_037_508.342789244;
    return { minX: -m, minY: -m, maxX: m, maxY: m };
  }
  // A 3° band is ±1.5° of longitude, under 170 km: allow a wide margin but not another zone.
  const prefix = srid <= 4533 ? (srid - GK_ZONE_FIRST.srid + GK_ZONE_FIRST.zone) * 1_000_000 : 0;
  return { minX: prefix + 100_000, minY: 0, maxX: prefix + 900_000, maxY: 10_000_000 };
}

/** What a set of coordinates outside their declared range most likely is (for the message). */
export function guessCrs(extent: Extent): string | null {
  const { minX, maxX, minY, maxY } = extent;
  if (minX >= 13_000_000 && maxX < 46_000_000 && minY >= 0 && maxY < 10_000_000) {
    const zone = Math.floor(minX / 1_000_000);
    if (zone === Math.floor(maxX / 1_000_000) && gkZone(zone)) return `EPSG:${gkZone(zone)}`;
  }
  if (minX >= 100_000 && maxX <= 900_000 && minY >= 0 && maxY < 10_000_000) {
    return 'a CGCS2000 3° Gauss-Krüger CM system (EPSG:4534–4554)';
  }
  if (Math.abs(minX) > 180 && Math.abs(maxX) <= 20_037_508.35 && Math.abs(maxY) <= 20_037_508.35) {
    return 'EPSG:3857';
  }
  return null;
}

export function extentOf(points: Iterable<readonly number[]>): Extent | null {
  let e: Extent | null = null;
  for (const p of points) {
    const [x, y] = p as [number, number];
    if (!e) e = { minX: x, minY: y, maxX: x, maxY: y };
    else {
      e.minX = Math.min(e.minX, x);
      e.minY = Math.min(e.minY, y);
      e.maxX = Math.max(e.maxX, x);
      e.maxY = Math.max(e.maxY, y);
    }
  }
  return e;
}

export function insideExtent(p: readonly number[], e: Extent): boolean {
  const [x, y] = p as [number, number];
  return x >= e.minX && x <= e.maxX && y >= e.minY && y <= e.maxY;
}
