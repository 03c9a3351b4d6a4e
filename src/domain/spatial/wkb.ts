/**
 * Reads polygons from WKB (`ST_AsBinary`). The locator needs the stored doubles bit for bit;
 * GeoJSON text would round them.
 */
import type { FlatRing } from './point-in-polygon.js';

const POLYGON = 3;
const MULTI_POLYGON = 6;

/** Polygons (each: exterior ring, then holes) of a WKB Polygon or MultiPolygon. */
export function polygonsFromWkb(wkb: Uint8Array): FlatRing[][] {
  const view = new DataView(wkb.buffer, wkb.byteOffset, wkb.byteLength);
  let at = 0;
  const header = () => {
    const little = view.getUint8(at) === 1;
    const type = view.getUint32(at + 1, little);
    at += 5;
    // Z/M variants and EWKB flags are not expected from 2D geometry(Polygon, 4326) columns.
    return { little, type };
  };
  const polygon = (little: boolean): FlatRing[] => {
    const rings: FlatRing[] = [];
    const ringCount = view.getUint32(at, little);
    at += 4;
    for (let r = 0; r < ringCount; r++) {
      const n = view.getUint32(at, little);
      at += 4;
      const ring = new Float64Array(n * 2);
      for (let i = 0; i < n * 2; i++) {
        ring[i] = view.getFloat64(at, little);
        at += 8;
      }
      rings.push(ring);
    }
    return rings;
  };
  const { little, type } = header();
  if (type === POLYGON) return [polygon(little)];
  if (type === MULTI_POLYGON) {
    const count = view.getUint32(at, little);
    at += 4;
    const out: FlatRing[][] = [];
    for (let i = 0; i < count; i++) {
      const part = header();
      if (part.type !== POLYGON) throw new Error(`unexpected WKB part type ${part.type}`);
      out.push(polygon(part.little));
    }
    return out;
  }
  throw new Error(`unsupported WKB geometry type ${type}`);
}
