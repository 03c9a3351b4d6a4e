import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../access/permissions.js';
import { decide } from './decide.js';
import { activeStep } from './queues.js';
import { requestEffect } from './requests.js';
import {
  CASE_ACTIONS,
  CASE_STATES,
  type CaseAction,
  type CaseState,
  type PendingRequest,
  REQUEST_KINDS,
  type RequestKind,
} from './states.js';
import { TRANSITIONS } from './table.js';
import { ALL_FACTS } from './testkit.js';

/**
 * The allowed (state × action × role) triples, written out by hand from domain.md §2–3 and
 * independent of TRANSITIONS. `action>to: roles`; no `>to` means the state does not change.
 */
const NOTE = 'note: leader coordinator shift_leader dispatcher intake supervisor department handler';
const OPEN = ['urge: leader', 'overdue: service', 'sensor_event: service', 'camera_event: service', NOTE];
const VOID = [
  'void_request: intake dispatcher',
  'void_approve>voided: shift_leader',
  'void_deny: shift_leader',
];
const RETURN = ['return_request: department', 'return_approve>filed: dispatcher', 'return_deny: dispatcher'];

const EXPECTED: Record<CaseState | 'new', readonly string[]> = {
  new: ['report>reported: supervisor citizen intake service leader', 'self_handle>pending_close: supervisor'],
  reported: [
    'intake>pending_filing: intake',
    'request_verification>verifying: intake',
    'reject>rejected: shift_leader',
    'merge>merged: intake shift_leader',
    ...OPEN,
  ],
  verifying: [
    'verify>pending_filing: supervisor',
    'deny>pending_filing: supervisor',
    'merge>merged: intake shift_leader',
    ...OPEN,
  ],
  pending_filing: [
    'file>filed: shift_leader',
    'reject>rejected: shift_leader',
    'request_verification>verifying: intake shift_leader',
    'merge>merged: intake shift_leader',
    ...OPEN,
  ],
  filed: [
    'dispatch>dispatched: dispatcher',
    'send_to_collaboration>ownership_dispute: dispatcher',
    ...VOID,
    ...OPEN,
  ],
  ownership_dispute: [
    'claim: department',
    'decline: department',
    'settle_ownership>dispatched: coordinator',
    ...VOID,
    ...OPEN,
  ],
  dispatched: ['sign>handling: department', ...RETURN, ...VOID, ...OPEN],
  handling: [
    'assign_handler: department',
    'feedback>handled: department handler',
    'extend_request: department',
    'extend_approve: dispatcher',
    'extend_deny: dispatcher',
    'suspend_request: department',
    'suspend_approve>suspended: dispatcher',
    'suspend_deny: dispatcher',
    ...RETURN,
    ...VOID,
    ...OPEN,
  ],
  suspended: ['resume>handling: dispatcher', ...VOID, ...OPEN],
  handled: ['request_check>checking: intake', ...VOID, ...OPEN],
  checking: ['check_pass>pending_close: supervisor', 'check_fail>handling: supervisor', ...VOID, ...OPEN],
  pending_close: ['close>closed: shift_leader', ...VOID, ...OPEN],
  rejected: [NOTE],
  // 重办 (12345 回访 不满意, or the shift leader): back to 派遣.
  closed: [NOTE, 'reopen>filed: shift_leader service'],
  voided: [NOTE],
  merged: [NOTE],
};

function expectedTo(state: CaseState | 'new', action: CaseAction, role: Role): CaseState | undefined {
  for (const line of EXPECTED[state]) {
    const [head = '', roles = ''] = line.split(':');
    const [act, to] = head.split('>');
    if (act === action && roles.trim().split(/\s+/).includes(role)) {
      if (to !== undefined) return to as CaseState;
      if (state === 'new') throw new Error(`EXPECTED.new needs a target for ${action}`);
      return state;
    }
  }
  return undefined;
}

/** Approvals and denials are tried with a request of their own kind pending (from the name). */
function pendingFor(action: CaseAction): PendingRequest | null {
  const kind = REQUEST_KINDS.find((k) => action === `${k}_approve` || action === `${k}_deny`);
  return kind === undefined ? null : { kind, requestedBy: 'department' };
}

