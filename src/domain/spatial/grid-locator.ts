/**
 * In-memory point → unit grid lookup: a Flatbush index over grid bounding boxes, then an
 * exact point-in-polygon test. An optimisation only; PostGIS stays the source of truth
 * (grid/repo.ts locatePoint), and this answers the same, including its boundary rule: a point
 * on a shared edge or vertex belongs to the lowest grid code in scope.
 */
import Flatbush from 'flatbush';
import { type FlatRing, polygonCovers } from './point-in-polygon.js';

export interface LocatorGrid {
  code: string;
  /** Polygon parts, each exterior ring first, then holes. */
  polygons: FlatRing[][];
}

export class GridLocator {
  private constructor(
    private readonly index: Flatbush | null,
    /** Sorted by code: the first covering candidate by position is the lowest code. */
    private readonly grids: readonly LocatorGrid[],
  ) {}

  static build(grids: readonly LocatorGrid[]): GridLocator {
    const sorted = [...grids].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    if (sorted.length === 0) return new GridLocator(null, sorted);
    const index = new Flatbush(sorted.length);
    for (const g of sorted) {
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (const polygon of g.polygons) {
        const exterior = polygon[0];
        if (!exterior) continue;
        for (let i = 0; i < exterior.length; i += 2) {
          const x = exterior[i] as number;
          const y = exterior[i + 1] as number;
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        }
      }
      index.add(minX, minY, maxX, maxY);
    }
    index.finish();
    return new GridLocator(index, sorted);
  }

  get size(): number {
    return this.grids.length;
  }

  /** The lowest code of the grids in scope covering the point, or null. */
  locate(lng: number, lat: number, scopePrefix = ''): string | null {
    if (!this.index || !Number.isFinite(lng) || !Number.isFinite(lat)) return null;
    let best = -1;
    for (const i of this.index.search(lng, lat, lng, lat)) {
      if (best !== -1 && i > best) continue;
      const g = this.grids[i];
      if (!g?.code.startsWith(scopePrefix)) continue;
      if (g.polygons.some((p) => polygonCovers(p, lng, lat))) best = i;
    }
    return best === -1 ? null : (this.grids[best] as LocatorGrid).code;
  }
}
