import { AppError } from '../../platform/errors.js';

/** MVT grid resolution and the margin kept around each tile so edges render seamlessly. */
export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;
export const MAX_ZOOM = 22;
/** Half the width of the EPSG:3857 world, in metres. */
export const WEB_MERCATOR_HALF = 20037508.342789244;

export interface TileCoord {
  z: number;
  x: number;
  y: number;
}

const INTEGER = /^(0|[1-9][0-9]{0,7})$/;

/** z/x/y from the URL: integers, z 0–22, x and y below 2^z. */
export function parseTile(raw: { z: string; x: string; y: string }): TileCoord {
  const bad = (en: string, zh: string) =>
    new AppError('TILE_OUT_OF_RANGE', {
      details: { z: raw.z, x: raw.x, y: raw.y, maxZoom: MAX_ZOOM },
      message: { zh: `瓦片坐标超出范围：${zh}`, en: `Tile coordinates out of range: ${en}` },
    });
  if (!INTEGER.test(raw.z) || Number(raw.z) > MAX_ZOOM) {
    throw bad(`z must be an integer from 0 to ${MAX_ZOOM}`, `z 须为 0–${MAX_ZOOM} 的整数`);
  }
  const z = Number(raw.z);
  const size = 2 ** z;
  for (const axis of ['x', 'y'] as const) {
    if (!INTEGER.test(raw[axis]) || Number(raw[axis]) >= size) {
      throw bad(
        `${axis} must be an integer from 0 to ${size - 1} at zoom ${z}`,
        `第 ${z} 级的 ${axis} 须为 0–${size - 1} 的整数`,
      );
    }
  }
  return { z, x: Number(raw.x), y: Number(raw.y) };
}

/** The tile's square in EPSG:3857 metres (what ST_TileEnvelope returns). */
export function tileBounds3857({ z, x, y }: TileCoord) {
  const size = (2 * WEB_MERCATOR_HALF) / 2 ** z;
  const west = -WEB_MERCATOR_HALF + x * size;
  const north = WEB_MERCATOR_HALF - y * size;
  return { west, south: north - size, east: west + size, north };
}

/** WGS84 → EPSG:3857 metres (spherical Mercator). */
export function toWebMercator(lng: number, lat: number): [number, number] {
  const x = (lng * WEB_MERCATOR_HALF) / 180;
  const y = Math.log(Math.tan(((90 + lat) * Math.PI) / 360)) * (WEB_MERCATOR_HALF / Math.PI);
  return [x, y];
}

/** The tile containing a WGS84 point at zoom z. */
export function tileAt(lng: number, lat: number, z: number): TileCoord {
  const [mx, my] = toWebMercator(lng, lat);
  const size = (2 * WEB_MERCATOR_HALF) / 2 ** z;
  return {
    z,
    x: Math.floor((mx + WEB_MERCATOR_HALF) / size),
    y: Math.floor((WEB_MERCATOR_HALF - my) / size),
  };
}

/** Latitude of the horizontal tile edge `row` (0 = north edge of the world) at zoom z. */
const edgeLat = (z: number, row: number) =>
  (Math.atan(Math.sinh(Math.PI * (1 - (2 * row) / 2 ** z))) * 180) / Math.PI;

/**
 * The tile's box in WGS84 degrees. Web Mercator keeps meridians and parallels straight, so a
 * point is in the tile exactly when its longitude and latitude fall in this box; each edge is
 * computed from its own index, so neighbouring tiles share edges bit for bit.
 */
export function tileBoundsLngLat({ z, x, y }: TileCoord) {
  const size = 360 / 2 ** z;
  return {
    west: -180 + x * size,
    east: -180 + (x + 1) * size,
    north: edgeLat(z, y),
    south: edgeLat(z, y + 1),
  };
}
