/**
 * The map layers: which rows a tile holds, with which properties, for whom. Every source
 * yields `geom` in EPSG:3857 plus property columns, limited to the actor's scope and to the
 * features that intersect the tile; the encoders (encode.ts) turn that into MVT.
 */
import { type ExpressionBuilder, type Kysely, type RawBuilder, sql } from 'kysely';
import { TERMINAL_STATES } from '../../domain/workflow/states.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { visibleTo } from '../cases/repo.js';
import type { CaseFilters } from './schema.js';
import { type TileCoord, tileBoundsLngLat } from './tile.js';

export const LAYER_NAMES = [
  'grids',
  'communities',
  'streets',
  'districts',
  'components',
  'cases',
  'roads',
  'places',
  'areas',
  'labels',
] as const;
export type LayerName = (typeof LAYER_NAMES)[number];

export const isLayerName = (name: string): name is LayerName =>
  (LAYER_NAMES as readonly string[]).includes(name);

/** Dense point layers are clustered below this zoom unless told otherwise. */
export const DEFAULT_CLUSTER_BELOW_ZOOM = 14;
/** Cluster cells per tile side: a power of two, so cells never straddle two tiles. */
export const CLUSTER_CELLS_PER_SIDE = 16;

export interface FeatureSource {
  sql: RawBuilder<unknown>;
  properties: readonly string[];
}

export interface LayerDef {
  name: LayerName;
  /** Point layers are clustered at low zooms; polygons and lines never are. */
  geometry: 'polygon' | 'line' | 'point';
  /** Points drawn one by one at every zoom (labels of places), never clustered. */
  labels?: boolean;
  /** Below this zoom the tile is empty: these polygons would collapse to less than a pixel. */
  minZoom: number;
  /** Browser cache lifetime: short for live data, long for reference data. */
  maxAgeSeconds: number;
  /** The table the layer reads; missing (not migrated yet) → LAYER_UNAVAILABLE. */
  table:
    | 'grids'
    | 'divisions'
    | 'components'
    | 'cases'
    | 'gazetteer_roads'
    | 'gazetteer_pois'
    | 'gazetteer_areas';
  /** Individual features of one tile (`filters`: the cases layer only). */
  rows(db: Kysely<Database>, tile: TileCoord, actor: Actor, filters?: CaseFilters): FeatureSource;
  /** Whether the layer takes the case filters of the tile query. */
  filterable?: boolean;
  /** Point layers: the "worst" property kept on a cluster (cases: the reddest light). */
  clusterWorst?: { property: string; order: readonly string[] };
}

export const envelope = ({ z, x, y }: TileCoord) => sql`ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int)`;

/**
 * Rows whose geometry (EPSG:4326 column) intersects the tile. The bbox test in 4326 uses the
 * GiST index (widened by a hair for rounding); the exact test runs in 3857, the tile's own CRS.
 */
function inTile(column: string, tile: TileCoord) {
  const col = sql.ref(column);
  const env = envelope(tile);
  return sql<boolean>`(${col} && ST_Expand(ST_Transform(${env}, 4326), 1e-9)
    AND ST_Intersects(ST_Transform(${col}, 3857), ${env}))`;
}

/**
 * Points in the tile, tested on their stored WGS84 coordinates against the tile's degree box:
 * exact for points (Web Mercator keeps the box's edges straight), and far cheaper than
 * transforming every row of a dense layer (100k+ cases) to test it in 3857.
 */
function pointInTile(column: string, tile: TileCoord) {
  const { west, south, east, north } = tileBoundsLngLat(tile);
  return sql<boolean>`ST_Intersects(${sql.ref(column)}, ST_MakeEnvelope(${west}, ${south}, ${east}, ${north}, 4326))`;
}

const like = (prefix: string) => `${prefix}%`;

const grids: LayerDef = {
  name: 'grids',
  geometry: 'polygon',
  minZoom: 12,
  maxAgeSeconds: 3600,
  table: 'grids',
  rows: (_db, tile, actor) => ({
    properties: ['code', 'communityCode', 'areaClass'],
    sql: sql`SELECT ST_Transform(g.geom, 3857) AS geom, g.code, g.community_code AS "communityCode",
        g.area_class AS "areaClass"
      FROM grids g
      WHERE g.valid_to IS NULL AND g.code LIKE ${like(actor.scopePrefix)} AND ${inTile('g.geom', tile)}`,
  }),
};

