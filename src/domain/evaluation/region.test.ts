/**
 * Region (区域) indicators written out from their definitions (region.ts, outcome.ts; domain.md
 * §5, GB/T 30428.4): which sources are public supervision, which states count as handled, which
 * late steps make a closing late. Hand-built January cases in one grid; the expected lists are
 * read off the rules, case by case.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { viewOf } from './facts.js';
import { G1, JANUARY, mk } from './fixtures.js';
import { handlingHours } from './outcome.js';
import type { EvaluationCase, Figure } from './types.js';

/** Reported, taken in and filed on the day (all on time). */
const filed = (day: string) => [
  `${day}T09:00 report s1 new>reported run:intake@${day}T10:00`,
  `${day}T09:30 intake i1 reported>pending_filing ok:intake run:file@${day}T11:00`,
  `${day}T10:00 file L1 pending_filing>filed ok:file run:dispatch@${day}T11:00`,
];
/** …dispatched to SZ and signed. */
const handling = (day: string, sign = 'ok') => [
  ...filed(day),
  `${day}T10:30 dispatch D1 filed>dispatched ok:dispatch run:sign@${day}T12:00 dept:SZ`,
  `${day}T11:00 sign dept:SZ dispatched>handling ${sign}:sign run:handle@${day}T17:00`,
];
/** …fed back and checked. */
const checked = (day: string, handle = 'ok', sign = 'ok') => [
  ...handling(day, sign),
  `${day}T13:00 feedback dept:SZ handling>handled ${handle}:handle run:request_check@${day}T14:00`,
  `${day}T13:30 request_check i1 handled>checking ok:request_check run:check@${day}T15:00`,
  `${day}T14:00 check_pass s1 checking>pending_close ok:check run:close@${day}T16:00`,
];
const closed = (day: string, handle = 'ok', sign = 'ok') => [
  ...checked(day, handle, sign),
  `${day}T15:00 close L1 pending_close>closed ok:close`,
];

function fig(cases: EvaluationCase[], key: string): Figure {
  const r = evaluate(cases, JANUARY, 'grid').find((s) => s.subjectId === G1);
  const f = r?.indicators[key];
  if (!f) throw new Error(`no ${key} for ${G1}`);
  return f;
}

function rate(f: Figure, num: string[], den: string[]): void {
  expect(f.kind).toBe('rate');
  expect([...f.caseIds.numerator]).toEqual(num);
  expect([...f.caseIds.denominator]).toEqual(den);
}

describe('监督举报率: filed cases from the public supervision channels / 立案数', () => {
  // cases.source: supervisor, public, hotline_12345, video_ai, iot, leader, media. The public
  // channels are 公众, 12345, 媒体 and 领导交办; the patrol, video and sensors are the city's own.
  const SOURCES = ['supervisor', 'public', 'hotline_12345', 'video_ai', 'iot', 'leader', 'media'];
  const cases = SOURCES.map((source, i) => mk(String(i + 1), G1, source, '0501', filed('01-05')));

  it('公众, 12345, 媒体, 领导交办 count; 监督员, 视频, 物联网 do not', () => {
    rate(fig(cases, 'publicReportRate'), ['2', '3', '6', '7'], ['1', '2', '3', '4', '5', '6', '7']);
  });

  it('a public report not filed in the period is in neither set', () => {
    const reportedOnly = mk('8', G1, 'media', '0501', filed('01-05').slice(0, 2));
    rate(
      fig([...cases, reportedOnly], 'publicReportRate'),
      ['2', '3', '6', '7'],
      ['1', '2', '3', '4', '5', '6', '7'],
    );
  });
});

describe('处置率: of 应结案, handling finished at the end (fed back, being checked, to close, closed)', () => {
  const day = '01-06';
  const cases = [
    mk('1', G1, 'supervisor', '0501', filed(day)), // filed: not handled
    mk('2', G1, 'supervisor', '0501', handling(day).slice(0, 4)), // dispatched
    mk('3', G1, 'supervisor', '0501', handling(day)), // handling
    mk('4', G1, 'supervisor', '0501', checked(day).slice(0, 6)), // handled (fed back)
    mk('5', G1, 'supervisor', '0501', checked(day).slice(0, 7)), // checking
    mk('6', G1, 'supervisor', '0501', checked(day)), // pending_close
    mk('7', G1, 'supervisor', '0501', closed(day)), // closed
    // Failed its check: back to handling until the next feedback.
    mk('8', G1, 'supervisor', '0501', [
      ...checked(day).slice(0, 7),
      `${day}T14:00 check_fail s1 checking>handling ok:check run:handle@${day}T20:00`,
    ]),
  ];
  const all = ['1', '2', '3', '4', '5', '6', '7', '8'];

  it('handled, checking, pending_close and closed count; filed, dispatched, handling do not', () => {
    rate(fig(cases, 'disposalRate'), ['4', '5', '6', '7'], all);
  });
  it('结案率 and 结案数 count the closed case only; 返工率 the failed check', () => {
    rate(fig(cases, 'closeRate'), ['7'], all);
    expect([...fig(cases, 'closedCount').caseIds.numerator]).toEqual(['7']);
    rate(fig(cases, 'reworkRate'), ['8'], all);
  });
});

