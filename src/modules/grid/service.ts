import { validateGridCode } from '../../domain/codes.js';
import { type Ctx, requireGeoScope, requirePermission } from '../../platform/auth/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import {
  type GridRow,
  geometryProblem,
  gridByCode,
  gridsWhere,
  insertGrid,
  locatePoint,
  overlappingGrids,
} from './repo.js';

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
function ringProblem(geometry: PolygonGeometry): string | null {
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
  return feature(row);
}

export async function listGrids(ctx: Ctx, q: Omit<Parameters<typeof gridsWhere>[1], 'scopePrefix'>) {
  requirePermission(ctx.actor, 'grid.read');
  const rows = await gridsWhere(ctx.db, { ...q, scopePrefix: ctx.actor.scopePrefix });
  return { type: 'FeatureCollection' as const, features: rows.map(feature) };
}

/** Point → grid, community, street, district. Outside the actor's scope is "not found". */
export async function locate(ctx: Ctx, lng: number, lat: number) {
  requirePermission(ctx.actor, 'grid.read');
  const hit = await locatePoint(ctx.db, lng, lat, ctx.actor.scopePrefix);
  if (!hit) {
    throw new AppError('NOT_FOUND', {
      details: { lng, lat },
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
  if (await gridByCode(ctx.db, input.code)) throw new AppError('CONFLICT', { details: { code: input.code } });
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
  const overlaps = await overlappingGrids(ctx.db, geojson, OVERLAP_TOLERANCE_M2);
  if (overlaps.length > 0) {
    throw new AppError('GRID_GEOMETRY_INVALID', {
      details: { code: input.code, overlaps },
      message: {
        zh: `单元网格 ${input.code} 与现有网格重叠：${overlaps.map((o) => o.code).join('、')}`,
        en: `Grid ${input.code} overlaps existing grids: ${overlaps.map((o) => o.code).join(', ')}`,
      },
    });
  }
  await ctx.db.transaction().execute(async (trx) => {
    await insertGrid(trx, { ...input, seq: verdict.seq, geojson });
    await audit({ ...ctx, db: trx }, { action: 'grid.create', target: `grid:${input.code}` });
  });
  return getGrid(ctx, input.code);
}
