/** Properties of the evaluation over random valid event logs (see gen.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcRuns } from '../../../test/helpers/fast-check-runs.js';
import { evaluate, evaluateAll } from './evaluate.js';
import { GEN_START, logsArb, SUPERVISOR_GRIDS } from './gen.js';
import { type EvaluationQuery, SUBJECT_TYPES, type SubjectType } from './types.js';

const DAY = 86_400_000;
const periodArb = fc
  .record({ startDay: fc.integer({ min: 0, max: 60 }), days: fc.integer({ min: 1, max: 60 }) })
  .map(
    ({ startDay, days }): EvaluationQuery => ({
      from: new Date(GEN_START + startDay * DAY),
      to: new Date(GEN_START + (startDay + days) * DAY),
      supervisorGrids: SUPERVISOR_GRIDS,
      departmentParents: { 'SZ-01': 'SZ' },
    }),
  );

describe('evaluation properties', () => {
  it('rates in [0, 1], numerator ≤ denominator, list lengths equal the counts, numerator ⊆ denominator', () => {
    fc.assert(
      fc.property(logsArb(), periodArb, (cases, q) => {
        const all = evaluateAll(cases, q);
        for (const type of SUBJECT_TYPES) {
          for (const r of all[type]) {
            for (const f of Object.values(r.indicators)) {
              expect(f.caseIds.numerator.length).toBe(f.numerator);
              expect(f.caseIds.denominator.length).toBe(f.denominator);
              expect(f.numerator).toBeLessThanOrEqual(f.denominator);
              const den = new Set(f.caseIds.denominator);
              expect(f.caseIds.numerator.every((id) => den.has(id))).toBe(true);
              expect(new Set(f.caseIds.numerator).size).toBe(f.numerator);
              if (f.kind === 'count') expect(f.value).toBe(f.numerator);
              else if (f.denominator === 0) expect(f.value).toBeNull();
              else {
                expect(f.value).toBeGreaterThanOrEqual(0);
                expect(f.value).toBeLessThanOrEqual(1);
              }
            }
          }
        }
      }),
      { numRuns: fcRuns(150) },
    );
  });

  it('recomputing gives identical results, whatever the order of cases and events', () => {
    fc.assert(
      fc.property(logsArb(), periodArb, (cases, q) => {
        const first = evaluateAll(cases, q);
        expect(evaluateAll(cases, q)).toEqual(first);
        const shuffled = [...cases].reverse().map((c) => ({ ...c, events: [...c.events].reverse() }));
        expect(evaluateAll(shuffled, q)).toEqual(first);
      }),
      { numRuns: fcRuns(80) },
    );
  });

  /** Counts of events that happen at most once per case and depend on nothing after them. */
  const ALWAYS_ADDITIVE: ReadonlyArray<[SubjectType, string]> = [
    ['supervisor', 'reportCount'],
    ['intake', 'intakeCount'],
  ];
  /** Additive as well once no case is voided or merged (those leave the sets as of the period end). */
  const ADDITIVE_WITHOUT_VOID_MERGE: ReadonlyArray<[SubjectType, string]> = [
    ...ALWAYS_ADDITIVE,
    ['grid', 'reportCount'],
    ['district', 'filedCount'],
    ['community', 'filedCount'],
    ['shift_leader', 'filedCount'],
  ];

  function checkSplit(
    cases: Parameters<typeof evaluate>[0],
    q: EvaluationQuery,
    keys: typeof ALWAYS_ADDITIVE,
  ) {
    const mid = new Date(Math.floor((q.from.getTime() + q.to.getTime()) / 2));
    for (const [type, key] of keys) {
      const countOf = (p: EvaluationQuery) =>
        new Map(evaluate(cases, p, type).map((r) => [r.subjectId, r.indicators[key]!.numerator]));
      const whole = countOf(q);
      const a = countOf({ ...q, to: mid });
      const b = countOf({ ...q, from: mid });
      for (const subject of new Set([...whole.keys(), ...a.keys(), ...b.keys()])) {
        expect((a.get(subject) ?? 0) + (b.get(subject) ?? 0)).toBe(whole.get(subject) ?? 0);
      }
    }
  }

  it('splitting a period into two halves: additive counts add up', () => {
    fc.assert(
      fc.property(logsArb(), periodArb, (cases, q) => checkSplit(cases, q, ALWAYS_ADDITIVE)),
      { numRuns: fcRuns(100) },
    );
    fc.assert(
      fc.property(logsArb(['void_approve', 'merge']), periodArb, (cases, q) =>
        checkSplit(cases, q, ADDITIVE_WITHOUT_VOID_MERGE),
      ),
      { numRuns: fcRuns(100) },
    );
  });

  it('a parent department counts at least what its unit counts', () => {
    fc.assert(
      fc.property(logsArb(), periodArb, (cases, q) => {
        const byId = new Map(evaluate(cases, q, 'department').map((r) => [r.subjectId, r.indicators]));
        const unit = byId.get('SZ-01');
        if (!unit) return;
        const parent = byId.get('SZ')!;
        for (const key of Object.keys(unit)) {
          const inParent = new Set(parent[key]!.caseIds.numerator);
          expect(unit[key]!.caseIds.numerator.every((id) => inParent.has(id))).toBe(true);
        }
      }),
      { numRuns: fcRuns(80) },
    );
  });

  it('a supervisor’s reports are a cohort: 有效 ≤ decided = 上报 − 待定; outcome sets nest (结案 ⊆ 处置 ⊆ 应结案)', () => {
    fc.assert(
      fc.property(logsArb(), periodArb, (cases, q) => {
        for (const r of evaluate(cases, q, 'supervisor')) {
          const f = r.indicators;
          const reports = new Set(f.reportCount!.caseIds.numerator);
          expect(f.validReportCount!.caseIds.numerator.every((id) => reports.has(id))).toBe(true);
          expect(f.validReportRate!.denominator).toBe(reports.size - f.pendingReportCount!.numerator);
        }
        for (const r of evaluate(cases, q, 'grid')) {
          const handled = new Set(r.indicators.disposalRate!.caseIds.numerator);
          expect(r.indicators.closeRate!.caseIds.numerator.every((id) => handled.has(id))).toBe(true);
          const closed = new Set(r.indicators.closeRate!.caseIds.numerator);
          expect(r.indicators.onTimeCloseRate!.caseIds.numerator.every((id) => closed.has(id))).toBe(true);
          expect(r.indicators.dueCloseCount!.numerator + r.indicators.suspendedCount!.numerator).toBe(
            r.indicators.filedCount!.numerator,
          );
        }
      }),
      { numRuns: fcRuns(80) },
    );
  });

  it('every subject listed in the query appears, with or without cases', () => {
    fc.assert(
      fc.property(
        logsArb(),
        periodArb,
        fc.array(fc.stringMatching(/^[0-9]{15}$/), { maxLength: 4 }),
        (cases, q, extra) => {
          const all = evaluateAll(cases, { ...q, subjects: { grid: extra, center: ['510199'] } }, [
            'grid',
            'center',
          ]);
          const grids = new Set(all.grid.map((r) => r.subjectId));
          expect(extra.every((g) => grids.has(g))).toBe(true);
          expect(all.center.some((r) => r.subjectId === '510199')).toBe(true);
          expect(all.grid.length).toBe(grids.size);
        },
      ),
      { numRuns: fcRuns(40) },
    );
  });
});
