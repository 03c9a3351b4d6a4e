/**
 * Indicators added or corrected against GB/T 30428.4 and the seed (issue 11): 漏报 from other
 * channels, 督办, the district's 数字城管中心 as a subject, and every subject in scope listed.
 * Expected values are computed by hand from the logs here and in fixtures.ts.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, indicatorsOf } from './evaluate.js';
import { CASES, FEBRUARY, G1, G2, JANUARY, mk } from './fixtures.js';
import { statistics } from './statistics.js';
import type { EvaluationCase, EvaluationQuery, Figure, SubjectType } from './types.js';

function fig(cases: EvaluationCase[], q: EvaluationQuery, type: SubjectType, subject: string, key: string) {
  const r = evaluate(cases, q, type).find((s) => s.subjectId === subject);
  if (!r) throw new Error(`no ${type} ${subject}`);
  const f = r.indicators[key];
  if (!f) throw new Error(`no indicator ${key}`);
  return f;
}

function count(f: Figure, ids: string[]): void {
  expect(f.kind).toBe('count');
  expect(f.caseIds.numerator).toEqual(ids);
  expect(f.value).toBe(ids.length);
}

function rate(f: Figure, num: string[], den: string[]): void {
  expect(f.kind).toBe('rate');
  expect(f.caseIds.numerator).toEqual(num);
  expect(f.caseIds.denominator).toEqual(den);
  expect(f.value).toBe(den.length === 0 ? null : num.length / den.length);
}

describe('漏报: reports from other channels verified true in the supervisor’s grids', () => {
  // biome-ignore format: one event per line reads like the case history it is
  const LOG = [
    // Public report verified true, then not filed (outside the filing conditions): still a miss.
    mk('41', G1, 'public', '0102', [
      '01-05T08:00 report c1 new>reported run:intake@01-05T09:00',
      '01-05T08:10 request_verification i1 reported>verifying ok:intake run:verify@01-05T10:00',
      '01-05T09:00 verify s1 verifying>pending_filing ok:verify run:file@01-05T11:00',
      '01-05T10:00 reject L1 pending_filing>rejected ok:file',
    ]),
    // Denied on site: no problem, no miss.
    mk('42', G1, 'public', '0102', [
      '01-06T08:00 report c2 new>reported run:intake@01-06T09:00',
      '01-06T08:10 request_verification i1 reported>verifying ok:intake run:verify@01-06T10:00',
      '01-06T09:00 deny s1 verifying>pending_filing ok:verify run:file@01-06T11:00',
      '01-06T10:00 reject L1 pending_filing>rejected ok:file',
    ]),
    // Verified, then merged into a case already known: no miss.
    mk('43', G1, 'hotline_12345', '0102', [
      '01-07T08:00 report i1 new>reported run:intake@01-07T09:00',
      '01-07T08:10 request_verification i1 reported>verifying ok:intake run:verify@01-07T10:00',
      '01-07T09:00 verify s1 verifying>pending_filing ok:verify run:file@01-07T11:00',
      '01-07T09:30 merge i1 pending_filing>merged ok:file',
    ]),
    // Another supervisor (s9, no grid of his own) reports in G1: the patrol found it, no miss.
    mk('44', G1, 'supervisor', '0501', [
      '01-08T08:00 report s9 new>reported run:intake@01-08T09:00',
      '01-08T08:10 intake i1 reported>pending_filing ok:intake run:file@01-08T10:00',
      '01-08T08:20 file L1 pending_filing>filed ok:file run:dispatch@01-08T10:00',
    ]),
    // Reported in January, verified on 02-01: a February miss.
    mk('45', G1, 'public', '0102', [
      '01-31T22:00 report c5 new>reported run:intake@02-01T09:00',
      '02-01T08:10 request_verification i1 reported>verifying ok:intake run:verify@02-01T10:00',
      '02-01T09:00 verify s1 verifying>pending_filing ok:verify run:file@02-01T11:00',
    ]),
  ];
  const q: EvaluationQuery = { ...JANUARY, supervisorGrids: { s1: [G1] } };

  it('s1 missed only C41 in January; C42 denied, C43 merged, C44 reported by a supervisor', () => {
    count(fig(LOG, q, 'supervisor', 's1', 'missedReportCount'), ['41']);
    rate(fig(LOG, q, 'supervisor', 's1', 'missedReportRate'), ['41'], ['41']);
    rate(
      fig(LOG, { ...q, from: FEBRUARY.from, to: FEBRUARY.to }, 'supervisor', 's1', 'missedReportRate'),
      ['45'],
      ['45'],
    );
  });
  it('the denominator is 应上报 = 漏报 ∪ the supervisor’s valid reports', () => {
    const withGrid: EvaluationQuery = { ...q, supervisorGrids: { s1: [G1], s9: [G1] } };
    rate(fig(LOG, withGrid, 'supervisor', 's9', 'missedReportRate'), ['41'], ['41', '44']);
  });
});

describe('督办 (urge) and its outcome', () => {
  // biome-ignore format: one event per line reads like the case history it is
  const LOG = [
    // Urged twice at SZ-01 (a unit of SZ), then closed in January.
    mk('31', G1, 'supervisor', '0101', [
      '01-10T09:00 report s1 new>reported run:intake@01-10T10:00',
      '01-10T09:10 intake i1 reported>pending_filing ok:intake run:file@01-10T11:00',
      '01-10T09:20 file L1 pending_filing>filed ok:file run:dispatch@01-10T11:00',
      '01-10T09:30 dispatch D1 filed>dispatched ok:dispatch run:sign@01-10T12:00 dept:SZ-01',
      '01-10T13:00 urge x9 dispatched>dispatched run:sign@01-10T12:00',
      '01-10T14:00 sign dept:SZ-01 dispatched>handling late:sign run:handle@01-11T14:00',
      '01-11T10:00 urge x9 handling>handling run:handle@01-11T14:00',
      '01-11T12:00 feedback dept:SZ-01 handling>handled ok:handle run:request_check@01-11T14:00',
      '01-11T12:30 request_check i1 handled>checking ok:request_check run:check@01-11T16:00',
      '01-11T13:00 check_pass s1 checking>pending_close ok:check run:close@01-11T17:00',
      '01-11T14:00 close L1 pending_close>closed ok:close',
    ]),
    // Urged once before any department had it; dispatched to HW late, open at the end.
    mk('32', G2, 'supervisor', '0101', [
      '01-12T09:00 report s2 new>reported run:intake@01-12T10:00',
      '01-12T09:10 intake i1 reported>pending_filing ok:intake run:file@01-12T11:00',
      '01-12T09:20 file L1 pending_filing>filed ok:file run:dispatch@01-12T11:00',
      '01-12T12:00 urge x9 filed>filed run:dispatch@01-12T11:00',
      '01-12T12:30 dispatch D1 filed>dispatched late:dispatch run:sign@03-01T14:00 dept:HW',
      '02-03T09:00 urge x9 dispatched>dispatched run:sign@03-01T14:00',
    ]),
  ];
  const J = JANUARY;

  it('departments: orders at the department the case was with, counted for its parents too', () => {
    count(fig(LOG, J, 'department', 'SZ-01', 'urgedCount'), ['31']);
    count(fig(LOG, J, 'department', 'SZ-01', 'urgedRepeatCount'), ['31']);
    rate(fig(LOG, J, 'department', 'SZ', 'urgedClosedRate'), ['31'], ['31']);
    count(fig(LOG, J, 'department', 'HW', 'urgedCount'), []); // urged before HW had it
    rate(fig(LOG, FEBRUARY, 'department', 'HW', 'urgedClosedRate'), [], ['32']);
  });
  it('a voided case drops out of the orders too (it should never have been filed)', () => {
    const voided = mk('33', G1, 'supervisor', '0101', [
      '01-13T09:00 report s1 new>reported',
      '01-13T09:20 file L1 reported>filed',
      '01-13T10:00 urge x9 filed>filed',
      '01-13T11:00 void_approve L1 filed>voided',
    ]);
    count(fig([...LOG, voided], J, 'grid', G1, 'urgedCount'), ['31']);
    count(fig([...LOG, voided], J, 'center', '510104', 'urgedCount'), ['31', '32']);
  });
  it('regions and the 数字城管中心: the orders on the cases of their area', () => {
    count(fig(LOG, J, 'grid', G2, 'urgedCount'), ['32']);
    count(fig(LOG, J, 'grid', G2, 'urgedRepeatCount'), []);
    rate(fig(LOG, J, 'district', '510104', 'urgedClosedRate'), ['31'], ['31', '32']);
    count(fig(LOG, J, 'center', '510104', 'urgedRepeatCount'), ['31']);
    rate(fig(LOG, J, 'center', '510104', 'urgedClosedRate'), ['31'], ['31', '32']);
  });
  it('按期结案率 of the region judges 签收 too: C31 was signed late', () => {
    rate(fig(LOG, J, 'grid', G1, 'onTimeCloseRate'), [], ['31']);
  });
});

describe('the district’s 数字城管中心 over the January fixtures (its staff’s acts, once per case)', () => {
  const c = (key: string, q = JANUARY) => fig(CASES, q, 'center', '510104', key);

  it('受理 and task dispatch: i1 and i2 together; C2’s second check task was late', () => {
    count(c('intakeCount'), ['1', '2', '3', '4', '5', '6', '9', '11']);
    rate(c('onTimeVerifyDispatchRate'), ['2', '9', '11'], ['2', '5', '9', '11']);
    rate(c('onTimeCheckDispatchRate'), ['1', '4'], ['1', '2', '4']);
  });
  it('立案 and 结案: L1 and L2 together; C4 filed and closed late; C9’s 不予立案 is no filing', () => {
    count(c('filedCount'), ['1', '2', '3', '4', '5', '6', '11']);
    rate(c('onTimeFilingRate'), ['1', '2', '3', '5', '6', '11'], ['1', '2', '3', '4', '5', '6', '11']);
    rate(c('accurateFilingRate'), ['1', '2', '3', '4', '5', '6', '11'], ['1', '2', '3', '4', '5', '6', '11']);
    rate(c('onTimeCloseRate'), ['1', '2'], ['1', '2', '4']);
    count(c('closeCount'), ['1', '2', '4']);
  });
  it('派遣: C3 dispatched on time by D1 and late by D2 is late for the centre; errors C2 (返工) and C3 (回退)', () => {
    count(c('dispatchCount'), ['1', '2', '3', '4', '5', '6', '11']);
    rate(c('onTimeDispatchRate'), ['1', '2', '4', '5', '6', '11'], ['1', '2', '3', '4', '5', '6', '11']);
    rate(c('accurateDispatchRate'), ['1', '4', '5', '6', '11'], ['1', '2', '3', '4', '5', '6', '11']);
  });
  it('February: C6 voided counts against the centre’s filing accuracy', () => {
    rate(c('accurateFilingRate', FEBRUARY), ['10'], ['6', '10']);
  });
  it('its indicator catalogue is the posts’ and 督办', () => {
    expect(indicatorsOf('center').map((i) => i.key)).toEqual([
      'intakeCount',
      'onTimeVerifyDispatchRate',
      'onTimeCheckDispatchRate',
      'filedCount',
      'voidedCount',
      'closeCount',
      'onTimeFilingRate',
      'accurateFilingRate',
      'onTimeCloseRate',
      'dispatchCount',
      'misdispatchCount',
      'dispatchReworkCount',
      'onTimeDispatchRate',
      'accurateDispatchRate',
      'urgedCount',
      'urgedRepeatCount',
      'urgedClosedRate',
    ]);
  });
});

describe('every subject in scope is listed', () => {
  const EMPTY_GRID = '510104001001003';

  it('a grid, department and supervisor with no case in the period appear with empty figures', () => {
    const q: EvaluationQuery = {
      ...JANUARY,
      subjects: { grid: [G1, EMPTY_GRID], department: ['QX'], intake: ['i7'], center: ['510105'] },
    };
    const grids = evaluate(CASES, q, 'grid');
    expect(grids.map((r) => r.subjectId)).toEqual([G1, G2, EMPTY_GRID, '510104002001001']);
    const empty = grids.find((r) => r.subjectId === EMPTY_GRID)!;
    count(empty.indicators.filedCount!, []);
    rate(empty.indicators.closeRate!, [], []);
    expect(Object.keys(empty.indicators)).toEqual(indicatorsOf('grid').map((i) => i.key));
    count(fig(CASES, q, 'department', 'QX', 'caseCount'), []);
    rate(fig(CASES, q, 'intake', 'i7', 'onTimeVerifyDispatchRate'), [], []);
    count(fig(CASES, q, 'center', '510105', 'intakeCount'), []);
    // A listed subject that has cases keeps them.
    count(fig(CASES, q, 'grid', G1, 'filedCount'), ['1', '2', '5', '8']);
  });
  it('without a list only subjects with something in the period appear', () => {
    expect(evaluate(CASES, JANUARY, 'grid').map((r) => r.subjectId)).toEqual([G1, G2, '510104002001001']);
  });
});

describe('one definition of 处置率, 按期结案率 and 返工率: 运行统计 and the region evaluation', () => {
  const OUTCOME = [
    'dueCloseCount',
    'suspendedCount',
    'closedCount',
    'disposalRate',
    'closeRate',
    'onTimeCloseRate',
    'reworkRate',
  ];

  it('the January cases as of February 1 give the district the same outcome figures both ways', () => {
    const [stats] = statistics(CASES, { from: JANUARY.from, to: JANUARY.to, asOf: JANUARY.to }, (v) => [
      v.c.districtCode,
    ]);
    const [region] = evaluate(CASES, JANUARY, 'district');
    expect(stats?.key).toBe('510104');
    // Reported and filed in January coincide here (C10 is filed in February, C7 merged, C9 rejected).
    count(stats!.indicators.filedCount!, ['1', '2', '3', '4', '5', '6', '8', '11']);
    for (const key of OUTCOME) {
      const a = stats!.indicators[key]!;
      const b = region!.indicators[key]!;
      expect([a.value, a.caseIds.numerator, a.caseIds.denominator], key).toEqual([
        b.value,
        b.caseIds.numerator,
        b.caseIds.denominator,
      ]);
    }
  });
  it('hand-computed: G1’s January reports as of March 1 (C5 resumed and fed back, C10 being checked)', () => {
    const groups = statistics(CASES, { from: JANUARY.from, to: JANUARY.to, asOf: FEBRUARY.to }, (v) => [
      v.c.gridCode,
    ]);
    const g1 = groups.find((g) => g.key === G1)!;
    count(g1.indicators.reportCount!, ['1', '2', '5', '7', '8', '10']);
    count(g1.indicators.suspendedCount!, []);
    rate(g1.indicators.disposalRate!, ['1', '2', '5', '8', '10'], ['1', '2', '5', '8', '10']);
    rate(g1.indicators.closeRate!, ['1', '2', '8'], ['1', '2', '5', '8', '10']);
    rate(g1.indicators.onTimeCloseRate!, ['1', '2', '8'], ['1', '2', '5', '8', '10']);
    rate(g1.indicators.reworkRate!, ['2'], ['1', '2', '5', '8', '10']);
    // Filing → closing: C1 28 h, C2 27.5 h, C8 0 h (self-handled).
    expect(g1.handlingHours).toEqual({ sum: 55.5, count: 3 });
  });
  it('the same cases as of February 1: C5 is suspended, neither failed nor counted in 应结案', () => {
    const [g1] = statistics(CASES, { from: JANUARY.from, to: JANUARY.to, asOf: JANUARY.to }, (v) =>
      v.c.gridCode === G1 ? [G1] : [],
    );
    count(g1!.indicators.suspendedCount!, ['5']);
    rate(g1!.indicators.closeRate!, ['1', '2', '8'], ['1', '2', '8']);
  });
});
