/**
 * Case change notifications. The case write path (cases/advance.ts) calls notifyCaseChange in
 * its transaction: `pg_notify` is delivered to every server process's LISTEN connection only on
 * commit (and never on rollback). The in-process emitter serves the embedded store, where no
 * second connection can LISTEN; its readers wait for the single PGlite connection, which the
 * writing transaction holds until it ends, so they still read committed data.
 */
import { EventEmitter } from 'node:events';
import { type Kysely, sql } from 'kysely';
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

export async function notifyCaseChange(db: Kysely<Database>, change: CaseChange): Promise<void> {
  await sql`SELECT pg_notify(${CASE_CHANNEL}, ${JSON.stringify(change)})`.execute(db);
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
