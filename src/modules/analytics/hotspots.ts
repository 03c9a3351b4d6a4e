/**
 * Hot-spot analysis for leaders and the centre (数据挖掘): where cases cluster in a period
 * (Getis-Ord Gi*, kernel density), how clusters evolve week over week (emerging hot spots), and
 * the cases behind a cell. Cases are those the asker may see (the case module's visibility), in
 * his area; reports that never became a case (不予立案), voided and merged duplicates are left
 * out so a duplicate does not count twice.
 */
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { cellToBoundary, isValidCell, latLngToCell } from 'h3-js';
import { sql } from 'kysely';
import type { EmergingClass } from '../../domain/analytics/emerging.js';
import { type CasePoint, emergingHotspots, hotspots } from '../../domain/analytics/hotspots.js';
import { buildLattice, type Lattice, type LatticeGrid } from '../../domain/analytics/lattice.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { pageInfo } from '../../platform/http/paging.js';
import { visibleTo } from '../cases/repo.js';
import { caseFilter } from '../map/layers.js';
import type { CaseFilters } from '../map/schema.js';
import type { CellCasesQuery, EmergingQuery, HotspotQuery } from './schema.js';

const NOT_PROBLEMS = ['rejected', 'voided', 'merged'] as const;
const WEEK_MS = 7 * 86_400_000;

type LatticeQuery = Pick<HotspotQuery, 'unit' | 'resolution' | 'band' | 'areaCode'>;

/** The area analysed: the asked division within the asker's own area (404 outside it). */
function areaPrefix(ctx: Ctx, areaCode: string | undefined): string {
  const scope = ctx.actor.scopePrefix;
  if (!areaCode) return scope;
  if (areaCode.startsWith(scope)) return areaCode;
  if (scope.startsWith(areaCode)) return scope;
  throw new AppError('NOT_FOUND', { details: { resource: 'area' } });
}

async function latticeFor(ctx: Ctx, q: LatticeQuery): Promise<{ lattice: Lattice; prefix: string }> {
  const prefix = areaPrefix(ctx, q.areaCode);
  const rows = await ctx.db
    .selectFrom('grids')
    .select(['code', sql<string>`ST_AsGeoJSON(geom, 7)`.as('geojson')])
    .where('code', 'like', `${prefix}%`)
    .where('valid_to', 'is', null)
    .orderBy('code')
    .execute();
  const grids: LatticeGrid[] = rows.map((r) => ({
    code: r.code,
    ring: (JSON.parse(r.geojson) as Polygon).coordinates[0] as [number, number][],
  }));
  return { lattice: buildLattice(grids, q.unit, { resolution: q.resolution, bandM: q.band }), prefix };
}

async function casePoints(
  ctx: Ctx,
  prefix: string,
  filters: CaseFilters,
  from: Date,
  to: Date,
): Promise<CasePoint[]> {
  const rows = await ctx.db
    .selectFrom('cases as c')
    .select([
      sql<number>`ST_X(c.location)`.as('lng'),
      sql<number>`ST_Y(c.location)`.as('lat'),
      'c.grid_code',
      'c.reported_at',
    ])
    .where(visibleTo(ctx.actor))
    .where(caseFilter(filters))
    .where('c.grid_code', 'like', `${prefix}%`)
    .where('c.state', 'not in', [...NOT_PROBLEMS])
    .where('c.reported_at', '>=', from)
    .where('c.reported_at', '<', to)
    .execute();
  return rows.map((r) => ({
    lng: Number(r.lng),
    lat: Number(r.lat),
    gridCode: r.grid_code,
    at: new Date(r.reported_at).getTime(),
  }));
}

const filtersOf = (q: CaseFilters): CaseFilters => ({
  kind: q.kind,
  categoryCode: q.categoryCode,
  source: q.source,
});

function polygon(lattice: Lattice, i: number): Polygon {
  return { type: 'Polygon', coordinates: [lattice.boundary(i)] };
}

export async function hotspotAnalysis(ctx: Ctx, q: HotspotQuery) {
  requirePermission(ctx.actor, 'evaluation.read');
  const { lattice, prefix } = await latticeFor(ctx, q);
  const from = new Date(q.from);
  const to = new Date(q.to);
  const points = await casePoints(ctx, prefix, filtersOf(q), from, to);
  const result = hotspots(lattice, points);
  const index = new Map(lattice.ids.map((id, i) => [id, i]));
  // Cells with neither cases nor significance carry nothing to draw or list.
  const shown = result.cells.filter((c) => c.count > 0 || c.bin !== 0);
  const summary = { hot: { 99: 0, 95: 0, 90: 0 }, cold: { 99: 0, 95: 0, 90: 0 } };
  const level = { 3: 99, 2: 95, 1: 90 } as const;
  for (const c of result.cells) {
    if (c.bin > 0) summary.hot[level[c.bin as 1 | 2 | 3]]++;
    if (c.bin < 0) summary.cold[level[-c.bin as 1 | 2 | 3]]++;
  }
  const features: FeatureCollection<Polygon> = {
    type: 'FeatureCollection',
    features: shown.map(
      (c): Feature<Polygon> => ({
        type: 'Feature',
        id: c.id,
        geometry: polygon(lattice, index.get(c.id)!),
        properties: {
          id: c.id,
          count: c.count,
          z: round(c.z, 3),
          bin: c.bin,
          density: c.density.map((d) => round(d, 1)),
        },
      }),
    ),
  };
  return {
    unit: q.unit,
    resolution: q.unit === 'hex' ? q.resolution : null,
    band: q.unit === 'grid' ? q.band : null,
    area: prefix || null,
    from: from.toISOString(),
    to: to.toISOString(),
    radii: result.radii,
    cellCount: lattice.ids.length,
    caseCount: result.counted,
    summary,
    cells: shown
      .map((c) => ({ ...c, z: round(c.z, 4), p: round(c.p, 6), density: c.density.map((d) => round(d, 2)) }))
      .sort((a, b) => b.z - a.z || b.count - a.count || a.id.localeCompare(b.id)),
    features,
  };
}