describe('transition table', () => {
  it('allows exactly the hand-listed (state × action × role) triples, to the listed state', () => {
    const mismatches: string[] = [];
    let allowed = 0;
    for (const state of ['new', ...CASE_STATES] as const) {
      for (const action of CASE_ACTIONS) {
        for (const role of ROLES) {
          const snapshot = state === 'new' ? null : { state, pending: pendingFor(action) };
          const result = decide(snapshot, action, { role }, ALL_FACTS);
          const want = expectedTo(state, action, role);
          if (want !== undefined) allowed++;
          const got = result.ok ? result.to : result.code;
          if (want === undefined ? result.ok || result.code === 'GUARD_FAILED' : got !== want) {
            mismatches.push(`${state} × ${action} × ${role}: expected ${want ?? 'refusal'}, got ${got}`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(allowed).toBeGreaterThan(150);
  });

  it('distinguishes ACTION_NOT_ALLOWED from ROLE_NOT_ALLOWED', () => {
    expect(
      decide({ state: 'closed', pending: null }, 'dispatch', { role: 'dispatcher' }, ALL_FACTS),
    ).toMatchObject({ ok: false, code: 'ACTION_NOT_ALLOWED' });
    const r = decide({ state: 'pending_filing', pending: null }, 'file', { role: 'supervisor' }, ALL_FACTS);
    expect(r).toMatchObject({ ok: false, code: 'ROLE_NOT_ALLOWED' });
    expect(r.ok ? '' : r.message.zh).toContain('监督员');
  });

  it('only creates cases through report and self_handle, never with to = same', () => {
    const creating = TRANSITIONS.filter((t) => t.from === '*new*');
    expect([...new Set(creating.map((t) => t.action))].sort()).toEqual(['report', 'self_handle']);
    for (const t of creating) expect(t.to).not.toBe('same');
  });

  it('guards every request: open needs an empty slot, approve/deny need one of the kind', () => {
    for (const t of TRANSITIONS) {
      const effect = requestEffect(t.action);
      if (effect?.op === 'open') expect(t.guards, t.action).toContain('no_pending_request');
      if (effect && effect.op !== 'open') expect(t.guards, t.action).toContain('request_pending');
    }
  });

  it('keeps a pending request from being orphaned: state changes need an empty slot or decide it', () => {
    const requestStates = new Set(
      TRANSITIONS.filter((t) => requestEffect(t.action)?.op === 'open').map((t) => t.from),
    );
    for (const t of TRANSITIONS) {
      if (!requestStates.has(t.from) || t.to === 'same') continue;
      const ok = t.guards?.includes('no_pending_request') || t.guards?.includes('request_pending');
      expect(ok, `${t.from} ${t.action}`).toBe(true);
    }
  });

  it('reaches closed only by close from pending_close or self_handle; pending_close only by check_pass or self_handle', () => {
    const intoClosed = TRANSITIONS.filter((t) => t.to === 'closed').map((t) => `${t.from} ${t.action}`);
    expect(intoClosed.sort()).toEqual(['*new* self_handle', 'pending_close close']);
    const intoPendingClose = TRANSITIONS.filter((t) => t.to === 'pending_close').map((t) => t.action);
    expect(intoPendingClose.sort()).toEqual(['check_pass', 'self_handle']);
  });

  it('clock effects stop the step of the state left and start the step of the state entered', () => {
    for (const t of TRANSITIONS) {
      const label = `${t.from} ${t.action}`;
      const clock = t.clock ?? [];
      if (t.to === 'same' || t.from === '*open*' || t.from === '*any*') {
        expect(
          clock.filter((c) => c.startsWith('start:') || c.startsWith('stop:')),
          label,
        ).toEqual([]);
        continue;
      }
      const fromStep = t.from === '*new*' ? null : activeStep(t.from);
      const toStep = activeStep(t.to);
      const want: string[] = [];
      if (t.from === 'suspended') want.push(t.to === 'handling' ? 'resume:handle' : 'stop:handle');
      else if (t.to === 'suspended') want.push('pause:handle');
      else if (fromStep !== null) want.push(`stop:${fromStep}`);
      if (toStep !== null && t.from !== 'suspended') want.push(`start:${toStep}`);
      expect(clock, label).toEqual(want);
    }
  });

  it('uses each request kind and every action somewhere', () => {
    const used = new Set(TRANSITIONS.map((t) => t.action));
    expect(CASE_ACTIONS.filter((a) => !used.has(a))).toEqual([]);
    const kinds = new Set<RequestKind>();
    for (const t of TRANSITIONS) {
      const e = requestEffect(t.action);
      if (e) kinds.add(e.kind);
    }
    expect([...kinds].sort()).toEqual([...REQUEST_KINDS].sort());
  });
});

/**
 * The conditions each action needs besides state and role, written out by hand from domain.md
 * §3 and GB/T 30428.8 (independent of TRANSITIONS): 核实 is done by the grid's supervisor, and
 * 核实不属实 and 不予立案 both need a reason; a non-supervisor report goes through 核实 before
 * 立案, and a denied one cannot be filed; 派遣 names a department; the department acts on
 * cases dispatched to it; 反馈 carries after-photos; 结案 needs a passed 核查; every request
 * and every denial of one states why. `pending` = the case may have no open request;
 * `request` = a request of the action's own kind is pending.
 */
const GUARDS: Record<CaseAction, string> = {
  report: '',
  self_handle: 'grid_supervisor photos',
  intake: 'source_verified',
  request_verification: '',
  verify: 'grid_supervisor',
  deny: 'grid_supervisor reason',
  file: 'not_denied',
  reject: 'reason',
  merge: 'target',
  dispatch: 'department pending',
  send_to_collaboration: 'reason pending',
  claim: 'candidate',
  decline: 'candidate reason',
  settle_ownership: 'department pending',
  sign: 'assigned pending',
  assign_handler: 'assigned',
  feedback: 'assigned photos pending',
  request_check: 'pending',
  check_pass: 'grid_supervisor pending',
  check_fail: 'grid_supervisor reason pending',
  close: 'check_passed pending',
  return_request: 'assigned reason pending',
  return_approve: 'request',
  return_deny: 'request reason',
  extend_request: 'assigned reason pending',
  extend_approve: 'request',
  extend_deny: 'request reason',
  suspend_request: 'assigned reason pending',
  suspend_approve: 'request',
  suspend_deny: 'request reason',
  resume: 'pending',
  void_request: 'reason pending',
  void_approve: 'request',
  void_deny: 'request reason',
  urge: '',
  overdue: '',
  sensor_event: '',
  camera_event: '',
  // A note by the department or its handler is on a case dispatched to them (see below).
  note: '',
  // 重办 says why the closed case is handled again (the 回访's dissatisfaction).
  reopen: 'reason',
};

/** Each condition: the fact that breaks it and the guard named in the refusal. */
const CONDITIONS: Record<string, readonly [Partial<typeof ALL_FACTS>, string]> = {
  grid_supervisor: [{ isGridSupervisor: false }, 'is_grid_supervisor'],
  photos: [{ hasAfterPhotos: false }, 'has_after_photos'],
  source_verified: [{ sourceVerified: false }, 'source_verified'],
  reason: [{ hasReason: false }, 'has_reason'],
  not_denied: [{ verificationDenied: true }, 'verification_not_denied'],
  target: [{ hasTargetCase: false }, 'has_target_case'],
  department: [{ hasDepartment: false }, 'has_department'],
  candidate: [{ isCandidateDepartment: false }, 'is_candidate_department'],
  assigned: [{ isAssignedDepartment: false }, 'is_assigned_department'],
  check_passed: [{ checkPassed: false }, 'check_passed'],
};

function conditionsOf(action: CaseAction, role: Role): string[] {
  const listed = GUARDS[action].split(' ').filter((c) => c !== '');
  if (action === 'note' && (role === 'department' || role === 'handler')) listed.push('assigned');
  return listed;
}

/** Every (state, action, role) the hand list above allows. */
function allowedTriples(): Array<[CaseState | 'new', CaseAction, Role]> {
  const out: Array<[CaseState | 'new', CaseAction, Role]> = [];
  for (const state of ['new', ...CASE_STATES] as const)
    for (const action of CASE_ACTIONS)
      for (const role of ROLES)
        if (expectedTo(state, action, role) !== undefined) out.push([state, action, role]);
  return out;
}

describe('transition conditions (guards)', () => {
  it('核实不属实 needs the grid supervisor and a reason; 不予立案 needs a reason', () => {
    const verifying = { state: 'verifying' as const, pending: null };
    const deny = (facts: Partial<typeof ALL_FACTS>) =>
      decide(verifying, 'deny', { role: 'supervisor' }, { ...ALL_FACTS, ...facts });
    expect(deny({})).toMatchObject({ ok: true, to: 'pending_filing' });
    expect(deny({ hasReason: false })).toMatchObject({ ok: false, guard: 'has_reason' });
    expect(deny({ isGridSupervisor: false })).toMatchObject({ ok: false, guard: 'is_grid_supervisor' });
    for (const state of ['reported', 'pending_filing'] as const) {
      const snapshot = { state, pending: null };
      const reject = (hasReason: boolean) =>
        decide(snapshot, 'reject', { role: 'shift_leader' }, { ...ALL_FACTS, hasReason });
      expect(reject(true)).toMatchObject({ ok: true, to: 'rejected' });
      expect(reject(false)).toMatchObject({ ok: false, code: 'GUARD_FAILED', guard: 'has_reason' });
    }
  });

  it('refuses each allowed action exactly when one of its listed conditions is broken', () => {
    const mismatches: string[] = [];
    for (const [state, action, role] of allowedTriples()) {
      const pending = pendingFor(action);
      const snapshot = state === 'new' ? null : { state, pending };
      const want = conditionsOf(action, role);
      const label = `${state} × ${action} × ${role}`;
      for (const [name, [broken, guard]] of Object.entries(CONDITIONS)) {
        const r = decide(snapshot, action, { role }, { ...ALL_FACTS, ...broken });
        const refused = !r.ok && r.code === 'GUARD_FAILED' && r.guard === guard;
        if (want.includes(name) !== refused)
          mismatches.push(`${label} without ${name}: ${JSON.stringify(r)}`);
        if (r.ok && r.to !== expectedTo(state, action, role))
          mismatches.push(`${label} without ${name} → ${r.to}`);
      }
      if (state === 'new') continue;
      // The request slot: another request open, or none of the action's own kind.
      const other: PendingRequest = {
        kind: pending?.kind === 'extend' ? 'void' : 'extend',
        requestedBy: 'department',
      };
      const blocked = decide({ state, pending: other }, action, { role }, ALL_FACTS);
      const pendingBlocks = want.includes('pending') || want.includes('request');
      if (pendingBlocks === blocked.ok)
        mismatches.push(`${label} with ${other.kind} pending: ${JSON.stringify(blocked)}`);
      if (want.includes('request')) {
        const none = decide({ state, pending: null }, action, { role }, ALL_FACTS);
        if (none.ok || none.guard !== 'request_pending')
          mismatches.push(`${label} with no request: ${JSON.stringify(none)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('自行处置 closes at once only when so configured, otherwise waits in 待结案', () => {
    const selfHandle = (selfHandleCloses: boolean) =>
      decide(null, 'self_handle', { role: 'supervisor' }, { ...ALL_FACTS, selfHandleCloses });
    expect(selfHandle(true)).toMatchObject({ ok: true, to: 'closed', clock: [] });
    expect(selfHandle(false)).toMatchObject({ ok: true, to: 'pending_close', clock: ['start:close'] });
  });
});

describe('evaluation counters', () => {
  /** What each action counts for the evaluation (domain.md §3, §5): 返工, 回退, 延期, 挂账, 作废, 督办, 超期. */
  const COUNTED: Partial<Record<CaseAction, string>> = {
    check_fail: 'rework',
    return_approve: 'return',
    extend_approve: 'extension',
    suspend_approve: 'suspension',
    void_approve: 'void',
    urge: 'urge',
    overdue: 'overdue',
  };

  it('an allowed action counts exactly what the rules say, and nothing else does', () => {
    const wrong: string[] = [];
    for (const [state, action, role] of allowedTriples()) {
      const r = decide(
        state === 'new' ? null : { state, pending: pendingFor(action) },
        action,
        { role },
        ALL_FACTS,
      );
      const want = COUNTED[action] === undefined ? [] : [COUNTED[action]];
      if (!r.ok || JSON.stringify(r.counters) !== JSON.stringify(want))
        wrong.push(`${state} × ${action} × ${role}: ${r.ok ? r.counters.join() : r.code}`);
    }
    expect(wrong).toEqual([]);
  });
});
