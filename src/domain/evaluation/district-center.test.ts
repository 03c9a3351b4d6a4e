/**
 * The district's 数字城管中心 (district-center.ts): an act counts for the centre only when one of
 * its staff did it in the role the act belongs to (立案 and 结案 by the shift leader, as the
 * posts' rules in center.ts). A 立案 recorded by the dispatcher is no 立案 of the centre.
 */
import { expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { G1, JANUARY, mk } from './fixtures.js';

it('only acts in the centre’s role count: a 立案 by the shift leader does, one recorded by a dispatcher does not', () => {
  const cases = [
    mk('1', G1, 'supervisor', '0501', [
      '01-05T09:00 report s1 new>reported run:intake@01-05T10:00',
      '01-05T09:30 intake i1 reported>pending_filing ok:intake run:file@01-05T11:00',
      '01-05T10:00 file L1 pending_filing>filed ok:file run:dispatch@01-05T11:00',
    ]),
    mk('2', G1, 'supervisor', '0501', [
      '01-06T09:00 report s1 new>reported run:intake@01-06T10:00',
      '01-06T09:30 intake i1 reported>pending_filing ok:intake run:file@01-06T11:00',
      '01-06T10:00 file D1 pending_filing>filed ok:file run:dispatch@01-06T11:00',
    ]),
  ];
  const centre = evaluate(cases, JANUARY, 'center').find((r) => r.subjectId === '510104');
  expect([...(centre?.indicators.onTimeFilingRate?.caseIds.denominator ?? [])]).toEqual(['1']);
  expect([...(centre?.indicators.accurateFilingRate?.caseIds.denominator ?? [])]).toEqual(['1']);
});
