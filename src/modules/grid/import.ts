/**
 * Grid import (GeoJSON or zipped shapefile): read → resolve the CRS → structural checks →
 * stage in PostGIS (transformed to WGS84) → spatial checks → report, and on apply replace the
 * grids of every community in the file, keeping the replaced ones as history.
 */
import { type Kysely, sql } from 'kysely';
import { crsInfo, detectCrsFromWkt, parseCrsName, SUPPORTED_CRS_TEXT } from '../../domain/grid/crs.js';
import { crsRangeViolation, parseGridFeatures } from '../../domain/grid/features.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { parseOffThread } from '../../platform/workers/run.js';
import { audit } from '../audit/service.js';
import { lockGridWrites, recomputeBoundaries } from './boundaries.js';
import { insertChange, linkSuccessors, retireGrids } from './history-repo.js';
import { OVERLAP_TOLERANCE_M2 } from './service.js';
import { type DbfEncoding, readZippedShapefile, type ShapefileContent } from './shapefile.js';
import { type ImportPlan, planImport, stageCandidates } from './stage.js';
import { checkStaged, type LocatedProblem, locateDrafts } from './validate.js';

export const MAX_IMPORT_FEATURES = 20_000;
/** Problems listed in one report; the summary still counts all of them. */
const MAX_LISTED_PROBLEMS = 1_000;

export type ImportInput =
  | { kind: 'geojson'; collection: { features: unknown[]; crs?: unknown } }
  | { kind: 'shapefile'; zip: Uint8Array };

export interface ImportOptions {
  dryRun: boolean;
  crs?: string | undefined;
  encoding?: DbfEncoding | undefined;
  redrawBoundary: boolean;
}

const crsError = (code: 'GRID_CRS_UNKNOWN' | 'GRID_CRS_CONFLICT', zh: string, en: string, details: object) =>
  new AppError(code, { message: { zh, en }, details });

/** The EPSG code to read the coordinates in: declared, else the file's own, else WGS 84. */
function resolveCrs(declared: string | undefined, fileCrs: { text: string; from: 'prj' | 'geojson' } | null) {
  let declaredSrid: number | null = null;
  if (declared !== undefined) {
    declaredSrid = parseCrsName(declared);
    if (declaredSrid === null || !crsInfo(declaredSrid)) {
      throw crsError(
        'GRID_CRS_UNKNOWN',
        `不支持的坐标系 "${declared}"，支持：${SUPPORTED_CRS_TEXT}`,
        `Unsupported coordinate system "${declared}"; supported: ${SUPPORTED_CRS_TEXT}`,
        { crs: declared },
      );
    }
  }
  let fileSrid: number | null = null;
  if (fileCrs) {
    fileSrid = fileCrs.from === 'prj' ? detectCrsFromWkt(fileCrs.text) : parseCrsName(fileCrs.text);
    if ((fileSrid === null || !crsInfo(fileSrid)) && declaredSrid === null) {
      const where = fileCrs.from === 'prj' ? '.prj' : 'GeoJSON crs';
      throw crsError(
        'GRID_CRS_UNKNOWN',
        `无法识别文件（${where}）中的坐标系，支持：${SUPPORTED_CRS_TEXT}；也可用 crs 参数声明`,
        `The coordinate system in the file (${where}) is unknown or unsupported; supported: ${SUPPORTED_CRS_TEXT}, or declare one with the crs parameter`,
        { from: fileCrs.from, text: fileCrs.text.slice(0, 300) },
      );
    }
  }
  if (declaredSrid !== null && fileSrid !== null && crsInfo(fileSrid) && fileSrid !== declaredSrid) {
    throw crsError(
      'GRID_CRS_CONFLICT',
      `声明的坐标系 EPSG:${declaredSrid} 与文件中的 EPSG:${fileSrid} 不一致`,
      `The declared EPSG:${declaredSrid} differs from the file's EPSG:${fileSrid}`,
      { declared: declaredSrid, file: fileSrid },
    );
  }
  const srid = declaredSrid ?? fileSrid ?? 4326;
  const source =
    declaredSrid !== null ? 'declared' : fileSrid !== null ? (fileCrs?.from ?? 'default') : 'default';
  return { srid, name: crsInfo(srid)?.name ?? '', source };
}

/** The file as the checks read it: its features, the CRS it declares, the DBF's encoding. */
export interface GridFile {
  features: unknown[];
  fileCrs: { text: string; from: 'prj' | 'geojson' } | null;
  encoding: DbfEncoding | null;
}

