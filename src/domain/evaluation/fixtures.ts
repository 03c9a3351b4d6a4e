/**
 * Hand-written event logs for the evaluation tests: 11 cases in January 2026 (+08:00), some
 * running on into February. Expected values in evaluation.test.ts are computed by hand from
 * these logs. Grids: G1 (class A) and G2 (B) in one community, G3 (C) in another street.
 *
 *  C1  supervisor s1 report, all on time, closed by SZ
 *  C2  public report, verified late by s1, HW rework, request_check late, closed
 *  C3  return: D1 → SZ, returned, D2 re-dispatches late → YL; fed back 01-31, closed in Feb
 *  C4  SZ-01 (unit of SZ) extension, feedback still late; filed late; closed late
 *  C5  hotline report, verification sent late; SZ suspends, still suspended at Jan end; Feb done
 *  C6  HW never handles: overdue at Jan end; voided in February (filed by L2)
 *  C7  duplicate of C1, merged
 *  C8  self-handled by s1, closed at once
 *  C9  public report denied on verification, rejected
 *  C10 cross-period: s1 reports 01-31 20:00, filed in Feb, check overdue at Feb end
 *  C11 public report in G3 → collaboration platform → HW never signs (overdue); in Feb
 *      returned (no 错派: the coordinator settled it), re-dispatched to YL, overdue again
 */
import type { CaseAction, CaseState, ClockStep } from '../workflow/states.js';
import type { EvaluationCase, EvaluationEvent, EvaluationQuery, StepOutcome } from './types.js';

export const G1 = '510104001001001';
export const G2 = '510104001001002';
export const G3 = '510104002001001';

/** Local time (+08:00) in 2026: 'MM-DDTHH:mm'. */
const t = (s: string): Date => new Date(`2026-${s}:00+08:00`);

export const JANUARY: EvaluationQuery = {
  from: t('01-01T00:00'),
  to: t('02-01T00:00'),
  supervisorGrids: { s1: [G1], s2: [G2], s3: [G3] },
  departmentParents: { 'SZ-01': 'SZ' },
};
export const FEBRUARY: EvaluationQuery = { ...JANUARY, from: t('02-01T00:00'), to: t('03-01T00:00') };

const ROLE_OF: Record<string, string> = {
  s: 'supervisor',
  i: 'intake',
  L: 'shift_leader',
  D: 'dispatcher',
  c: 'citizen',
};

function roleOf(actor: string): string {
  if (actor === 'service') return 'service';
  if (actor.startsWith('dept:')) return 'department';
  if (actor.startsWith('co')) return 'coordinator';
  return ROLE_OF[actor.charAt(0)] ?? 'service';
}

/**
 * One event per line: `at action actor from>to [ok:step | late:step]… [run:step@at | run:step@-]
 * [dept:CODE]`. ok / late = a step this event stopped (payload.steps); run = the step running
 * afterwards with its deadline, `-` while suspended (payload.clock); dept = the department a
 * dispatch sends the case to (payload.department). `new` = the event creates the case.
 */
function eventOf(line: string, index: number): EvaluationEvent {
  const [at, action, actor, move, ...rest] = line.split(' ') as [
    string,
    CaseAction,
    string,
    string,
    ...string[],
  ];
  const [from, to] = move.split('>') as [CaseState | 'new', CaseState];
  const steps: StepOutcome[] = [];
  let clock: { step: ClockStep; deadline: string | null } | undefined;
  let department: { code: string } | undefined;
  for (const token of rest) {
    const [kind, value = ''] = token.split(/:(.*)/s) as [string, string?];
    if (kind === 'ok' || kind === 'late')
      steps.push({ step: value as ClockStep, deadline: '2026-01-01T00:00:00.000Z', late: kind === 'late' });
    else if (kind === 'run') {
      const [step, deadline] = value.split('@') as [ClockStep, string];
      clock = { step, deadline: deadline === '-' ? null : t(deadline).toISOString() };
    } else if (kind === 'dept') department = { code: value };
    else throw new Error(`fixture: unknown token ${token}`);
  }
  return {
    seq: index + 1,
    action,
    actorId: actor === 'service' ? null : actor,
    actorRole: roleOf(actor),
    fromState: from === 'new' ? null : from,
    toState: to,
    at: t(at),
    payload: {
      ...(steps.length > 0 ? { steps } : {}),
      ...(clock ? { clock } : {}),
      ...(department ? { department } : {}),
    },
  };
}

/** A case from its event lines (see eventOf); the kind follows the category (0101 is a component). */
export function mk(
  id: string,
  grid: string,
  source: string,
  categoryCode: string,
  lines: string[],
): EvaluationCase {
  const events = lines.map(eventOf);
  const first = events[0]!;
  return {
    id,
    caseNumber: `510104-2026${lines[0]!.slice(0, 5).replace('-', '')}-E-${id.padStart(4, '0')}`,
    reportedAt: first.at,
    source,
    kind: categoryCode === '0101' ? 'component' : 'event',
    categoryCode,
    areaClass: grid === G1 ? 'A' : grid === G2 ? 'B' : 'C',
    gridCode: grid,
    communityCode: grid.slice(0, 12),
    streetCode: grid.slice(0, 9),
    districtCode: grid.slice(0, 6),
    reporterId: first.actorId,
    reporterRole: first.actorRole,
    events,
  };
}

