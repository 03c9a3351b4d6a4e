/** The engine's query of a store-backed evaluation (compute.ts), also what the cache key hashes. */
import type { EvaluationQuery } from '../../domain/evaluation/index.js';
import { collectionTeamsFor } from './collection.js';
import type { ComputeInput } from './compute.js';
import { UTC_OFFSET_MINUTES } from './period.js';
import { subjectsInScope } from './subjects.js';

/** Everything the engine reads besides the case log (the cache key hashes all of it). */
export function queryOf(input: ComputeInput): EvaluationQuery {
  // Supervisors outside the reader's area are not part of the reader's evaluation.
  const supervisorGrids = Object.fromEntries(
    Object.entries(input.ref.supervisorGrids)
      .map(([u, grids]) => [u, grids.filter((g) => g.startsWith(input.gridPrefix))] as const)
      .filter(([, grids]) => grids.length > 0),
  );
  return {
    from: input.from,
    to: input.to,
    filters: input.filters,
    utcOffsetMinutes: UTC_OFFSET_MINUTES,
    supervisorGrids,
    departmentParents: input.ref.departmentParents,
    // Outsourced collection teams (collection.ts): members outside the area leave too.
    collectionTeams: collectionTeamsFor(input.ref, input.gridPrefix),
    // Every subject in the reader's scope is listed, with or without cases.
    subjects: subjectsInScope(input.ref, input.gridPrefix, input.types),
  };
}
