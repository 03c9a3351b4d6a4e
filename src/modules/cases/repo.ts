import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Urgency } from '../../domain/catalog/index.js';
import type { TimeLimit } from '../../domain/timelimit/index.js';
import type { ClockStep } from '../../domain/workflow/index.js';
import type { Actor } from '../../platform/auth/actor.js';
import { cachedReference, referenceCacheOf } from '../../platform/db/reference-cache.js';
import type { Database } from '../../platform/db/schema.js';
import { autonomous, isUnitOfWork } from '../../platform/db/unit-of-work.js';
import { chinaDateOf } from '../catalog/lookup.js';
import { activeScheme } from '../catalog/scheme.js';
import { effectiveVersion, timeLimitFor } from '../catalog/service.js';

/** The tables a time limit is derived from (catalog module): a change to any drops the cached limits. */
const LIMIT_TABLES = [
  'categories',
  'category_mappings',
  'standard_versions',
  'category_standards',
  'category_time_limits',
] as const;

export function caseQuery(db: Kysely<Database>) {
  return db
    .selectFrom('cases as c')
    .innerJoin('categories as cat', 'cat.id', 'c.category_id')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .leftJoin('users as hu', 'hu.id', 'c.handler_id')
    .leftJoin('departments as hd', 'hd.id', 'hu.department_id')
    .selectAll('c')
    .select([
      'cat.code as category_code',
      'cat.name as category_name',
      'cat.parent_id as category_parent_id',
      'd.code as department_code',
      'd.name as department_name',
      'd.path as department_path',
      'hu.display_name as handler_name',
      'hd.code as handler_department_code',
      'hd.name as handler_department_name',
      sql<number>`ST_X(c.location)`.as('lng'),
      sql<number>`ST_Y(c.location)`.as('lat'),
    ]);
}

export type CaseRow = NonNullable<Awaited<ReturnType<ReturnType<typeof caseQuery>['executeTakeFirst']>>>;

/**
 * Cases the actor may see: district prefix (centre), own grids (supervisor), department subtree,
 * and for a handler the cases assigned to him.
 */
export function visibleTo(actor: Actor) {
  return (eb: ExpressionBuilder<Database & { c: Database['cases'] }, 'c'>): Expression<SqlBool> => {
    if (actor.role === 'supervisor') {
      return eb.or([
        eb('c.reported_by', '=', actor.userId),
        eb(
          'c.grid_code',
          'in',
          eb.selectFrom('supervisor_grids').select('grid_code').where('user_id', '=', actor.userId),
        ),
      ]);
    }
    if (actor.role === 'department' || actor.role === 'handler') {
      if (actor.departmentPath === null) return eb.val(false);
      const assigned = eb(
        'c.department_id',
        'in',
        eb.selectFrom('departments').select('id').where('path', 'like', `${actor.departmentPath}%`),
      );
      // A handler also sees the cases assigned to him, wherever in the department's subtree he sits
      // (a case dispatched to 市政设施管理处 and given to a handler of its 道路养护所).
      if (actor.role === 'handler') return eb.or([assigned, eb('c.handler_id', '=', actor.userId)]);
      // A department also sees the cases it is a candidate for at the collaboration platform.
      return eb.or([
        assigned,
        eb(
          'c.id',
          'in',
          eb
            .selectFrom('ownership_claims as oc')
            .innerJoin('ownership_disputes as od', 'od.id', 'oc.dispute_id')
            .innerJoin('departments as cd', 'cd.id', 'oc.department_id')
            .select('od.case_id')
            .where('od.status', '=', 'open')
            .where('cd.path', 'like', `${actor.departmentPath}%`),
        ),
      ]);
    }
    return eb('c.grid_code', 'like', `${actor.scopePrefix}%`);
  };
}

export function findCase(db: Kysely<Database>, actor: Actor, id: number, lock = false) {
  let q = caseQuery(db).where('c.id', '=', id).where(visibleTo(actor));
  if (lock) q = q.forUpdate('c');
  return q.executeTakeFirst();
}

