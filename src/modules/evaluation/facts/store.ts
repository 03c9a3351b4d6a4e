/**
 * Writing evaluation facts: one event as it is appended (`appendEventFacts`, in the appender's
 * transaction), or whole cases at once (`insertCaseFacts`: history seeding, rebuild, tests).
 * The facts themselves are worked out by the domain's projector (domain/evaluation/projection.ts).
 */
import { type Kysely, sql } from 'kysely';
import {
  type CaseFacts,
  type CaseHead,
  projectEvent,
  type StepFacts,
} from '../../../domain/evaluation/projection.js';
import type { EvaluationEvent } from '../../../domain/evaluation/types.js';
import type { Database } from '../../../platform/db/schema.js';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

const CASE_COLUMNS: Record<string, [string, (f: CaseFacts) => unknown]> = {
  case_id: ['bigint', (f) => f.caseId],
  reported_at: ['timestamptz', (f) => iso(f.reportedAt)],
  source: ['text', (f) => f.source],
  kind: ['text', (f) => f.kind],
  category_id: ['int', (f) => f.categoryId],
  category_code: ['text', (f) => f.categoryCode],
  area_class: ['text', (f) => f.areaClass],
  grid_code: ['text', (f) => f.gridCode],
  community_code: ['text', (f) => f.communityCode],
  street_code: ['text', (f) => f.streetCode],
  district_code: ['text', (f) => f.districtCode],
  created_at: ['timestamptz', (f) => iso(f.createdAt)],
  creator_action: ['text', (f) => f.creatorAction],
  creator_id: ['text', (f) => f.creatorId],
  creator_role: ['text', (f) => f.creatorRole],
  filed_at: ['timestamptz', (f) => iso(f.filedAt)],
  closed_at: ['timestamptz', (f) => iso(f.closedAt)],
  void_at: ['timestamptz', (f) => iso(f.voidAt)],
  merge_at: ['timestamptz', (f) => iso(f.mergeAt)],
  decide_at: ['timestamptz', (f) => iso(f.decideAt)],
  check_fail_at: ['timestamptz', (f) => iso(f.checkFailAt)],
  late_handling_at: ['timestamptz', (f) => iso(f.lateHandlingAt)],
  last_seq: ['int', (f) => f.lastSeq],
  last_at: ['timestamptz', (f) => iso(f.lastAt)],
  state: ['text', (f) => f.state],
  running: ['jsonb', (f) => JSON.stringify(f.running)],
};

const STEP_COLUMNS: Record<string, [string, (s: StepFacts) => unknown]> = {
  case_id: ['bigint', (s) => s.caseId],
  seq: ['int', (s) => s.seq],
  at: ['timestamptz', (s) => iso(s.at)],
  until_at: ['timestamptz', (s) => (s.untilAt === null ? 'infinity' : s.untilAt.toISOString())],
  action: ['text', (s) => s.action],
  actor_id: ['text', (s) => s.actorId],
  actor_role: ['text', (s) => s.actorRole],
  from_state: ['text', (s) => s.fromState],
  to_state: ['text', (s) => s.toState],
  dept: ['text', (s) => s.dept],
  act_late: ['boolean', (s) => s.actLate],
  handling_late: ['boolean', (s) => s.handlingLate],
  clock_step: ['text', (s) => s.clockStep],
  overdue_from: ['timestamptz', (s) => iso(s.overdueFrom)],
  undone_role: ['text', (s) => s.undoneRole],
  undone_actor: ['text', (s) => s.undoneActor],
};

/** INSERT … SELECT FROM unnest(arrays): one statement and a dozen parameters per batch. */
async function insertRows<T>(
  db: Kysely<Database>,
  table: 'eval_case_facts' | 'eval_step_facts',
  columns: Record<string, [string, (x: T) => unknown]>,
  rows: readonly T[],
  upsert: string | null,
): Promise<void> {
  const names = Object.keys(columns);
  for (let i = 0; i < rows.length; i += 5000) {
    const batch = rows.slice(i, i + 5000);
    const arrays = names.map((n) => {
      const [type, get] = columns[n] as [string, (x: T) => unknown];
      return sql`${batch.map(get)}::${sql.raw(type)}[]`;
    });
    const conflict =
      upsert === null
        ? sql``
        : sql` ON CONFLICT (${sql.raw(upsert)}) DO UPDATE SET ${sql.raw(
            names.map((n) => `${n} = excluded.${n}`).join(', '),
          )}`;
    await sql`INSERT INTO ${sql.table(table)} (${sql.raw(names.join(', '))})
              SELECT * FROM unnest(${sql.join(arrays)})${conflict}`.execute(db);
  }
}

/** Writes the facts of whole cases (replacing any the cases had). */
export async function insertCaseFacts(
  db: Kysely<Database>,
  cases: readonly CaseFacts[],
  steps: readonly StepFacts[],
): Promise<void> {
  await insertRows(db, 'eval_case_facts', CASE_COLUMNS, cases, 'case_id');
  await insertRows(db, 'eval_step_facts', STEP_COLUMNS, steps, 'case_id, seq');
}

type CaseFactsRow = Awaited<ReturnType<typeof readCaseFacts>>;

function readCaseFacts(db: Kysely<Database>, caseId: number | string) {
  return db
    .selectFrom('eval_case_facts')
    .selectAll()
    .where('case_id', '=', String(caseId))
    .executeTakeFirst();
}

