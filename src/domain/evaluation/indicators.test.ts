/**
 * One test per indicator, expected values computed by hand from fixtures.ts (the comments
 * say which cases and why). `fig` checks the exact case lists, so a wrong case counted for the
 * right number fails too.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { CASES, FEBRUARY, G1, G2, G3, JANUARY, mk } from './fixtures.js';
import type { EvaluationQuery, Figure, SubjectType } from './types.js';

function fig(type: SubjectType, q: EvaluationQuery, subject: string, key: string): Figure {
  const r = evaluate(CASES, q, type).find((s) => s.subjectId === subject);
  if (!r) throw new Error(`no ${type} ${subject}`);
  const f = r.indicators[key];
  if (!f) throw new Error(`no indicator ${key}`);
  return f;
}

/** A count: exactly these cases. */
function count(f: Figure, ids: string[]): void {
  expect(f.kind).toBe('count');
  expect(f.caseIds.numerator).toEqual(ids);
  expect(f.value).toBe(ids.length);
}

/** A rate: exactly these numerator and denominator cases. */
function rate(f: Figure, num: string[], den: string[]): void {
  expect(f.kind).toBe('rate');
  expect(f.caseIds.numerator).toEqual(num);
  expect(f.caseIds.denominator).toEqual(den);
  expect(f.value).toBe(den.length === 0 ? null : num.length / den.length);
}

const J = JANUARY;
const F = FEBRUARY;

describe('department indicators (January unless noted)', () => {
  const d = (subject: string, key: string, q = J) => fig('department', q, subject, key);

  it('立案数: cases dispatched to the department; SZ includes its unit SZ-01 (C4)', () => {
    count(d('SZ', 'caseCount'), ['1', '3', '4', '5']);
    count(d('SZ-01', 'caseCount'), ['4']);
    count(d('HW', 'caseCount'), ['2', '6', '11']); // C11 via the coordinator's settle_ownership
  });
  it('应处置数: fed back in P, or overdue at the end (C6 handle, C11 sign); C3 returned, C5 suspended are not due', () => {
    count(d('SZ', 'dueCount'), ['1', '4']);
    count(d('HW', 'dueCount'), ['2', '6', '11']);
    count(d('YL', 'dueCount'), ['3']);
    count(d('SZ', 'dueCount', F), ['5', '10']);
  });
  it('处置数 / 按期处置数 / 超期处置数: C4 fed back late despite its extension', () => {
    count(d('SZ', 'handledCount'), ['1', '4']);
    count(d('SZ', 'handledOnTimeCount'), ['1']);
    count(d('SZ', 'handledLateCount'), ['4']);
    count(d('HW', 'handledOnTimeCount'), ['2']); // both feedbacks around the rework on time
  });
  it('超期未处置数 / 超期待处置率', () => {
    count(d('HW', 'overdueOpenCount'), ['6', '11']);
    rate(d('HW', 'overdueOpenRate'), ['6', '11'], ['2', '6', '11']);
    rate(d('SZ', 'overdueOpenRate'), [], ['1', '4']);
    rate(d('YL', 'overdueOpenRate', F), ['11'], ['11']); // re-dispatched in Feb, never signed
  });
  it('处置率', () => {
    rate(d('HW', 'disposalRate'), ['2'], ['2', '6', '11']);
    rate(d('SZ', 'disposalRate'), ['1', '4'], ['1', '4']);
  });
  it('按期处置率', () => {
    rate(d('SZ', 'onTimeDisposalRate'), ['1'], ['1', '4']);
    rate(d('SZ-01', 'onTimeDisposalRate'), [], ['4']);
    rate(d('SZ', 'onTimeDisposalRate', F), ['5', '10'], ['5', '10']); // C5 after its suspension
  });
  it('结案率: closed before the end of the period; C3 is closed only in February', () => {
    rate(d('YL', 'closeRate'), [], ['3']);
    rate(d('HW', 'closeRate'), ['2'], ['2', '6', '11']);
    rate(d('SZ', 'closeRate'), ['1', '4'], ['1', '4']);
  });
  it('返工数 / 返工率 = 返工 / 应结案 (应处置 ∪ reworked); C5 suspended is not 应结案 for SZ', () => {
    count(d('HW', 'reworkCount'), ['2']);
    rate(d('HW', 'reworkRate'), ['2'], ['2', '6', '11']);
    count(d('SZ', 'dueCloseCount'), ['1', '4']);
    rate(d('SZ', 'reworkRate'), [], ['1', '4']);
    // The extension rate still divides by every case SZ worked on, C5's suspension included.
    rate(d('SZ', 'extensionRate'), ['4'], ['1', '4', '5']);
  });
  it('应结案 holds a case sent back for rework in P even when it is not 应处置 in P', () => {
    // HW fed C2 back in January; the check fails on 02-01 and HW has not fed back again by
    // the end of February's first day: not 应处置 in that day, yet 应结案 with its rework.
    const day = { ...F, to: new Date('2026-02-02T00:00:00+08:00') };
    const reworked = mk('21', G1, 'supervisor', '0102', [
      '01-30T09:00 report s1 new>reported run:intake@01-30T10:00',
      '01-30T09:10 intake i1 reported>pending_filing ok:intake run:file@01-30T11:00',
      '01-30T09:20 file L1 pending_filing>filed ok:file run:dispatch@01-30T11:00',
      '01-30T09:30 dispatch D1 filed>dispatched ok:dispatch run:sign@01-30T12:00 dept:HW',
      '01-30T10:00 sign dept:HW dispatched>handling ok:sign run:handle@01-31T10:00',
      '01-31T09:00 feedback dept:HW handling>handled ok:handle run:request_check@01-31T11:00',
      '01-31T09:30 request_check i1 handled>checking ok:request_check run:check@02-01T13:00',
      '02-01T10:00 check_fail s1 checking>handling ok:check run:handle@02-02T10:00',
    ]);
    const f = (key: string) =>
      evaluate([reworked], day, 'department').find((r) => r.subjectId === 'HW')!.indicators[key]!;
    count(f('dueCount'), []);
    count(f('dueCloseCount'), ['21']);
    rate(f('reworkRate'), ['21'], ['21']);
  });
  it('延期数 / 延期率 and 挂账数', () => {
    count(d('SZ-01', 'extensionCount'), ['4']);
    rate(d('SZ-01', 'extensionRate'), ['4'], ['4']);
    rate(d('SZ', 'extensionRate'), ['4'], ['1', '4', '5']);
    count(d('SZ', 'suspensionCount'), ['5']);
  });
  it('回退数: C3 returned by SZ in January, C11 by HW in February', () => {
    count(d('SZ', 'returnCount'), ['3']);
    count(d('HW', 'returnCount', F), ['11']);
  });
  it('作废: C6 voided in February leaves HW entirely in February (no rate to judge)', () => {
    rate(d('HW', 'disposalRate', F), [], []);
    count(d('HW', 'dueCount', F), []);
  });
});

