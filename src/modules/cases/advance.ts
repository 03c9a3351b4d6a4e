/**
 * Writes one decided transition: appends the case event and updates the `cases` projection in
 * the caller's transaction (the row must be locked by the caller). Shared by user actions and
 * the sweeper; nothing else writes a case's state.
 */
import type { Kysely, Updateable } from 'kysely';
import type { Urgency } from '../../domain/catalog/index.js';
import type { CaseHead } from '../../domain/evaluation/projection.js';
import type { EvaluationEvent } from '../../domain/evaluation/types.js';
import type { WorkingCalendar } from '../../domain/timelimit/index.js';
import type { CaseAction, ClockStep, DecideOk } from '../../domain/workflow/index.js';
import { cachedReference } from '../../platform/db/reference-cache.js';
import type { Database } from '../../platform/db/schema.js';
import { loadCalendar } from '../calendar/repo.js';
import { currentClockRules } from '../calendar/rules-repo.js';
import { appendEventFacts } from '../evaluation/facts/store.js';
import { announceCaseChange } from '../live/notify.js';
import { applyClock, type StepClock, type StepResult } from './clock.js';
import { type CaseRow, stepLimit } from './repo.js';
import type { StoredLimit } from './tables.js';

/** The columns of a case a transition starts from (a whole row, or a case about to be filed). */
export type TransitionBase = Pick<
  CaseRow,
  | 'standard_version_id'
  | 'category_id'
  | 'area_class'
  | 'urgency'
  | 'counters'
  | 'last_seq'
  | 'version'
  | 'closed_at'
  | 'step'
  | 'step_no'
  | 'step_started_at'
  | 'step_limit'
  | 'step_calendar_id'
  | 'step_suspensions'
  | 'step_extensions'
  | 'step_yellow_at'
  | 'step_deadline'
  | 'light'
>;

export function clockOfRow(row: TransitionBase): StepClock {
  return {
    step: row.step as ClockStep | null,
    stepNo: row.step_no,
    startedAt: row.step_started_at,
    limit: row.step_limit,
    calendarId: row.step_calendar_id,
    suspensions: row.step_suspensions,
    extensions: row.step_extensions,
    yellowAt: row.step_yellow_at,
    deadline: row.step_deadline,
    light: row.light,
  };
}

/** What the evaluation facts keep of the case row. */
export function headOfRow(row: CaseRow): CaseHead {
  return {
    id: String(row.id),
    reportedAt: row.reported_at,
    source: row.source,
    kind: row.kind,
    categoryId: row.category_id,
    categoryCode: row.category_code,
    areaClass: row.area_class,
    gridCode: row.grid_code,
    communityCode: row.community_code,
    streetCode: row.street_code,
    districtCode: row.district_code,
  };
}

/** Working calendars by id, held in memory until one of them changes (calendar module). */
export function calendarLoader(db: Kysely<Database>) {
  return (id: string): Promise<WorkingCalendar> =>
    cachedReference(db, `calendar:${id}`, ['working_calendars', 'calendar_days'], async () => {
      const cal = await loadCalendar(db, id);
      if (!cal) throw new Error(`working calendar '${id}' is missing`);
      return cal;
    });
}

/** The clock rules in force, held in memory until they change (calendar module). */
function clockRules(db: Kysely<Database>) {
  return cachedReference(db, 'clock-rules', ['clock_rules'], () => currentClockRules(db));
}

export function clockColumns(c: StepClock) {
  return {
    step: c.step,
    step_no: c.stepNo,
    step_started_at: c.startedAt,
    step_limit: c.limit ? JSON.stringify(c.limit) : null,
    step_calendar_id: c.calendarId,
    step_suspensions: JSON.stringify(c.suspensions),
    step_extensions: JSON.stringify(c.extensions),
    step_yellow_at: c.yellowAt,
    step_deadline: c.deadline,
    light: c.light,
  };
}

export interface Transition {
  actorId: number | null;
  actorRole: string;
  action: CaseAction;
  decision: DecideOk;
  reason: string | null;
  payload: Record<string, unknown>;
  /** Extra projection columns (department, handler, merge target, pending details…). */
  set: Partial<{
    department_id: number | null;
    handler_id: number | null;
    merged_into_id: number | null;
    pending_payload: string | null;
  }>;
  photos: { phase: 'before' | 'after'; shas: readonly string[] } | null;
  extension: StoredLimit | null;
  /** Whether the optimistic version moves (the sweeper's marks do not invalidate a user's view). */
  bumpVersion: boolean;
  now: Date;
}

