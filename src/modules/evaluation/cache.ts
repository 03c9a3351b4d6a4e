/**
 * Tallies of finished periods, kept so a ranking, a trend of six months or a publication does not
 * read a year of the event log again. Only case-based counts are kept (patrol coverage is merged
 * afresh), only for periods that are over, and never for drill-downs (those need the case lists).
 * The key is a hash of everything the counts depend on besides the log itself: period, filters,
 * scope, subject types and the reference data the engine reads (department tree, supervisors'
 * grids, collection teams). See migrations/0016_evaluation_cache.sql for why it cannot go stale.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SubjectType } from '../../domain/evaluation/index.js';
import type { Database } from '../../platform/db/schema.js';
import type { Cell, ComputeInput, Tallies } from './compute.js';

type Stored = Record<string, Record<string, Record<string, Cell>>>;

/** Sorted keys, so equal inputs give equal text whatever order they were built in. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function cacheKey(input: ComputeInput): string {
  const text = JSON.stringify(
    canonical({
      from: input.from,
      to: input.to,
      filters: input.filters,
      gridPrefix: input.gridPrefix,
      types: [...input.types].sort(),
      departmentParents: input.ref.departmentParents,
      supervisorGrids: input.ref.supervisorGrids,
      collectionTeams: input.ref.collectionTeams,
    }),
  );
  return createHash('sha256').update(text).digest('hex');
}

export async function readCache(db: Kysely<Database>, key: string): Promise<Tallies | null> {
  const row = await db
    .selectFrom('evaluation_cache')
    .select('tallies')
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return null;
  const stored = (typeof row.tallies === 'string' ? JSON.parse(row.tallies) : row.tallies) as Stored;
  return new Map(
    Object.entries(stored).map(([type, subjects]) => [
      type as SubjectType,
      new Map(Object.entries(subjects)),
    ]),
  );
}

export async function writeCache(db: Kysely<Database>, key: string, tallies: Tallies): Promise<void> {
  const stored: Stored = Object.fromEntries(
    [...tallies].map(([type, subjects]) => [type, Object.fromEntries(subjects)]),
  );
  await db
    .insertInto('evaluation_cache')
    .values({ key, tallies: JSON.stringify(stored) })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ tallies: JSON.stringify(stored), computed_at: new Date() }),
    )
    .execute();
}

export async function clearEvaluationCache(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('evaluation_cache').execute();
}