describe('supervisor indicators', () => {
  const s = (subject: string, key: string, q = J) => fig('supervisor', q, subject, key);

  it('上报数: report or self_handle in P (C10 reported 01-31 counts in January)', () => {
    count(s('s1', 'reportCount'), ['1', '8', '10']);
    count(s('s1', 'reportCount', F), []);
    count(s('s2', 'reportCount'), ['3', '4']);
  });
  it('有效上报数 / 率: the reports of P as decided by `to`; C10 (reported 01-31) is pending in January', () => {
    count(s('s1', 'validReportCount'), ['1', '8']);
    count(s('s1', 'pendingReportCount'), ['10']);
    rate(s('s1', 'validReportRate'), ['1', '8'], ['1', '8']);
    rate(s('s3', 'validReportRate'), ['6'], ['6']); // not voided as of January's end
  });
  it('有效上报数 never exceeds 上报数: C10, reported in January and filed in February, is no February report', () => {
    count(s('s1', 'reportCount', F), []);
    count(s('s1', 'validReportCount', F), []);
    rate(s('s1', 'validReportRate', F), [], []);
  });
  it('漏报率: other channels’ reports verified in his grids / (those ∪ his valid reports); merged C7 not counted', () => {
    rate(s('s1', 'missedReportRate'), ['2', '5'], ['1', '2', '5', '8']);
    rate(s('s2', 'missedReportRate'), [], ['3', '4']); // C9 was rejected, never filed
    rate(s('s3', 'missedReportRate'), ['11'], ['6', '11']);
  });
  it('按时核实率: C2 verified late, C5 on time; deny counts (C9)', () => {
    rate(s('s1', 'onTimeVerifyRate'), ['5'], ['2', '5']);
    rate(s('s2', 'onTimeVerifyRate'), ['9'], ['9']);
  });
  it('按时核查率: both checks of C2 on time; C10 check unattended and overdue at February end', () => {
    rate(s('s1', 'onTimeCheckRate'), ['1', '2'], ['1', '2']);
    rate(s('s1', 'onTimeCheckRate', F), [], ['10']);
    rate(s('s3', 'onTimeCheckRate'), [], []);
  });
});