// biome-ignore format: one event per line reads like the case history it is
export const CASES: EvaluationCase[] = [
  mk('1', G1, 'supervisor', '0101', [
    '01-05T09:00 report s1 new>reported run:intake@01-05T10:00',
    '01-05T09:30 intake i1 reported>pending_filing ok:intake run:file@01-05T11:00',
    '01-05T10:00 file L1 pending_filing>filed ok:file run:dispatch@01-05T11:00',
    '01-05T10:30 dispatch D1 filed>dispatched ok:dispatch run:sign@01-05T12:00 dept:SZ',
    '01-05T11:00 sign dept:SZ dispatched>handling ok:sign run:handle@01-06T11:00',
    '01-06T09:00 feedback dept:SZ handling>handled ok:handle run:request_check@01-06T11:00',
    '01-06T10:00 request_check i1 handled>checking ok:request_check run:check@01-06T14:00',
    '01-06T12:00 check_pass s1 checking>pending_close ok:check run:close@01-06T17:00',
    '01-06T14:00 close L1 pending_close>closed ok:close',
  ]),
  mk('2', G1, 'public', '0102', [
    '01-08T08:00 report c9 new>reported run:intake@01-08T09:00',
    '01-08T08:20 request_verification i2 reported>verifying ok:intake run:verify@01-08T10:00',
    '01-08T11:00 verify s1 verifying>pending_filing late:verify run:file@01-08T13:00',
    '01-08T11:30 file L1 pending_filing>filed ok:file run:dispatch@01-08T13:00',
    '01-08T12:00 dispatch D1 filed>dispatched ok:dispatch run:sign@01-08T14:00 dept:HW',
    '01-08T13:00 sign dept:HW dispatched>handling ok:sign run:handle@01-08T17:00',
    '01-08T15:00 feedback dept:HW handling>handled ok:handle run:request_check@01-08T17:00',
    '01-08T15:30 request_check i1 handled>checking ok:request_check run:check@01-08T19:00',
    '01-08T17:00 check_fail s1 checking>handling ok:check run:handle@01-09T17:00',
    '01-09T10:00 feedback dept:HW handling>handled ok:handle run:request_check@01-09T10:20',
    '01-09T10:30 request_check i1 handled>checking late:request_check run:check@01-09T14:00',
    '01-09T12:00 check_pass s1 checking>pending_close ok:check run:close@01-09T17:00',
    '01-09T15:00 close L2 pending_close>closed ok:close',
  ]),
  mk('3', G2, 'supervisor', '0501', [
    '01-10T09:00 report s2 new>reported run:intake@01-10T10:00',
    '01-10T09:10 intake i1 reported>pending_filing ok:intake run:file@01-10T11:00',
    '01-10T09:30 file L1 pending_filing>filed ok:file run:dispatch@01-10T11:00',
    '01-10T10:00 dispatch D1 filed>dispatched ok:dispatch run:sign@01-10T12:00 dept:SZ',
    '01-10T11:00 return_request dept:SZ dispatched>dispatched run:sign@01-10T12:00',
    '01-10T12:00 return_approve D2 dispatched>filed ok:sign run:dispatch@01-10T13:00',
    '01-10T14:00 dispatch D2 filed>dispatched late:dispatch run:sign@01-10T16:00 dept:YL',
    '01-10T15:00 sign dept:YL dispatched>handling ok:sign run:handle@01-11T15:00',
    '01-31T20:00 feedback dept:YL handling>handled ok:handle run:request_check@02-02T09:00',
    '02-02T08:00 request_check i2 handled>checking ok:request_check run:check@02-02T12:00',
    '02-02T10:00 check_pass s2 checking>pending_close ok:check run:close@02-02T17:00',
    '02-02T11:00 close L1 pending_close>closed ok:close',
  ]),
  mk('4', G2, 'supervisor', '0101', [
    '01-12T09:00 report s2 new>reported run:intake@01-12T10:00',
    '01-12T09:20 intake i2 reported>pending_filing ok:intake run:file@01-12T09:50',
    '01-12T10:00 file L2 pending_filing>filed late:file run:dispatch@01-12T12:00',
    '01-12T10:30 dispatch D2 filed>dispatched ok:dispatch run:sign@01-12T12:00 dept:SZ-01',
    '01-12T11:00 sign dept:SZ-01 dispatched>handling ok:sign run:handle@01-13T11:00',
    '01-13T09:00 extend_request dept:SZ-01 handling>handling run:handle@01-13T11:00',
    '01-13T10:00 extend_approve D2 handling>handling run:handle@01-15T11:00',
    '01-16T09:00 feedback dept:SZ-01 handling>handled late:handle run:request_check@01-16T11:00',
    '01-16T09:30 request_check i1 handled>checking ok:request_check run:check@01-16T13:00',
    '01-16T11:00 check_pass s2 checking>pending_close ok:check run:close@01-16T15:00',
    '01-16T17:00 close L2 pending_close>closed late:close',
  ]),
  mk('5', G1, 'hotline_12345', '0102', [
    '01-14T09:00 report i2 new>reported run:intake@01-14T10:00',
    '01-14T12:00 request_verification i2 reported>verifying late:intake run:verify@01-14T14:00',
    '01-14T13:00 verify s1 verifying>pending_filing ok:verify run:file@01-14T15:00',
    '01-14T14:00 file L1 pending_filing>filed ok:file run:dispatch@01-14T16:00',
    '01-14T15:00 dispatch D1 filed>dispatched ok:dispatch run:sign@01-14T17:00 dept:SZ',
    '01-14T16:00 sign dept:SZ dispatched>handling ok:sign run:handle@01-15T16:00',
    '01-15T10:00 suspend_request dept:SZ handling>handling run:handle@01-15T16:00',
    '01-15T11:00 suspend_approve D1 handling>suspended run:handle@-',
    '02-03T09:00 resume D1 suspended>handling run:handle@02-03T15:00',
    '02-03T14:00 feedback dept:SZ handling>handled ok:handle run:request_check@02-10T16:00',
  ]),
  mk('6', G3, 'supervisor', '0101', [
    '01-18T09:00 report s3 new>reported run:intake@01-18T10:00',
    '01-18T09:05 intake i1 reported>pending_filing ok:intake run:file@01-18T11:00',
    '01-18T09:30 file L2 pending_filing>filed ok:file run:dispatch@01-18T11:00',
    '01-18T10:00 dispatch D1 filed>dispatched ok:dispatch run:sign@01-18T12:00 dept:HW',
    '01-18T10:30 sign dept:HW dispatched>handling ok:sign run:handle@01-19T10:30',
    '01-19T10:31 overdue service handling>handling run:handle@01-19T10:30',
    '02-02T09:00 void_request D1 handling>handling run:handle@01-19T10:30',
    '02-03T09:00 void_approve L1 handling>voided late:handle',
  ]),
  mk('7', G1, 'public', '0101', [
    '01-05T09:40 report c7 new>reported run:intake@01-05T10:40',
    '01-05T10:10 merge i1 reported>merged ok:intake',
  ]),
  mk('8', G1, 'supervisor', '0501', [
    '01-22T10:00 self_handle s1 new>closed',
  ]),
  mk('9', G2, 'public', '0102', [
    '01-25T10:00 report c5 new>reported run:intake@01-25T11:00',
    '01-25T10:30 request_verification i2 reported>verifying ok:intake run:verify@01-25T17:00',
    '01-25T16:00 deny s2 verifying>pending_filing ok:verify run:file@01-25T18:00',
    '01-25T17:00 reject L1 pending_filing>rejected ok:file',
  ]),
  mk('10', G1, 'supervisor', '0501', [
    '01-31T20:00 report s1 new>reported run:intake@02-01T09:00',
    '02-01T08:30 intake i1 reported>pending_filing ok:intake run:file@02-01T10:00',
    '02-01T09:00 file L1 pending_filing>filed ok:file run:dispatch@02-01T11:00',
    '02-01T09:30 dispatch D1 filed>dispatched ok:dispatch run:sign@02-01T11:00 dept:SZ',
    '02-01T10:00 sign dept:SZ dispatched>handling ok:sign run:handle@02-02T10:00',
    '02-01T16:00 feedback dept:SZ handling>handled ok:handle run:request_check@02-01T17:00',
    '02-01T16:30 request_check i1 handled>checking ok:request_check run:check@02-02T12:00',
  ]),
  mk('11', G3, 'public', '0101', [
    '01-26T09:00 report c11 new>reported run:intake@01-26T10:00',
    '01-26T09:10 request_verification i1 reported>verifying ok:intake run:verify@01-26T12:00',
    '01-26T10:00 verify s3 verifying>pending_filing ok:verify run:file@01-26T12:00',
    '01-26T10:30 file L2 pending_filing>filed ok:file run:dispatch@01-26T12:00',
    '01-26T11:00 send_to_collaboration D2 filed>ownership_dispute ok:dispatch run:claim@01-27T11:00',
    '01-27T11:00 settle_ownership co1 ownership_dispute>dispatched ok:claim run:sign@01-27T13:00 dept:HW',
    '02-02T09:00 return_request dept:HW dispatched>dispatched run:sign@01-27T13:00',
    '02-02T10:00 return_approve D1 dispatched>filed late:sign run:dispatch@02-02T12:00',
    '02-02T11:00 dispatch D1 filed>dispatched ok:dispatch run:sign@02-02T13:00 dept:YL',
  ]),
];
