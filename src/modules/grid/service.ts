import { validateGridCode } from '../../domain/codes.js';
import { type Ctx, requireGeoScope, requirePermission } from '../../platform/auth/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { pageInfo } from '../../platform/http/paging.js';
import { audit } from '../audit/service.js';
import { lockGridWrites } from './boundaries.js';
import { lineageOf } from './history-repo.js';
import {
  areaOutsideCommunity,
  type GridRow,
  geometryProblem,
  gridByCode,
  gridsWhere,
  insertGrid,
  locatePoint,
  overlappingGrids,
} from './repo.js';
import { outOfScopeError } from './scope.js';

// Digitising noise between neighbouring grids below this is not an overlap.
export const OVERLAP_TOLERANCE_M2 = 1;

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: number[][][];
}

function feature(r: GridRow) {
  return {
    type: 'Feature' as const,
    id: r.code,
    geometry: JSON.parse(r.geometry) as PolygonGeometry,
    properties: {
      code: r.code,
      communityCode: r.community_code,
      seq: r.seq,
      areaClass: r.area_class,
      areaM2: Math.round(r.area_m2 * 10) / 10,
      validFrom: r.valid_from,
      validTo: r.valid_to,
    },
  };
}

/** Structural checks PostGIS would otherwise report inconsistently across stores. */
export function ringProblem(geometry: PolygonGeometry): string | null {
  for (const [i, ring] of geometry.coordinates.entries()) {
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (ring.length < 4) return `ring ${i} has fewer than 4 positions`;
    if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) return `ring ${i} is not closed`;
  }
  return null;
}

export async function getGrid(ctx: Ctx, code: string) {
  requirePermission(ctx.actor, 'grid.read');
  requireGeoScope(ctx.actor, code, 'grid');
  const row = await gridByCode(ctx.db, code);
  if (!row) throw notFound('grid');
  const f = feature(row);
  // Which grids this one replaced and which replaced it (those in the reader's scope).
  const lineage = await lineageOf(ctx.db, code);
  const codes = (xs: Array<{ code: string }>) =>
    [...new Set(xs.map((x) => x.code))].filter((c) => c.startsWith(ctx.actor.scopePrefix));
  return {
    ...f,
    properties: {
      ...f.properties,
      predecessors: codes(lineage.predecessors),
      successors: codes(lineage.successors),
    },
  };
}

export async function listGrids(ctx: Ctx, q: Omit<Parameters<typeof gridsWhere>[1], 'scopePrefix'>) {
  requirePermission(ctx.actor, 'grid.read');
  const { rows, total } = await gridsWhere(ctx.db, { ...q, scopePrefix: ctx.actor.scopePrefix });
  // GeoJSON allows foreign members: the page rides beside the features.
  return {
    type: 'FeatureCollection' as const,
    features: rows.map(feature),
    ...pageInfo(total, q.limit, q.offset),
  };
}

/**
 * Point → grid, community, street, district. In another area's grid: LOCATION_OUT_OF_SCOPE naming
 * both areas; in no grid at all: not found. With
 * `at` (YYYY-MM-DD) it answers the grid in force on that date, e.g. for a case filed then.
 */
export async function locate(ctx: Ctx, lng: number, lat: number, at?: string) {
  requirePermission(ctx.actor, 'grid.read');
  const hit = await locatePoint(ctx.db, lng, lat, ctx.actor.scopePrefix, at);
  if (!hit) {
    const outside = await outOfScopeError(ctx.db, ctx.actor, lng, lat, at);
    if (outside) throw outside;
    throw new AppError('NOT_FOUND', {
      details: at === undefined ? { lng, lat } : { lng, lat, at },
      message: { zh: '该位置不在任何单元网格内', en: 'No unit grid covers this point' },
    });
  }
  return {
    gridCode: hit.code,
    areaClass: hit.area_class,
    community: { code: hit.community_code, name: hit.community_name },
    street: { code: hit.street_code, name: hit.street_name },
    district: { code: hit.district_code, name: hit.district_name },
  };
}

export async function createGrid(
  ctx: Ctx,
  input: { code: string; communityCode: string; areaClass: 'A' | 'B' | 'C'; geometry: PolygonGeometry },
) {
  requirePermission(ctx.actor, 'grid.write');
  const verdict = validateGridCode(input.code, input.communityCode);
  if (!verdict.ok) {
    throw new AppError(verdict.code, {
      message: verdict.message,
      details: { code: input.code, communityCode: input.communityCode },
    });
  }
  requireGeoScope(ctx.actor, input.communityCode, 'division');
  const community = await ctx.db
    .selectFrom('divisions')
    .select(['code', 'level'])
    .where('code', '=', input.communityCode)
    .executeTakeFirst();
  if (community?.level !== 'community') {
    throw new AppError('DIVISION_INVALID', {
      details: { communityCode: input.communityCode },
      message: {
        zh: `社区 ${input.communityCode} 不存在`,
        en: `Community ${input.communityCode} does not exist`,
      },
    });
  }
  const geojson = JSON.stringify(input.geometry);
  const problem =
    ringProblem(input.geometry) ?? (await geometryProblem(ctx.db, geojson).catch((e: Error) => e.message));
  if (problem) {
    throw new AppError('GRID_GEOMETRY_INVALID', {
      details: { code: input.code, reason: problem },
      message: {
        zh: `单元网格 ${input.code} 的图形无效：${problem}`,
        en: `The polygon of grid ${input.code} is invalid: ${problem}`,
      },
    });
  }
  await ctx.db.transaction().execute(async (trx) => {
    // The checks below and the insert run under one lock, so two creates cannot both pass them.
    await lockGridWrites(trx);
    if (await gridByCode(trx, input.code)) throw new AppError('CONFLICT', { details: { code: input.code } });
    const outside = await areaOutsideCommunity(trx, geojson, input.communityCode);
    if (outside && outside.area_m2 > OVERLAP_TOLERANCE_M2) {
      const m2 = Math.round(outside.area_m2 * 10) / 10;
      throw new AppError('GRID_OUTSIDE_COMMUNITY', {
        details: {
          code: input.code,
          communityCode: input.communityCode,
          areaM2: m2,
          lng: outside.lng,
          lat: outside.lat,
        },
        message: {
          zh: `单元网格 ${input.code} 有 ${m2} 平方米超出社区 ${input.communityCode} 的边界`,
          en: `${m2} m² of grid ${input.code} lie outside the boundary of community ${input.communityCode}`,
        },
      });
    }
    const overlaps = await overlappingGrids(trx, geojson, OVERLAP_TOLERANCE_M2);
    if (overlaps.length > 0) {
      throw new AppError('GRID_GEOMETRY_INVALID', {
        details: { code: input.code, overlaps },
        message: {
          zh: `单元网格 ${input.code} 与现有网格重叠：${overlaps.map((o) => o.code).join('、')}`,
          en: `Grid ${input.code} overlaps existing grids: ${overlaps.map((o) => o.code).join(', ')}`,
        },
      });
    }
    await insertGrid(trx, { ...input, seq: verdict.seq, geojson });
    await audit({ ...ctx, db: trx }, { action: 'grid.create', target: `grid:${input.code}` });
  });
  return getGrid(ctx, input.code);
}
