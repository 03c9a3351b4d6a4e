/**
 * Evaluation facts: the engine's reading of the event log (facts.ts and the indicator modules)
 * kept per case and per event as the log grows, so that every figure of the evaluation is a
 * comparison of these times with the period [from, to) and an aggregate over rows
 * (modules/evaluation/facts-sql.ts). `projectEvent` folds one event into a case's facts; it is
 * the only definition, used when an event is appended, when history is seeded, and when the
 * facts are rebuilt from the log.
 *
 * What is kept is what does not depend on the period: the department an event happened under,
 * whether an act was late (a feedback also after a late 签收 of its department), the dispatch a
 * return or rework undid, and the first time of each event the engine asks "before `to`?" about.
 * Events of a case are appended in time order, so "the events before `to`" is always a prefix
 * of the log and a first time before `to` means the first such event is seen.
 */
import type { ClockStep } from '../workflow/states.js';
import { departmentOfDispatch } from './facts.js';
import { HANDLING_STEPS } from './outcome.js';
import type { EvaluationCase, EvaluationEvent } from './types.js';

/** The projector's running state, carried from one event of a case to the next. */
export interface RunningState {
  /** The department the case is assigned to. */
  readonly dept: string | null;
  /** Departments whose last 签收 was late and not yet followed by a feedback. */
  readonly signedLate: readonly string[];
  /** The last dispatch / send_to_collaboration / settle_ownership: its action, actor and role. */
  readonly lastDispatch: {
    readonly action: string;
    readonly actorId: string | null;
    readonly role: string;
  } | null;
  /** seq of the filing event (file, or the creating self_handle). */
  readonly filingSeq: number | null;
}

export interface CaseFacts {
  readonly caseId: string;
  readonly reportedAt: Date;
  readonly source: string;
  readonly kind: string;
  readonly categoryId: number | null;
  readonly categoryCode: string;
  readonly areaClass: string;
  readonly gridCode: string;
  readonly communityCode: string;
  readonly streetCode: string;
  readonly districtCode: string;
  readonly createdAt: Date | null;
  readonly creatorAction: string | null;
  readonly creatorId: string | null;
  readonly creatorRole: string | null;
  readonly filedAt: Date | null;
  readonly closedAt: Date | null;
  readonly voidAt: Date | null;
  readonly mergeAt: Date | null;
  readonly decideAt: Date | null;
  readonly checkFailAt: Date | null;
  readonly lateHandlingAt: Date | null;
  readonly lastSeq: number;
  readonly lastAt: Date;
  readonly state: string;
  readonly running: RunningState;
}

export interface StepFacts {
  readonly caseId: string;
  readonly seq: number;
  readonly at: Date;
  /** The next event's time; null while this is the last event. */
  readonly untilAt: Date | null;
  readonly action: string;
  readonly actorId: string | null;
  readonly actorRole: string;
  readonly fromState: string | null;
  readonly toState: string;
  readonly dept: string | null;
  readonly actLate: boolean;
  readonly handlingLate: boolean;
  readonly clockStep: string | null;
  readonly overdueFrom: Date | null;
  readonly undoneRole: string | null;
  readonly undoneActor: string | null;
}

/** What the facts need of the case row besides its events. */
export type CaseHead = Omit<EvaluationCase, 'events' | 'caseNumber' | 'reporterId' | 'reporterRole'> & {
  readonly categoryId?: number | null;
};

/** The step whose lateness makes an act late (request_verification: any stopped step). */
const ACT_STEP: Partial<Record<string, ClockStep | 'any'>> = {
  request_verification: 'any',
  request_check: 'request_check',
  file: 'file',
  close: 'close',
  dispatch: 'dispatch',
  send_to_collaboration: 'dispatch',
  verify: 'verify',
  deny: 'verify',
  check_pass: 'check',
  check_fail: 'check',
  feedback: 'handle',
};

const DISPATCHES = new Set(['dispatch', 'send_to_collaboration', 'settle_ownership']);
const DECISIONS = new Set(['file', 'reject', 'merge']);

const late = (e: EvaluationEvent, step: ClockStep | 'any'): boolean =>
  e.payload.steps?.some((s) => s.late && (step === 'any' || s.step === step)) ?? false;

const earliest = (a: Date | null, b: Date): Date => (a === null || b.getTime() < a.getTime() ? b : a);

/**
 * Folds event `e` into the case's facts (`prev` null for the creating event). Returns the new
 * case facts, the event's step facts, and the previous event's step facts closed at `e.at`
 * (`closePrevious`), which the store applies to the row it already holds.
 */