/** What a transition writes, worked out before anything is written (reference data from memory). */
export interface Written {
  seq: number;
  results: StepResult[];
  clock: StepClock;
  /** The `cases` columns the transition sets. */
  columns: Updateable<Database['cases']>;
  /** The event's payload as stored. */
  payload: Record<string, unknown>;
}

export async function transitionOf(
  db: Kysely<Database>,
  row: TransitionBase,
  t: Transition,
): Promise<Written> {
  const { clock, results } = await applyClock(t.decision.clock, clockOfRow(row), {
    now: t.now,
    extension: t.extension,
    calendar: calendarLoader(db),
    rules: () => clockRules(db),
    limitFor: (step) =>
      stepLimit(db, {
        versionId: row.standard_version_id,
        categoryId: row.category_id,
        step,
        areaClass: row.area_class,
        urgency: row.urgency as Urgency,
      }),
  });
  const counters = { ...row.counters };
  for (const c of t.decision.counters) counters[c] = (counters[c] ?? 0) + 1;
  const seq = row.last_seq + 1;
  const terminal = ['closed', 'rejected', 'voided', 'merged'].includes(t.decision.to);
  const pending = t.decision.pending;
  const columns: Updateable<Database['cases']> = {
    state: t.decision.to,
    pending_kind: pending?.kind ?? null,
    pending_role: pending?.requestedBy ?? null,
    ...(pending === null ? { pending_payload: null } : {}),
    ...t.set,
    ...clockColumns(clock),
    counters: JSON.stringify(counters),
    last_seq: seq,
    version: t.bumpVersion ? row.version + 1 : row.version,
    updated_at: t.now,
    ...(terminal && row.closed_at === null ? { closed_at: t.now } : {}),
    // 重办: a reopened case is open again until it is closed anew.
    ...(!terminal && row.closed_at !== null ? { closed_at: null } : {}),
  };
  const payload = {
    ...t.payload,
    ...(results.length > 0 ? { steps: results } : {}),
    ...(clock.step ? { clock: { step: clock.step, stepNo: clock.stepNo, deadline: clock.deadline } } : {}),
    ...(t.decision.counters.length > 0 ? { counters: t.decision.counters } : {}),
  };
  return { seq, results, clock, columns, payload };
}

/** The event as the evaluation facts read it (stored as JSON: what a replay of the log would read). */
export function factsEvent(t: Transition, w: Pick<Written, 'seq' | 'payload'>): EvaluationEvent {
  return {
    seq: w.seq,
    action: t.action,
    actorId: t.actorId === null ? null : String(t.actorId),
    actorRole: t.actorRole,
    fromState: t.decision.from,
    toState: t.decision.to,
    at: t.now,
    payload: JSON.parse(JSON.stringify(w.payload)),
  };
}

export async function advance(
  db: Kysely<Database>,
  row: CaseRow,
  t: Transition,
): Promise<{ seq: number; results: StepResult[]; clock: StepClock; row: CaseRow }> {
  const written = await transitionOf(db, row, t);
  const { seq, results, clock, payload } = written;
  // The projection as it now stands comes back with the update (the caller answers with it).
  const projected = await db
    .updateTable('cases')
    .set(written.columns)
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto('case_events')
    .values({
      case_id: row.id,
      seq,
      action: t.action,
      actor_id: t.actorId,
      actor_role: t.actorRole,
      from_state: t.decision.from,
      to_state: t.decision.to,
      reason: t.reason,
      payload: JSON.stringify(payload),
      at: t.now,
    })
    .execute();
  // The evaluation's facts move with the log, in this transaction (issue 12).
  await appendEventFacts(db, headOfRow(row), factsEvent(t, written));
  announceCaseChange(db, { id: row.id, number: row.number, action: t.action });
  if (t.photos && t.photos.shas.length > 0) {
    const phase = t.photos.phase;
    await db
      .insertInto('case_photos')
      .values(
        [...new Set(t.photos.shas)].map((sha256) => ({ case_id: row.id, sha256, phase, event_seq: seq })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return { seq, results, clock, row: { ...row, ...projected } };
}