describe('按期结案率: closed, and no 签收 or 处置 of the handling unit ran late', () => {
  const day = '01-07';
  it('a late 签收 or a late 处置 makes the closing late; the other steps are judged elsewhere', () => {
    const cases = [
      mk('1', G1, 'supervisor', '0501', closed(day)),
      mk('2', G1, 'supervisor', '0501', closed(day, 'ok', 'late')), // 签收 late
      mk('3', G1, 'supervisor', '0501', closed(day, 'late', 'ok')), // 处置 late
      // Late 立案, 派遣, 核查派发, 核查 and 结案: the centre's and the supervisor's steps.
      mk('4', G1, 'supervisor', '0501', [
        `${day}T09:00 report s1 new>reported run:intake@${day}T10:00`,
        `${day}T09:30 intake i1 reported>pending_filing late:intake run:file@${day}T11:00`,
        `${day}T10:00 file L1 pending_filing>filed late:file run:dispatch@${day}T11:00`,
        `${day}T10:30 dispatch D1 filed>dispatched late:dispatch run:sign@${day}T12:00 dept:SZ`,
        `${day}T11:00 sign dept:SZ dispatched>handling ok:sign run:handle@${day}T17:00`,
        `${day}T13:00 feedback dept:SZ handling>handled ok:handle run:request_check@${day}T14:00`,
        `${day}T13:30 request_check i1 handled>checking late:request_check run:check@${day}T15:00`,
        `${day}T14:00 check_pass s1 checking>pending_close late:check run:close@${day}T16:00`,
        `${day}T15:00 close L1 pending_close>closed late:close`,
      ]),
      // Not closed: in no numerator, whatever its steps.
      mk('5', G1, 'supervisor', '0501', checked(day)),
    ];
    rate(fig(cases, 'onTimeCloseRate'), ['1', '4'], ['1', '2', '3', '4', '5']);
    rate(fig(cases, 'closeRate'), ['1', '2', '3', '4'], ['1', '2', '3', '4', '5']);
  });

  it('events that stop no step (an extension asked, an urge) leave a closing on time', () => {
    const c = closed(day);
    const cases = [
      mk('1', G1, 'supervisor', '0501', [
        ...c.slice(0, 5),
        `${day}T11:30 extend_request dept:SZ handling>handling run:handle@${day}T17:00`,
        `${day}T11:40 urge x9 handling>handling run:handle@${day}T17:00`,
        ...c.slice(5),
      ]),
    ];
    rate(fig(cases, 'onTimeCloseRate'), ['1'], ['1']);
  });

  it('one late 签收 among the steps an event stops is enough (a return stops 签收 and is approved by the dispatcher)', () => {
    const cases = [
      mk('1', G1, 'supervisor', '0501', [
        ...handling(day).slice(0, 4),
        `${day}T12:10 return_request dept:SZ dispatched>dispatched run:sign@${day}T12:00`,
        `${day}T12:20 return_approve D1 dispatched>filed ok:dispatch late:sign run:dispatch@${day}T13:00`,
        `${day}T12:30 dispatch D1 filed>dispatched ok:dispatch run:sign@${day}T14:00 dept:YL`,
        ...closed(day)
          .slice(4)
          .map((l) => l.replaceAll('dept:SZ', 'dept:YL')),
      ]),
    ];
    rate(fig(cases, 'onTimeCloseRate'), [], ['1']);
    rate(fig(cases, 'closeRate'), ['1'], ['1']);
  });

  it('only steps after the filing count, not a late step on the filing itself (as projection.ts: the store agrees)', () => {
    const cases = [
      mk('1', G1, 'supervisor', '0501', [
        `${day}T09:00 report s1 new>reported late:handle run:intake@${day}T10:00`,
        `${day}T10:00 file L1 reported>filed ok:file late:sign run:dispatch@${day}T11:00`,
        ...closed(day).slice(3),
      ]),
    ];
    rate(fig(cases, 'onTimeCloseRate'), ['1'], ['1']);
  });
});

describe('挂账 at the end: counted, neither due to close nor failed', () => {
  it('a case reworked and then suspended is in 挂账数 only, not in 应结案 or 返工', () => {
    const day = '01-08';
    const cases = [
      mk('1', G1, 'supervisor', '0501', closed(day)),
      mk('2', G1, 'supervisor', '0501', [
        ...checked(day).slice(0, 7),
        `${day}T14:00 check_fail s1 checking>handling ok:check run:handle@${day}T20:00`,
        `${day}T15:00 suspend_request dept:SZ handling>handling run:handle@${day}T20:00`,
        `${day}T16:00 suspend_approve D1 handling>suspended run:handle@-`,
      ]),
    ];
    const ids = (key: string) => [...fig(cases, key).caseIds.numerator];
    expect(ids('filedCount')).toEqual(['1', '2']);
    expect(ids('suspendedCount')).toEqual(['2']);
    expect(ids('dueCloseCount')).toEqual(['1']);
    rate(fig(cases, 'reworkRate'), [], ['1']);
    rate(fig(cases, 'disposalRate'), ['1'], ['1']);
  });
});

describe('上报数: the cases reported (上报 or 自行处置) in the period', () => {
  it('a case whose log has no creating event is filed but not reported', () => {
    const cases = [
      mk('1', G1, 'supervisor', '0501', filed('01-09')),
      mk('2', G1, 'supervisor', '0501', filed('01-09').slice(1)), // begins with 受理
    ];
    expect([...fig(cases, 'reportCount').caseIds.numerator]).toEqual(['1']);
    expect([...fig(cases, 'filedCount').caseIds.numerator]).toEqual(['1', '2']);
  });
});

describe('handlingHours: filing → closing, null unless both happened', () => {
  const view = (lines: string[]) => viewOf(mk('1', G1, 'supervisor', '0501', lines), JANUARY);
  it('hours from 立案 to 结案', () => {
    expect(handlingHours(view(closed('01-10')))).toBe(5); // filed 10:00, closed 15:00
  });
  it('null for a case filed and not closed, and for one not filed', () => {
    expect(handlingHours(view(checked('01-10')))).toBeNull();
    expect(handlingHours(view(filed('01-10').slice(0, 2)))).toBeNull();
  });
});
