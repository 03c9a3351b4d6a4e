/**
 * Point-in-polygon with PostGIS's own arithmetic, so the in-memory locator gives the same
 * answer as `ST_Covers(polygon, point)` even for points exactly on (or a rounding error away
 * from) a shared edge or vertex. The side test, the on-segment box test and the winding rule
 * follow liblwgeom (`determineSide`, `isOnSegment`, `point_in_ring`) operation for operation:
 * plain IEEE doubles, no tolerance, no robust predicates.
 */

/** Flat ring: x0, y0, x1, y1, …, closed (the last position repeats the first). */
export type FlatRing = Float64Array;

/** Where a point lies relative to a ring or polygon. */
export type Placement = 'inside' | 'boundary' | 'outside';

/** Twice the signed area of (a, b, p), computed exactly as liblwgeom's determineSide. */
function determineSide(ax: number, ay: number, bx: number, by: number, px: number, py: number): number {
  return (bx - ax) * (py - ay) - (px - ax) * (by - ay);
}

/** Winding-number test of one ring; a point on the ring is 'boundary'. */
export function pointInRing(ring: FlatRing, px: number, py: number): Placement {
  let winding = 0;
  for (let i = 0; i + 3 < ring.length; i += 2) {
    const ax = ring[i] as number;
    const ay = ring[i + 1] as number;
    const bx = ring[i + 2] as number;
    const by = ring[i + 3] as number;
    // Zero-length segments are skipped, as PostGIS does.
    if ((bx - ax) * (bx - ax) + (by - ay) * (by - ay) < 1e-12 * 1e-12) continue;
    const side = determineSide(ax, ay, bx, by, px, py);
    if (
      side === 0 &&
      px <= Math.max(ax, bx) &&
      px >= Math.min(ax, bx) &&
      py <= Math.max(ay, by) &&
      py >= Math.min(ay, by)
    ) {
      return 'boundary';
    }
    if (ay <= py && py < by && side > 0) winding++;
    else if (by <= py && py < ay && side < 0) winding--;
  }
  return winding === 0 ? 'outside' : 'inside';
}

/** A polygon (exterior ring first, then holes) against a point. */
export function pointInPolygon(rings: readonly FlatRing[], px: number, py: number): Placement {
  const [exterior, ...holes] = rings;
  if (!exterior) return 'outside';
  const outer = pointInRing(exterior, px, py);
  if (outer === 'outside') return 'outside';
  for (const hole of holes) {
    const inHole = pointInRing(hole, px, py);
    if (inHole === 'inside') return 'outside';
    if (inHole === 'boundary') return 'boundary';
  }
  return outer;
}

/** ST_Covers(polygon, point): inside or on the boundary. */
export function polygonCovers(rings: readonly FlatRing[], px: number, py: number): boolean {
  return pointInPolygon(rings, px, py) !== 'outside';
}

/** [[x, y], …] → flat ring. */
export function flatRing(positions: ReadonlyArray<readonly number[]>): FlatRing {
  const out = new Float64Array(positions.length * 2);
  positions.forEach((p, i) => {
    out[2 * i] = p[0] as number;
    out[2 * i + 1] = p[1] as number;
  });
  return out;
}