/** A file of no grids, or of too many, is refused (for GeoJSON already on the request). */
export function checkFeatureCount(n: number): void {
  if (n === 0 || n > MAX_IMPORT_FEATURES) {
    throw new AppError('GRID_IMPORT_FILE', {
      message: {
        zh: `文件应包含 1–${MAX_IMPORT_FEATURES} 个网格要素，实际 ${n} 个`,
        en: `The file must hold 1–${MAX_IMPORT_FEATURES} grid features; it holds ${n}`,
      },
      details: { features: n },
    });
  }
}

/** Refuses a declared CRS we do not know before any work is queued (a 400 on the request). */
export function checkDeclaredCrs(declared: string | undefined): void {
  resolveCrs(declared, null);
}

/** Reads the file: a shapefile is unzipped and decoded in a worker thread (seconds for a city). */
export async function readGridFile(
  input: ImportInput,
  encoding: DbfEncoding | undefined,
  signal?: AbortSignal,
): Promise<GridFile> {
  if (input.kind === 'geojson') {
    const crs = input.collection.crs as { properties?: { name?: unknown } } | undefined;
    const name = crs?.properties?.name;
    const fileCrs = typeof name === 'string' ? { text: name, from: 'geojson' as const } : null;
    if (crs !== undefined && crs !== null && !fileCrs) {
      throw crsError(
        'GRID_CRS_UNKNOWN',
        'GeoJSON 的 crs 成员无法识别',
        'The GeoJSON crs member is not understood',
        {
          crs,
        },
      );
    }
    return { features: input.collection.features, fileCrs, encoding: null };
  }
  const shp = await parseOffThread<ShapefileContent>(
    input.zip.byteLength,
    () => readZippedShapefile(input.zip, encoding),
    new URL('./shapefile.ts', import.meta.url),
    'readZippedShapefile',
    [input.zip, encoding],
    signal,
  );
  return {
    features: shp.features,
    fileCrs: shp.prj ? { text: shp.prj, from: 'prj' as const } : null,
    encoding: shp.encoding,
  };
}

function summarise(plan: ImportPlan | null) {
  if (!plan) return null;
  const count = (action: string, community?: string) =>
    plan.grids.filter((g) => g.action === action && (!community || g.communityCode === community)).length;
  const communities = [...new Set(plan.grids.map((g) => g.communityCode))].sort();
  const tally = (community?: string) => ({
    created: count('created', community),
    reshaped: count('reshaped', community),
    reclassified: count('reclassified', community),
    unchanged: count('unchanged', community),
    retired: plan.retired.filter((r) => !community || r.communityCode === community).length,
  });
  return { ...tally(), communities: communities.map((code) => ({ code, ...tally(code) })) };
}

async function applyPlan(trx: Kysely<Database>, ctx: Ctx, plan: ImportPlan) {
  const touched = plan.retired.length + plan.grids.filter((g) => g.action !== 'unchanged').length;
  if (touched === 0) return null;
  const change = await insertChange(trx, ctx, 'import', null);
  const id = change.id;
  const of = (action: string) => plan.grids.filter((g) => g.action === action).map((g) => g.code);
  await retireGrids(
    trx,
    id,
    plan.retired.map((r) => r.code),
  );
  for (const role of ['reshaped', 'reclassified'] as const) {
    const codes = of(role);
    if (codes.length === 0) continue;
    await sql`INSERT INTO grid_change_items (change_id, grid_code, role, previous_geom, previous_area_class)
      SELECT ${id}::int, g.code, ${role}::text, CASE WHEN ${role}::text = 'reshaped' THEN g.geom END, g.area_class
      FROM grids g WHERE g.code IN (${sql.join(codes)})`.execute(trx);
    await sql`UPDATE grids g SET area_class = i.area_class, geom = i.geom, area_m2 = ST_Area(i.geom::geography)
      FROM grid_import i WHERE i.code = g.code AND g.code IN (${sql.join(codes)})`.execute(trx);
  }
  const created = of('created');
  if (created.length > 0) {
    const r = await sql`INSERT INTO grids (code, community_code, seq, area_class, geom, area_m2)
      SELECT i.code, i.community_code, i.seq, i.area_class, i.geom, ST_Area(i.geom::geography)
      FROM grid_import i WHERE i.code IN (${sql.join(created)})`.execute(trx);
    if (Number(r.numAffectedRows) !== created.length) throw new Error('imported grids were not all inserted');
    await trx
      .insertInto('grid_change_items')
      .values(created.map((grid_code) => ({ change_id: id, grid_code, role: 'created' as const })))
      .execute();
  }
  await linkSuccessors(trx, id, OVERLAP_TOLERANCE_M2);
  return change;
}

