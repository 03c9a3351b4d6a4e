/**
 * Coordinate reference systems met at the edge. Storage is WGS84 (≈ CGCS2000 at metre level);
 * Chinese web maps deliver GCJ-02 (高德, 腾讯, 天地图 is WGS84/CGCS2000) or BD-09 (百度).
 */
import gcoordModule from 'gcoord';

// gcoord is CommonJS whose typings declare `export default`: at runtime the default import
// is already that object, while TypeScript (NodeNext) sees the namespace around it.
const gcoord = gcoordModule as unknown as typeof gcoordModule.default;

export const CRS_VALUES = ['wgs84', 'gcj02', 'bd09'] as const;
export type Crs = (typeof CRS_VALUES)[number];
export type LngLat = [number, number];

const GCOORD = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/** GCJ-02 is offset only inside this box (the rule every implementation shares, gcoord included). */
export function outOfChina(lng: number, lat: number): boolean {
  return !(lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271);
}

function forward(lng: number, lat: number, to: Crs): LngLat {
  if (to === 'wgs84') return [lng, lat];
  const [x, y] = gcoord.transform([lng, lat], gcoord.WGS84, GCOORD[to]);
  return [x, y];
}

// gcoord stops inverting GCJ-02 once the residual is below 1e-6° (≈ 0.1 m); a few more
// fixed-point steps make WGS84 → GCJ-02 → WGS84 exact to ~1e-12°, so edits never drift points.
const INVERSE_STEPS = 6;

/** Any supported CRS → WGS84 (the storage CRS). Outside China GCJ-02 and WGS84 coincide. */
export function toWgs84(lng: number, lat: number, crs: Crs): LngLat {
  if (crs === 'wgs84') return [lng, lat];
  const [x0, y0] = gcoord.transform([lng, lat], GCOORD[crs], gcoord.WGS84);
  let x = x0;
  let y = y0;
  for (let i = 0; i < INVERSE_STEPS; i++) {
    const [fx, fy] = forward(x, y, crs);
    const dx = fx - lng;
    const dy = fy - lat;
    if (Math.abs(dx) < 1e-12 && Math.abs(dy) < 1e-12) break;
    x -= dx;
    y -= dy;
  }
  return [x, y];
}

/** WGS84 → any supported CRS (for answers a Chinese web map will draw). */
export function fromWgs84(lng: number, lat: number, crs: Crs): LngLat {
  return forward(lng, lat, crs);
}

/** A stored WGS84 position as the client asked for it: always WGS84, plus the requested CRS. */
export function positionFor(lng: number, lat: number, crs: Crs): Partial<Record<Crs, LngLat>> {
  const round = ([x, y]: LngLat): LngLat => [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7];
  const out: Partial<Record<Crs, LngLat>> = { wgs84: round([lng, lat]) };
  if (crs !== 'wgs84') out[crs] = round(fromWgs84(lng, lat, crs));
  return out;
}
