/**
 * Two ways to turn a layer's feature rows into a Mapbox Vector Tile, chosen by store kind:
 * PostGIS `ST_AsMVT` on real PostgreSQL, and on PGlite (whose PostGIS lacks protobuf) the
 * features clipped and snapped in SQL, then tiled by geojson-vt and encoded by vt-pbf.
 * Both give the same layer name, features and properties (map-encoders.test.ts).
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import GeoJSONVT from 'geojson-vt';
import { type Kysely, sql } from 'kysely';
import { fromGeojsonVt } from 'vt-pbf';
import type { Database } from '../../platform/db/schema.js';
import type { StoreKind } from '../../platform/db/store.js';
import { envelope, type FeatureSource } from './layers.js';
import { TILE_BUFFER, TILE_EXTENT, type TileCoord } from './tile.js';

/** Encodes one layer of one tile; an empty result (no features) is a zero-length array. */
export type TileEncoder = (
  db: Kysely<Database>,
  layer: string,
  source: FeatureSource,
  tile: TileCoord,
) => Promise<Uint8Array>;

const EMPTY = new Uint8Array(0);

const propertyList = (source: FeatureSource, alias = 'f') =>
  sql.join(source.properties.map((p) => sql.ref(`${alias}.${p}`)));

/**
 * PostGIS declares its functions costly, so a dense tile's plan crosses PostgreSQL's JIT
 * threshold and compiling it takes seconds for a query that runs in milliseconds.
 */
function withoutJit<T>(db: Kysely<Database>, query: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL jit = off`.execute(trx);
    return query(trx);
  });
}

export const encodeWithPostgis: TileEncoder = async (db, layer, source, tile) => {
  const env = envelope(tile);
  const r = await withoutJit(db, (trx) =>
    sql<{ tile: Uint8Array | null }>`
    SELECT ST_AsMVT(t, ${layer}, ${TILE_EXTENT}::int, 'geom') AS tile
    FROM (
      SELECT ST_AsMVTGeom(f.geom, ${env}, ${TILE_EXTENT}::int, ${TILE_BUFFER}::int, true) AS geom,
        ${propertyList(source)}
      FROM (${source.sql}) f
    ) t
    WHERE t.geom IS NOT NULL`.execute(trx),
  );
  const bytes = r.rows[0]?.tile;
  return bytes && bytes.length > 0 ? new Uint8Array(bytes) : EMPTY;
};

export const encodeInJs: TileEncoder = async (db, layer, source, tile) => {
  const env = envelope(tile);
  const clip = sql`ST_TileEnvelope(${tile.z}::int, ${tile.x}::int, ${tile.y}::int,
    margin => ${TILE_BUFFER / TILE_EXTENT}::float8)`;
  // Clipped to the buffered tile and snapped to its pixel grid in 3857, as ST_AsMVTGeom does,
  // so geojson-vt receives little more than what the tile will hold.
  const r = await withoutJit(db, (trx) =>
    sql<Record<string, unknown> & { __geojson: string }>`
    SELECT ST_AsGeoJSON(ST_Transform(g.geom, 4326), 12) AS __geojson, ${propertyList(source, 'g')}
    FROM (
      SELECT ST_SnapToGrid(ST_ClipByBox2D(f.geom, ${clip}::box2d), ST_XMin(${env}), ST_YMax(${env}),
          (ST_XMax(${env}) - ST_XMin(${env})) / ${TILE_EXTENT}::int,
          (ST_XMax(${env}) - ST_XMin(${env})) / ${TILE_EXTENT}::int) AS geom,
        ${propertyList(source)}
      FROM (${source.sql}) f
    ) g
    WHERE g.geom IS NOT NULL AND NOT ST_IsEmpty(g.geom)`.execute(trx),
  );
  if (r.rows.length === 0) return EMPTY;
  const features: Feature[] = r.rows.map((row) => ({
    type: 'Feature',
    geometry: JSON.parse(row.__geojson) as Geometry,
    properties: Object.fromEntries(source.properties.map((p) => [p, row[p] ?? null])),
  }));
  const collection: FeatureCollection = { type: 'FeatureCollection', features };
  const index = new GeoJSONVT(collection, {
    maxZoom: tile.z,
    indexMaxZoom: 0,
    extent: TILE_EXTENT,
    buffer: TILE_BUFFER,
  });
  const out = index.getTile(tile.z, tile.x, tile.y);
  if (!out || out.features.length === 0) return EMPTY;
  return fromGeojsonVt({ [layer]: out }, { version: 2, extent: TILE_EXTENT });
};

export const encoderFor = (kind: StoreKind): TileEncoder =>
  kind === 'postgres' ? encodeWithPostgis : encodeInJs;