/** Monday 00:00 (+08:00) of the local week holding `t`. */
export function localWeekStart(t: number): number {
  const local = t + 8 * 3_600_000;
  const day = Math.floor(local / 86_400_000);
  // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays.
  const monday = day - ((day + 3) % 7);
  return monday * 86_400_000 - 8 * 3_600_000;
}

export async function emergingAnalysis(ctx: Ctx, q: EmergingQuery, now = Date.now()) {
  requirePermission(ctx.actor, 'evaluation.read');
  const end = q.to ? Date.parse(q.to) : localWeekStart(now);
  const starts = Array.from({ length: q.weeks }, (_, k) => end - (q.weeks - k) * WEEK_MS);
  const { lattice, prefix } = await latticeFor(ctx, q);
  const points = await casePoints(ctx, prefix, filtersOf(q), new Date(starts[0]!), new Date(end));
  const cells = emergingHotspots(lattice, points, starts, end);
  const index = new Map(lattice.ids.map((id, i) => [id, i]));
  const summary: Record<EmergingClass, number> = {
    new: 0,
    intensifying: 0,
    persistent: 0,
    fading: 0,
    sporadic: 0,
  };
  for (const c of cells) summary[c.class]++;
  const order: EmergingClass[] = ['new', 'intensifying', 'persistent', 'fading', 'sporadic'];
  const sorted = [...cells].sort(
    (a, b) => order.indexOf(a.class) - order.indexOf(b.class) || b.zs.at(-1)! - a.zs.at(-1)!,
  );
  return {
    unit: q.unit,
    resolution: q.unit === 'hex' ? q.resolution : null,
    band: q.unit === 'grid' ? q.band : null,
    area: prefix || null,
    weeks: starts.map((s, k) => ({
      from: new Date(s).toISOString(),
      to: new Date(k + 1 < starts.length ? starts[k + 1]! : end).toISOString(),
    })),
    cellCount: lattice.ids.length,
    caseCount: points.length,
    summary,
    cells: sorted.map((c) => ({ ...c, zs: c.zs.map((z) => round(z, 3)) })),
    features: {
      type: 'FeatureCollection',
      features: sorted.map(
        (c): Feature<Polygon> => ({
          type: 'Feature',
          id: c.id,
          geometry: polygon(lattice, index.get(c.id)!),
          properties: { id: c.id, class: c.class, last: c.counts.at(-1) ?? 0 },
        }),
      ),
    } satisfies FeatureCollection<Polygon>,
  };
}

/** The cases behind one cell, newest first, paged. */
export async function cellCases(ctx: Ctx, q: CellCasesQuery) {
  requirePermission(ctx.actor, 'evaluation.read');
  const prefix = areaPrefix(ctx, q.areaCode);
  const hex = q.unit === 'hex';
  if (hex && !isValidCell(q.cell)) {
    throw new AppError('VALIDATION_FAILED', { details: { field: 'cell', reason: 'not an H3 cell index' } });
  }
  let query = ctx.db
    .selectFrom('cases as c')
    .innerJoin('categories as cat', 'cat.id', 'c.category_id')
    .select([
      'c.id',
      'c.number',
      'c.state',
      'c.kind',
      'c.address',
      'c.grid_code as gridCode',
      'c.reported_at as reportedAt',
      'cat.code as categoryCode',
      'cat.name as categoryName',
      sql<number>`ST_X(c.location)`.as('lng'),
      sql<number>`ST_Y(c.location)`.as('lat'),
    ])
    .where(visibleTo(ctx.actor))
    .where(caseFilter(filtersOf(q)))
    .where('c.grid_code', 'like', `${prefix}%`)
    .where('c.state', 'not in', [...NOT_PROBLEMS])
    .where('c.reported_at', '>=', new Date(q.from))
    .where('c.reported_at', '<', new Date(q.to));
  if (!hex) query = query.where('c.grid_code', '=', q.cell);
  else {
    // The cell's bounding box first (served by the spatial index), then H3's own rule below.
    const ring = cellToBoundary(q.cell, true);
    const xs = ring.map((p) => p[0]!);
    const ys = ring.map((p) => p[1]!);
    query = query.where(
      sql<boolean>`c.location && ST_MakeEnvelope(${Math.min(...xs)}, ${Math.min(...ys)}, ${Math.max(...xs)}, ${Math.max(...ys)}, 4326)`,
    );
  }
  const rows = await query.orderBy('c.reported_at', 'desc').orderBy('c.id', 'desc').execute();
  // A hexagon's cases are those H3 puts in it, the same rule the counts used.
  const inCell = hex
    ? rows.filter((r) => latLngToCell(Number(r.lat), Number(r.lng), q.resolution) === q.cell)
    : rows;
  const items = inCell.slice(q.offset, q.offset + q.limit).map((r) => ({
    ...r,
    lng: Number(r.lng),
    lat: Number(r.lat),
    reportedAt: new Date(r.reportedAt).toISOString(),
  }));
  return { items, ...pageInfo(inCell.length, q.limit, q.offset) };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