function divisionLayer(name: 'communities' | 'streets' | 'districts', minZoom: number): LayerDef {
  const level = { communities: 'community', streets: 'street', districts: 'district' }[name];
  return {
    name,
    geometry: 'polygon',
    minZoom,
    maxAgeSeconds: 3600,
    table: 'divisions',
    rows: (_db, tile, actor) => ({
      properties: ['code', 'name', 'parentCode'],
      sql: sql`SELECT ST_Transform(d.boundary, 3857) AS geom, d.code, d.name, d.parent_code AS "parentCode"
        FROM divisions d
        WHERE d.level = ${level} AND d.boundary IS NOT NULL AND d.code LIKE ${like(actor.scopePrefix)}
          AND ${inTile('d.boundary', tile)}`,
    }),
  };
}

const components: LayerDef = {
  name: 'components',
  geometry: 'point',
  minZoom: 0,
  maxAgeSeconds: 300,
  table: 'components',
  // Same scope rule as the component registry: a district sees its own registrations and
  // whatever lies in its grids.
  rows: (_db, tile, actor) => ({
    properties: ['id', 'name', 'categoryCode', 'state', 'gridCode'],
    sql: sql`SELECT ST_Transform(c.geom, 3857) AS geom, c.id, c.name, c.category_code AS "categoryCode",
        c.state, c.grid_code AS "gridCode"
      FROM components c
      WHERE (c.id LIKE ${like(actor.scopePrefix)} OR c.grid_code LIKE ${like(actor.scopePrefix)})
        AND ${pointInTile('c.geom', tile)}`,
  }),
};

type CaseEb = ExpressionBuilder<Database & { c: Database['cases'] }, 'c'>;

/**
 * The optional filters of the case layers as one condition (true when none is set). Category
 * codes are prefixes within the case's own scheme; area codes are prefixes of the grid code,
 * which begins with its district, street and community codes.
 */
export function caseFilter(filters: CaseFilters = {}) {
  return (eb: CaseEb) => {
    const and = [];
    if (filters.kind) and.push(eb('c.kind', '=', filters.kind));
    if (filters.categoryCode) {
      and.push(
        eb(
          'c.category_id',
          'in',
          eb
            .selectFrom('categories as cat')
            .select('cat.id')
            .where('cat.code', 'like', like(filters.categoryCode))
            .$if(!!filters.kind, (q) => q.where('cat.kind', '=', filters.kind!)),
        ),
      );
    }
    if (filters.areaCode) and.push(eb('c.grid_code', 'like', like(filters.areaCode)));
    if (filters.state) and.push(eb('c.state', 'in', filters.state));
    if (filters.source) and.push(eb('c.source', 'in', filters.source));
    if (filters.light) {
      const lights = filters.light.filter((l) => l !== 'none');
      const none = filters.light.includes('none');
      const either = [];
      if (lights.length) either.push(eb('c.light', 'in', lights));
      if (none) either.push(eb('c.light', 'is', null));
      and.push(eb.or(either));
    }
    return eb.and(and);
  };
}

const cases: LayerDef = {
  name: 'cases',
  geometry: 'point',
  minZoom: 0,
  maxAgeSeconds: 15,
  table: 'cases',
  filterable: true,
  clusterWorst: { property: 'light', order: ['green', 'yellow', 'red'] },
  // Open cases only (the live picture), seen through the case module's own visibility rule.
  rows: (db, tile, actor, filters) => ({
    properties: ['id', 'number', 'state', 'light', 'kind', 'urgency', 'gridCode'],
    sql: sql`${db
      .selectFrom('cases as c')
      .where(visibleTo(actor))
      .where('c.state', 'not in', [...TERMINAL_STATES])
      .where(caseFilter(filters))
      .where(pointInTile('c.location', tile))
      .select([
        sql`ST_Transform(c.location, 3857)`.as('geom'),
        'c.id',
        'c.number',
        'c.state',
        'c.light',
        'c.kind',
        'c.urgency',
        'c.grid_code as gridCode',
      ])}`,
  }),
};

/**
 * The base map from the city's own gazetteer (reference data: the whole city for everyone who
 * may read the map). Roads carry their class: the stored one, else one read from the name
 * (大道 and roads in 段 are arterials, 巷 lanes).
 */
const roads: LayerDef = {
  name: 'roads',
  geometry: 'line',
  minZoom: 10,
  maxAgeSeconds: 3600,
  table: 'gazetteer_roads',
  rows: (_db, tile) => ({
    properties: ['name', 'class'],
    sql: sql`SELECT ST_Transform(r.geom, 3857) AS geom, r.name,
        coalesce(r.road_class, CASE WHEN r.name ~ '(大道|段)$' THEN 'main' WHEN r.name ~ '(巷|里)$' THEN 'minor'
          ELSE 'secondary' END) AS class
      FROM gazetteer_roads r
      WHERE ${inTile('r.geom', tile)}`,
  }),
};

