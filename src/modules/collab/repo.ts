/** SQL of ownership disputes (权属确认) and their candidate claims. */
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';

type Db = Kysely<Database>;

export function openDispute(db: Db, caseId: number, lock = false) {
  let q = db
    .selectFrom('ownership_disputes')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('status', '=', 'open');
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export type DisputeRow = NonNullable<Awaited<ReturnType<typeof openDispute>>>;

export function claimsOf(db: Db, disputeIds: readonly number[]) {
  if (disputeIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('ownership_claims as oc')
    .innerJoin('departments as d', 'd.id', 'oc.department_id')
    .leftJoin('users as u', 'u.id', 'oc.responded_by')
    .select([
      'oc.dispute_id',
      'oc.department_id',
      'd.code',
      'd.name',
      'd.path',
      'oc.response',
      'oc.reason',
      'u.display_name as responded_by_name',
      'oc.responded_at',
    ])
    .where('oc.dispute_id', 'in', [...disputeIds])
    .orderBy('oc.dispute_id')
    .orderBy('d.code')
    .execute();
}

/**
 * The candidate claim the actor answers for on the case's open dispute: its own department if it
 * is a candidate, otherwise a candidate sub-unit of it (a department acts for its sub-units).
 */
export async function candidateClaim(db: Db, actor: Actor, caseId: number) {
  if (actor.role !== 'department' || actor.departmentPath === null) return undefined;
  const rows = await db
    .selectFrom('ownership_claims as oc')
    .innerJoin('ownership_disputes as od', 'od.id', 'oc.dispute_id')
    .innerJoin('departments as d', 'd.id', 'oc.department_id')
    .select(['oc.dispute_id', 'oc.department_id', 'oc.response', 'd.code', 'd.path', 'od.claim_deadline'])
    .where('od.case_id', '=', caseId)
    .where('od.status', '=', 'open')
    .where('d.path', 'like', `${actor.departmentPath}%`)
    .orderBy('d.path')
    .execute();
  return rows.find((r) => r.department_id === actor.departmentId) ?? rows[0];
}
