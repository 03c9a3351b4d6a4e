/**
 * What the case module asks the catalog: which standards version is in force at an instant, and
 * the standard / time limit of a class under a version. No permission checks: callers are services
 * that already checked theirs.
 */
import type { Kysely } from 'kysely';
import {
  type AreaClass,
  isComponentProblem,
  type Kind,
  limitForUrgency,
  type Scheme,
  type StandardContent,
  type Urgency,
} from '../../domain/catalog/index.js';
import type { LimitUnit } from '../../domain/timelimit/index.js';
import { CHINA_UTC_OFFSET_MINUTES, formatLocalDate } from '../../domain/timelimit/index.js';
import type { ClockStep } from '../../domain/workflow/states.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import {
  type CategoryRow,
  categoryByCode,
  categoryById,
  counterpartsOf,
  standardsOf,
  versionById,
  versionInForce,
} from './repo.js';
import { activeScheme } from './scheme.js';

type Db = Kysely<Database>;

/** The civil date in China of an instant: versions take effect at local midnight. */
export function chinaDateOf(at: Date): string {
  return formatLocalDate(Math.floor((at.getTime() + CHINA_UTC_OFFSET_MINUTES * 60_000) / 86_400_000));
}

export interface VersionRef {
  id: number;
  name: string;
  effectiveFrom: string;
}

/** The published version in force at `at` (the latest effective date on or before its local date). */
export async function effectiveVersion(db: Db, at: Date): Promise<VersionRef | null> {
  const v = await versionInForce(db, chinaDateOf(at));
  return v?.effective_from ? { id: v.id, name: v.name, effectiveFrom: v.effective_from } : null;
}

/** A class by id, or by code within a kind and scheme (default: the active scheme). */
export type CategoryRef = { categoryId: number } | { code: string; kind: Kind; scheme?: Scheme | undefined };

/** Which version: a given one (a case keeps the one it was filed under) or the one in force at `at` (default now). */
export type VersionChoice = { versionId: number } | { at?: Date | undefined };

export interface ResolvedStandard extends StandardContent {
  versionId: number;
  categoryId: number;
  /** The class whose row applies: itself, its counterpart in the other scheme, or its 小类 for a 细类. */
  sourceCategoryId: number;
}

async function resolveCategory(db: Db, ref: CategoryRef): Promise<CategoryRow> {
  const row =
    'categoryId' in ref
      ? await categoryById(db, ref.categoryId)
      : await categoryByCode(db, ref.scheme ?? activeScheme(), ref.kind, ref.code);
  if (!row) throw notFound('category');
  return row;
}

async function resolveVersion(db: Db, choice: VersionChoice): Promise<number> {
  if ('versionId' in choice) {
    if (!(await versionById(db, choice.versionId))) throw notFound('standard_version');
    return choice.versionId;
  }
  const at = choice.at ?? new Date();
  const v = await effectiveVersion(db, at);
  if (!v) throw new AppError('CATALOG_NO_EFFECTIVE_VERSION', { details: { at: at.toISOString() } });
  return v.id;
}

/**
 * The classes whose rows serve a class, most specific first: itself, its counterparts in the
 * other scheme (many-to-many; the first with a row wins), then for a 细类 its 小类 and that
 * one's counterparts; a 47678.5 event "<部件>异常" last follows its component (derive.ts).
 */
export async function standardCandidates(db: Db, category: CategoryRow): Promise<number[]> {
  const out: number[] = [category.id, ...(await counterpartsOf(db, category.id))];
  if (category.level === 'detail' && category.parent_id) {
    out.push(category.parent_id, ...(await counterpartsOf(db, category.parent_id)));
  }
  const minorCode = category.level === 'detail' ? category.code.slice(0, 5) : category.code;
  if (category.scheme === 'gbt47678' && isComponentProblem(category.kind, minorCode)) {
    const component = await categoryByCode(db, 'gbt47678', 'component', minorCode);
    if (component) out.push(component.id, ...(await counterpartsOf(db, component.id)));
  }
  return [...new Set(out)];
}

/**
 * The standard of a class under a version, or null when the version has none for it. Rows are
 * looked for along {@link standardCandidates}, so one table serves both code schemes, cases
 * filed before a version had rows for the new scheme, and 细类 that inherit until given their own.
 */
export async function standardFor(db: Db, q: CategoryRef & VersionChoice): Promise<ResolvedStandard | null> {
  const category = await resolveCategory(db, q);
  const versionId = await resolveVersion(db, q);
  const candidates = await standardCandidates(db, category);
  const rows = await standardsOf(db, versionId, candidates);
  const byId = new Map(rows.map((r) => [r.categoryId, r]));
  for (const id of candidates) {
    const row = byId.get(id);
    if (row) {
      const { categoryId: _source, derivedFrom: _derived, ...content } = row;
      return { ...content, versionId, categoryId: category.id, sourceCategoryId: id };
    }
  }
  return null;
}

export interface ResolvedLimit {
  amount: number;
  unit: LimitUnit;
  versionId: number;
  categoryId: number;
  sourceCategoryId: number;
  /** The urgency level whose limit applies: the case's own or, by fallback, a less urgent one. */
  urgency: Urgency;
}

/**
 * The time limit of one step in one area class for a case of the given urgency (default 一般),
 * with the fallback 特急 → 紧急 → 一般 of URGENCY_FALLBACK; null when the standard sets none.
 */
export async function timeLimitFor(
  db: Db,
  q: CategoryRef & VersionChoice & { areaClass: AreaClass; step: ClockStep; urgency?: Urgency | undefined },
): Promise<ResolvedLimit | null> {
  const standard = await standardFor(db, q);
  const hit = standard ? limitForUrgency(standard.limits, q.step, q.areaClass, q.urgency ?? 'normal') : null;
  if (!standard || !hit) return null;
  return {
    amount: hit.limit.amount,
    unit: hit.limit.unit,
    urgency: hit.urgency,
    versionId: standard.versionId,
    categoryId: standard.categoryId,
    sourceCategoryId: standard.sourceCategoryId,
  };
}