function factsOfRow(r: NonNullable<CaseFactsRow>): CaseFacts {
  return {
    caseId: String(r.case_id),
    reportedAt: r.reported_at,
    source: r.source,
    kind: r.kind,
    categoryId: r.category_id,
    categoryCode: r.category_code,
    areaClass: r.area_class,
    gridCode: r.grid_code,
    communityCode: r.community_code,
    streetCode: r.street_code,
    districtCode: r.district_code,
    createdAt: r.created_at,
    creatorAction: r.creator_action,
    creatorId: r.creator_id,
    creatorRole: r.creator_role,
    filedAt: r.filed_at,
    closedAt: r.closed_at,
    voidAt: r.void_at,
    mergeAt: r.merge_at,
    decideAt: r.decide_at,
    checkFailAt: r.check_fail_at,
    lateHandlingAt: r.late_handling_at,
    lastSeq: r.last_seq,
    lastAt: r.last_at,
    state: r.state,
    running: typeof r.running === 'string' ? JSON.parse(r.running) : r.running,
  };
}

/**
 * Projects one appended event, in the appender's transaction (the case row is locked by it, so
 * no other event of the case is projected meanwhile). The previous event's step row is closed
 * at this event's time.
 */
export async function appendEventFacts(
  db: Kysely<Database>,
  head: CaseHead,
  e: EvaluationEvent,
): Promise<void> {
  // The first event of a case has nothing before it: no read on the report's path.
  const row = e.seq === 1 ? undefined : await readCaseFacts(db, head.id);
  const prev = row ? factsOfRow(row) : null;
  if (prev && e.seq <= prev.lastSeq)
    throw new Error(`evaluation facts of case ${head.id} are ahead of seq ${e.seq}`);
  const { facts, step } = projectEvent(head, prev, e);
  if (prev) {
    // Closing the previous step: until_at is set, overdue_from kept only if it was before now.
    await sql`UPDATE eval_step_facts
              SET until_at = ${e.at},
                  overdue_from = CASE WHEN overdue_from < ${e.at} THEN overdue_from END
              WHERE case_id = ${head.id} AND seq = ${prev.lastSeq}`.execute(db);
  }
  await insertCaseFacts(db, [facts], [step]);
}

/**
 * Projects the latest event of each given case, read back from the log with the case row as it
 * is now: for writers that append events in bulk SQL (the catalog move's 'note' on every moved
 * case, which also changes the case's category).
 */
export async function projectLatestEvents(db: Kysely<Database>, caseIds: readonly number[]): Promise<void> {
  for (let i = 0; i < caseIds.length; i += 2000) {
    const ids = caseIds.slice(i, i + 2000);
    const rows = (
      await sql<{
        id: number;
        reported_at: Date;
        source: string;
        kind: 'component' | 'event';
        category_id: number;
        category_code: string;
        area_class: 'A' | 'B' | 'C';
        grid_code: string;
        community_code: string;
        street_code: string;
        district_code: string;
        seq: number;
        action: string;
        actor_id: number | null;
        actor_role: string;
        from_state: string | null;
        to_state: string;
        payload: EvaluationEvent['payload'] | string;
        at: Date;
      }>`
        SELECT c.id, c.reported_at, c.source, c.kind, c.category_id, cat.code AS category_code, c.area_class,
               c.grid_code, c.community_code, c.street_code, c.district_code,
               e.seq, e.action, e.actor_id, e.actor_role, e.from_state, e.to_state, e.payload, e.at
        FROM cases c JOIN categories cat ON cat.id = c.category_id
        JOIN case_events e ON e.case_id = c.id AND e.seq = c.last_seq
        WHERE c.id = ANY (${[...ids]}::int[])`.execute(db)
    ).rows;
    for (const r of rows) {
      await appendEventFacts(
        db,
        {
          id: String(r.id),
          reportedAt: r.reported_at,
          source: r.source,
          kind: r.kind,
          categoryId: r.category_id,
          categoryCode: r.category_code,
          areaClass: r.area_class,
          gridCode: r.grid_code,
          communityCode: r.community_code,
          streetCode: r.street_code,
          districtCode: r.district_code,
        },
        {
          seq: r.seq,
          action: r.action as EvaluationEvent['action'],
          actorId: r.actor_id === null ? null : String(r.actor_id),
          actorRole: r.actor_role,
          fromState: r.from_state as EvaluationEvent['fromState'],
          toState: r.to_state as EvaluationEvent['toState'],
          at: r.at,
          payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
        },
      );
    }
  }
}

/**
 * The facts of a case's creating event (report, self-handle) as two INSERTs to run as
 * data-modifying CTEs of the statement that files the case: the case's id is read from
 * `caseIdFrom` (a CTE with an `id` column), the rest is projected here as appendEventFacts does.
 */
export function creatingEventFactsSql(head: Omit<CaseHead, 'id'>, e: EvaluationEvent, caseIdFrom: string) {
  if (e.seq !== 1) throw new Error('only a creating event (seq 1) is projected without a read');
  const { facts, step } = projectEvent({ ...head, id: '0' }, null, e);
  const insert = <T>(
    table: 'eval_case_facts' | 'eval_step_facts',
    columns: Record<string, [string, (x: T) => unknown]>,
    row: T,
  ) => {
    const names = Object.keys(columns);
    const values = names.map((n) => {
      const [type, get] = columns[n] as [string, (x: T) => unknown];
      return n === 'case_id' ? sql.ref(`${caseIdFrom}.id`) : sql`${get(row)}::${sql.raw(type)}`;
    });
    return sql`INSERT INTO ${sql.table(table)} (${sql.raw(names.join(', '))})
      SELECT ${sql.join(values)} FROM ${sql.table(caseIdFrom)}`;
  };
  return [insert('eval_case_facts', CASE_COLUMNS, facts), insert('eval_step_facts', STEP_COLUMNS, step)];
}
