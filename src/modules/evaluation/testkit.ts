/** Shared helpers of the evaluation tests: a store with a small generated history, and the same history for the pure engine. */
import { sql } from 'kysely';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import type { EvaluationCase, EvaluationEvent } from '../../domain/evaluation/index.js';
import { generateHistory, type HistoryCase } from '../../domain/history/index.js';
import type { Store } from '../../platform/db/store.js';
import { sanitizeIso } from '../../seed/history.js';

export const HISTORY_FROM = new Date('2026-01-05T00:00:00+08:00');
export const HISTORY = { from: HISTORY_FROM, days: 12, seed: 7, casesPerDay: 60 } as const;

/** The generated cases again (the generator is deterministic), as written by seedHistory. */
export function regenerate(o: { from: Date; days: number; seed: number; casesPerDay: number; until?: Date }) {
  const out: HistoryCase[] = [];
  for (const h of generateHistory({ city: generateDemoCity(), ...o })) if (h.events.length > 0) out.push(h);
  return out;
}

/**
 * The generated history as the engine's input, straight from memory: usernames and case keys are
 * turned into the store's ids, nothing else is read from the store.
 */
export async function engineCases(store: Store, history: readonly HistoryCase[]): Promise<EvaluationCase[]> {
  const users = new Map(
    (await store.db.selectFrom('users').select(['id', 'username']).execute()).map((u) => [
      u.username,
      String(u.id),
    ]),
  );
  const ids = new Map(
    (await sql<{ id: number; number: string }>`SELECT id, number FROM cases`.execute(store.db)).rows.map(
      (r) => [r.number, String(r.id)],
    ),
  );
  const areas = new Map(
    (await store.db.selectFrom('grids').select(['code', 'area_class']).execute()).map((g) => [
      g.code,
      g.area_class,
    ]),
  );
  return history.map((h) => {
    const c = h.case;
    const events: EvaluationEvent[] = h.events.map((e, i) => ({
      seq: i + 1,
      action: e.action,
      actorId: e.actorUsername ? (users.get(e.actorUsername) ?? null) : null,
      actorRole: e.actorRole,
      departmentCode: e.departmentCode ?? null,
      fromState: e.from,
      toState: e.to,
      at: e.at,
      payload: JSON.parse(sanitizeIso(JSON.stringify(e.payload))),
    }));
    return {
      id: ids.get(c.caseKey) as string,
      caseNumber: c.caseKey,
      reportedAt: c.reportedAt,
      source: c.source,
      kind: c.kind,
      categoryCode: c.categoryCode,
      areaClass: areas.get(c.gridCode) ?? 'A',
      gridCode: c.gridCode,
      communityCode: c.gridCode.slice(0, 12),
      streetCode: c.gridCode.slice(0, 9),
      districtCode: c.gridCode.slice(0, 6),
      events,
    };
  });
}
