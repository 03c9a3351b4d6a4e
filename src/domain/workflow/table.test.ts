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
const OPEN = ['urge: leader', 'overdue: service', NOTE];
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
  closed: [NOTE],
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
