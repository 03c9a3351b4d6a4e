/**
 * The per-case and per-event facts (projection.ts), by hand from the fixture logs (fixtures.ts):
 * who created and filed a case and when, which acts were late, which dispatch a return or a
 * rework undid, and from when a running step is overdue. The SQL evaluation over these facts is
 * compared with the engine in modules/evaluation/facts; here each fact is pinned on its own.
 */
import { describe, expect, it } from 'vitest';
import { CASES, G1, mk } from './fixtures.js';
import { type CaseFacts, closeStep, factsOfCase, projectEvent, type StepFacts } from './projection.js';
import type { EvaluationCase } from './types.js';

/** Local time (+08:00) in 2026, as the fixtures write it. */
const t = (s: string): Date => new Date(`2026-${s}:00+08:00`);

const byId = (id: string): EvaluationCase => CASES.find((c) => c.id === id)!;

function project(c: EvaluationCase): { facts: CaseFacts; steps: StepFacts[] } {
  const { facts, steps } = factsOfCase(c);
  if (!facts) throw new Error(`no facts for ${c.id}`);
  return { facts, steps };
}

describe('case facts', () => {
  it('C1: reported by s1, filed 01-05 10:00 (seq 3), closed 01-06 14:00, nothing late', () => {
    const { facts } = project(byId('1'));
    expect(facts).toEqual({
      caseId: '1',
      reportedAt: t('01-05T09:00'),
      source: 'supervisor',
      kind: 'component',
      categoryId: null,
      categoryCode: '0101',
      areaClass: 'A',
      gridCode: G1,
      communityCode: '510104001001',
      streetCode: '510104001',
      districtCode: '510104',
      createdAt: t('01-05T09:00'),
      creatorAction: 'report',
      creatorId: 's1',
      creatorRole: 'supervisor',
      filedAt: t('01-05T10:00'),
      closedAt: t('01-06T14:00'),
      voidAt: null,
      mergeAt: null,
      decideAt: t('01-05T10:00'),
      checkFailAt: null,
      lateHandlingAt: null,
      lastSeq: 9,
      lastAt: t('01-06T14:00'),
      state: 'closed',
      running: {
        dept: 'SZ',
        signedLate: [],
        lastDispatch: { action: 'dispatch', actorId: 'D1', role: 'dispatcher' },
        filingSeq: 3,
      },
    });
  });

  it('the category id of the case row, when the store gives one', () => {
    expect(factsOfCase({ ...byId('1'), categoryId: 7 }).facts?.categoryId).toBe(7);
  });

  it('C8: a self-handled case is created, filed and closed by the one event', () => {
    const { facts } = project(byId('8'));
    expect(facts).toMatchObject({
      createdAt: t('01-22T10:00'),
      creatorAction: 'self_handle',
      creatorId: 's1',
      creatorRole: 'supervisor',
      filedAt: t('01-22T10:00'),
      closedAt: t('01-22T10:00'),
      decideAt: null,
      state: 'closed',
      running: { dept: null, signedLate: [], lastDispatch: null, filingSeq: 1 },
    });
  });

  it('a self-handled case still handling is filed, not closed', () => {
    const c = mk('81', G1, 'supervisor', '0501', ['01-22T10:00 self_handle s1 new>handling']);
    expect(project(c).facts).toMatchObject({ filedAt: t('01-22T10:00'), closedAt: null, state: 'handling' });
  });

  it('C7 merged at 01-05 10:10 (a decision); C9 rejected at 01-25 17:00 (a decision, not a filing)', () => {
    expect(project(byId('7')).facts).toMatchObject({
      mergeAt: t('01-05T10:10'),
      decideAt: t('01-05T10:10'),
      filedAt: null,
      state: 'merged',
    });
    expect(project(byId('9')).facts).toMatchObject({
      decideAt: t('01-25T17:00'),
      filedAt: null,
      mergeAt: null,
      creatorId: 'c5',
      creatorRole: 'citizen',
      running: { filingSeq: null },
    });
  });

  it('C2: the failed check at 01-08 17:00; the late 核实 and 核查派发 are not handling steps', () => {
    expect(project(byId('2')).facts).toMatchObject({
      checkFailAt: t('01-08T17:00'),
      lateHandlingAt: null,
      closedAt: t('01-09T15:00'),
      running: { dept: 'HW', filingSeq: 4 },
    });
  });

  it('C4: the late 处置 (feedback 01-16 09:00) is late handling after the filing', () => {
    expect(project(byId('4')).facts.lateHandlingAt).toEqual(t('01-16T09:00'));
  });

  it('C6: voided 02-03 09:00, with the late 处置 it stopped as late handling', () => {
    expect(project(byId('6')).facts).toMatchObject({
      voidAt: t('02-03T09:00'),
      lateHandlingAt: t('02-03T09:00'),
      state: 'voided',
    });
  });

  it('C11: the late 签收 stopped by the return is late handling; the return leaves no department', () => {
    expect(project(byId('11')).facts).toMatchObject({
      lateHandlingAt: t('02-02T10:00'),
      running: {
        dept: 'YL',
        lastDispatch: { action: 'dispatch', actorId: 'D1', role: 'dispatcher' },
        filingSeq: 4,
      },
    });
    // The late 签收 was stopped by the return, not by a 签收: no department signed late.
    expect(project(byId('11')).facts.running.signedLate).toEqual([]);
    // The coordinator's settle_ownership sends the case to HW, as a dispatch does.
    expect(project(byId('11')).steps[6]).toMatchObject({ action: 'return_request', dept: 'HW' });
    const upToReturn = { ...byId('11'), events: byId('11').events.slice(0, 8) };
    expect(project(upToReturn).facts.running).toMatchObject({
      dept: null,
      lastDispatch: { action: 'settle_ownership', actorId: 'co1', role: 'coordinator' },
    });
  });

  it('the first of two times is kept: two failed checks, two late feedbacks', () => {
    const c = mk('90', G1, 'supervisor', '0101', [
      '01-05T09:00 report s1 new>reported',
      '01-05T10:00 file L1 reported>filed',
      '01-05T10:30 dispatch D1 filed>dispatched dept:SZ',
      '01-05T11:00 sign dept:SZ dispatched>handling',
      '01-06T09:00 feedback dept:SZ handling>handled late:handle',
      '01-06T12:00 check_fail s1 handled>handling',
      '01-07T09:00 feedback dept:SZ handling>handled late:handle',
      '01-07T12:00 check_fail s1 handled>handling',
    ]);
    expect(project(c).facts).toMatchObject({
      checkFailAt: t('01-06T12:00'),
      lateHandlingAt: t('01-06T09:00'),
    });
  });

  it('the earliest time is kept even when a later event carries an earlier clock', () => {
    const c = mk('103', G1, 'supervisor', '0101', [
      '01-05T09:00 report s1 new>reported',
      '01-06T12:00 check_fail s1 handled>handling',
      '01-06T11:00 check_fail s1 handled>handling',
    ]);
    expect(project(c).facts.checkFailAt).toEqual(t('01-06T11:00'));
  });

  it('a late handling step before the filing does not count (only after the case is filed)', () => {
    const c = mk('91', G1, 'supervisor', '0101', [
      '01-05T09:00 report s1 new>reported late:handle',
      '01-05T10:00 file L1 reported>filed late:sign',
    ]);
    expect(project(c).facts.lateHandlingAt).toBeNull();
    expect(project(c).steps.map((s) => s.handlingLate)).toEqual([true, true]);
  });

  it('events are folded in seq order whatever order they come in', () => {
    const c = byId('1');
    const shuffled = { ...c, events: [...c.events].reverse() };
    expect(factsOfCase(shuffled)).toEqual(factsOfCase(c));
  });

  it('a case without events has no facts', () => {
    expect(factsOfCase({ ...byId('1'), events: [] })).toEqual({ facts: null, steps: [] });
  });
});

