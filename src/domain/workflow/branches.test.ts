import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { CASE_STATES, type CaseSnapshot, type CaseState, TERMINAL_STATES } from './states.js';
import { ALL_FACTS, TO_HANDLING, TO_PENDING_CLOSE, walk } from './testkit.js';

const at = (state: CaseState): CaseSnapshot => ({ state, pending: null });
const handling = () => walk(null, TO_HANDLING);

describe('side branches', () => {
  it('rework: a failed check goes back to the same department, counted each time', () => {
    const w = walk(handling().snapshot, [
      ...TO_PENDING_CLOSE.slice(0, 2),
      ['check_fail', 'supervisor'],
      ...TO_PENDING_CLOSE.slice(0, 2),
      ['check_fail', 'supervisor'],
      ...TO_PENDING_CLOSE,
      ['close', 'shift_leader'],
    ]);
    expect(w.counters).toEqual(['rework', 'rework']);
    expect(w.trail.filter((s) => s === 'handling')).toHaveLength(3);
    expect(w.clock.filter((c) => c === 'start:handle')).toHaveLength(2);
    expect(w.snapshot.state).toBe('closed');
  });

  it('check_fail needs a reason', () => {
    const checking = walk(handling().snapshot, TO_PENDING_CLOSE.slice(0, 2)).snapshot;
    expect(
      decide(checking, 'check_fail', { role: 'supervisor' }, { ...ALL_FACTS, hasReason: false }),
    ).toMatchObject({ guard: 'has_reason' });
  });

  it('return: approved → back to 待派遣 and re-dispatched; denied → stays', () => {
    const asked = walk(handling().snapshot, [['return_request', 'department']]).snapshot;
    expect(asked).toEqual({ state: 'handling', pending: { kind: 'return', requestedBy: 'department' } });
    expect(walk(asked, [['return_deny', 'dispatcher']]).snapshot).toEqual({
      state: 'handling',
      pending: null,
    });
    const w = walk(asked, [
      ['return_approve', 'dispatcher'],
      ['dispatch', 'dispatcher'],
    ]);
    expect(w.trail).toEqual(['handling', 'filed', 'dispatched']);
    expect(w.counters).toEqual(['return']);
    expect(w.clock).toEqual(['stop:handle', 'start:dispatch', 'stop:dispatch', 'start:sign']);
    // Before signing too.
    const unsigned = walk(null, TO_HANDLING.slice(0, 4)).snapshot;
    const back = walk(unsigned, [
      ['return_request', 'department'],
      ['return_approve', 'dispatcher'],
    ]);
    expect(back.snapshot.state).toBe('filed');
    expect(back.clock).toEqual(['stop:sign', 'start:dispatch']);
  });

  it('extension: approval extends the handle clock and is counted; no double request', () => {
    const asked = walk(handling().snapshot, [['extend_request', 'department']]).snapshot;
    expect(decide(asked, 'extend_request', { role: 'department' }, ALL_FACTS)).toMatchObject({
      guard: 'no_pending_request',
    });
    expect(decide(asked, 'feedback', { role: 'handler' }, ALL_FACTS)).toMatchObject({
      guard: 'no_pending_request',
    });
    const w = walk(asked, [['extend_approve', 'dispatcher']]);
    expect(w.snapshot).toEqual({ state: 'handling', pending: null });
    expect(w.clock).toEqual(['extend:handle']);
    expect(w.counters).toEqual(['extension']);
    expect(decide(w.snapshot, 'extend_approve', { role: 'dispatcher' }, ALL_FACTS)).toMatchObject({
      guard: 'request_pending',
    });
  });

  it('approvals need a pending request of their own kind', () => {
    const h = handling().snapshot;
    for (const action of ['return_approve', 'extend_approve', 'suspend_approve', 'extend_deny'] as const) {
      expect(decide(h, action, { role: 'dispatcher' }, ALL_FACTS), action).toMatchObject({
        guard: 'request_pending',
      });
    }
    const extendAsked = walk(h, [['extend_request', 'department']]).snapshot;
    expect(decide(extendAsked, 'suspend_approve', { role: 'dispatcher' }, ALL_FACTS)).toMatchObject({
      guard: 'request_pending',
    });
  });

  it('suspension: approved → suspended with the clock paused; resume → handling', () => {
    const w = walk(handling().snapshot, [
      ['suspend_request', 'department'],
      ['suspend_approve', 'dispatcher'],
    ]);
    expect(w.snapshot).toEqual({ state: 'suspended', pending: null });
    expect(w.clock).toEqual(['pause:handle']);
    expect(w.counters).toEqual(['suspension']);
    expect(decide(w.snapshot, 'feedback', { role: 'handler' }, ALL_FACTS)).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
    });
    const back = walk(w.snapshot, [['resume', 'dispatcher']]);
    expect(back.snapshot.state).toBe('handling');
    expect(back.clock).toEqual(['resume:handle']);
    const denied = walk(handling().snapshot, [
      ['suspend_request', 'department'],
      ['suspend_deny', 'dispatcher'],
    ]);
    expect(denied.snapshot).toEqual({ state: 'handling', pending: null });
  });

  it('void: requested by intake or dispatcher, approved by the shift leader, from any filed state', () => {
    for (const state of [
      'filed',
      'dispatched',
      'handling',
      'suspended',
      'checking',
      'pending_close',
    ] as const) {
      const w = walk(at(state), [
        ['void_request', 'dispatcher'],
        ['void_approve', 'shift_leader'],
      ]);
      expect(w.snapshot, state).toEqual({ state: 'voided', pending: null });
      expect(w.counters).toEqual(['void']);
    }
    const asked = walk(at('handling'), [['void_request', 'intake']]).snapshot;
    expect(decide(asked, 'void_approve', { role: 'dispatcher' }, ALL_FACTS).ok).toBe(false);
    expect(walk(asked, [['void_deny', 'shift_leader']]).snapshot).toEqual(at('handling'));
    expect(decide(at('reported'), 'void_request', { role: 'intake' }, ALL_FACTS).ok).toBe(false);
  });

  it('merge: a duplicate before filing goes into another open case', () => {
    for (const state of ['reported', 'verifying', 'pending_filing'] as const) {
      expect(walk(at(state), [['merge', 'intake']]).snapshot.state).toBe('merged');
    }
    expect(
      decide(at('reported'), 'merge', { role: 'intake' }, { ...ALL_FACTS, hasTargetCase: false }),
    ).toMatchObject({ guard: 'has_target_case' });
    expect(decide(at('handling'), 'merge', { role: 'intake' }, ALL_FACTS).ok).toBe(false);
  });

  it('ownership dispute: candidates claim or decline; the coordinator settles → dispatched', () => {
    const filed = walk(null, TO_HANDLING.slice(0, 3)).snapshot;
    const w = walk(filed, [
      ['send_to_collaboration', 'dispatcher'],
      ['claim', 'department'],
      ['decline', 'department'],
      ['settle_ownership', 'coordinator'],
      ['sign', 'department'],
    ]);
    expect(w.trail).toEqual([
      'filed',
      'ownership_dispute',
      'ownership_dispute',
      'ownership_dispute',
      'dispatched',
      'handling',
    ]);
    expect(w.clock.slice(0, 4)).toEqual(['stop:dispatch', 'start:claim', 'stop:claim', 'start:sign']);
    const dispute = at('ownership_dispute');
    const outsider = { ...ALL_FACTS, isCandidateDepartment: false };
    expect(decide(dispute, 'claim', { role: 'department' }, outsider)).toMatchObject({
      guard: 'is_candidate_department',
    });
    expect(
      decide(dispute, 'decline', { role: 'department' }, { ...ALL_FACTS, hasReason: false }),
    ).toMatchObject({ guard: 'has_reason' });
    expect(decide(dispute, 'settle_ownership', { role: 'dispatcher' }, ALL_FACTS)).toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
    });
  });

  it('self_handle: report + feedback in one, to pending_close or closed per configuration', () => {
    expect(walk(null, [['self_handle', 'supervisor']]).snapshot.state).toBe('pending_close');
    const closes = { ...ALL_FACTS, selfHandleCloses: true };
    expect(walk(null, [['self_handle', 'supervisor', closes]]).snapshot.state).toBe('closed');
    expect(
      decide(null, 'self_handle', { role: 'supervisor' }, { ...closes, hasAfterPhotos: false }),
    ).toMatchObject({ guard: 'has_after_photos' });
    expect(decide(null, 'self_handle', { role: 'citizen' }, closes)).toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
    });
    expect(decide(at('reported'), 'self_handle', { role: 'supervisor' }, closes).ok).toBe(false);
  });

  it('urge: any open case, by a leader, counted, no state change; never on terminal cases', () => {
    for (const state of CASE_STATES) {
      const r = decide(at(state), 'urge', { role: 'leader' }, ALL_FACTS);
      if (TERMINAL_STATES.includes(state)) {
        expect(r, state).toMatchObject({ ok: false, code: 'ACTION_NOT_ALLOWED' });
      } else {
        expect(r, state).toMatchObject({ ok: true, to: state, counters: ['urge'], clock: [] });
      }
    }
    expect(decide(at('handling'), 'urge', { role: 'dispatcher' }, ALL_FACTS)).toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
    });
    const pending = walk(handling().snapshot, [['extend_request', 'department']]).snapshot;
    expect(decide(pending, 'urge', { role: 'leader' }, ALL_FACTS)).toMatchObject({
      ok: true,
      pending: pending.pending,
    });
  });

  it('overdue is the sweeper (service) marking an open case, no state change', () => {
    expect(decide(at('handling'), 'overdue', { role: 'service' }, {})).toMatchObject({
      ok: true,
      to: 'handling',
      counters: ['overdue'],
    });
    expect(decide(at('closed'), 'overdue', { role: 'service' }, {}).ok).toBe(false);
  });

  it('treats missing facts as false (fail closed)', () => {
    expect(decide(at('filed'), 'dispatch', { role: 'dispatcher' }, {})).toMatchObject({
      guard: 'has_department',
    });
  });
});