export function projectEvent(
  head: CaseHead,
  prev: CaseFacts | null,
  e: EvaluationEvent,
): { readonly facts: CaseFacts; readonly step: StepFacts } {
  const r: RunningState = prev?.running ?? {
    dept: null,
    signedLate: [],
    lastDispatch: null,
    filingSeq: null,
  };
  let dept = r.dept;
  if (e.action === 'dispatch' || e.action === 'settle_ownership') dept = departmentOfDispatch(e);
  const eventDept = e.departmentCode ?? dept;
  if (e.action === 'return_approve') dept = null;

  const signedLate = new Set(r.signedLate);
  let actLate = false;
  const own = ACT_STEP[e.action];
  if (own) actLate = late(e, own);
  if (eventDept !== null && e.action === 'sign') {
    if (late(e, 'sign')) signedLate.add(eventDept);
    else signedLate.delete(eventDept);
  }
  if (eventDept !== null && e.action === 'feedback') {
    actLate ||= signedLate.has(eventDept);
    signedLate.delete(eventDept);
  }

  let undoneRole: string | null = null;
  let undoneActor: string | null = null;
  if (e.action === 'return_approve' || e.action === 'check_fail') {
    const d = r.lastDispatch;
    if (d?.action === 'dispatch') {
      undoneRole = d.role;
      undoneActor = d.actorId;
    }
  }
  const lastDispatch = DISPATCHES.has(e.action)
    ? { action: e.action, actorId: e.actorId, role: e.actorRole }
    : r.lastDispatch;

  const creating = prev === null && (e.action === 'report' || e.action === 'self_handle');
  const selfHandled = creating && e.action === 'self_handle';
  let filingSeq = r.filingSeq;
  let filedAt = prev?.filedAt ?? null;
  if (filingSeq === null && (e.action === 'file' || selfHandled)) {
    filingSeq = e.seq;
    filedAt = e.at;
  }
  const handlingLate =
    e.payload.steps?.some((s) => s.late && (HANDLING_STEPS as readonly string[]).includes(s.step)) ?? false;
  let lateHandlingAt = prev?.lateHandlingAt ?? null;
  if (handlingLate && r.filingSeq !== null && e.seq > r.filingSeq)
    lateHandlingAt = earliest(lateHandlingAt, e.at);

  let closedAt = prev?.closedAt ?? null;
  if (e.action === 'close' || (selfHandled && e.toState === 'closed')) closedAt ??= e.at;
  const first = (was: Date | null | undefined, hit: boolean): Date | null =>
    hit ? earliest(was ?? null, e.at) : (was ?? null);

  const clock = e.payload.clock;
  const deadline = clock?.deadline ? new Date(clock.deadline) : null;
  const step: StepFacts = {
    caseId: head.id,
    seq: e.seq,
    at: e.at,
    untilAt: null,
    action: e.action,
    actorId: e.actorId,
    actorRole: e.actorRole,
    fromState: e.fromState,
    toState: e.toState,
    dept: eventDept,
    actLate,
    handlingLate,
    clockStep: clock?.step ?? null,
    overdueFrom: clock && deadline ? new Date(Math.max(e.at.getTime(), deadline.getTime())) : null,
    undoneRole,
    undoneActor,
  };
  const facts: CaseFacts = {
    caseId: head.id,
    reportedAt: head.reportedAt,
    source: head.source,
    kind: head.kind,
    categoryId: head.categoryId ?? null,
    categoryCode: head.categoryCode,
    areaClass: head.areaClass,
    gridCode: head.gridCode,
    communityCode: head.communityCode,
    streetCode: head.streetCode,
    districtCode: head.districtCode,
    createdAt: creating ? e.at : (prev?.createdAt ?? null),
    creatorAction: creating ? e.action : (prev?.creatorAction ?? null),
    creatorId: creating ? e.actorId : (prev?.creatorId ?? null),
    creatorRole: creating ? e.actorRole : (prev?.creatorRole ?? null),
    filedAt,
    closedAt,
    voidAt: first(prev?.voidAt, e.action === 'void_approve'),
    mergeAt: first(prev?.mergeAt, e.action === 'merge'),
    decideAt: first(prev?.decideAt, DECISIONS.has(e.action)),
    checkFailAt: first(prev?.checkFailAt, e.action === 'check_fail'),
    lateHandlingAt,
    lastSeq: e.seq,
    lastAt: e.at,
    state: e.toState,
    running: { dept, signedLate: [...signedLate].sort(), lastDispatch, filingSeq },
  };
  return { facts, step };
}

/**
 * The previous last event's step facts once event `at` follows it: it ends at `at`, and a step
 * that could only have been overdue from `at` on never was.
 */
export function closeStep(s: StepFacts, at: Date): StepFacts {
  const overdueFrom = s.overdueFrom && s.overdueFrom.getTime() < at.getTime() ? s.overdueFrom : null;
  return { ...s, untilAt: at, overdueFrom };
}

/** The facts of a whole case from its log (events sorted by seq). */
export function factsOfCase(c: EvaluationCase & { readonly categoryId?: number | null }): {
  facts: CaseFacts | null;
  steps: StepFacts[];
} {
  const events = [...c.events].sort((a, b) => a.seq - b.seq);
  let facts: CaseFacts | null = null;
  const steps: StepFacts[] = [];
  for (const e of events) {
    const out = projectEvent(c, facts, e);
    const last = steps[steps.length - 1];
    if (last) steps[steps.length - 1] = closeStep(last, e.at);
    steps.push(out.step);
    facts = out.facts;
  }
  return { facts, steps };
}
