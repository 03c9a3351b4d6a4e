/**
 * Case change notifications. Every appended case event is announced by the database itself (the
 * trigger case_events_announced, migrations/0025_lean_intake.sql): `pg_notify` is delivered to
 * every server process's LISTEN connection only on commit (and never on rollback), and costs the
 * transition no statement of its own. The case write path (cases/advance.ts) also calls
 * notifyCaseChange in its transaction for the in-process emitter, which serves the embedded
 * store, where no second connection can LISTEN; its readers wait for the single PGlite
 * connection, which the writing transaction holds until it ends, so they still read committed data.
 */
import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

export const CASE_CHANNEL = 'cityloop_case';

export interface CaseChange {
  id: number;
  number: string;
  action: string;
}

export const localCaseChanges = new EventEmitter();
// One listener per open app (tests open several); the default warning at 10 is noise here.
localCaseChanges.setMaxListeners(0);

export async function notifyCaseChange(_db: Kysely<Database>, change: CaseChange): Promise<void> {
  localCaseChanges.emit('change', change);
}

/** A notification payload as a change, or null if it is not one of ours. */
export function parseChange(payload: string | undefined): CaseChange | null {
  if (!payload) return null;
  try {
    const v = JSON.parse(payload) as Partial<CaseChange>;
    return Number.isInteger(v.id) && typeof v.number === 'string' && typeof v.action === 'string'
      ? { id: v.id as number, number: v.number, action: v.action }
      : null;
  } catch {
    return null;
  }
}
