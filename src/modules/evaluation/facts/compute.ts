/**
 * The store's evaluation from the facts: one statement for the asked types (evaluate-sql.ts),
 * the listed subjects added, 巡查时间覆盖率 merged as for the replay, and for a drill-down the
 * case ids of the one set of the one subject asked for.
 */
import type { Kysely } from 'kysely';
import type { SubjectType } from '../../../domain/evaluation/index.js';
import type { Database } from '../../../platform/db/schema.js';
import { categoryFilter } from '../../catalog/filter.js';
import { cacheKey, readCache, writeCache } from '../cache.js';
import { mergePatrolCoverage } from '../collection.js';
import type { ComputeInput, ComputeResult, DrillTarget } from '../compute.js';
import { drillKey } from '../compute.js';
import { queryOf } from '../query.js';
import { evaluateFacts, type FactsQuery, type FactsSteps } from './evaluate-sql.js';
import { setOf, tallyCells } from './figures.js';

export function factsQueryOf(input: ComputeInput): FactsQuery {
  const q = queryOf(input);
  const categories = input.filters.categories ?? [];
  return {
    from: input.from,
    to: input.to,
    filters: input.filters,
    gridPrefix: input.gridPrefix,
    utcOffsetMinutes: q.utcOffsetMinutes ?? 480,
    // Filed under either code scheme, through the class mapping (as the replay's case query).
    categoryFilter: (column) => categoryFilter(column as never, categories),
    supervisorGrids: q.supervisorGrids ?? {},
    departmentParents: q.departmentParents ?? {},
    collectionTeams: q.collectionTeams ?? {},
  };
}

export async function computeFromFacts(
  db: Kysely<Database>,
  input: ComputeInput,
  drill?: DrillTarget | readonly DrillTarget[],
): Promise<ComputeResult> {
  const q = queryOf(input);
  const fq = factsQueryOf(input);
  const drills: readonly DrillTarget[] =
    drill === undefined ? [] : Array.isArray(drill) ? drill : [drill as DrillTarget];
  // A finished period's counts never change: kept in the cache as the replay keeps them (before
  // the patrol coverage, which is merged on every answer); a drill-down needs the case lists.
  const key =
    input.cache !== false && drills.length === 0 && input.to.getTime() <= Date.now() ? cacheKey(input) : null;
  const cached = key ? await readCache(db, key) : null;
  const progress = input.progress;
  const days = (input.to.getTime() - input.from.getTime()) / 86_400_000;
  const steps: FactsSteps | undefined = progress
    ? {
        progress: (done, total, step) => progress(done, total, step),
        session: input.session ?? 'pooled',
        // About a week of events per step, at most 12 steps (a year: a month each).
        slices: Math.min(12, Math.max(1, Math.ceil(days / 7))),
      }
    : undefined;
  const tallies = cached ?? tallyCells(await evaluateFacts(db, fq, input.types, {}, steps), input.types, q);
  if (cached) await progress?.(1, 1);
  if (key && !cached) await writeCache(db, key, tallies);
  await mergePatrolCoverage(db, tallies, {
    from: input.from,
    to: input.to,
    types: input.types,
    ref: input.ref,
    gridPrefix: input.gridPrefix,
  });
  // Every value from its numerator and denominator, as the replay gives them (a cached answer too).
  for (const bySubject of tallies.values()) {
    for (const cells of bySubject.values()) {
      for (const c of Object.values(cells)) {
        c.value = c.kind === 'count' ? c.numerator : c.denominator === 0 ? null : c.numerator / c.denominator;
      }
    }
  }
  const drilled = new Map<string, number[]>();
  for (const d of drills) {
    const set = setOf(d.type, d.indicator, d.part);
    let ids: number[] = [];
    if (set) {
      const one = await evaluateFacts(db, fq, [d.type as SubjectType], {
        ids: { [d.type]: [set] },
        only: d.subject,
      });
      ids = (one.get(d.type)?.get(d.subject)?.ids?.[set] ?? []).map(Number);
    }
    drilled.set(
      drillKey(d),
      ids.sort((a, b) => a - b),
    );
  }
  const first = drills[0];
  return { tallies, caseIds: first ? (drilled.get(drillKey(first)) ?? []) : [], drilled };
}
