import { type Kysely, type Selectable, sql } from 'kysely';
import type { DerivedFrom, Kind, Scheme, StandardContent } from '../../domain/catalog/index.js';
import type { Database } from '../../platform/db/schema.js';
import type { CategoriesTable, StandardVersionsTable } from './tables.js';

export type CategoryRow = Selectable<CategoriesTable>;
export type VersionRow = Selectable<StandardVersionsTable>;
type Db = Kysely<Database>;

export function categoriesWhere(db: Db, q: { scheme?: Scheme; kind?: Kind }): Promise<CategoryRow[]> {
  let query = db.selectFrom('categories').selectAll();
  if (q.scheme) query = query.where('scheme', '=', q.scheme);
  if (q.kind) query = query.where('kind', '=', q.kind);
  return query.orderBy('scheme').orderBy('kind').orderBy('code').execute();
}

export function categoryById(db: Db, id: number): Promise<CategoryRow | undefined> {
  return db.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst();
}

export function categoryByCode(db: Db, scheme: Scheme, kind: Kind, code: string) {
  return db
    .selectFrom('categories')
    .selectAll()
    .where('scheme', '=', scheme)
    .where('kind', '=', kind)
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function hasActiveChildren(db: Db, id: number): Promise<boolean> {
  const row = await db
    .selectFrom('categories')
    .select('id')
    .where('parent_id', '=', id)
    .where('active', '=', true)
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

/**
 * Pairs gbt30428 → gbt47678 with both ends, basis and note (the retired placeholder's pairs are
 * left out: they only serve the cases still filed under those codes).
 */
export function mappingRows(db: Db, kind?: Kind) {
  let q = db
    .selectFrom('category_mappings as m')
    .innerJoin('categories as f', 'f.id', 'm.from_id')
    .innerJoin('categories as t', 't.id', 'm.to_id')
    .select([
      'm.from_id',
      'm.to_id',
      'm.basis',
      'm.note',
      'f.kind',
      'f.level',
      'f.code as from_code',
      'f.name as from_name',
      't.code as to_code',
      't.name as to_name',
      't.active as to_active',
    ])
    .where('f.scheme', '=', 'gbt30428')
    .where('t.scheme', '=', 'gbt47678');
  if (kind) q = q.where('f.kind', '=', kind);
  return q.orderBy('f.kind').orderBy('f.code').orderBy('t.code').execute();
}

export function unmappedRows(db: Db) {
  return db
    .selectFrom('category_unmapped as u')
    .innerJoin('categories as c', 'c.id', 'u.category_id')
    .select(['u.category_id', 'u.note', 'u.basis', 'c.scheme', 'c.kind', 'c.code'])
    .execute();
}

/**
 * The counterparts of a class in the other schemes (many-to-many), the filing schemes first
 * (gbt30428 / gbt47678 before the retired placeholder), then by code: a stable order for lookups
 * that take the first hit.
 */
export async function counterpartsOf(db: Db, id: number): Promise<number[]> {
  const { rows } = await sql<{ id: number; scheme: string; code: string }>`
    SELECT c.id, c.scheme, c.code FROM category_mappings m
    JOIN categories c ON c.id = CASE WHEN m.from_id = ${id} THEN m.to_id ELSE m.from_id END
    WHERE m.from_id = ${id} OR m.to_id = ${id}`.execute(db);
  return rows
    .sort(
      (a, b) =>
        (a.scheme === 'gbt47678p' ? 1 : 0) - (b.scheme === 'gbt47678p' ? 1 : 0) ||
        a.code.localeCompare(b.code),
    )
    .map((r) => r.id);
}

export async function activeDepartmentCodes(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('departments').select('code').where('active', '=', true).execute();
  return new Set(rows.map((r) => r.code));
}

// — versions —

export function versionRows(db: Db): Promise<VersionRow[]> {
  return db
    .selectFrom('standard_versions')
    .selectAll()
    .orderBy('effective_from', (ob) => ob.desc().nullsFirst())
    .orderBy('id', 'desc')
    .execute();
}

export function versionById(db: Db, id: number): Promise<VersionRow | undefined> {
  return db.selectFrom('standard_versions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks a version row for a write, so publish and edits of one draft do not interleave. */
export function lockVersion(db: Db, id: number): Promise<VersionRow | undefined> {
  return db.selectFrom('standard_versions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The published version in force on a local date ('YYYY-MM-DD'). */
export function versionInForce(db: Db, date: string): Promise<VersionRow | undefined> {
  return db
    .selectFrom('standard_versions')
    .selectAll()
    .where('status', '=', 'published')
    .where('effective_from', '<=', date)
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function versionPublishedOn(db: Db, date: string) {
  return db
    .selectFrom('standard_versions')
    .select('id')
    .where('status', '=', 'published')
    .where('effective_from', '=', date)
    .executeTakeFirst();
}

export function insertVersion(db: Db, v: { name: string; note: string | null; createdBy: number | null }) {
  return db
    .insertInto('standard_versions')
    .values({ name: v.name, note: v.note, created_by: v.createdBy })
    .returningAll()
    .executeTakeFirstOrThrow();
}

// — standards rows —

export interface StandardRow extends StandardContent {
  categoryId: number;
  /** Set when the row was derived (migration 0022), not written by people. */
  derivedFrom?: DerivedFrom | null;
}

export async function standardsOf(db: Db, versionId: number, categoryIds?: number[]): Promise<StandardRow[]> {
  if (categoryIds?.length === 0) return [];
  let sq = db.selectFrom('category_standards').selectAll().where('version_id', '=', versionId);
  let lq = db.selectFrom('category_time_limits').selectAll().where('version_id', '=', versionId);
  if (categoryIds) {
    sq = sq.where('category_id', 'in', categoryIds);
    lq = lq.where('category_id', 'in', categoryIds);
  }
  const [standards, limits] = await Promise.all([sq.orderBy('category_id').execute(), lq.execute()]);
  const byCategory = new Map<number, StandardContent['limits']>();
  for (const l of limits) {
    const list = byCategory.get(l.category_id) ?? [];
    list.push({
      step: l.step as StandardContent['limits'][number]['step'],
      areaClass: l.area_class,
      urgency: l.urgency,
      limit: { amount: Number(l.amount), unit: l.unit },
    });
    byCategory.set(l.category_id, list);
  }
  return standards.map((s) => ({
    categoryId: s.category_id,
    filingConditions: s.filing_conditions,
    closingConditions: s.closing_conditions,
    defaultUrgency: s.default_urgency,
    departmentCodes: s.department_codes,
    checkPhotos: s.check_photos,
    limits: byCategory.get(s.category_id) ?? [],
    derivedFrom: (s.derived_from as DerivedFrom | null) ?? null,
  }));
}

const BATCH = 500;

/** Writes rows into a version (callers delete what they replace first). */
export async function insertStandards(
  db: Db,
  versionId: number,
  rows: readonly StandardRow[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    await db
      .insertInto('category_standards')
      .values(
        batch.map((r) => ({
          version_id: versionId,
          category_id: r.categoryId,
          filing_conditions: r.filingConditions,
          closing_conditions: r.closingConditions,
          default_urgency: r.defaultUrgency,
          department_codes: r.departmentCodes,
          check_photos: r.checkPhotos,
          derived_from: r.derivedFrom ? JSON.stringify(r.derivedFrom) : null,
        })),
      )
      .execute();
  }
  const limits = rows.flatMap((r) =>
    r.limits.map((l) => ({
      version_id: versionId,
      category_id: r.categoryId,
      step: l.step,
      area_class: l.areaClass,
      urgency: l.urgency,
      amount: l.limit.amount,
      unit: l.limit.unit,
    })),
  );
  for (let i = 0; i < limits.length; i += BATCH) {
    await db
      .insertInto('category_time_limits')
      .values(limits.slice(i, i + BATCH))
      .execute();
  }
}

export async function deleteStandards(db: Db, versionId: number, categoryId?: number): Promise<void> {
  let q = db.deleteFrom('category_standards').where('version_id', '=', versionId);
  if (categoryId !== undefined) q = q.where('category_id', '=', categoryId);
  await q.execute();
}

/** Copies a version's rows into another in two statements. */
export async function copyStandards(db: Db, fromId: number, toId: number): Promise<void> {
  await db
    .insertInto('category_standards')
    .columns([
      'version_id',
      'category_id',
      'filing_conditions',
      'closing_conditions',
      'default_urgency',
      'department_codes',
      'check_photos',
      'derived_from',
    ])
    .expression((eb) =>
      eb
        .selectFrom('category_standards')
        .select((s) => [
          s.val(toId).as('version_id'),
          'category_id',
          'filing_conditions',
          'closing_conditions',
          'default_urgency',
          'department_codes',
          'check_photos',
          'derived_from',
        ])
        .where('version_id', '=', fromId),
    )
    .execute();
  await db
    .insertInto('category_time_limits')
    .columns(['version_id', 'category_id', 'step', 'area_class', 'urgency', 'amount', 'unit'])
    .expression((eb) =>
      eb
        .selectFrom('category_time_limits')
        .select((s) => [
          s.val(toId).as('version_id'),
          'category_id',
          'step',
          'area_class',
          'urgency',
          'amount',
          'unit',
        ])
        .where('version_id', '=', fromId),
    )
    .execute();
}