/**
 * Named places: landmarks rank first, so they win label collisions. A landmark has a name of its
 * own or aliases (a station's alias is only its line name); everyday places are named after
 * their road (红星路小学, 春熙路站).
 */
const places: LayerDef = {
  name: 'places',
  geometry: 'point',
  labels: true,
  minZoom: 12,
  maxAgeSeconds: 3600,
  table: 'gazetteer_pois',
  rows: (_db, tile) => ({
    properties: ['name', 'category', 'rank'],
    sql: sql`SELECT ST_Transform(p.geom, 3857) AS geom, p.name, p.category,
        CASE WHEN (cardinality(p.aliases) > 0 AND p.category <> '地铁站')
          OR NOT EXISTS (SELECT 1 FROM gazetteer_roads r WHERE starts_with(p.name, r.base_name)) THEN 1 ELSE 2 END AS rank
      FROM gazetteer_pois p
      WHERE ${pointInTile('p.geom', tile)}`,
  }),
};

const areas: LayerDef = {
  name: 'areas',
  geometry: 'polygon',
  minZoom: 10,
  maxAgeSeconds: 3600,
  table: 'gazetteer_areas',
  rows: (_db, tile) => ({
    properties: ['name', 'kind'],
    sql: sql`SELECT ST_Transform(a.geom, 3857) AS geom, a.name, a.kind
      FROM gazetteer_areas a
      WHERE ${inTile('a.geom', tile)}`,
  }),
};

/**
 * One label point per district, street and community (a point on its surface): labels of the
 * polygons themselves would repeat in every tile the polygon crosses.
 */
const labels: LayerDef = {
  name: 'labels',
  geometry: 'point',
  labels: true,
  minZoom: 8,
  maxAgeSeconds: 3600,
  table: 'divisions',
  rows: (_db, tile, actor) => {
    const { west, south, east, north } = tileBoundsLngLat(tile);
    return {
      properties: ['code', 'name', 'level'],
      sql: sql`SELECT ST_Transform(l.point, 3857) AS geom, l.code, l.name, l.level
        FROM (SELECT d.code, d.name, d.level, ST_PointOnSurface(d.boundary) AS point
          FROM divisions d
          WHERE d.level IN ('district', 'street', 'community') AND d.boundary IS NOT NULL
            AND d.code LIKE ${like(actor.scopePrefix)}
            AND d.boundary && ST_MakeEnvelope(${west}, ${south}, ${east}, ${north}, 4326)) l
        WHERE ST_Intersects(l.point, ST_MakeEnvelope(${west}, ${south}, ${east}, ${north}, 4326))`,
    };
  },
};

export const LAYERS: Record<LayerName, LayerDef> = {
  grids,
  communities: divisionLayer('communities', 11),
  streets: divisionLayer('streets', 10),
  districts: divisionLayer('districts', 8),
  components,
  cases,
  roads,
  places,
  areas,
  labels,
};

/**
 * Point clusters of a tile: points grouped by square cells aligned with the tile (16 per side),
 * each cluster at its members' centroid (their mean) with `count` and, where defined, the worst value of
 * the members (cases: red > yellow > green). Counts add up to the points in the tile.
 */
export function clusterRows(def: LayerDef, points: FeatureSource, tile: TileCoord): FeatureSource {
  const env = envelope(tile);
  const cell = sql`((ST_XMax(${env}) - ST_XMin(${env})) / ${CLUSTER_CELLS_PER_SIDE}::int)`;
  const worst = def.clusterWorst;
  const order = worst ? sql`ARRAY[${sql.join(worst.order.map((v) => sql`${v}`))}]::text[]` : null;
  const worstColumn =
    worst && order
      ? sql`, (${order})[max(array_position(${order}, q.${sql.ref(worst.property)}::text))] AS ${sql.ref(worst.property)}`
      : sql``;
  // OFFSET 0 keeps the planner from re-evaluating each point's coordinates per use.
  return {
    properties: ['cluster', 'count', ...(worst ? [worst.property] : [])],
    sql: sql`SELECT ST_SetSRID(ST_MakePoint(avg(q.x), avg(q.y)), 3857) AS geom, true AS cluster,
        count(*)::int AS count ${worstColumn}
      FROM (SELECT p.*, ST_X(p.geom) AS x, ST_Y(p.geom) AS y FROM (${points.sql}) p OFFSET 0) q
      GROUP BY floor((q.x - ST_XMin(${env})) / ${cell}), floor((q.y - ST_YMin(${env})) / ${cell})`,
  };
}

/** Individual points carry `cluster: false` so clients style both kinds from one layer. */
export function pointRows(points: FeatureSource): FeatureSource {
  return {
    properties: ['cluster', ...points.properties],
    sql: sql`SELECT false AS cluster, p.* FROM (${points.sql}) p`,
  };
}