export function caseEvents(db: Kysely<Database>, caseId: number) {
  return db
    .selectFrom('case_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select([
      'e.seq',
      'e.action',
      'e.actor_id',
      'u.username',
      'u.display_name',
      'e.actor_role',
      'e.from_state',
      'e.to_state',
      'e.reason',
      'e.payload',
      'e.at',
    ])
    .where('e.case_id', '=', caseId)
    .orderBy('e.seq')
    .execute();
}

/** The latest of the given actions on a case (e.g. the last 核查 result). */
export async function lastAction(db: Kysely<Database>, caseId: number, actions: string[]) {
  const row = await db
    .selectFrom('case_events')
    .select('action')
    .where('case_id', '=', caseId)
    .where('action', 'in', actions)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.action ?? null;
}

/**
 * The last 返工 of a case: the checker, his reason and photos, and whether the case is still
 * being reworked (handling again, no feedback since); null when it was never sent back.
 */
export async function lastRework(db: Kysely<Database>, row: Pick<CaseRow, 'id' | 'state'>) {
  const events = await db
    .selectFrom('case_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.seq', 'e.action', 'e.reason', 'e.payload', 'e.at', 'e.actor_role', 'u.display_name'])
    .where('e.case_id', '=', row.id)
    .where('e.action', 'in', ['check_fail', 'feedback'])
    .orderBy('e.seq', 'desc')
    .limit(2)
    .execute();
  const fail = events.find((e) => e.action === 'check_fail');
  if (!fail) return null;
  const photos = (fail.payload as { photos?: unknown }).photos;
  return {
    open: row.state === 'handling' && events[0]?.action === 'check_fail',
    reason: fail.reason,
    photos: Array.isArray(photos) ? photos.filter((p): p is string => typeof p === 'string') : [],
    at: fail.at.toISOString(),
    by: { name: fail.display_name, role: fail.actor_role },
  };
}

export function casePhotos(db: Kysely<Database>, caseId: number) {
  return db
    .selectFrom('case_photos')
    .select(['sha256', 'phase', 'event_seq'])
    .where('case_id', '=', caseId)
    .orderBy('event_seq')
    .execute();
}

export async function missingMedia(db: Kysely<Database>, shas: readonly string[]): Promise<string[]> {
  if (shas.length === 0) return [];
  const found = await db.selectFrom('media').select('sha256').where('sha256', 'in', shas).execute();
  const have = new Set(found.map((r) => r.sha256));
  return shas.filter((s) => !have.has(s));
}

export interface CaseNumberSeries {
  district: string;
  /** The local day, 'YYYY-MM-DD'. */
  day: string;
  kind: 'component' | 'event';
}

const seriesKey = (s: CaseNumberSeries) => `case-number-sequence:${s.district}:${s.day}:${s.kind}`;

/**
 * The sequence numbering a day's cases of a district and kind (migrations/0025_lean_intake.sql),
 * made on its first use from a connection of its own, so that it is there whatever the report's
 * own transaction does. Known sequences are remembered; {@link forgetCaseNumberSequence} when
 * one turns out to be gone (dropped, or made in a unit of work on the embedded store that rolled back).
 */
export function caseNumberSequence(db: Kysely<Database>, series: CaseNumberSeries): Promise<string> {
  const make = async () => {
    const r = await sql<{ name: string }>`
      SELECT case_number_sequence(${series.district}, ${series.day}::date, ${series.kind}) AS name`.execute(
      autonomous(db),
    );
    const name = r.rows[0]?.name;
    if (!name) throw new Error('case number sequence was not made');
    return name;
  };
  // Only a sequence known to be committed is remembered: on the embedded store a unit of work
  // has no connection apart, and one it makes goes if the unit rolls back.
  if (autonomous(db) === db && isUnitOfWork(db)) return make();
  return cachedReference(db, seriesKey(series), [], make);
}

