/**
 * Runs the pure engine (domain/evaluation) over the store, chunk by chunk. Every indicator is a
 * set of cases per subject and every case is tallied on its own, so the case chunks partition
 * each set: adding the per-chunk counts gives exactly the counts of one run over all cases,
 * while case-id lists are kept only when a drill-down asks for them.
 */
import type { Kysely } from 'kysely';
import { type EvaluationFilters, evaluateAll, type SubjectType } from '../../domain/evaluation/index.js';
import type { Database } from '../../platform/db/schema.js';
import { withoutClassFilter } from '../catalog/filter.js';
import { cacheKey, readCache, writeCache } from './cache.js';
import { mergePatrolCoverage } from './collection.js';
import { computeFromFacts } from './facts/compute.js';
import { queryOf } from './query.js';
import { countCases, forEachCaseChunk, type Reference } from './repo.js';

export interface Cell {
  kind: 'count' | 'rate';
  value: number | null;
  numerator: number;
  denominator: number;
}

/** subject id → indicator key → cell, per subject type. */
export type Tallies = Map<SubjectType, Map<string, Record<string, Cell>>>;

export interface ComputeInput {
  from: Date;
  to: Date;
  filters: EvaluationFilters;
  gridPrefix: string;
  types: readonly SubjectType[];
  ref: Reference;
  /** Cases per chunk (tests use small chunks to prove that merging chunks is exact). */
  chunk?: number;
  /** Use and fill the cache of finished periods (cache.ts); default true. */
  cache?: boolean;
  /** 'facts' (default): aggregate SQL over the evaluation facts; 'replay': the engine over the log. */
  engine?: 'facts' | 'replay';
  /**
   * Called after every chunk with the cases done and the cases in scope (a background run's
   * progress bar; it may throw to stop the run when the asker cancels).
   */
  progress?: (done: number, total: number, step?: string) => Promise<void>;
  /**
   * How the facts' steps hold their session while progress is reported between them (see
   * facts/evaluate-sql.ts FactsSteps): 'pooled' on PostgreSQL (default), 'shared' on PGlite.
   */
  session?: 'pooled' | 'shared';
}

export interface DrillTarget {
  type: SubjectType;
  subject: string;
  indicator: string;
  part: 'numerator' | 'denominator';
}

export const drillKey = (d: DrillTarget): string => `${d.type}|${d.subject}|${d.indicator}|${d.part}`;

export type ComputeResult = { tallies: Tallies; caseIds: number[]; drilled: Map<string, number[]> };

/**
 * The evaluation of the input's period: aggregate SQL over the evaluation facts (facts/), or with
 * `engine: 'replay'` the pure engine over the event log (the reference the facts are proven
 * against, and bench/evaluation's baseline).
 */
export async function compute(
  db: Kysely<Database>,
  input: ComputeInput,
  drill?: DrillTarget | readonly DrillTarget[],
): Promise<ComputeResult> {
  if (input.engine === 'replay') return computeReplay(db, input, drill);
  // Over the facts, progress moves by steps: the period's events read span by span, then each
  // family of subject types tallied (facts/evaluate-sql.ts).
  await input.progress?.(0, 1);
  return computeFromFacts(db, input, drill);
}

/** The pure engine over the event log, chunk by chunk. */
export async function computeReplay(
  db: Kysely<Database>,
  input: ComputeInput,
  drill?: DrillTarget | readonly DrillTarget[],
): Promise<ComputeResult> {
  const q = queryOf(input);
  let tallies: Tallies = new Map(input.types.map((t) => [t, new Map()]));
  const drills =
    drill === undefined
      ? []
      : Array.isArray(drill)
        ? (drill as readonly DrillTarget[])
        : [drill as DrillTarget];
  const drilled = new Map<string, number[]>(drills.map((d) => [drillKey(d), []]));
  const scope = { from: input.from, to: input.to, filters: input.filters, gridPrefix: input.gridPrefix };
  // A finished period's counts never change; a drill-down needs the case lists, so it reads.
  const key =
    input.cache !== false && drills.length === 0 && input.to.getTime() <= Date.now() ? cacheKey(input) : null;
  const cached = key ? await readCache(db, key) : null;
  if (cached) tallies = cached;
  else {
    const total = input.progress ? await countCases(db, scope) : 0;
    let done = 0;
    await forEachCaseChunk(
      db,
      scope,
      async (cases) => {
        // The store selected the classes (through the mapping); the engine must not re-filter by code.
        const all = evaluateAll(cases, { ...q, filters: withoutClassFilter(q.filters ?? {}) }, input.types);
        for (const type of input.types) {
          const bySubject = tallies.get(type) as Map<string, Record<string, Cell>>;
          for (const r of all[type]) {
            const cells = bySubject.get(r.subjectId) ?? {};
            for (const [key, f] of Object.entries(r.indicators)) {
              const c = cells[key] ?? { kind: f.kind, value: null, numerator: 0, denominator: 0 };
              c.numerator += f.numerator;
              c.denominator += f.denominator;
              cells[key] = c;
            }
            bySubject.set(r.subjectId, cells);
            for (const d of drills) {
              if (d.type !== type || d.subject !== r.subjectId) continue;
              const f = r.indicators[d.indicator];
              const list = drilled.get(drillKey(d)) as number[];
              if (f) for (const id of f.caseIds[d.part]) list.push(Number(id));
            }
          }
        }
        done += cases.length;
        await input.progress?.(done, total);
      },
      input.chunk,
    );
  }
  if (key && !cached) await writeCache(db, key, tallies);
  // ── Outsourced collection: 巡查时间覆盖率 is not case based; merged once, after the chunks ──
  await mergePatrolCoverage(db, tallies, {
    from: input.from,
    to: input.to,
    types: input.types,
    ref: input.ref,
    gridPrefix: input.gridPrefix,
  });
  // ── end outsourced collection ──
  for (const bySubject of tallies.values()) {
    for (const cells of bySubject.values()) {
      for (const c of Object.values(cells)) {
        c.value = c.kind === 'count' ? c.numerator : c.denominator === 0 ? null : c.numerator / c.denominator;
      }
    }
  }
  for (const list of drilled.values()) list.sort((a, b) => a - b);
  const first = drills[0];
  return { tallies, caseIds: first ? (drilled.get(drillKey(first)) ?? []) : [], drilled };
}
