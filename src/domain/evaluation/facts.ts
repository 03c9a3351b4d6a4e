/**
 * Reading the event log: what every indicator module needs to know about one case as of the
 * end of the period. Results are "as of `to`": events at or after `to` are invisible, so a
 * period evaluated today and next year gives the same figures.
 */
import type { CaseState, ClockStep } from '../workflow/states.js';
import type {
  EvaluationCase,
  EvaluationEvent,
  EvaluationFilters,
  EvaluationQuery,
  TimeSlot,
} from './types.js';

/** An event with the department the case was assigned to when it happened. */
export interface SeenEvent extends EvaluationEvent {
  readonly dept: string | null;
}

export interface CaseView {
  readonly id: string;
  readonly c: EvaluationCase;
  /** Events before `to`, in seq order. */
  readonly events: readonly SeenEvent[];
  /** Voided (作废 approved) before `to`. */
  readonly voided: boolean;
  /** Merged into another case (a duplicate) before `to`. */
  readonly merged: boolean;
  /** The event that filed the case: `file`, or the creating `self_handle` (filed on the spot). */
  readonly filing: SeenEvent | null;
  readonly closing: SeenEvent | null;
  /** The creating event (report / self_handle). */
  readonly creation: SeenEvent | null;
  /** The step running at `to` if it is overdue then (deadline < to), else null. */
  readonly overdueAtEnd: { readonly step: ClockStep; readonly dept: string | null } | null;
  /** The case's state at `to` (null when nothing happened before `to`). */
  readonly stateAtEnd: CaseState | null;
}

export const inPeriod = (e: { at: Date }, q: EvaluationQuery): boolean =>
  e.at.getTime() >= q.from.getTime() && e.at.getTime() < q.to.getTime();

/** The stopped step's result; no entry (or no limit) is on time. */
export function stepLate(e: EvaluationEvent, step: ClockStep): boolean {
  return e.payload.steps?.some((s) => s.step === step && s.late) ?? false;
}

export function departmentOfDispatch(e: EvaluationEvent): string | null {
  return e.departmentCode ?? e.payload.department?.code ?? null;
}

/** Events before `to` in seq order, each with the department the case was assigned to then. */
function seenEvents(events: readonly EvaluationEvent[], to: number): SeenEvent[] {
  let ordered = events;
  for (let i = 1; i < events.length; i++) {
    if ((events[i] as EvaluationEvent).seq < (events[i - 1] as EvaluationEvent).seq) {
      ordered = [...events].sort((a, b) => a.seq - b.seq);
      break;
    }
  }
  let dept: string | null = null;
  const out: SeenEvent[] = [];
  for (const e of ordered) {
    if (e.at.getTime() >= to) continue;
    if (e.action === 'dispatch' || e.action === 'settle_ownership') dept = departmentOfDispatch(e);
    out.push({ ...e, dept: e.departmentCode ?? dept });
    if (e.action === 'return_approve') dept = null;
  }
  return out;
}

export function viewOf(c: EvaluationCase, q: EvaluationQuery): CaseView {
  const to = q.to.getTime();
  const events = seenEvents(c.events, to);
  const first = events[0];
  const creation = first && (first.action === 'report' || first.action === 'self_handle') ? first : null;
  // One pass for what the indicator modules ask of every case (the first 立案 and 结案, 作废, 合并).
  let filing: SeenEvent | null = null;
  let closing: SeenEvent | null = null;
  let voided = false;
  let merged = false;
  for (const e of events) {
    if (e.action === 'file') filing ??= e;
    else if (e.action === 'close') closing ??= e;
    else if (e.action === 'void_approve') voided = true;
    else if (e.action === 'merge') merged = true;
  }
  if (creation?.action === 'self_handle') {
    filing ??= creation;
    if (creation.toState === 'closed') closing ??= creation;
  }
  const last = events[events.length - 1];
  const running = last?.payload.clock;
  const overdue =
    running?.deadline !== null && running?.deadline !== undefined && Date.parse(running.deadline) < to;
  return {
    id: c.id,
    c,
    events,
    voided,
    merged,
    filing,
    closing,
    creation,
    overdueAtEnd: overdue && running && last ? { step: running.step, dept: last.dept } : null,
    stateAtEnd: last?.toState ?? null,
  };
}

function inSlot(hour: number, slot: TimeSlot): boolean {
  return slot.fromHour <= slot.toHour
    ? hour >= slot.fromHour && hour < slot.toHour
    : hour >= slot.fromHour || hour < slot.toHour;
}

export function matchesFilters(
  c: EvaluationCase,
  f: EvaluationFilters | undefined,
  offsetMin: number,
): boolean {
  if (!f) return true;
  const any = <T>(list: readonly T[] | undefined, test: (x: T) => boolean) =>
    list === undefined || list.length === 0 || list.some(test);
  const localHour = new Date(c.reportedAt.getTime() + offsetMin * 60_000).getUTCHours();
  return (
    any(f.categories, (code) => c.categoryCode.startsWith(code)) &&
    any(f.areaClasses, (a) => a === c.areaClass) &&
    any(f.sources, (s) => s === c.source) &&
    any(f.kinds, (k) => k === c.kind) &&
    any(f.timeSlots, (slot) => inSlot(localHour, slot))
  );
}

/** Views of the cases the filters select, reported before `to`. */
export function viewsOf(cases: readonly EvaluationCase[], q: EvaluationQuery): CaseView[] {
  const offset = q.utcOffsetMinutes ?? 480;
  return cases
    .filter((c) => c.reportedAt.getTime() < q.to.getTime() && matchesFilters(c, q.filters, offset))
    .map((c) => viewOf(c, q));
}

/** Supervisor ids by grid code (inverse of `supervisorGrids`). */
export function gridSupervisors(q: EvaluationQuery): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [sup, grids] of Object.entries(q.supervisorGrids ?? {})) {
    for (const g of grids) out.set(g, [...(out.get(g) ?? []), sup]);
  }
  return out;
}
