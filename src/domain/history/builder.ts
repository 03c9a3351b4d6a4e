/**
 * Builds one case's event list by driving `decide()` step by step: every generated event is one
 * the state machine accepted with the role and facts given, and the simulated clock writes the
 * same `steps` / `clock` / `counters` payload as the case module.
 */
import type { Role } from '../access/permissions.js';
import type { Random } from '../demo-city/prng.js';
import { MINUTE_MS } from '../timelimit/calendar.js';
import type { TimeLimit } from '../timelimit/clock.js';
import type { GuardFacts } from '../workflow/guards.js';
import type { CaseAction, CaseSnapshot, ClockStep } from '../workflow/states.js';
import { type Calendars, SimClock } from './clock.js';
import { cachedDecide } from './decide-cache.js';
import type { HistoryEvent, HistoryPayload } from './types.js';

export interface Actors {
  /**
   * Demo username acting in `role` for this case's place at instant `at` (ms): the grid's
   * supervisor, the district's centre staff on shift then (undefined: no demo account there).
   */
  readonly userAt: (role: Role, at: number) => string | undefined;
  /** Demo username of a department / handler account per department code and role. */
  readonly departmentUser: (code: string, role: Role) => string | undefined;
}

/** u^1.5: most work finishes well within its limit, a tail runs close to it. */
const skewed = (u: number): number => u * Math.sqrt(u);

export class CaseBuilder {
  snapshot: CaseSnapshot | null = null;
  readonly events: HistoryEvent[] = [];
  readonly clock: SimClock;
  now: number;
  /** Department the case is currently assigned to. */
  department: string | undefined;
  verificationDenied = false;
  checkPassed = false;
  /** Set once an event would fall after `until`: the rest of the life is not history yet. */
  cut = false;

  constructor(
    cals: Calendars,
    limits: ReadonlyMap<ClockStep, TimeLimit>,
    readonly actors: Actors,
    readonly sourceVerified: boolean,
    readonly until: number,
    readonly random: Random,
    start: number,
  ) {
    this.clock = new SimClock(cals, limits);
    this.now = start;
  }

  get state() {
    return this.snapshot?.state ?? null;
  }

  /** Emits the sweeper's overdue mark if the running step ran out before `at`. */
  private markOverdue(at: number): void {
    const r = this.clock.running;
    if (!r || r.paused !== null || r.overdueMarked || r.deadline >= at || r.deadline > this.until) return;
    r.overdueMarked = true;
    const deadline = new Date(r.deadline).toISOString();
    this.push('overdue', 'service', Math.max(r.deadline, this.now), {
      step: r.step,
      stepNo: this.clock.stepNo,
      deadline,
    });
  }

  /**
   * Applies `action` at `at` (clamped to not go backwards). Returns false when the event lies
   * after `until` (the case stays as it is) — the caller then stops.
   */
  act(
    action: CaseAction,
    role: Role,
    at: number,
    payload: HistoryPayload = {},
    extension?: TimeLimit,
  ): boolean {
    if (this.cut) return false;
    const when = Math.max(at, this.now);
    this.markOverdue(Math.min(when, this.until + 1));
    if (when > this.until) {
      this.cut = true;
      return false;
    }
    this.push(action, role, when, payload, extension ?? null);
    return true;
  }

  /** `act` with the time chosen as work on the running step: on time or, with `late`, past due. */
  step(action: CaseAction, role: Role, late: number, payload: HistoryPayload = {}, extension?: TimeLimit) {
    const r = this.random();
    const fraction = r < late ? 1.05 + this.random() * 1.5 : 0.05 + 0.9 * skewed(this.random());
    return this.act(action, role, this.clock.finishAt(this.now, fraction), payload, extension);
  }

  /** `act` a few minutes (working or not) after the previous event. */
  soon(
    action: CaseAction,
    role: Role,
    maxMinutes: number,
    payload: HistoryPayload = {},
    extension?: TimeLimit,
  ) {
    const at = this.now + Math.round((1 + this.random() * maxMinutes) * MINUTE_MS);
    return this.act(action, role, at, payload, extension);
  }

  /** Reused for every decide() call of this case (decide keeps nothing): fewer allocations. */
  private readonly guardFacts: { -readonly [K in keyof GuardFacts]-?: boolean } = {
    hasAfterPhotos: false,
    hasReason: false,
    checkPassed: false,
    isAssignedDepartment: false,
    isCandidateDepartment: false,
    isGridSupervisor: false,
    hasTargetCase: false,
    hasDepartment: false,
    sourceVerified: false,
    verificationDenied: false,
    selfHandleCloses: false,
    // Simulated supervisors follow the standard: a 核查 carries its photos where they are asked.
    checkPhotosGiven: true,
  };

  private facts(role: Role, payload: HistoryPayload): GuardFacts {
    const f = this.guardFacts;
    f.hasAfterPhotos = (payload.afterPhotos ?? 0) > 0;
    f.hasReason = payload.reason !== undefined;
    f.checkPassed = this.checkPassed;
    f.isAssignedDepartment = role === 'department' || role === 'handler';
    f.isCandidateDepartment = role === 'department';
    f.isGridSupervisor = role === 'supervisor';
    f.hasTargetCase = payload.targetCaseKey !== undefined;
    f.hasDepartment = payload.department !== undefined;
    f.sourceVerified = this.sourceVerified;
    f.verificationDenied = this.verificationDenied;
    return f;
  }

  private push(
    action: CaseAction,
    role: Role,
    at: number,
    payload: HistoryPayload,
    extension: TimeLimit | null = null,
  ): void {
    const d = cachedDecide(this.snapshot, action, role, this.facts(role, payload));
    if (!d.ok) {
      throw new Error(`history generator: ${this.state ?? 'new'} ${action} by ${role} refused (${d.code})`);
    }
    if (d.clock.length > 0) {
      const steps = this.clock.apply(d.clock, at, extension);
      if (steps.length > 0) payload.steps = steps;
    }
    const clock = this.clock.state();
    if (clock) payload.clock = clock;
    if (d.counters.length > 0) payload.counters = d.counters.slice();
    if (payload.department) this.department = payload.department.code;
    if (action === 'verify') this.verificationDenied = false;
    if (action === 'deny') this.verificationDenied = true;
    if (action === 'check_pass' || action === 'self_handle') this.checkPassed = true;
    if (action === 'check_fail') this.checkPassed = false;
    const departmental = role === 'department' || role === 'handler';
    const actingDepartment = payload.candidate ?? this.department;
    const username = departmental
      ? actingDepartment === undefined
        ? undefined
        : this.actors.departmentUser(actingDepartment, role)
      : this.actors.userAt(role, at);
    // One object shape for every event (absent fields stay undefined): keeps the hot loop fast.
    this.events.push({
      action,
      actorRole: role,
      actorUsername: username,
      departmentCode: this.department,
      from: d.from,
      to: d.to,
      at: new Date(at),
      payload,
    });
    this.snapshot = { state: d.to, pending: d.pending };
    this.now = at;
    // 回退 approved: the case is back at the centre, no longer with that department.
    if (action === 'return_approve') this.department = undefined;
  }
}
