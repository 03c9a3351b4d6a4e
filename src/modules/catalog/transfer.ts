/** The standards table as an .xlsx file: export a version, import into a draft (all or nothing). */

import type { Cell } from '../../domain/catalog/index.js';
import {
  COLUMNS,
  type ExportRow,
  exportCells,
  type Scheme,
  type SheetCategory,
  validateSheet,
} from '../../domain/catalog/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { chinaDateOf } from './lookup.js';
import {
  activeDepartmentCodes,
  type CategoryRow,
  categoriesWhere,
  deleteStandards,
  insertStandards,
  mappingRows,
  standardsOf,
  versionById,
} from './repo.js';
import { activeScheme } from './scheme.js';
import { getVersion, lockDraft } from './versions.js';
import { writeStandardsWorkbook } from './xlsx.js';

const KIND_ORDER = { component: 0, event: 1 } as const;

/** Active 小类 / 细类 of a scheme in table order: kind, then code (a 细类 right after its 小类). */
async function tableClasses(ctx: Ctx, scheme: Scheme) {
  const all = await categoriesWhere(ctx.db, { scheme });
  const byId = new Map(all.map((c) => [c.id, c]));
  const rows = all
    .filter((c) => c.active && c.level !== 'major')
    .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.code.localeCompare(b.code));
  return { all, byId, rows };
}

export async function exportVersion(ctx: Ctx, versionId: number, schemeOpt?: Scheme) {
  requirePermission(ctx.actor, 'catalog.read');
  const version = await versionById(ctx.db, versionId);
  if (!version) throw notFound('standard_version');
  const scheme = schemeOpt ?? activeScheme();
  const [{ byId, rows }, standards, mappings] = await Promise.all([
    tableClasses(ctx, scheme),
    standardsOf(ctx.db, versionId),
    mappingRows(ctx.db),
  ]);
  // Many-to-many, by code (mappingRows lists 30428.2 → 47678.5 pairs in code order).
  const counterparts = new Map<number, Array<{ id: number; code: string }>>();
  const link = (a: number, b: { id: number; code: string }) =>
    counterparts.set(a, [...(counterparts.get(a) ?? []), b]);
  for (const m of mappings) {
    link(m.from_id, { id: m.to_id, code: m.to_code });
    link(m.to_id, { id: m.from_id, code: m.from_code });
  }
  const standardOf = new Map(standards.map((s) => [s.categoryId, s]));
  const exportRows: ExportRow[] = rows.map((c) => {
    const minor: CategoryRow | undefined = c.level === 'detail' ? byId.get(c.parent_id ?? 0) : c;
    const major = byId.get(minor?.parent_id ?? 0);
    const others = [...(counterparts.get(c.id) ?? [])].sort((a, b) => a.code.localeCompare(b.code));
    // A version written in the other scheme is shown through the mapping (the first counterpart with a row).
    const s = standardOf.get(c.id) ?? others.map((o) => standardOf.get(o.id)).find((x) => x !== undefined);
    return {
      kind: c.kind,
      major: { code: major?.code ?? '', name: major?.name ?? '' },
      minor: { code: minor?.code ?? '', name: minor?.name ?? '' },
      detail: c.level === 'detail' ? { code: c.code, name: c.name } : null,
      mappedCode: others.length > 0 ? others.map((o) => o.code).join('、') : null,
      standard: s ? { ...s } : null,
    };
  });
  const cells = exportCells(exportRows);
  const notes = [
    `CityLoop 立案、处置与结案标准及处置责任分解表 — 版本 ${version.id}「${version.name}」（${version.status === 'published' ? `已发布，${version.effective_from} 起生效` : '草稿'}）`,
    `编码体系 scheme: ${scheme}；列说明见 docs/standards-xlsx.md。共 ${cells[0]?.length ?? COLUMNS.length} 列，每行一个小类或细类。`,
    '时限列"签收时限-A"等为该类别自身（一般）的时限；"签收时限-A-紧急""签收时限-A-特急"为紧急、特急案卷的时限，可选，留空则依次沿用紧急、一般的时限。',
    '时限写法：数字加单位，如 30分钟、6小时（自然小时）、4工作时、1工作日；留空表示该环节不设时限。',
    '紧急程度：一般 / 紧急 / 特急；责任部门：部门代码，多个用"、"分隔。',
  ];
  const buffer = await writeStandardsWorkbook(cells, notes);
  return { buffer, filename: `standards-v${version.id}-${scheme}.xlsx` };
}

/** The draft an import replaces exists and is still a draft (checked by the request and the job). */
export async function checkImportTarget(ctx: Ctx, versionId: number | undefined): Promise<void> {
  requirePermission(ctx.actor, 'catalog.write');
  if (versionId === undefined) return;
  const v = await versionById(ctx.db, versionId);
  if (!v) throw notFound('standard_version');
  if (v.status !== 'draft') throw new AppError('CATALOG_VERSION_PUBLISHED', { details: { versionId: v.id } });
}

/**
 * Imports a workbook's cells (readStandardsWorkbook, in a worker thread): into draft `versionId` (replacing its content) or, without one, into a new
 * draft. Nothing is written unless every row is valid.
 */
export async function importVersion(
  ctx: Ctx,
  cells: Cell[][],
  opts: { versionId?: number | undefined; scheme?: Scheme | undefined; name?: string | undefined },
) {
  requirePermission(ctx.actor, 'catalog.write');
  const scheme = opts.scheme ?? activeScheme();
  await checkImportTarget(ctx, opts.versionId);
  const [{ all }, departmentCodes] = await Promise.all([
    tableClasses(ctx, scheme),
    activeDepartmentCodes(ctx.db),
  ]);
  const categories = new Map<string, SheetCategory>(
    all.map((c) => [
      `${c.kind}:${c.code}`,
      { id: c.id, kind: c.kind, level: c.level, code: c.code, name: c.name, active: c.active },
    ]),
  );
  const verdict = validateSheet(cells, { scheme, categories, departmentCodes });
  if (!verdict.ok) {
    throw new AppError('CATALOG_IMPORT_INVALID', {
      details: { scheme, errorCount: verdict.errors.length, errors: verdict.errors.slice(0, 500) },
    });
  }
  const rows = verdict.rows.flatMap((r) => (r.standard ? [{ categoryId: r.categoryId, ...r.standard }] : []));
  const versionId = await ctx.db.transaction().execute(async (trx) => {
    let id = opts.versionId;
    if (id === undefined) {
      const v = await trx
        .insertInto('standard_versions')
        .values({
          name: opts.name ?? `导入 ${chinaDateOf(new Date())}`,
          created_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = v.id;
    } else {
      await lockDraft(trx, id);
      await deleteStandards(trx, id);
    }
    await insertStandards(trx, id, rows);
    await audit(
      { ...ctx, db: trx },
      {
        action: 'catalog.version.import',
        target: `standard_version:${id}`,
        details: { scheme, rows: verdict.rows.length, standards: rows.length, sheetRows: cells.length },
      },
    );
    return id;
  });
  return { version: await getVersion(ctx, versionId), rows: verdict.rows.length, standards: rows.length };
}