describe('step facts', () => {
  it('C1: each event until the next, its department, the clock it leaves running', () => {
    const { steps } = project(byId('1'));
    expect(
      steps.map((s) => [s.seq, s.action, s.dept, s.clockStep, s.untilAt?.toISOString() ?? null]),
    ).toEqual([
      [1, 'report', null, 'intake', t('01-05T09:30').toISOString()],
      [2, 'intake', null, 'file', t('01-05T10:00').toISOString()],
      [3, 'file', null, 'dispatch', t('01-05T10:30').toISOString()],
      [4, 'dispatch', 'SZ', 'sign', t('01-05T11:00').toISOString()],
      [5, 'sign', 'SZ', 'handle', t('01-06T09:00').toISOString()],
      [6, 'feedback', 'SZ', 'request_check', t('01-06T10:00').toISOString()],
      [7, 'request_check', 'SZ', 'check', t('01-06T12:00').toISOString()],
      [8, 'check_pass', 'SZ', 'close', t('01-06T14:00').toISOString()],
      [9, 'close', 'SZ', null, null],
    ]);
    expect(steps[0]).toEqual({
      caseId: '1',
      seq: 1,
      at: t('01-05T09:00'),
      untilAt: t('01-05T09:30'),
      action: 'report',
      actorId: 's1',
      actorRole: 'supervisor',
      fromState: null,
      toState: 'reported',
      dept: null,
      actLate: false,
      handlingLate: false,
      clockStep: 'intake',
      // Deadline 10:00, but the next event came at 09:30: never overdue.
      overdueFrom: null,
      undoneRole: null,
      undoneActor: null,
    });
    expect(steps.every((s) => !s.actLate && !s.handlingLate)).toBe(true);
  });

  it('an act is late when the step it stops ran late: C2 核实, C2 核查派发, C4 立案 / 处置 / 结案, C3 派遣', () => {
    const lateActs = (id: string) =>
      project(byId(id))
        .steps.filter((s) => s.actLate)
        .map((s) => `${s.seq}:${s.action}`);
    expect(lateActs('2')).toEqual(['3:verify', '11:request_check']);
    expect(lateActs('4')).toEqual(['3:file', '8:feedback', '11:close']);
    expect(lateActs('3')).toEqual(['7:dispatch']);
    // C5: the intake ran late and request_verification stops whatever step it finds.
    expect(lateActs('5')).toEqual(['2:request_verification']);
    // C6: the void stops a late 处置 but a void is nobody's timed act; C11's return likewise.
    expect(lateActs('6')).toEqual([]);
    expect(lateActs('11')).toEqual([]);
  });

  it('each act is judged on its own step only', () => {
    const c = mk('92', G1, 'public', '0101', [
      '01-05T09:00 report c1 new>reported',
      '01-05T09:10 request_verification i1 reported>verifying late:verify',
      '01-05T10:00 verify s1 verifying>pending_filing late:file',
      '01-05T10:10 file L1 pending_filing>filed late:verify',
      '01-05T10:20 send_to_collaboration D1 filed>ownership_dispute late:dispatch',
      '01-05T10:30 settle_ownership co1 ownership_dispute>dispatched late:claim dept:SZ',
      '01-05T11:00 sign dept:SZ dispatched>handling',
      '01-05T12:00 feedback dept:SZ handling>handled late:check',
      '01-05T12:10 request_check i1 handled>checking late:close',
      '01-05T12:20 check_pass s1 checking>pending_close late:check',
      '01-05T12:30 close L1 pending_close>closed late:file',
    ]);
    expect(project(c).steps.map((s) => s.actLate)).toEqual([
      false, // report: no timed act
      true, // request_verification: any stopped step
      false, // verify judged on 核实 only
      false, // file judged on 立案 only
      true, // send_to_collaboration: a 派遣
      false, // settle_ownership: the coordinator's, not timed here
      false, // sign: judged as the department's (signedLate), not as an act
      false, // feedback judged on 处置 only
      false, // request_check judged on its own step only
      true, // check_pass: 核查
      false, // close judged on 结案 only
    ]);
    const deny = mk('93', G1, 'public', '0101', [
      '01-05T09:00 report c1 new>reported',
      '01-05T10:00 deny s1 reported>pending_filing late:verify',
      '01-05T11:00 check_fail s1 handled>handling late:check',
    ]);
    expect(project(deny).steps.map((s) => s.actLate)).toEqual([false, true, true]);
  });

  it('a feedback after a late 签收 of its department is late; the next feedback judged afresh', () => {
    const c = mk('94', G1, 'supervisor', '0101', [
      '01-05T09:00 report s1 new>reported',
      '01-05T10:00 file L1 reported>filed',
      '01-05T10:30 dispatch D1 filed>dispatched dept:SZ',
      '01-05T13:00 sign dept:SZ dispatched>handling late:sign',
      '01-06T09:00 feedback dept:SZ handling>handled ok:handle',
      '01-06T12:00 check_fail s1 handled>handling',
      '01-07T09:00 feedback dept:SZ handling>handled ok:handle',
    ]);
    const { facts, steps } = project(c);
    expect(steps.map((s) => s.actLate)).toEqual([false, false, false, false, true, false, false]);
    expect(facts.running.signedLate).toEqual([]);
    const beforeFeedback = project({ ...c, events: c.events.slice(0, 4) });
    expect(beforeFeedback.facts.running.signedLate).toEqual(['SZ']);
  });

  it('an on-time 签收 after a late one (re-dispatched back) clears it; another department is judged on its own', () => {
    const c = mk('95', G1, 'supervisor', '0101', [
      '01-05T09:00 report s1 new>reported',
      '01-05T10:00 file L1 reported>filed',
      '01-05T10:30 dispatch D1 filed>dispatched dept:SZ',
      '01-05T13:00 sign dept:SZ dispatched>handling late:sign',
      '01-05T14:00 return_approve D1 handling>filed',
      '01-05T14:30 dispatch D1 filed>dispatched dept:HW',
      '01-05T15:00 sign dept:HW dispatched>handling',
      '01-06T09:00 feedback dept:HW handling>handled',
      '01-06T10:00 return_approve D1 handled>filed',
      '01-06T10:30 dispatch D1 filed>dispatched dept:SZ',
      '01-06T11:00 sign dept:SZ dispatched>handling ok:sign',
      '01-07T09:00 feedback dept:SZ handling>handled',
    ]);
    const { steps } = project(c);
    expect(steps[7]).toMatchObject({ action: 'feedback', dept: 'HW', actLate: false });
    expect(steps[11]).toMatchObject({ action: 'feedback', dept: 'SZ', actLate: false });
    const upToHw = project({ ...c, events: c.events.slice(0, 8) });
    expect(upToHw.facts.running.signedLate).toEqual(['SZ']);
  });

  it('late 签收 by two departments are both remembered, in order', () => {
    const c = mk('96', G1, 'supervisor', '0101', [
      '01-05T09:00 report s1 new>reported',
      '01-05T10:30 dispatch D1 filed>dispatched dept:YL',
      '01-05T13:00 sign dept:YL dispatched>handling late:sign',
      '01-05T14:00 return_approve D1 handling>filed',
      '01-05T14:30 dispatch D1 filed>dispatched dept:HW',
      '01-05T15:00 sign dept:HW dispatched>handling late:sign',
    ]);
    expect(project(c).facts.running.signedLate).toEqual(['HW', 'YL']);
  });

  it('the department given on the event wins over the one dispatched to (a unit of it)', () => {
    const c = byId('4');
    const events = c.events.map((e) => (e.action === 'feedback' ? { ...e, departmentCode: 'SZ-01-A' } : e));
    const { steps } = project({ ...c, events });
    expect(steps.find((s) => s.action === 'feedback')?.dept).toBe('SZ-01-A');
    expect(steps.find((s) => s.action === 'sign')?.dept).toBe('SZ-01');
  });

  it('a return or a rework undoes the last dispatch, if a dispatcher made it', () => {
    const undone = (id: string) =>
      project(byId(id))
        .steps.filter((s) => s.undoneRole !== null || s.undoneActor !== null)
        .map((s) => [s.seq, s.action, s.undoneRole, s.undoneActor]);
    expect(undone('3')).toEqual([[6, 'return_approve', 'dispatcher', 'D1']]);
    expect(undone('2')).toEqual([[9, 'check_fail', 'dispatcher', 'D1']]);
    // C11: the return undid the coordinator's settle_ownership: nobody's 错派.
    expect(undone('11')).toEqual([]);
    // C3's return: the event's department is the one giving the case back.
    expect(project(byId('3')).steps[5]).toMatchObject({ dept: 'SZ', undoneRole: 'dispatcher' });
    expect(project(byId('3')).steps[6]).toMatchObject({ dept: 'YL' });
  });

  it('a collaboration dispatch after a dispatch is the last dispatch: the rework undoes nobody', () => {
    const c = mk('100', G1, 'supervisor', '0101', [
      '01-05T09:00 report s1 new>reported',
      '01-05T10:30 dispatch D1 filed>dispatched dept:SZ',
      '01-05T11:00 return_approve D1 dispatched>filed',
      '01-05T11:30 send_to_collaboration D2 filed>ownership_dispute',
      '01-05T12:00 check_fail s1 handled>handling',
    ]);
    const { facts, steps } = project(c);
    expect(steps[2]).toMatchObject({ undoneRole: 'dispatcher', undoneActor: 'D1' });
    expect(steps[4]).toMatchObject({ undoneRole: null, undoneActor: null });
    expect(facts.running.lastDispatch).toEqual({
      action: 'send_to_collaboration',
      actorId: 'D2',
      role: 'dispatcher',
    });
  });

  it('an act is late when any step it stops ran late, not only when all did', () => {
    const c = mk('101', G1, 'public', '0101', [
      '01-05T09:00 report c1 new>reported',
      '01-05T09:10 request_verification i1 reported>verifying ok:intake late:verify',
      '01-05T10:00 file L1 pending_filing>filed ok:verify late:file',
      '01-05T10:30 return_approve D1 dispatched>filed ok:dispatch late:sign',
    ]);
    const { facts, steps } = project(c);
    expect(steps.map((s) => [s.actLate, s.handlingLate])).toEqual([
      [false, false],
      [true, false],
      [true, false],
      [false, true],
    ]);
    expect(facts.lateHandlingAt).toEqual(t('01-05T10:30'));
  });

  it('only a feedback settles a late 签收: a request in between does not', () => {
    const c = mk('102', G1, 'supervisor', '0101', [
      '01-05T09:00 report s1 new>reported',
      '01-05T10:30 dispatch D1 filed>dispatched dept:SZ',
      '01-05T13:00 sign dept:SZ dispatched>handling late:sign',
      '01-05T14:00 extend_request dept:SZ handling>handling',
      '01-06T09:00 feedback dept:SZ handling>handled ok:handle',
    ]);
    expect(project(c).steps.map((s) => s.actLate)).toEqual([false, false, false, false, true]);
  });

  it('a rework right after a collaboration dispatch undoes nobody', () => {
    const c = mk('97', G1, 'supervisor', '0101', [
      '01-05T09:00 report s1 new>reported',
      '01-05T10:20 send_to_collaboration D1 filed>ownership_dispute',
      '01-05T12:00 check_fail s1 handled>handling',
    ]);
    expect(project(c).steps[2]).toMatchObject({ undoneRole: null, undoneActor: null });
  });
});

