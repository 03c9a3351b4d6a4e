/**
 * Tallies of finished periods, kept so a ranking, a trend of six months or a publication does not
 * read a year of the event log again. Only case-based counts are kept (patrol coverage is merged
 * afresh), only for periods that are over, and never for drill-downs (those need the case lists).
 * Scores are not kept: a scheme (any version, its area-class bands) scores the cached counts
 * afresh, so a new scheme version never meets a stale score.
 *
 * The key is a hash of everything the counts depend on besides the log itself: the engine's
 * whole query (period, filters, the reference data it reads — department tree, supervisors'
 * grids, collection teams, the subjects in scope), the subject types, and the counting rules'
 * version. See migrations/0016_evaluation_cache.sql for why it cannot go stale.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SubjectType } from '../../domain/evaluation/index.js';
import type { Database } from '../../platform/db/schema.js';
import type { Cell, ComputeInput, Tallies } from './compute.js';
import { queryOf } from './query.js';

/**
 * The counting rules' version: bump it whenever the engine counts differently, so that tallies
 * a server of older code left behind (several processes share the table) are never read.
 * 2: GB/T 30428.4 corrections, 督办, the 数字城管中心, every subject in scope (issue 11).
 */
export const COUNTING_RULES_VERSION = 2;

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
    canonical({ rules: COUNTING_RULES_VERSION, query: queryOf(input), types: [...input.types].sort() }),
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
