/**
 * Grid history: split one grid into N, merge N adjacent grids of a community into one, and
 * read what happened to a grid. Replaced grids are ended (valid_to), never deleted.
 */
import { type Kysely, sql } from 'kysely';
import { formatGridCode, validateGridCode } from '../../domain/codes.js';
import type { AreaClass } from '../../domain/demo-city/types.js';
import { type GridProblemDraft, gridProblem } from '../../domain/grid/problems.js';
import { type Ctx, requireGeoScope, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { lockGridWrites, recomputeBoundaries } from './boundaries.js';
import {
  changesOf,
  insertChange,
  lineageOf,
  linkSuccessors,
  nextFreeSeqs,
  retireGrids,
} from './history-repo.js';
import { gridByCode } from './repo.js';
import { getGrid, OVERLAP_TOLERANCE_M2, type PolygonGeometry, ringProblem } from './service.js';

export interface SplitPart {
  code?: string | undefined;
  areaClass?: AreaClass | undefined;
  geometry: PolygonGeometry;
}

type Located = GridProblemDraft & { lng: number | null; lat: number | null };

async function currentGrid(db: Kysely<Database>, ctx: Ctx, code: string) {
  requireGeoScope(ctx.actor, code, 'grid');
  const grid = await gridByCode(db, code);
  if (!grid) throw notFound('grid');
  if (grid.valid_to !== null) {
    throw new AppError('GRID_NOT_CURRENT', {
      details: { code, validTo: grid.valid_to },
      message: {
        zh: `单元网格 ${code} 已于 ${grid.valid_to} 停用`,
        en: `Grid ${code} was retired on ${grid.valid_to}`,
      },
    });
  }
  return grid;
}

/** Given codes must belong to the community and never have been used; others get the next free seqs. */
async function codesFor(trx: Kysely<Database>, communityCode: string, wanted: Array<string | undefined>) {
  const problems: string[] = [];
  for (const code of wanted) {
    if (code === undefined) continue;
    const verdict = validateGridCode(code, communityCode);
    if (!verdict.ok) problems.push(verdict.message.en);
    else if (await gridByCode(trx, code)) problems.push(`Grid code ${code} is already used`);
  }
  const given = wanted.filter((c): c is string => c !== undefined);
  if (new Set(given).size !== given.length) problems.push('The same new code is given twice');
  if (problems.length > 0) return { problems, codes: [] };
  const free = await nextFreeSeqs(trx, communityCode, wanted.length - given.length);
  return { problems, codes: wanted.map((c) => c ?? formatGridCode(communityCode, free.shift() as number)) };
}

const invalid = (
  code: 'GRID_SPLIT_INVALID' | 'GRID_MERGE_INVALID',
  en: string,
  zh: string,
  details: object,
) => new AppError(code, { message: { zh, en }, details });

/** Problems of the parts of a split: validity, outside the old grid, overlaps, uncovered area. */
async function splitProblems(trx: Kysely<Database>, oldCode: string, parts: string[], communityCode: string) {
  const values = sql.join(parts.map((g, i) => sql`(${i}::int, ${g}::text)`));
  const where = (i: number | null) => ({ gridCode: null, communityCode, feature: i });
  const r = await sql<{
    kind: string;
    i: number | null;
    j: number | null;
    detail: string;
    area_m2: number;
    lng: number | null;
    lat: number | null;
  }>`
    WITH p AS (SELECT i, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS g FROM (VALUES ${values}) v(i, g)),
    old AS (SELECT geom FROM grids WHERE code = ${oldCode}),
    bad AS (SELECT i, ST_IsValidDetail(g) AS d FROM p)
    SELECT 'invalid' AS kind, i, NULL::int AS j, (d).reason AS detail, 0::float8 AS area_m2,
      ST_X((d).location) AS lng, ST_Y((d).location) AS lat FROM bad WHERE NOT (d).valid
    UNION ALL
    SELECT 'outside', p.i, NULL, '', ST_Area(x.part::geography), ST_X(ST_PointOnSurface(x.part)), ST_Y(ST_PointOnSurface(x.part))
    FROM p, old CROSS JOIN LATERAL (SELECT ST_CollectionExtract(ST_Difference(p.g, old.geom), 3) AS part) x
    WHERE NOT EXISTS (SELECT 1 FROM bad WHERE NOT (d).valid) AND NOT ST_IsEmpty(x.part)
    UNION ALL
    SELECT 'overlap', a.i, b.i, '', ST_Area(x.part::geography), ST_X(ST_PointOnSurface(x.part)), ST_Y(ST_PointOnSurface(x.part))
    FROM p a JOIN p b ON a.i < b.i
    CROSS JOIN LATERAL (SELECT ST_CollectionExtract(ST_Intersection(a.g, b.g), 3) AS part) x
    WHERE NOT EXISTS (SELECT 1 FROM bad WHERE NOT (d).valid) AND NOT ST_IsEmpty(x.part)
    UNION ALL
    SELECT 'gap', NULL, NULL, '', ST_Area(x.geom::geography), ST_X(ST_PointOnSurface(x.geom)), ST_Y(ST_PointOnSurface(x.geom))
    FROM old CROSS JOIN LATERAL ST_Dump(ST_CollectionExtract(ST_Difference(old.geom, (SELECT ST_Union(g) FROM p)), 3)) x
    WHERE NOT EXISTS (SELECT 1 FROM bad WHERE NOT (d).valid)`.execute(trx);
  const m2 = (v: number) => Math.round(v * 10) / 10;
  const round7 = (v: number | null) => (v === null ? null : Math.round(v * 1e7) / 1e7);
  const problems: Located[] = [];
  for (const row of r.rows) {
    if (row.kind !== 'invalid' && row.area_m2 <= OVERLAP_TOLERANCE_M2) continue;
    const draft =
      row.kind === 'invalid'
        ? gridProblem('GRID_GEOMETRY_INVALID', where(row.i), {
            zh: `多边形无效（${row.detail}）`,
            en: `the polygon is invalid (${row.detail})`,
          })
        : row.kind === 'outside'
          ? gridProblem('GRID_OUTSIDE_PARENT', where(row.i), {
              zh: `有 ${m2(row.area_m2)} 平方米超出被拆分的网格 ${oldCode}`,
              en: `${m2(row.area_m2)} m² lie outside the grid being split, ${oldCode}`,
            })
          : row.kind === 'overlap'
            ? gridProblem('GRID_OVERLAP', where(row.i), {
                zh: `与第 ${(row.j ?? 0) + 1} 部分重叠 ${m2(row.area_m2)} 平方米`,
                en: `overlaps part #${(row.j ?? 0) + 1} by ${m2(row.area_m2)} m²`,
              })
            : gridProblem(
                'GRID_GAP',
                { gridCode: oldCode, communityCode, feature: null },
                {
                  zh: `有 ${m2(row.area_m2)} 平方米未被任何拆分部分覆盖`,
                  en: `${m2(row.area_m2)} m² are covered by no part of the split`,
                },
              );
    problems.push({ ...draft, lng: round7(row.lng), lat: round7(row.lat) });
  }
  return problems;
}

export async function splitGrid(
  ctx: Ctx,
  code: string,
  input: { parts: SplitPart[]; reason?: string | undefined },
) {
  requirePermission(ctx.actor, 'grid.write');
  await currentGrid(ctx.db, ctx, code);
  input.parts.forEach((part, i) => {
    const problem = ringProblem(part.geometry);
    if (problem) {
      throw invalid(
        'GRID_SPLIT_INVALID',
        `Part #${i + 1} is invalid: ${problem}`,
        `第 ${i + 1} 部分图形无效：${problem}`,
        { part: i, reason: problem },
      );
    }
  });
  const result = await ctx.db.transaction().execute(async (trx) => {
    await lockGridWrites(trx);
    const old = await currentGrid(trx, ctx, code);
    const geojson = input.parts.map((p) => JSON.stringify(p.geometry));
    const problems = await splitProblems(trx, code, geojson, old.community_code);
    if (problems.length > 0) {
      throw invalid(
        'GRID_SPLIT_INVALID',
        `The parts do not tile grid ${code}: ${problems.map((p) => p.en).join('; ')}`,
        `拆分部分未能恰好覆盖网格 ${code}：${problems.map((p) => p.zh).join('；')}`,
        { problems },
      );
    }
    const codes = await codesFor(
      trx,
      old.community_code,
      input.parts.map((p) => p.code),
    );
    if (codes.problems.length > 0) {
      throw invalid(
        'GRID_SPLIT_INVALID',
        codes.problems.join('; '),
        `新网格编码无效：${codes.problems.join('；')}`,
        { codes: codes.problems },
      );
    }
    const change = await insertChange(trx, ctx, 'split', input.reason ?? null);
    await retireGrids(trx, change.id, [code]);
    for (const [i, part] of input.parts.entries()) {
      const newCode = codes.codes[i] as string;
      await insertCurrent(
        trx,
        change.id,
        newCode,
        old.community_code,
        part.areaClass ?? old.area_class,
        geojson[i] as string,
      );
    }
    await linkSuccessors(trx, change.id, OVERLAP_TOLERANCE_M2);
    await recomputeBoundaries(trx, [old.community_code]);
    await audit(
      { ...ctx, db: trx },
      { action: 'grid.split', target: `grid:${code}`, details: { changeId: change.id, into: codes.codes } },
    );
    return { changeId: change.id, retired: code, created: codes.codes };
  });
  return { ...result, created: await Promise.all(result.created.map((c) => getGrid(ctx, c))) };
}

async function insertCurrent(
  trx: Kysely<Database>,
  changeId: number,
  code: string,
  community: string,
  areaClass: AreaClass,
  geojson: string,
) {
  const r = await sql`INSERT INTO grids (code, community_code, seq, area_class, geom, area_m2)
    SELECT ${code}, ${community}, ${Number(code.slice(12))}::int, ${areaClass}, x.g, ST_Area(x.g::geography)
    FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326) AS g) x`.execute(trx);
  if (Number(r.numAffectedRows) !== 1) throw new Error(`grid ${code} was not inserted`);
  await trx
    .insertInto('grid_change_items')
    .values({ change_id: changeId, grid_code: code, role: 'created' })
    .execute();
}

export async function mergeGrids(
  ctx: Ctx,
  input: {
    codes: string[];
    code?: string | undefined;
    areaClass?: AreaClass | undefined;
    reason?: string | undefined;
  },
) {
  requirePermission(ctx.actor, 'grid.write');
  if (new Set(input.codes).size !== input.codes.length) {
    throw invalid('GRID_MERGE_INVALID', 'A grid is listed twice', '同一网格被列出两次', {
      codes: input.codes,
    });
  }
  const result = await ctx.db.transaction().execute(async (trx) => {
    await lockGridWrites(trx);
    const grids = [];
    for (const c of input.codes) grids.push(await currentGrid(trx, ctx, c));
    const communities = [...new Set(grids.map((g) => g.community_code))];
    if (communities.length !== 1) {
      throw invalid(
        'GRID_MERGE_INVALID',
        `Only grids of one community can be merged; these belong to ${communities.join(', ')}`,
        `只能合并同一社区的网格，这些网格分属 ${communities.join('、')}`,
        { communities },
      );
    }
    const community = communities[0] as string;
    const classes = [...new Set(grids.map((g) => g.area_class))];
    const areaClass = input.areaClass ?? (classes.length === 1 ? classes[0] : undefined);
    if (!areaClass) {
      throw invalid(
        'GRID_MERGE_INVALID',
        `The grids have different area classes (${classes.join(', ')}): give areaClass`,
        `这些网格的区域类别不同（${classes.join('、')}），请指定 areaClass`,
        { areaClasses: classes },
      );
    }
    const union = await sql<{ type: string; geojson: string }>`
      SELECT ST_GeometryType(u) AS type, ST_AsGeoJSON(u) AS geojson
      FROM (SELECT ST_UnaryUnion(ST_Collect(geom)) AS u FROM grids WHERE code IN (${sql.join(input.codes)})) x`.execute(
      trx,
    );
    const merged = union.rows[0];
    if (merged?.type !== 'ST_Polygon') {
      throw invalid(
        'GRID_MERGE_INVALID',
        `Grids ${input.codes.join(', ')} are not adjacent: their union is not one polygon`,
        `网格 ${input.codes.join('、')} 不相邻，合并后不是一个多边形`,
        { codes: input.codes },
      );
    }
    const codes = await codesFor(trx, community, [input.code]);
    if (codes.problems.length > 0) {
      throw invalid(
        'GRID_MERGE_INVALID',
        codes.problems.join('; '),
        `新网格编码无效：${codes.problems.join('；')}`,
        { codes: codes.problems },
      );
    }
    const newCode = codes.codes[0] as string;
    const change = await insertChange(trx, ctx, 'merge', input.reason ?? null);
    await retireGrids(trx, change.id, input.codes);
    // Full precision, not the 7-digit GeoJSON: the merged grid must cover exactly what it replaces.
    await sql`INSERT INTO grids (code, community_code, seq, area_class, geom, area_m2)
      SELECT ${newCode}, ${community}, ${Number(newCode.slice(12))}::int, ${areaClass}, u, ST_Area(u::geography)
      FROM (SELECT ST_UnaryUnion(ST_Collect(geom)) AS u FROM grids WHERE code IN (${sql.join(input.codes)})) x`.execute(
      trx,
    );
    await trx
      .insertInto('grid_change_items')
      .values({ change_id: change.id, grid_code: newCode, role: 'created' })
      .execute();
    await linkSuccessors(trx, change.id, OVERLAP_TOLERANCE_M2);
    await recomputeBoundaries(trx, [community]);
    await audit(
      { ...ctx, db: trx },
      {
        action: 'grid.merge',
        target: `grid:${newCode}`,
        details: { changeId: change.id, merged: input.codes },
      },
    );
    return { changeId: change.id, retired: input.codes, code: newCode };
  });
  return { changeId: result.changeId, retired: result.retired, created: await getGrid(ctx, result.code) };
}

export async function gridHistory(ctx: Ctx, code: string) {
  requirePermission(ctx.actor, 'grid.read');
  requireGeoScope(ctx.actor, code, 'grid');
  const grid = await gridByCode(ctx.db, code);
  if (!grid) throw notFound('grid');
  const [lineage, changes] = await Promise.all([lineageOf(ctx.db, code), changesOf(ctx.db, code)]);
  const visible = (xs: Array<{ code: string; change_id: number }>) =>
    xs
      .filter((x) => x.code.startsWith(ctx.actor.scopePrefix))
      .map((x) => ({ code: x.code, changeId: x.change_id }));
  return {
    code,
    communityCode: grid.community_code,
    validFrom: grid.valid_from,
    validTo: grid.valid_to,
    current: grid.valid_to === null,
    predecessors: visible(lineage.predecessors),
    successors: visible(lineage.successors),
    changes: changes.map((c) => ({
      id: c.id,
      kind: c.kind,
      effectiveOn: c.effective_on,
      at: c.at.toISOString(),
      actorName: c.actor_name,
      reason: c.reason,
      role: c.role,
      previousAreaClass: c.role === 'created' || c.role === 'retired' ? null : c.previous_area_class,
      previousGeometry: c.previous_geometry ? (JSON.parse(c.previous_geometry) as PolygonGeometry) : null,
    })),
  };
}