describe('overdue from', () => {
  it('C6: the 处置 deadline 01-19 10:30 while signed; overdue from the overdue event on', () => {
    const { steps } = project(byId('6'));
    // sign (seq 5) at 01-18 10:30, deadline 01-19 10:30, next event 01-19 10:31: overdue from the deadline.
    expect(steps[4]).toMatchObject({ clockStep: 'handle', overdueFrom: t('01-19T10:30') });
    // The overdue event (seq 6) at 10:31, deadline already past: overdue from its own time.
    expect(steps[5]).toMatchObject({ overdueFrom: t('01-19T10:31'), untilAt: t('02-02T09:00') });
    expect(steps[7]).toMatchObject({ clockStep: null, overdueFrom: null, untilAt: null });
  });

  it('C5: a suspended case has no deadline, so it is never overdue', () => {
    const suspend = project(byId('5')).steps.find((s) => s.action === 'suspend_approve');
    expect(suspend).toMatchObject({ clockStep: 'handle', overdueFrom: null });
  });

  it('the last event keeps its deadline until an event follows', () => {
    const c = mk('98', G1, 'supervisor', '0101', [
      '01-05T09:00 report s1 new>reported run:intake@01-05T10:00',
    ]);
    const { steps } = project(c);
    expect(steps[0]).toMatchObject({ untilAt: null, overdueFrom: t('01-05T10:00') });
  });

  it('closeStep: an overdue time before the next event stays, one at or after it is dropped', () => {
    const s = project(byId('1')).steps[0]!;
    const open = { ...s, untilAt: null, overdueFrom: t('01-05T10:00') };
    expect(closeStep(open, t('01-05T10:01'))).toEqual({
      ...open,
      untilAt: t('01-05T10:01'),
      overdueFrom: t('01-05T10:00'),
    });
    expect(closeStep(open, t('01-05T10:00'))).toMatchObject({ untilAt: t('01-05T10:00'), overdueFrom: null });
    expect(closeStep({ ...open, overdueFrom: null }, t('01-05T11:00')).overdueFrom).toBeNull();
  });
});

