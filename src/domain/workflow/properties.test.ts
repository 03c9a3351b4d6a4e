import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcRuns } from '../../../test/helpers/fast-check-runs.js';
import { ROLES, type Role } from '../access/permissions.js';
import { decide, fromMatches } from './decide.js';
import type { GuardFacts } from './guards.js';
import { queueOf } from './queues.js';
import { requestEffect } from './requests.js';
import {
  CASE_ACTIONS,
  CASE_STATES,
  type CaseAction,
  type CaseSnapshot,
  isTerminal,
  REQUEST_KINDS,
} from './states.js';
import { TRANSITIONS } from './table.js';

const mostlyTrue = fc.constantFrom(true, true, true, false);
const factsArb: fc.Arbitrary<GuardFacts> = fc.record({
  hasAfterPhotos: mostlyTrue,
  hasReason: mostlyTrue,
  checkPassed: mostlyTrue,
  isAssignedDepartment: mostlyTrue,
  isCandidateDepartment: mostlyTrue,
  isGridSupervisor: mostlyTrue,
  hasTargetCase: fc.constantFrom(false, false, false, true),
  hasDepartment: mostlyTrue,
  sourceVerified: fc.boolean(),
  verificationDenied: fc.constantFrom(false, false, false, true),
  selfHandleCloses: fc.boolean(),
});

/**
 * How a command chooses its (action, role): 'random' is arbitrary and mostly refused; 'listed'
 * picks a pair the table lists for the state (requests, notes, exits …); 'progress' picks a
 * listed pair that moves the case on to another open state, so runs get deep into the loop.
 */
const commandArb = fc.record({
  pick: fc.constantFrom('progress', 'progress', 'listed', 'random'),
  index: fc.nat(),
  action: fc.constantFrom(...CASE_ACTIONS),
  role: fc.constantFrom(...ROLES),
  facts: factsArb,
});

type Pair = readonly [CaseAction, Role];

function choose(
  snapshot: CaseSnapshot | null,
  cmd: { pick: string; index: number; action: CaseAction; role: Role },
): Pair {
  const state = snapshot?.state ?? null;
  const rows = TRANSITIONS.filter((t) => fromMatches(t.from, state));
  const forward = rows.filter((t) => t.to !== 'same' && !isTerminal(t.to));
  const pool = cmd.pick === 'progress' && forward.length > 0 ? forward : rows;
  const pairs = pool.flatMap((t) => t.roles.map((r): Pair => [t.action, r]));
  return cmd.pick !== 'random' && pairs.length > 0
    ? pairs[cmd.index % pairs.length]!
    : [cmd.action, cmd.role];
}

describe('workflow properties', () => {
  it('random action sequences by random roles keep every invariant', () => {
    const reached = new Set<string>();
    const runs = fcRuns(1000);
    fc.assert(
      fc.property(fc.array(commandArb, { minLength: 1, maxLength: 80, size: 'max' }), (commands) => {
        let snapshot: CaseSnapshot | null = null;
        const done: CaseAction[] = [];
        for (const cmd of commands) {
          const [action, role] = choose(snapshot, cmd);
          const before: CaseSnapshot | null = snapshot;
          const r = decide(before, action, { role }, cmd.facts);
          if (!r.ok) {
            expect(['ACTION_NOT_ALLOWED', 'ROLE_NOT_ALLOWED', 'GUARD_FAILED']).toContain(r.code);
            expect(r.message.zh.length * r.message.en.length).toBeGreaterThan(0);
            expect(r.code === 'GUARD_FAILED').toBe(r.guard !== undefined);
            continue;
          }
          // Only defined states.
          expect(CASE_STATES).toContain(r.to);
          // Terminal states accept nothing but notes, which change nothing, and a closed case
          // 重办, which sends it back to 派遣 with a reason.
          if (before && isTerminal(before.state) && action === 'reopen') {
            expect(before.state).toBe('closed');
            expect(r).toMatchObject({ to: 'filed', pending: null, clock: ['start:dispatch'], counters: [] });
          } else if (before && isTerminal(before.state)) {
            expect(action).toBe('note');
            expect(r).toMatchObject({ to: before.state, pending: before.pending, clock: [], counters: [] });
          }
          // Closed only after a passed check (the latest check outcome) or a self-handled report.
          if (r.to === 'closed' && before?.state !== 'closed') {
            const pass = Math.max(
              done.lastIndexOf('check_pass'),
              done.lastIndexOf('self_handle'),
              action === 'self_handle' ? done.length : -1,
            );
            expect(pass).toBeGreaterThanOrEqual(0);
            expect(pass).toBeGreaterThan(done.lastIndexOf('check_fail'));
            expect(before === null ? action === 'self_handle' : before.state === 'pending_close').toBe(true);
          }
          // The pending-request slot: one request at most, never two of a kind, never orphaned.
          const effect = requestEffect(action);
          const slot = r.pending === null ? [] : [r.pending.kind];
          expect(new Set(slot).size).toBe(slot.length);
          for (const kind of slot) expect(REQUEST_KINDS).toContain(kind);
          if (effect?.op === 'open') expect(before?.pending ?? null).toBeNull();
          if (effect && effect.op !== 'open') expect(before?.pending?.kind).toBe(effect.kind);
          if (r.pending !== null && before?.pending) expect(r.to).toBe(before.state);
          if (isTerminal(r.to)) expect(r.pending).toBeNull();
          // Queues: null exactly for terminal states, 待审批 exactly while a request waits.
          const queue = queueOf(r.to, r.pending);
          expect(queue === null).toBe(isTerminal(r.to));
          if (queue !== null) expect(queue === 'approve').toBe(r.pending !== null);
          snapshot = { state: r.to, pending: r.pending };
          done.push(action);
          reached.add(r.to);
        }
      }),
      { numRuns: runs },
    );
    // 1,000 runs explore the whole machine, not just its entrance (400 missed 挂账 in one seed of
    // 17 once 视频识别（重复） joined the actions; fewer, with FC_NUM_RUNS, may not).
    if (runs >= 1000) expect([...reached].sort()).toEqual([...CASE_STATES].sort());
  });

  it('refusals never change anything and decide is deterministic', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CASE_STATES),
        fc.option(
          fc.record({ kind: fc.constantFrom(...REQUEST_KINDS), requestedBy: fc.constantFrom(...ROLES) }),
        ),
        fc.constantFrom(...CASE_ACTIONS),
        fc.constantFrom(...ROLES),
        factsArb,
        (state, pending, action, role, facts) => {
          const snapshot = { state, pending };
          const a = decide(snapshot, action, { role }, facts);
          expect(decide(snapshot, action, { role }, facts)).toEqual(a);
          expect(snapshot).toEqual({ state, pending });
        },
      ),
    );
  });
});
