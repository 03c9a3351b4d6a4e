/**
 * Kernel density of case points, with the quartic (biweight) kernel used by common GIS tools
 * (Silverman 1986, eq. 4.5): a case at distance d < r from a place adds
 *   K(d) = 3 / (π r²) · (1 − d²/r²)²
 * cases per square metre there, nothing beyond the radius. The kernel integrates to one case,
 * so summing over a map gives back the number of cases. The literature on 城管 data compares
 * radii of 200 m (社区), 500 m (街道) and 1000 m (区) (special-supervision.md §4).
 */
import Flatbush from 'flatbush';

export const KDE_RADII_M = [200, 500, 1000] as const;

/** A point in metres on a local plane (see `localPlane`). */
export interface PlanePoint {
  x: number;
  y: number;
}

/** Quartic kernel value at distance d for radius r, per square metre. */
export function quarticKernel(d: number, r: number): number {
  if (d >= r) return 0;
  const u = 1 - (d * d) / (r * r);
  return (3 / (Math.PI * r * r)) * u * u;
}

const EARTH_RADIUS_M = 6_371_008.8;

/**
 * An equirectangular projection around a reference latitude: metres east and north. Within a
 * city (tens of km) its distance error is far below a kernel radius.
 */
export function localPlane(refLat: number) {
  const k = Math.cos((refLat * Math.PI) / 180);
  const perDeg = (Math.PI / 180) * EARTH_RADIUS_M;
  return (lng: number, lat: number): PlanePoint => ({ x: lng * perDeg * k, y: lat * perDeg });
}

/**
 * Densities (cases per km²) at each place for every radius, from the case points. Points are
 * indexed once; each place sums only the points within the largest radius.
 */
export function kernelDensity(
  cases: readonly PlanePoint[],
  places: readonly PlanePoint[],
  radii: readonly number[] = KDE_RADII_M,
): number[][] {
  const out = places.map(() => radii.map(() => 0));
  if (cases.length === 0 || radii.length === 0) return out;
  const index = new Flatbush(cases.length);
  for (const p of cases) index.add(p.x, p.y, p.x, p.y);
  index.finish();
  const reach = Math.max(...radii);
  places.forEach((place, i) => {
    const row = out[i] as number[];
    for (const id of index.search(place.x - reach, place.y - reach, place.x + reach, place.y + reach)) {
      const c = cases[id] as PlanePoint;
      const d = Math.hypot(c.x - place.x, c.y - place.y);
      radii.forEach((r, k) => {
        row[k] = (row[k] as number) + quarticKernel(d, r) * 1e6;
      });
    }
  });
  return out;
}