describe('projectEvent', () => {
  it('a first event that does not create the case records no creator', () => {
    const c = byId('1');
    const e = c.events[1]!; // intake, as if the report were missing
    const { facts } = projectEvent(c, null, e);
    expect(facts).toMatchObject({ createdAt: null, creatorAction: null, creatorId: null, creatorRole: null });
  });

  it('a later report event does not replace the creator', () => {
    const c = byId('1');
    const first = projectEvent(c, null, c.events[0]!).facts;
    const again = projectEvent(c, first, { ...c.events[0]!, seq: 2, actorId: 's9' }).facts;
    expect(again).toMatchObject({ createdAt: t('01-05T09:00'), creatorId: 's1' });
  });

  it('a second 立案 or 结案 keeps the first', () => {
    const c = mk('99', G1, 'supervisor', '0101', [
      '01-05T09:00 report s1 new>reported',
      '01-05T10:00 file L1 reported>filed',
      '01-05T11:00 file L2 reported>filed',
      '01-05T12:00 close L1 pending_close>closed',
      '01-05T13:00 close L2 pending_close>closed',
    ]);
    expect(project(c).facts).toMatchObject({
      filedAt: t('01-05T10:00'),
      closedAt: t('01-05T12:00'),
      running: { filingSeq: 2 },
    });
  });
});
