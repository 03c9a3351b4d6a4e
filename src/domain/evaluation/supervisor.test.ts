/**
 * Supervisor (监督员) indicators written out from their counting rules (supervisor.ts, domain.md
 * §5, GB/T 30428.4): the cohort of a period's reports and what was decided about them, whose
 * reports count, which problems are misses, and whose 核实 counts. Hand-built January cases in
 * the fixtures' grids (s1 patrols G1, s2 G2, s3 G3).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { G1, G2, G3, JANUARY, mk } from './fixtures.js';
import type { EvaluationCase, EvaluationQuery, Figure } from './types.js';

const D = '01-20';
const reported = (actor = 's1') => [
  `${D}T09:00 report ${actor} new>reported run:intake@${D}T10:00`,
  `${D}T09:30 intake i1 reported>pending_filing ok:intake run:file@${D}T11:00`,
];
const filedLines = (actor = 's1') => [
  ...reported(actor),
  `${D}T10:00 file L1 pending_filing>filed ok:file run:dispatch@${D}T11:00`,
];
/** A public report sent to the grid's supervisor to verify, and verified by `verifier`. */
const verified = (verifier: string) => [
  `${D}T09:00 report c1 new>reported run:intake@${D}T10:00`,
  `${D}T09:10 request_verification i1 reported>verifying ok:intake run:verify@${D}T12:00`,
  `${D}T10:00 verify ${verifier} verifying>pending_filing ok:verify run:file@${D}T12:00`,
];

// biome-ignore format: one event per line reads like the case history it is
const CASES: EvaluationCase[] = [
  // s1's reports of the period and what became of them by its end.
  mk('1', G1, 'supervisor', '0501', [
    ...filedLines(),
    `${D}T10:30 void_request D1 filed>filed run:dispatch@${D}T11:00`,
    `${D}T11:00 void_approve L1 filed>voided ok:dispatch`,
  ]), // filed, then voided: wrongly filed
  mk('2', G1, 'supervisor', '0501', [
    ...reported().slice(0, 1),
    `${D}T09:20 merge i1 reported>merged ok:intake`,
  ]), // a duplicate: merged
  mk('3', G1, 'supervisor', '0501', [
    ...reported(),
    `${D}T10:00 reject L1 pending_filing>rejected ok:file`,
  ]), // not filed (不予立案)
  mk('4', G1, 'supervisor', '0501', reported()), // no decision yet
  mk('5', G1, 'supervisor', '0501', filedLines()), // filed
  // A 12345 report the intake operator created: nobody's 上报.
  mk('6', G1, 'hotline_12345', '0501', filedLines('i2')),
  // A log without its creating event: nobody's 上报, and nothing breaks.
  mk('7', G1, 'supervisor', '0501', filedLines().slice(1)),
  // s2 reported in s1's grid and s1 verified it: a supervisor found it, so no miss of s1.
  mk('8', G1, 'supervisor', '0501', [
    `${D}T09:00 report s2 new>reported run:intake@${D}T10:00`,
    `${D}T09:10 request_verification i1 reported>verifying ok:intake run:verify@${D}T12:00`,
    `${D}T10:00 verify s1 verifying>pending_filing ok:verify run:file@${D}T12:00`,
  ]),
  // The public found it first in G1 and s1 verified it true: s1's miss.
  mk('9', G1, 'public', '0501', verified('s1')),
  // Verified by the intake operator on the phone, not by a supervisor: s2 judged on no 核实;
  // still a problem in s2's grid another channel found first.
  mk('10', G2, 'public', '0501', verified('i1')),
  // Sent to s3 to verify, deadline 01-20 12:00, not verified by January's end: late.
  mk('11', G3, 'public', '0501', verified('s3').slice(0, 2)),
  // A public report verified in a grid nobody patrols: nobody's miss.
  mk('12', '510104001001099', 'public', '0501', verified('s1')),
];

function fig(key: string, subject: string, q: EvaluationQuery = JANUARY): Figure {
  const f = evaluate(CASES, q, 'supervisor').find((r) => r.subjectId === subject)?.indicators[key];
  if (!f) throw new Error(`no ${key} for ${subject}`);
  return f;
}
const ids = (f: Figure) => [...f.caseIds.numerator];
const den = (f: Figure) => [...f.caseIds.denominator];

describe('a supervisor’s reports as a cohort: decided by 立案, 不予立案 or 合并, valid if filed and standing', () => {
  it('上报数 holds every report of s1 in the period, whatever became of it', () => {
    expect(ids(fig('reportCount', 's1'))).toEqual(['1', '2', '3', '4', '5']);
  });
  it('待定数: only the report with no decision; 不予立案 and 合并 are decisions', () => {
    expect(ids(fig('pendingReportCount', 's1'))).toEqual(['4']);
  });
  it('有效上报: filed and neither voided nor merged; 有效上报率 over the decided reports', () => {
    expect(ids(fig('validReportCount', 's1'))).toEqual(['5']);
    const r = fig('validReportRate', 's1');
    expect([ids(r), den(r)]).toEqual([['5'], ['1', '2', '3', '5']]);
  });
  it('a report made before the period is not of its cohort, though it was filed in the period', () => {
    const q = { ...JANUARY, from: new Date(`2026-${D}T10:00:00+08:00`) }; // s1 reported at 09:00
    expect(ids(fig('reportCount', 's1', q))).toEqual([]);
    expect(ids(fig('validReportCount', 's1', q))).toEqual([]);
  });
});

describe('whose reports and acts count', () => {
  it('only supervisors are subjects: a report the intake operator created or a 核实 he recorded makes none', () => {
    expect(evaluate(CASES, JANUARY, 'supervisor').map((r) => r.subjectId)).toEqual(['s1', 's2', 's3']);
  });
  it('a supervisor with grids and no case in the period is listed, with nothing to judge', () => {
    const q = { ...JANUARY, supervisorGrids: { ...JANUARY.supervisorGrids, s4: ['510104001001098'] } };
    expect(evaluate(CASES, q, 'supervisor').map((r) => r.subjectId)).toEqual(['s1', 's2', 's3', 's4']);
    expect(fig('reportCount', 's4', q).value).toBe(0);
    expect(fig('onTimeVerifyRate', 's4', q).value).toBeNull();
  });
  it('按时核实率 judges the supervisors’ 核实 only: s2 has none, the operator’s does not count', () => {
    expect(den(fig('onTimeVerifyRate', 's2'))).toEqual([]);
    expect(den(fig('onTimeVerifyRate', 's1'))).toEqual(['8', '9', '12']);
  });
  it('a 核实 running and overdue at the end is a late 核实 of the grid’s supervisor', () => {
    const r = fig('onTimeVerifyRate', 's3');
    expect([ids(r), den(r)]).toEqual([[], ['11']]);
  });
});

describe('漏报: found first by another channel in his grids and verified true', () => {
  it('a public report is a miss; a report by another supervisor is not; the verifier does not matter', () => {
    expect(ids(fig('missedReportCount', 's1'))).toEqual(['9']);
    expect(ids(fig('missedReportCount', 's2'))).toEqual(['10']);
    const r = fig('missedReportRate', 's1');
    expect([ids(r), den(r)]).toEqual([['9'], ['5', '9']]);
  });
});
