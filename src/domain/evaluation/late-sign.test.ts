/**
 * A late 签收 is a late step of the department (GB/T 30428.8: the department's time runs from
 * dispatch). Hand-built cases: the signing is late or not, the feedback after it on time.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { FEBRUARY, G1, JANUARY, mk } from './fixtures.js';
import type { EvaluationCase, EvaluationQuery } from './types.js';

const opening = (day: string) => [
  `${day}T09:00 report s1 new>reported run:intake@${day}T10:00`,
  `${day}T09:30 intake i1 reported>pending_filing ok:intake run:file@${day}T11:00`,
  `${day}T10:00 file L1 pending_filing>filed ok:file run:dispatch@${day}T11:00`,
  `${day}T10:30 dispatch D1 filed>dispatched ok:dispatch run:sign@${day}T12:30 dept:SZ`,
];

// biome-ignore format: one event per line reads like the case history it is
const CASES: EvaluationCase[] = [
  // Signed two hours late, handled within the 处置 limit: late all the same.
  mk('21', G1, 'supervisor', '0501', [
    ...opening('01-05'),
    '01-05T14:30 sign dept:SZ dispatched>handling late:sign run:handle@01-06T10:30',
    '01-06T09:00 feedback dept:SZ handling>handled ok:handle run:request_check@01-06T11:00',
  ]),
  // Signed on time, handled on time.
  mk('22', G1, 'supervisor', '0501', [
    ...opening('01-07'),
    '01-07T11:00 sign dept:SZ dispatched>handling ok:sign run:handle@01-08T10:30',
    '01-08T09:00 feedback dept:SZ handling>handled ok:handle run:request_check@01-08T11:00',
  ]),
  // Signed late in January, fed back on time in February: late in February.
  mk('23', G1, 'supervisor', '0501', [
    ...opening('01-30'),
    '01-30T16:00 sign dept:SZ dispatched>handling late:sign run:handle@02-02T10:30',
    '02-02T09:00 feedback dept:SZ handling>handled ok:handle run:request_check@02-02T11:00',
  ]),
  // Signed late, fed back in January; reworked, fed back on time in February: the late signing
  // belongs to the first feedback only.
  mk('24', G1, 'supervisor', '0501', [
    ...opening('01-12'),
    '01-12T15:00 sign dept:SZ dispatched>handling late:sign run:handle@01-13T10:30',
    '01-13T09:00 feedback dept:SZ handling>handled ok:handle run:request_check@01-13T11:00',
    '01-13T10:00 request_check i1 handled>checking ok:request_check run:check@01-13T14:00',
    '01-31T12:00 check_fail s1 checking>handling ok:check run:handle@02-02T12:00',
    '02-02T09:00 feedback dept:SZ handling>handled ok:handle run:request_check@02-02T11:00',
  ]),
];

function ids(q: EvaluationQuery, key: string): string[] {
  const sz = evaluate(CASES, q, 'department').find((s) => s.subjectId === 'SZ');
  return [...(sz?.indicators[key]?.caseIds.numerator ?? [])];
}

describe('a late 签收 counts as a late step of the department', () => {
  it('January: the case signed late is 超期处置 although its 处置 step was on time', () => {
    expect(ids(JANUARY, 'handledLateCount')).toEqual(['21', '24']);
    expect(ids(JANUARY, 'handledOnTimeCount')).toEqual(['22']);
  });

  it('February: a signing late in January still makes its feedback late; a rework after it does not', () => {
    expect(ids(FEBRUARY, 'handledLateCount')).toEqual(['23']);
    expect(ids(FEBRUARY, 'handledOnTimeCount')).toEqual(['24']);
  });
});
