import { describe, expect, it } from 'vitest';
import { actionsForRole, allowedActions, decide } from './decide.js';
import { CASE_STATES, type CaseSnapshot, type CaseState } from './states.js';
import { ALL_FACTS, TO_HANDLING, TO_PENDING_CLOSE, walk } from './testkit.js';

const at = (state: CaseState): CaseSnapshot => ({ state, pending: null });
const handling = () => walk(null, TO_HANDLING);

describe('main loop', () => {
  it('runs 上报 → 受理 → 立案 → 派遣 → 签收 → 反馈 → 核查 → 结案 with the clocks in order', () => {
    const w = walk(null, [...TO_HANDLING, ...TO_PENDING_CLOSE, ['close', 'shift_leader']]);
    expect(w.trail).toEqual([
      'reported',
      'pending_filing',
      'filed',
      'dispatched',
      'handling',
      'handled',
      'checking',
      'pending_close',
      'closed',
    ]);
    expect(w.clock[0]).toBe('start:intake');
    expect(w.clock.at(-1)).toBe('stop:close');
    expect(w.counters).toEqual([]);
  });

  it('sends a citizen report to verification; a denial can only be rejected or re-verified', () => {
    const citizen = { ...ALL_FACTS, sourceVerified: false };
    const r = walk(null, [['report', 'citizen', citizen]]).snapshot;
    expect(decide(r, 'intake', { role: 'intake' }, citizen)).toMatchObject({ guard: 'source_verified' });
    const denied = walk(r, [
      ['request_verification', 'intake', citizen],
      ['deny', 'supervisor'],
    ]).snapshot;
    expect(denied.state).toBe('pending_filing');
    const afterDeny = { ...ALL_FACTS, verificationDenied: true };
    expect(decide(denied, 'file', { role: 'shift_leader' }, afterDeny)).toMatchObject({
      ok: false,
      guard: 'verification_not_denied',
    });
    expect(walk(denied, [['reject', 'shift_leader', afterDeny]]).snapshot.state).toBe('rejected');
    expect(walk(denied, [['request_verification', 'shift_leader']]).snapshot.state).toBe('verifying');
  });

  it('lets only the grid supervisor verify and check', () => {
    const notMine = { ...ALL_FACTS, isGridSupervisor: false };
    expect(decide(at('verifying'), 'verify', { role: 'supervisor' }, notMine)).toMatchObject({
      guard: 'is_grid_supervisor',
    });
    expect(decide(at('checking'), 'check_pass', { role: 'supervisor' }, notMine)).toMatchObject({
      guard: 'is_grid_supervisor',
    });
  });

  it('does not let a supervisor file, nor anyone close without a passed check', () => {
    expect(decide(at('pending_filing'), 'file', { role: 'supervisor' }, ALL_FACTS)).toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
    });
    for (const state of CASE_STATES.filter((s) => s !== 'pending_close')) {
      expect(decide(at(state), 'close', { role: 'shift_leader' }, ALL_FACTS).ok, state).toBe(false);
    }
    const noPass = { ...ALL_FACTS, checkPassed: false };
    expect(decide(at('pending_close'), 'close', { role: 'shift_leader' }, noPass)).toMatchObject({
      guard: 'check_passed',
    });
  });

  it('lets a department act only on cases dispatched to it', () => {
    const other = { ...ALL_FACTS, isAssignedDepartment: false };
    for (const [state, action] of [
      ['dispatched', 'sign'],
      ['handling', 'feedback'],
      ['handling', 'extend_request'],
      ['handling', 'return_request'],
      ['closed', 'note'],
    ] as const) {
      expect(decide(at(state), action, { role: 'department' }, other)).toMatchObject({
        ok: false,
        code: 'GUARD_FAILED',
        guard: 'is_assigned_department',
      });
    }
  });

  it('requires after-photos for feedback', () => {
    const r = decide(
      handling().snapshot,
      'feedback',
      { role: 'handler' },
      { ...ALL_FACTS, hasAfterPhotos: false },
    );
    expect(r).toMatchObject({ ok: false, guard: 'has_after_photos' });
    expect(r.ok ? '' : r.message.zh).toContain('照片');
  });
});

describe('allowedActions / actionsForRole', () => {
  it('lists what a role may do now', () => {
    expect(allowedActions(at('handling'), 'department', ALL_FACTS).sort()).toEqual(
      ['assign_handler', 'extend_request', 'feedback', 'note', 'return_request', 'suspend_request'].sort(),
    );
    expect(
      allowedActions(at('handling'), 'department', { ...ALL_FACTS, isAssignedDepartment: false }),
    ).toEqual([]);
    expect(allowedActions(null, 'citizen', ALL_FACTS)).toEqual(['report']);
    expect(allowedActions(at('closed'), 'citizen', ALL_FACTS)).toEqual([]);
  });

  it('actionsForRole ignores facts (for disabled buttons)', () => {
    expect(actionsForRole(at('handling'), 'dispatcher').sort()).toEqual(
      [
        'extend_approve',
        'extend_deny',
        'note',
        'return_approve',
        'return_deny',
        'suspend_approve',
        'suspend_deny',
        'void_request',
      ].sort(),
    );
  });
});
