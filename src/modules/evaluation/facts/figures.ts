/**
 * From set sizes (evaluate-sql.ts) to the figures of the evaluation: each indicator is one set
 * (a count) or two (a rate), as the engine defines it (indicatorDefsOf), and every subject the
 * engine lists without cases (the supervisors with grids, the teams and companies of the
 * collection members, the subjects in the reader's scope) is listed here too, its figures empty.
 */
import {
  type CollectionMembership,
  type IndicatorDef,
  indicatorDefsOf,
  type SubjectType,
} from '../../../domain/evaluation/index.js';
import type { SetCounts } from './evaluate-sql.js';

export interface CountCell {
  kind: 'count' | 'rate';
  value: number | null;
  numerator: number;
  denominator: number;
}

export function cellsOf(
  defs: readonly IndicatorDef[],
  counts: Record<string, number>,
): Record<string, CountCell> {
  const out: Record<string, CountCell> = {};
  for (const d of defs) {
    if (d.kind === 'count') {
      const n = counts[d.set] ?? 0;
      out[d.key] = { kind: 'count', value: n, numerator: n, denominator: n };
    } else {
      const num = counts[d.num] ?? 0;
      const den = counts[d.den] ?? 0;
      out[d.key] = { kind: 'rate', value: den === 0 ? null : num / den, numerator: num, denominator: den };
    }
  }
  return out;
}

/** The set an indicator's part reads (a count's one set for either part). */
export function setOf(
  type: SubjectType,
  indicator: string,
  part: 'numerator' | 'denominator',
): string | null {
  const d = indicatorDefsOf(type).find((x) => x.key === indicator);
  if (!d) return null;
  return d.kind === 'count' ? d.set : part === 'numerator' ? d.num : d.den;
}

/** Subjects the engine lists whatever their cases (Tally.touch and the query's subjects). */
export function listedSubjects(
  type: SubjectType,
  q: {
    supervisorGrids?: Readonly<Record<string, readonly string[]>>;
    collectionTeams?: Readonly<Record<string, CollectionMembership>>;
    subjects?: Readonly<Partial<Record<SubjectType, readonly string[]>>>;
  },
): string[] {
  const out = [...(q.subjects?.[type] ?? [])];
  if (type === 'supervisor') out.push(...Object.keys(q.supervisorGrids ?? {}));
  if (type === 'collection_team') out.push(...Object.values(q.collectionTeams ?? {}).map((m) => m.team));
  if (type === 'collection_company')
    out.push(...Object.values(q.collectionTeams ?? {}).map((m) => m.company));
  return out;
}

/** subject → indicator → cell, per type, with the listed subjects added. */
export function tallyCells(
  counts: SetCounts,
  types: readonly SubjectType[],
  q: Parameters<typeof listedSubjects>[1],
): Map<SubjectType, Map<string, Record<string, CountCell>>> {
  const out = new Map<SubjectType, Map<string, Record<string, CountCell>>>();
  for (const type of types) {
    const defs = indicatorDefsOf(type);
    const bySubject = new Map<string, Record<string, CountCell>>();
    for (const [subject, r] of counts.get(type) ?? []) bySubject.set(subject, cellsOf(defs, r.counts));
    for (const subject of listedSubjects(type, q))
      if (!bySubject.has(subject)) bySubject.set(subject, cellsOf(defs, {}));
    out.set(type, bySubject);
  }
  return out;
}
