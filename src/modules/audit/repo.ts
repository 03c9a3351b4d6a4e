import type { Kysely } from 'kysely';
import type { RequestMeta } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';

export interface AuditEntry {
  actorId: number | null;
  actorName: string | null;
  action: string;
  target?: string | null;
  outcome?: 'ok' | 'denied' | 'failed';
  details?: Record<string, unknown>;
}

/** Appends one audit row; call it inside the transaction of the write it describes. */
export async function appendAudit(db: Kysely<Database>, meta: RequestMeta, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_id: entry.actorId,
      actor_name: entry.actorName,
      action: entry.action,
      target: entry.target ?? null,
      outcome: entry.outcome ?? 'ok',
      ip: meta.ip,
      request_id: meta.requestId,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export interface AuditQuery {
  actorId?: number | undefined;
  action?: string | undefined;
  target?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  beforeId?: number | undefined;
  limit: number;
  /** Only rows written by users of this division subtree (null: the whole log). */
  actorScopePrefix?: string | null;
}

/** The log narrowed by the filters (not by the page): what the list pages through and counts. */
function filteredAudit(db: Kysely<Database>, q: Omit<AuditQuery, 'limit' | 'beforeId'>) {
  let query = db.selectFrom('audit_log');
  if (q.actorId !== undefined) query = query.where('actor_id', '=', q.actorId);
  if (q.action) {
    // 'auth.' lists a whole family of actions; 'auth.login' only that one.
    query = q.action.endsWith('.')
      ? query.where('action', 'like', `${q.action.replace(/[%_\\]/g, '\\$&')}%`)
      : query.where('action', '=', q.action);
  }
  if (q.target) query = query.where('target', '=', q.target);
  if (q.from) query = query.where('at', '>=', q.from);
  if (q.to) query = query.where('at', '<', q.to);
  const prefix = q.actorScopePrefix;
  if (prefix) {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('users as u')
          .leftJoin('departments as d', 'd.id', 'u.department_id')
          .select('u.id')
          .whereRef('u.id', '=', 'audit_log.actor_id')
          .where((eb) =>
            eb.or([eb('u.division_code', 'like', `${prefix}%`), eb('d.division_code', 'like', `${prefix}%`)]),
          ),
      ),
    );
  }
  return query;
}

export function listAudit(db: Kysely<Database>, q: AuditQuery) {
  let query = filteredAudit(db, q).selectAll().orderBy('id', 'desc').limit(q.limit);
  if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId);
  return query.execute();
}

/** How many entries match the filters in all (every page together). */
export async function countAudit(db: Kysely<Database>, q: Omit<AuditQuery, 'limit' | 'beforeId'>) {
  const row = await filteredAudit(db, q)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
