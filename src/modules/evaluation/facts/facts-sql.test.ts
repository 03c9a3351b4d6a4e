/**
 * Aggregating the evaluation facts gives exactly what the pure engine gives over the log: over
 * random valid histories (domain/evaluation/gen.ts: returns, rework, extensions, suspensions,
 * voids, merges, urges, late and overdue steps), random periods and filters, for every subject
 * type — the same subjects, the same numerator and denominator of every indicator, and the same
 * case ids behind each — on both stores.
 */
import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore, testStores } from '../../../../test/helpers/stores.js';
import { GEN_START, logsArb, SUPERVISOR_GRIDS } from '../../../domain/evaluation/gen.js';
import {
  type EvaluationCase,
  type EvaluationQuery,
  evaluateAll,
  indicatorDefsOf,
  SUBJECT_TYPES,
  type SubjectType,
} from '../../../domain/evaluation/index.js';
import { factsOfCase } from '../../../domain/evaluation/projection.js';
import type { Database } from '../../../platform/db/schema.js';
import { evaluateFacts, setsOfDefs } from './evaluate-sql.js';
import { cellsOf, listedSubjects } from './figures.js';
import { insertCaseFacts } from './store.js';

const DAY = 86_400_000;
const COLLECTION = {
  supervisor0: { team: 'T1', company: 'C1' },
  supervisor1: { team: 'T2', company: 'C1' },
};

const filtersArb = fc.option(
  fc.record(
    {
      categories: fc.subarray(['01', '0101', '05']),
      areaClasses: fc.subarray(['A', 'B'] as const),
      sources: fc.subarray(['supervisor', 'public', 'hotline_12345', 'leader']),
      kinds: fc.subarray(['event', 'component'] as const),
      timeSlots: fc.array(
        fc.record({ fromHour: fc.integer({ min: 0, max: 23 }), toHour: fc.integer({ min: 0, max: 23 }) }),
        { maxLength: 2 },
      ),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

const queryArb = fc
  .record({
    startDay: fc.integer({ min: 0, max: 60 }),
    days: fc.integer({ min: 1, max: 60 }),
    shiftMin: fc.integer({ min: 0, max: 24 * 60 - 1 }),
    filters: filtersArb,
  })
  .map(
    ({ startDay, days, shiftMin, filters }): EvaluationQuery => ({
      from: new Date(GEN_START + startDay * DAY + shiftMin * 60_000),
      to: new Date(GEN_START + (startDay + days) * DAY),
      ...(filters ? { filters } : {}),
      utcOffsetMinutes: 480,
      supervisorGrids: SUPERVISOR_GRIDS,
      departmentParents: { 'SZ-01': 'SZ' },
      collectionTeams: COLLECTION,
    }),
  );

async function writeFacts(db: Kysely<Database>, cases: readonly EvaluationCase[]) {
  await sql`TRUNCATE eval_case_facts, eval_step_facts`.execute(db);
  const facts = cases.map((c) => factsOfCase(c));
  await insertCaseFacts(
    db,
    facts.flatMap((f) => (f.facts ? [f.facts] : [])),
    facts.flatMap((f) => f.steps),
  );
}

/** The engine's and the facts' figures of every type, side by side, as plain data. */
async function bothSides(db: Kysely<Database>, cases: readonly EvaluationCase[], q: EvaluationQuery) {
  const engine = evaluateAll(cases, q);
  const ids = Object.fromEntries(SUBJECT_TYPES.map((t) => [t, setsOfDefs(indicatorDefsOf(t))]));
  const counts = await evaluateFacts(db, { ...q, categoryFilter: 'code' }, SUBJECT_TYPES, { ids });
  const out: { type: SubjectType; engine: unknown; facts: unknown }[] = [];
  for (const type of SUBJECT_TYPES) {
    const defs = indicatorDefsOf(type);
    const got = counts.get(type) ?? new Map();
    const subjects = [...new Set([...got.keys(), ...listedSubjects(type, q)])].sort();
    const facts = subjects.map((s) => {
      const r = got.get(s);
      const cells = cellsOf(defs, r?.counts ?? {});
      return [
        s,
        Object.fromEntries(
          defs.map((d) => {
            const list = (set: string) => r?.ids?.[set] ?? [];
            const [num, den] = d.kind === 'count' ? [list(d.set), list(d.set)] : [list(d.num), list(d.den)];
            const c = cells[d.key]!;
            return [d.key, { value: c.value, numerator: c.numerator, denominator: c.denominator, num, den }];
          }),
        ),
      ];
    });
    const expected = [...engine[type]]
      .sort((a, b) => (a.subjectId < b.subjectId ? -1 : 1))
      .map((r) => [
        r.subjectId,
        Object.fromEntries(
          Object.entries(r.indicators).map(([k, f]) => [
            k,
            {
              value: f.value,
              numerator: f.numerator,
              denominator: f.denominator,
              num: [...f.caseIds.numerator],
              den: [...f.caseIds.denominator],
            },
          ]),
        ),
      ]);
    out.push({ type, engine: expected, facts });
  }
  return out;
}

describe.each(testStores())('evaluation facts equal the engine over the log (%s)', (kind) => {
  let ts: TestStore;
  beforeAll(async () => {
    ts = await openTestStore(kind);
  }, 120_000);
  afterAll(async () => {
    await ts?.dispose();
  });

  it('every figure and case list of every subject type, over generated histories, periods and filters', async () => {
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(logsArb(), queryArb, async (cases, q) => {
        await writeFacts(ts.store.db, cases);
        for (const side of await bothSides(ts.store.db, cases, q)) {
          expect(side.facts, side.type).toEqual(side.engine);
          if ((side.engine as unknown[]).length > 0) nonEmpty++;
        }
      }),
      { numRuns: kind === 'pglite' ? 40 : 80, endOnFailure: true },
    );
    expect(nonEmpty).toBeGreaterThan(50);
  }, 600_000);

  it('without voids and merges too (the walks then reach handling, checks and closing more often)', async () => {
    await fc.assert(
      fc.asyncProperty(logsArb(['void_approve', 'merge']), queryArb, async (cases, q) => {
        await writeFacts(ts.store.db, cases);
        for (const side of await bothSides(ts.store.db, cases, q))
          expect(side.facts, side.type).toEqual(side.engine);
      }),
      { numRuns: kind === 'pglite' ? 20 : 40, endOnFailure: true },
    );
  }, 600_000);
});
