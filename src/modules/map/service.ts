import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type Actor, type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import type { TileEncoder } from './encode.js';
import {
  clusterRows,
  DEFAULT_CLUSTER_BELOW_ZOOM,
  type FeatureSource,
  isLayerName,
  LAYER_NAMES,
  LAYERS,
  type LayerDef,
  pointRows,
} from './layers.js';
import { currentGridLocator } from './locator.js';
import type { CaseFilters, TileQuery } from './schema.js';
import { parseTile, type TileCoord } from './tile.js';

export interface TileOptions {
  /** Point layers are clustered at zooms below this. */
  clusterBelowZoom: number;
}

export type TileResult =
  | { status: 200; body: Uint8Array; etag: string; maxAgeSeconds: number }
  | { status: 304; etag: string; maxAgeSeconds: number }
  | { status: 204; maxAgeSeconds: number };

export function layerDef(name: string, offered: readonly string[] = LAYER_NAMES): LayerDef {
  if (!isLayerName(name) || !offered.includes(name)) {
    throw new AppError('LAYER_UNKNOWN', {
      details: { layer: name, layers: offered },
      message: {
        zh: `地图图层 ${name} 不存在，可用：${offered.join('、')}`,
        en: `No map layer ${name}; available: ${offered.join(', ')}`,
      },
    });
  }
  return LAYERS[name];
}

/** Layers over tables of later modules answer 404 until those tables exist. */
async function requireAvailable(ctx: Ctx, def: LayerDef): Promise<void> {
  const r = await sql<{ ok: boolean }>`SELECT to_regclass(${def.table}::text) IS NOT NULL AS ok`.execute(
    ctx.db,
  );
  if (!r.rows[0]?.ok) {
    throw new AppError('LAYER_UNAVAILABLE', {
      details: { layer: def.name, table: def.table },
      message: {
        zh: `地图图层 ${def.name} 暂不可用：数据表 ${def.table} 尚未建立`,
        en: `Map layer ${def.name} is not available: table ${def.table} does not exist yet`,
      },
    });
  }
}

/** RFC 9110 If-None-Match: a list of (possibly weak) tags, or "*". */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}

/** The case filters of a tile query; refused on layers they do not apply to (never ignored). */
function tileFilters(def: LayerDef, query: TileQuery): CaseFilters {
  const { rev: _rev, ...filters } = query;
  const given = Object.keys(query).filter((k) => query[k as keyof TileQuery] !== undefined);
  if (given.length > 0 && !def.filterable) {
    throw new AppError('VALIDATION_FAILED', {
      details: { layer: def.name, parameters: given },
      message: {
        zh: `地图图层 ${def.name} 不接受查询参数（${given.join('、')}）；筛选条件仅适用于案卷图层`,
        en: `Map layer ${def.name} takes no query parameters (${given.join(', ')}); filters apply to the cases layer only`,
      },
    });
  }
  return filters;
}

/** A stable text of the filters in force, part of the tile's tag (equal bytes, other filter → other tag). */
const filterKey = (filters: CaseFilters) =>
  JSON.stringify(
    Object.entries(filters)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );

/** The feature rows of one tile of a layer: points become clusters at low zooms. */
export function tileSource(
  ctx: Ctx,
  def: LayerDef,
  tile: TileCoord,
  options: TileOptions,
  filters: CaseFilters = {},
): FeatureSource {
  const rows = def.rows(ctx.db, tile, ctx.actor, filters);
  if (def.geometry !== 'point' || def.labels) return rows;
  return tile.z < options.clusterBelowZoom ? clusterRows(def, rows, tile) : pointRows(rows);
}

/** One vector tile of one layer, with what the actor may see. */
export async function mapTile(
  ctx: Ctx,
  encode: TileEncoder,
  request: { layer: string; z: string; x: string; y: string; ifNoneMatch?: string | undefined },
  options: TileOptions = { clusterBelowZoom: DEFAULT_CLUSTER_BELOW_ZOOM },
  query: TileQuery = {},
): Promise<TileResult> {
  requirePermission(ctx.actor, 'map.read');
  const def = layerDef(request.layer);
  const tile = parseTile(request);
  const filters = tileFilters(def, query);
  await requireAvailable(ctx, def);
  if (tile.z < def.minZoom) return { status: 204, maxAgeSeconds: def.maxAgeSeconds };
  return encodedTile(ctx.db, encode, def, tile, tileSource(ctx, def, tile, options, filters), {
    ifNoneMatch: request.ifNoneMatch,
    tagKey: filterKey(filters),
  });
}

/**
 * Encodes a tile and tags it with its own bytes and the filters in force: equal tiles share a
 * tag whatever changed elsewhere, and a filtered tile never revalidates as the unfiltered one.
 */
async function encodedTile(
  db: Kysely<Database>,
  encode: TileEncoder,
  def: LayerDef,
  tile: TileCoord,
  source: FeatureSource,
  o: { ifNoneMatch: string | undefined; tagKey: string },
): Promise<TileResult> {
  const maxAgeSeconds = def.maxAgeSeconds;
  const body = await encode(db, def.name, source, tile);
  if (body.length === 0) return { status: 204, maxAgeSeconds };
  const etag = `"${createHash('sha256').update(body).update(o.tagKey).digest('base64url').slice(0, 32)}"`;
  if (matches(o.ifNoneMatch, etag)) return { status: 304, etag, maxAgeSeconds };
  return { status: 200, body, etag, maxAgeSeconds };
}

/**
 * Boundaries and the base map anyone may see: the citizens' map draws the city with them (no
 * cases, no people).
 */
export const PUBLIC_LAYERS = [
  'districts',
  'streets',
  'communities',
  'roads',
  'places',
  'areas',
  'labels',
] as const;

/** The anonymous reader of public boundaries: the whole city (layer rows read only the scope). */
const PUBLIC_READER: Actor = {
  userId: 0,
  username: 'public',
  displayName: '公众',
  role: 'citizen',
  divisionCode: null,
  departmentId: null,
  scopePrefix: '',
  departmentPath: null,
  via: 'session',
  mustChangePassword: false,
};

/** One vector tile of a public boundary layer, for the citizen portal (no login). */
export async function publicTile(
  db: Kysely<Database>,
  encode: TileEncoder,
  request: { layer: string; z: string; x: string; y: string; ifNoneMatch?: string | undefined },
): Promise<TileResult> {
  const def = layerDef(request.layer, PUBLIC_LAYERS);
  const tile = parseTile(request);
  if (tile.z < def.minZoom) return { status: 204, maxAgeSeconds: def.maxAgeSeconds };
  return encodedTile(db, encode, def, tile, def.rows(db, tile, PUBLIC_READER, {}), {
    ifNoneMatch: request.ifNoneMatch,
    tagKey: '',
  });
}

/** Point → current grid code for many points at once, from the in-memory locator. */
export async function locateMany(ctx: Ctx, points: ReadonlyArray<readonly [number, number]>) {
  requirePermission(ctx.actor, 'map.read');
  const locator = await currentGridLocator(ctx.db);
  return {
    results: points.map(([lng, lat]) => ({
      lng,
      lat,
      gridCode: locator.locate(lng, lat, ctx.actor.scopePrefix),
    })),
  };
}
