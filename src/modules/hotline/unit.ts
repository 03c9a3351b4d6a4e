/**
 * One transaction around a channel's whole intake or action (the case, its link row, the outbox
 * row): a unit of work, so the cases service's own transactions become savepoints in it. Inside
 * a request that already is one (an Idempotency-Key), that unit is used.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { isUnitOfWork, openUnitOfWork } from '../../platform/db/unit-of-work.js';

export async function inUnit<T>(
  db: Kysely<Database>,
  autonomousDb: Kysely<Database> | null,
  work: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (isUnitOfWork(db)) return work(db);
  for (let attempt = 0; ; attempt++) {
    const unit = await openUnitOfWork(db, autonomousDb);
    try {
      const result = await work(unit.db);
      await unit.commit();
      return result;
    } catch (err) {
      await unit.rollback().catch(() => {});
      // The day's case-number sequence was missing (dropped, or made in a unit that rolled
      // back): the cases service has forgotten it, so a second run makes it anew.
      if ((err as { code?: string }).code === '42P01' && attempt === 0) continue;
      throw err;
    }
  }
}