describe('intake operator indicators', () => {
  const i = (subject: string, key: string, q = J) => fig('intake', q, subject, key);

  it('受理数: intake or first verification request; the merge of C7 is not a 受理', () => {
    count(i('i1', 'intakeCount'), ['1', '3', '6', '11']);
    count(i('i2', 'intakeCount'), ['2', '4', '5', '9']);
    count(i('i1', 'intakeCount', F), ['10']);
  });
  it('核实按时派发率: C5 sent late', () => {
    rate(i('i2', 'onTimeVerifyDispatchRate'), ['2', '9'], ['2', '5', '9']);
    rate(i('i1', 'onTimeVerifyDispatchRate'), ['11'], ['11']);
  });
  it('核查按时派发率: the second check of C2 sent late', () => {
    rate(i('i1', 'onTimeCheckDispatchRate'), ['1', '4'], ['1', '2', '4']);
    rate(i('i2', 'onTimeCheckDispatchRate'), [], []);
    rate(i('i2', 'onTimeCheckDispatchRate', F), ['3'], ['3']);
  });
});

describe('shift leader indicators', () => {
  const l = (subject: string, key: string, q = J) => fig('shift_leader', q, subject, key);

  it('按时立案率: 立案 acts only (C9’s 不予立案 by L1 stays out); C4 filed late', () => {
    rate(l('L1', 'onTimeFilingRate'), ['1', '2', '3', '5'], ['1', '2', '3', '5']);
    rate(l('L2', 'onTimeFilingRate'), ['6', '11'], ['4', '6', '11']);
  });
  it('准确立案率 = (立案 − 作废) / 立案: C6 (filed by L2 in January) voided in February', () => {
    rate(l('L2', 'accurateFilingRate'), ['4', '6', '11'], ['4', '6', '11']);
    rate(l('L2', 'accurateFilingRate', F), [], ['6']);
    count(l('L2', 'voidedCount', F), ['6']);
    rate(l('L1', 'accurateFilingRate', F), ['10'], ['10']);
  });
  it('按时结案率: C4 closed late', () => {
    rate(l('L2', 'onTimeCloseRate'), ['2'], ['2', '4']);
    rate(l('L1', 'onTimeCloseRate'), ['1'], ['1']);
    rate(l('L1', 'onTimeCloseRate', F), ['3'], ['3']);
  });
});

describe('dispatcher indicators', () => {
  const x = (subject: string, key: string, q = J) => fig('dispatcher', q, subject, key);

  it('派遣数: dispatch and send_to_collaboration; C3 counts for both dispatchers', () => {
    count(x('D1', 'dispatchCount'), ['1', '2', '3', '5', '6']);
    count(x('D2', 'dispatchCount'), ['3', '4', '11']);
  });
  it('按时派遣率: D2 re-dispatched C3 late', () => {
    rate(x('D2', 'onTimeDispatchRate'), ['4', '11'], ['3', '4', '11']);
    rate(x('D1', 'onTimeDispatchRate'), ['1', '2', '3', '5', '6'], ['1', '2', '3', '5', '6']);
  });
  it('准确派遣率: C3 returned → 错派 of D1 (who dispatched it), not of D2 who approved the return', () => {
    count(x('D1', 'misdispatchCount'), ['3']);
    rate(x('D2', 'accurateDispatchRate'), ['3', '4', '11'], ['3', '4', '11']);
  });
  it('准确派遣率 counts 返工 too: C2, dispatched by D1 to HW, failed its check on 01-08', () => {
    count(x('D1', 'dispatchReworkCount'), ['2']);
    count(x('D2', 'dispatchReworkCount'), []);
    rate(x('D1', 'accurateDispatchRate'), ['1', '5', '6'], ['1', '2', '3', '5', '6']);
  });
  it('a return after a coordinator settlement is nobody’s 错派; voided C6 leaves February', () => {
    rate(x('D1', 'accurateDispatchRate', F), ['10', '11'], ['10', '11']);
    count(x('D1', 'misdispatchCount', F), []);
  });
});

