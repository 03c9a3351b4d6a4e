/**
 * Case change notifications. Every appended case event is announced on CASE_CHANNEL to every
 * server process's LISTEN connection once its transaction has committed (never on rollback), by
 * the writing process from a connection of its own, batched (platform/db/announcer.ts; until
 * migration 0033 a trigger notified inside the writing transaction, which serialised the
 * commits of all reports). The case write path (cases/advance.ts, cases/intake.ts) also
 * emits in this process at once, for the embedded store, where no second connection can LISTEN;
 * its readers wait for the single PGlite connection, which the writing transaction holds until
 * it ends, so they still read committed data.
 */
import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import { afterCommit } from '../../platform/db/after-commit.js';
import { announcerOf } from '../../platform/db/announcer.js';
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

/**
 * Announces an appended case event: at once in this process (the embedded store's live views),
 * and to every server's LISTEN connection once the writing transaction has committed (PostgreSQL;
 * see platform/db/announcer.ts for why not inside it).
 */
export function announceCaseChange(db: Kysely<Database>, change: CaseChange): void {
  localCaseChanges.emit('change', change);
  const announcer = announcerOf(db);
  if (announcer) afterCommit(db, () => announcer.announce(CASE_CHANNEL, JSON.stringify(change)));
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