export function forgetCaseNumberSequence(db: Kysely<Database>, series: CaseNumberSeries): void {
  referenceCacheOf(db)?.forget(seriesKey(series));
}

/**
 * 案卷号 district-YYYYMMDD-(C|E)-NNNN, the next number of the series taken inside the INSERT that
 * files the case: NNNN is at least four digits, more once a day passes 9999.
 */
export function caseNumberSql(series: CaseNumberSeries, sequence: string) {
  const prefix = `${series.district}-${series.day.replaceAll('-', '')}-${series.kind === 'component' ? 'C' : 'E'}-`;
  return sql<string>`(SELECT ${prefix} || lpad(n::text, greatest(4, length(n::text)), '0')
    FROM nextval(${sequence}::regclass) AS n)`;
}

/** An active 小类 or 细类 by its code in the active code scheme (held in memory). */
export function categoryByCode(db: Kysely<Database>, kind: 'component' | 'event', code: string) {
  const scheme = activeScheme();
  return cachedReference(db, `case-category:${scheme}:${kind}:${code}`, ['categories'], () =>
    db
      .selectFrom('categories')
      .select(['id', 'code', 'name', 'parent_id', 'level'])
      .where('scheme', '=', scheme)
      .where('kind', '=', kind)
      .where('code', '=', code)
      .where('level', 'in', ['minor', 'detail'])
      .where('active', '=', true)
      .executeTakeFirst(),
  );
}

/** The published standards version in force at an instant (catalog module; held in memory per day). */
export function versionInForce(db: Kysely<Database>, at: Date): Promise<number | null> {
  // Versions take effect at local midnight: one answer per local date.
  const day = chinaDateOf(at);
  return cachedReference(
    db,
    `version-in-force:${day}`,
    ['standard_versions'],
    async () => (await effectiveVersion(db, at))?.id ?? null,
  );
}

/** Limit of one step for a category × area class under the case's standards version (catalog module). */
export async function stepLimit(
  db: Kysely<Database>,
  q: {
    versionId: number | null;
    categoryId: number;
    step: ClockStep;
    areaClass: 'A' | 'B' | 'C';
    urgency: Urgency;
  },
): Promise<{ limit: TimeLimit; urgency: Urgency } | null> {
  const versionId = q.versionId;
  if (versionId === null) return null;
  const key = `step-limit:${versionId}:${q.categoryId}:${q.step}:${q.areaClass}:${q.urgency}`;
  return cachedReference(db, key, LIMIT_TABLES, () => loadStepLimit(db, { ...q, versionId }));
}

async function loadStepLimit(
  db: Kysely<Database>,
  q: { versionId: number; categoryId: number; step: ClockStep; areaClass: 'A' | 'B' | 'C'; urgency: Urgency },
): Promise<{ limit: TimeLimit; urgency: Urgency } | null> {
  const hit = await timeLimitFor(db, {
    categoryId: q.categoryId,
    versionId: q.versionId,
    step: q.step,
    areaClass: q.areaClass,
    urgency: q.urgency,
  });
  return hit ? { limit: { amount: hit.amount, unit: hit.unit }, urgency: hit.urgency } : null;
}

/** An active department with the scope prefix of the division it serves. */
export function departmentByCode(db: Kysely<Database>, code: string) {
  return db
    .selectFrom('departments as d')
    .innerJoin('divisions as v', 'v.code', 'd.division_code')
    .select(['d.id', 'd.code', 'd.name', 'd.path', 'v.scope_prefix'])
    .where('d.code', '=', code)
    .where('d.active', '=', true)
    .executeTakeFirst();
}

export async function supervisesGrid(db: Kysely<Database>, userId: number, gridCode: string) {
  const row = await db
    .selectFrom('supervisor_grids')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('grid_code', '=', gridCode)
    .executeTakeFirst();
  return !!row;
}