describe('region indicators', () => {
  const g = (type: SubjectType, subject: string, key: string, q = J) => fig(type, q, subject, key);

  it('上报数: reports in P except merged duplicates (C7)', () => {
    count(g('grid', G1, 'reportCount'), ['1', '2', '5', '8', '10']);
    count(g('district', '510104', 'reportCount'), ['1', '2', '3', '4', '5', '6', '8', '9', '10', '11']);
  });
  it('立案数: filed in P (self_handle files on the spot); C10 filed in February', () => {
    count(g('grid', G1, 'filedCount'), ['1', '2', '5', '8']);
    count(g('grid', G1, 'filedCount', F), ['10']);
    count(g('street', '510104002', 'filedCount'), ['6', '11']);
  });
  it('监督举报率: public, 12345, media, leader sources among filed cases', () => {
    rate(g('grid', G1, 'publicReportRate'), ['2', '5'], ['1', '2', '5', '8']);
    rate(g('grid', G2, 'publicReportRate'), [], ['3', '4']);
    rate(g('community', '510104001001', 'publicReportRate'), ['2', '5'], ['1', '2', '3', '4', '5', '8']);
  });
  it('应结案数 = 立案数 − 挂账 at the end: C5, suspended at January’s end, is out', () => {
    count(g('grid', G1, 'suspendedCount'), ['5']);
    count(g('grid', G1, 'dueCloseCount'), ['1', '2', '8']);
    count(g('grid', G1, 'dueCloseCount', F), ['10']);
    count(g('district', '510104', 'dueCloseCount'), ['1', '2', '3', '4', '6', '8', '11']);
  });
  it('结案率 = 结案 / 应结案: C3 (closed Feb) is open; C5 (挂账) is neither failed nor counted', () => {
    rate(g('grid', G1, 'closeRate'), ['1', '2', '8'], ['1', '2', '8']);
    rate(g('grid', G2, 'closeRate'), ['4'], ['3', '4']);
    rate(g('district', '510104', 'closeRate'), ['1', '2', '4', '8'], ['1', '2', '3', '4', '6', '8', '11']);
  });
  it('按期结案率 judges only the 签收 and 处置 steps: C2’s late 核查派发 is the centre’s; C4 was handled late', () => {
    rate(g('grid', G1, 'onTimeCloseRate'), ['1', '2', '8'], ['1', '2', '8']);
    rate(g('grid', G2, 'onTimeCloseRate'), [], ['3', '4']);
    rate(g('grid', G3, 'onTimeCloseRate'), [], ['6', '11']);
  });
  it('处置率 and 返工率 over 应结案: C3 fed back 01-31 is handled though not closed; C2 reworked', () => {
    rate(g('grid', G2, 'disposalRate'), ['3', '4'], ['3', '4']);
    rate(g('grid', G3, 'disposalRate'), [], ['6', '11']);
    rate(g('grid', G1, 'reworkRate'), ['2'], ['1', '2', '8']);
  });
});

describe('filters', () => {
  const district = (filters: EvaluationQuery['filters']) =>
    fig('district', { ...J, filters }, '510104', 'filedCount').caseIds.numerator;

  it('categories match by prefix, area classes, sources, kinds', () => {
    expect(district({ categories: ['01'] })).toEqual(['1', '2', '4', '5', '6', '11']);
    expect(district({ categories: ['0501'] })).toEqual(['3', '8']);
    expect(district({ areaClasses: ['C'] })).toEqual(['6', '11']);
    expect(district({ sources: ['supervisor'] })).toEqual(['1', '3', '4', '6', '8']);
    expect(district({ kinds: ['event'] })).toEqual(['2', '3', '5', '8']);
  });
  it('time slots of the local day, including one past midnight', () => {
    const reports = (slot: { fromHour: number; toHour: number }) =>
      fig('district', { ...J, filters: { timeSlots: [slot] } }, '510104', 'reportCount').caseIds.numerator;
    expect(reports({ fromHour: 8, toHour: 9 })).toEqual(['2']);
    expect(reports({ fromHour: 20, toHour: 8 })).toEqual(['10']);
  });
  it('a period with from ≥ to is refused', () => {
    expect(() => evaluate(CASES, { ...J, from: J.to }, 'grid')).toThrow(/from < to/);
  });
});
