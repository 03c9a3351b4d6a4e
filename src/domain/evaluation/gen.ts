/**
 * Random but valid event logs for property tests: each case is a walk through the workflow
 * table (`decide`), with a simulated clock (start / stop / pause / resume / extend) so the
 * payload carries `steps` and `clock` exactly as the case module writes them.
 */
import fc from 'fast-check';
import type { Role } from '../access/permissions.js';
import { decide, fromMatches } from '../workflow/decide.js';
import { type CaseAction, type CaseSnapshot, type ClockStep, isTerminal } from '../workflow/states.js';
import { TRANSITIONS } from '../workflow/table.js';
import { ALL_FACTS } from '../workflow/testkit.js';
import type { EvaluationCase, EvaluationEvent, StepOutcome } from './types.js';

export const GEN_START = Date.parse('2026-01-01T00:00:00+08:00');
const GRIDS = ['510104001001001', '510104001001002', '510104002001001'];
const DEPTS = ['SZ', 'SZ-01', 'HW'];
const SOURCES = ['supervisor', 'public', 'hotline_12345', 'leader'];

const stepArb = fc.record({
  pick: fc.nat(),
  /** Mostly move the case on, so walks reach dispatch, handling and checks. */
  progress: fc.constantFrom(true, true, true, true, false),
  late: fc.boolean(),
  gapMin: fc.integer({ min: 0, max: 3 * 24 * 60 }),
  limitMin: fc.integer({ min: 30, max: 2 * 24 * 60 }),
  actor: fc.nat({ max: 1 }),
  dept: fc.nat({ max: DEPTS.length - 1 }),
});

const caseArb = fc.record({
  grid: fc.nat({ max: GRIDS.length - 1 }),
  source: fc.nat({ max: SOURCES.length - 1 }),
  category: fc.constantFrom('0101', '0102', '0501'),
  startMin: fc.integer({ min: 0, max: 50 * 24 * 60 }),
  selfHandleCloses: fc.boolean(),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 32 }),
});

type CaseSpec = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function build(id: string, spec: CaseSpec, excluded: ReadonlySet<CaseAction>): EvaluationCase {
  const facts = { ...ALL_FACTS, selfHandleCloses: spec.selfHandleCloses };
  let snapshot: CaseSnapshot | null = null;
  let at = GEN_START + spec.startMin * 60_000;
  let running = null as { step: ClockStep; deadline: number | null } | null;
  const events: EvaluationEvent[] = [];
  for (const s of spec.steps) {
    if (snapshot && isTerminal(snapshot.state)) break;
    const state = snapshot?.state ?? null;
    const rows = TRANSITIONS.filter((t) => fromMatches(t.from, state) && !excluded.has(t.action));
    const forward = rows.filter((t) => t.to !== 'same' && !isTerminal(t.to));
    const allowed = (pool: typeof rows) =>
      pool
        .flatMap((t) => t.roles.map((r) => [t.action, r] as [CaseAction, Role]))
        .filter(([a, r]) => a !== 'note' && decide(snapshot, a, { role: r }, facts).ok);
    const ahead = s.progress ? allowed(forward) : [];
    const pairs = ahead.length > 0 ? ahead : allowed(rows);
    const pair = pairs[s.pick % Math.max(pairs.length, 1)];
    if (!pair) break;
    const [action, role] = pair;
    const d = decide(snapshot, action, { role }, facts);
    if (!d.ok) break;
    at += s.gapMin * 60_000;
    const steps: StepOutcome[] = [];
    for (const effect of d.clock) {
      const [op, step] = effect.split(':') as [string, ClockStep];
      if (op === 'start') running = { step, deadline: at + s.limitMin * 60_000 };
      else if (op === 'stop') {
        if (running?.step === step) steps.push({ step, deadline: null, late: s.late });
        running = null;
      } else if (running?.step === step) {
        if (op === 'pause') running = { step, deadline: null };
        else if (op === 'resume') running = { step, deadline: at + s.limitMin * 60_000 };
        else if (op === 'extend' && running.deadline !== null)
          running = { step, deadline: running.deadline + s.limitMin * 60_000 };
      }
    }
    const department =
      action === 'dispatch' || action === 'settle_ownership' ? { code: DEPTS[s.dept]! } : undefined;
    events.push({
      seq: events.length + 1,
      action,
      actorId: role === 'service' ? null : `${role}${s.actor}`,
      actorRole: role,
      fromState: d.from,
      toState: d.to,
      at: new Date(at),
      payload: {
        ...(steps.length > 0 ? { steps } : {}),
        ...(running
          ? {
              clock: {
                step: running.step,
                deadline: running.deadline === null ? null : new Date(running.deadline).toISOString(),
              },
            }
          : {}),
        ...(department ? { department } : {}),
      },
    });
    snapshot = { state: d.to, pending: d.pending };
  }
  const grid = GRIDS[spec.grid]!;
  const first = events[0];
  return {
    id,
    caseNumber: `510104-20260101-E-${id.padStart(4, '0')}`,
    reportedAt: first?.at ?? new Date(GEN_START),
    source: first?.actorRole === 'supervisor' ? 'supervisor' : SOURCES[spec.source]!,
    kind: 'event',
    categoryCode: spec.category,
    areaClass: spec.grid === 0 ? 'A' : 'B',
    gridCode: grid,
    communityCode: grid.slice(0, 12),
    streetCode: grid.slice(0, 9),
    districtCode: grid.slice(0, 6),
    reporterId: first?.actorId ?? null,
    reporterRole: first?.actorRole ?? null,
    events,
  };
}

/** Event logs of 0–25 cases; `exclude` drops actions (e.g. void / merge) from the walks. */
export function logsArb(exclude: readonly CaseAction[] = []): fc.Arbitrary<EvaluationCase[]> {
  const excluded = new Set(exclude);
  return fc
    .array(caseArb, { maxLength: 25 })
    .map((specs) =>
      specs.map((spec, i) => build(String(i + 1), spec, excluded)).filter((c) => c.events.length > 0),
    );
}

export const SUPERVISOR_GRIDS = { supervisor0: [GRIDS[0]!], supervisor1: [GRIDS[1]!, GRIDS[2]!] };