const byPlace = (a: LocatedProblem, b: LocatedProblem) =>
  (a.feature ?? Number.MAX_SAFE_INTEGER) - (b.feature ?? Number.MAX_SAFE_INTEGER) ||
  (a.communityCode ?? '').localeCompare(b.communityCode ?? '');

/** Import steps' progress (percent of the whole job, a line for the console). */
export type GridImportStep = (percent: number, message: string) => Promise<void>;
const noStep: GridImportStep = async () => {};

/**
 * Checks the file read by readGridFile and, unless a dry run, applies it (all or nothing: one
 * transaction; in a job, the job's unit of work).
 */
export async function importGrids(
  ctx: Ctx,
  file: GridFile,
  options: ImportOptions,
  step: GridImportStep = noStep,
) {
  requirePermission(ctx.actor, 'grid.write');
  checkFeatureCount(file.features.length);
  const crs = resolveCrs(options.crs, file.fileCrs);
  const parsed = parseGridFeatures(file.features);
  const violation = crsRangeViolation(crs.srid, parsed.candidates);
  if (violation) {
    const [x, y] = violation.sample.position;
    const who = violation.sample.gridCode ?? `#${violation.sample.feature + 1}`;
    const hint = violation.guess
      ? {
          zh: `；这些坐标看起来像 ${violation.guess}，请用 crs 参数或 .prj 声明`,
          en: `; they look like ${violation.guess}: declare it with the crs parameter or a .prj`,
        }
      : { zh: '', en: '' };
    throw new AppError('GRID_CRS_OUT_OF_RANGE', {
      message: {
        zh: `${violation.outside} 个坐标超出 EPSG:${crs.srid}（${crs.name}）的取值范围，例如网格 ${who} 的 (${x}, ${y})${hint.zh}`,
        en: `${violation.outside} coordinates lie outside the range of EPSG:${crs.srid} (${crs.name}), e.g. (${x}, ${y}) of grid ${who}${hint.en}`,
      },
      details: { ...violation, crsSource: crs.source },
    });
  }
  return ctx.db.transaction().execute(async (trx) => {
    // Checks and writes under one lock: nothing can change the grids between them.
    if (!options.dryRun) await lockGridWrites(trx);
    await step(45, `暂存 ${parsed.candidates.length} 个网格 · staging ${parsed.candidates.length} grids`);
    await stageCandidates(trx, crs.srid, parsed.candidates);
    await step(60, '检查 · checking');
    const problems = [
      ...(await locateDrafts(trx, parsed.problems)),
      ...(await checkStaged(trx, {
        toleranceM2: OVERLAP_TOLERANCE_M2,
        scopePrefix: ctx.actor.scopePrefix,
        redrawBoundary: options.redrawBoundary,
      })),
    ].sort(byPlace);
    const ok = problems.length === 0;
    const plan = ok ? await planImport(trx, OVERLAP_TOLERANCE_M2) : null;
    const report = {
      ok,
      dryRun: options.dryRun,
      problems: problems.slice(0, MAX_LISTED_PROBLEMS),
      summary: {
        features: file.features.length,
        problems: problems.length,
        crs: { srid: crs.srid, name: crs.name, source: crs.source },
        ...(file.encoding ? { encoding: file.encoding } : {}),
        changes: summarise(plan),
      },
    };
    if (options.dryRun) return { ...report, changeId: null };
    if (!plan) {
      throw new AppError('GRID_IMPORT_INVALID', {
        message: {
          zh: `网格文件有 ${problems.length} 个问题，未写入任何数据`,
          en: `The grid file has ${problems.length} problems; nothing was written`,
        },
        details: report,
      });
    }
    await step(80, '写入 · writing');
    const change = await applyPlan(trx, ctx, plan);
    await recomputeBoundaries(trx, [...new Set(plan.grids.map((g) => g.communityCode))]);
    await audit(
      { ...ctx, db: trx },
      {
        action: 'grid.import',
        target: change ? `grid_change:${change.id}` : null,
        details: { crs: crs.srid, features: file.features.length, ...report.summary.changes },
      },
    );
    return { ...report, changeId: change?.id ?? null };
  });
}
