/**
 * The staging table of a grid import: every feature of the file, transformed to WGS84, in a
 * temporary table that lives only as long as the import's transaction. The checks
 * (./validate.ts) and the apply step (./import.ts) are plain SQL over it.
 */
import { type Kysely, sql } from 'kysely';
import { insideExtent, validExtent } from '../../domain/grid/crs.js';
import type { GridCandidate } from '../../domain/grid/features.js';
import type { Database } from '../../platform/db/schema.js';

const BATCH = 400;

export async function stageCandidates(trx: Kysely<Database>, srid: number, candidates: GridCandidate[]) {
  await sql`CREATE TEMP TABLE grid_import (
      feature        integer PRIMARY KEY,
      code           text,
      community_code text,
      seq            integer,
      area_class     text NOT NULL,
      usable         boolean NOT NULL,
      src            geometry,
      geom           geometry,
      cover          geometry,
      anchor         geometry
    ) ON COMMIT DROP`.execute(trx);
  const extent = validExtent(srid);
  for (let i = 0; i < candidates.length; i += BATCH) {
    const rows = candidates.slice(i, i + BATCH).map((c) => {
      // Only positions that can be in the CRS are transformed (the range check ran on rings only).
      const anchor = c.anchor && extent && insideExtent(c.anchor, extent) ? c.anchor : null;
      const geojson = c.rings ? JSON.stringify({ type: 'Polygon', coordinates: c.rings }) : null;
      return sql`(${c.feature}::int, ${c.code}::text, ${c.communityCode}::text, ${c.seq}::int,
        ${c.areaClass}::text, ${c.usable}::boolean, ${geojson}::text, ${anchor?.[0] ?? null}::float8,
        ${anchor?.[1] ?? null}::float8)`;
    });
    const r = await sql`
      INSERT INTO grid_import (feature, code, community_code, seq, area_class, usable, src, anchor)
      SELECT v.feature, v.code, v.community, v.seq, v.area_class, v.usable,
        CASE WHEN v.geojson IS NULL THEN NULL ELSE ST_SetSRID(ST_GeomFromGeoJSON(v.geojson), ${srid}::int) END,
        CASE WHEN v.ax IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(v.ax, v.ay), ${srid}::int) END
      FROM (VALUES ${sql.join(rows)}) AS v(feature, code, community, seq, area_class, usable, geojson, ax, ay)`.execute(
      trx,
    );
    // PGlite can lose a PostGIS error and insert nothing: never validate a partial file.
    if (Number(r.numAffectedRows) !== rows.length) throw new Error('grid import staging lost rows');
  }
  await sql`UPDATE grid_import SET
      geom = CASE WHEN ${srid}::int = 4326 THEN src ELSE ST_Transform(src, 4326) END,
      anchor = CASE WHEN ${srid}::int = 4326 THEN anchor ELSE ST_Transform(anchor, 4326) END`.execute(trx);
  await sql`UPDATE grid_import SET anchor = ST_PointOnSurface(geom)
    WHERE geom IS NOT NULL AND ST_IsValid(geom)`.execute(trx);
  await sql`CREATE INDEX grid_import_geom_gix ON grid_import USING gist (geom)`.execute(trx);
  await sql`ANALYZE grid_import`.execute(trx);
}

export interface PlannedGrid {
  feature: number;
  code: string;
  communityCode: string;
  action: 'created' | 'reshaped' | 'reclassified' | 'unchanged';
}

export interface ImportPlan {
  grids: PlannedGrid[];
  retired: Array<{ code: string; communityCode: string }>;
}

/** What applying the staged file would do to the current grids of its communities. */
export async function planImport(trx: Kysely<Database>, toleranceM2: number): Promise<ImportPlan> {
  const rows = await sql<{
    feature: number;
    code: string;
    community_code: string;
    existing: string | null;
    same_class: boolean | null;
    diff_m2: number | null;
  }>`
    SELECT i.feature, i.code, i.community_code, g.code AS existing, g.area_class = i.area_class AS same_class,
      ST_Area(ST_SymDifference(i.geom, g.geom)::geography) AS diff_m2
    FROM grid_import i LEFT JOIN grids g ON g.code = i.code AND g.valid_to IS NULL
    WHERE i.usable ORDER BY i.feature`.execute(trx);
  const retired = await sql<{ code: string; community_code: string }>`
    SELECT g.code, g.community_code FROM grids g
    WHERE g.valid_to IS NULL
      AND g.community_code IN (SELECT community_code FROM grid_import WHERE community_code IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM grid_import i WHERE i.code = g.code)
    ORDER BY g.code`.execute(trx);
  return {
    grids: rows.rows.map((r) => ({
      feature: r.feature,
      code: r.code,
      communityCode: r.community_code,
      action:
        r.existing === null
          ? 'created'
          : (r.diff_m2 ?? 0) > toleranceM2
            ? 'reshaped'
            : r.same_class
              ? 'unchanged'
              : 'reclassified',
    })),
    retired: retired.rows.map((r) => ({ code: r.code, communityCode: r.community_code })),
  };
}
