/**
 * Work that must wait until a write is durable and visible to others (announcing it to other
 * processes): `afterCommit(db, fn)` runs `fn` once the transaction `db` writes in has committed,
 * and never if it rolls back.
 * - outside any transaction a statement commits as it ends: `fn` runs at once;
 * - in a unit of work: when the unit commits;
 * - in a transaction opened with {@link transact}: when that transaction commits (or, when it
 *   is itself inside a unit or another such transaction, when the outer one does).
 * A transaction opened by `db.transaction()` directly has no commit to hook: afterCommit
 * refuses it loudly rather than run `fn` too early.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { isUnitOfWork, onUnitCommit } from './unit-of-work.js';

const pending = new WeakMap<Kysely<Database>, Array<() => void>>();

export function afterCommit(db: Kysely<Database>, fn: () => void): void {
  const list = pending.get(db);
  if (list) list.push(fn);
  else if (isUnitOfWork(db)) onUnitCommit(db, fn);
  else if (!db.isTransaction) fn();
  else throw new Error('afterCommit in a transaction not opened by transact(): open it with transact()');
}

/** `db.transaction().execute(work)`, whose afterCommit work runs once it has committed. */
export async function transact<T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const after: Array<() => void> = [];
  const result = await db.transaction().execute((trx) => {
    pending.set(trx, after);
    return work(trx);
  });
  for (const fn of after) afterCommit(db, fn);
  return result;
}
