/**
 * Recomputing the evaluation facts from the event log (`cityloop facts rebuild`, and the history
 * seeder for the cases it writes). Cases are read in id order, a chunk at a time, each with its
 * whole log, folded by the domain's projector and written over whatever facts they had; a full
 * rebuild first empties both tables, so facts damaged or half written (a crash mid-way, a
 * truncated table) are replaced, never merged.
 */
import { type Kysely, sql } from 'kysely';
import { type CaseFacts, factsOfCase, type StepFacts } from '../../../domain/evaluation/projection.js';
import type { EvaluationCase, EvaluationEvent } from '../../../domain/evaluation/types.js';
import type { Database } from '../../../platform/db/schema.js';
import { insertCaseFacts } from './store.js';

type EventTuple = [
  number,
  string,
  number | null,
  string,
  string | null,
  string,
  number,
  EvaluationEvent['payload']['steps'] | null,
  EvaluationEvent['payload']['clock'] | null,
  string | null,
];

interface LogRow {
  id: number;
  reported_ms: number;
  source: string;
  kind: 'component' | 'event';
  category_id: number;
  category_code: string;
  area_class: 'A' | 'B' | 'C';
  grid_code: string;
  community_code: string;
  street_code: string;
  district_code: string;
  events: EventTuple[] | null;
}

/** Cases with their whole log (only what the projector reads of each payload). */
function readLog(db: Kysely<Database>, where: ReturnType<typeof sql>, limit: number) {
  return sql<LogRow>`
    SELECT c.id, extract(epoch FROM c.reported_at)::float8 * 1000 AS reported_ms, c.source, c.kind,
           c.category_id, cat.code AS category_code, c.area_class, c.grid_code, c.community_code,
           c.street_code, c.district_code,
           (SELECT json_agg(json_build_array(e.seq, e.action, e.actor_id, e.actor_role, e.from_state, e.to_state,
                                             extract(epoch FROM e.at)::float8 * 1000,
                                             NULLIF(jsonb_path_query_array(e.payload, '$.steps[*] ? (@.late == true)'), '[]'),
                                             e.payload -> 'clock', e.payload -> 'department' ->> 'code')
                            ORDER BY e.seq)
            FROM case_events e WHERE e.case_id = c.id) AS events
    FROM cases c JOIN categories cat ON cat.id = c.category_id
    WHERE ${where} ORDER BY c.id LIMIT ${limit}`.execute(db);
}

function caseOf(r: LogRow): EvaluationCase & { categoryId: number } {
  return {
    id: String(r.id),
    caseNumber: '',
    reportedAt: new Date(r.reported_ms),
    source: r.source,
    kind: r.kind,
    categoryId: r.category_id,
    categoryCode: r.category_code,
    areaClass: r.area_class,
    gridCode: r.grid_code,
    communityCode: r.community_code,
    streetCode: r.street_code,
    districtCode: r.district_code,
    events: (r.events ?? []).map(([seq, action, actor, role, from, to, ms, steps, clock, department]) => ({
      seq,
      action: action as EvaluationEvent['action'],
      actorId: actor === null ? null : String(actor),
      actorRole: role,
      fromState: from as EvaluationEvent['fromState'],
      toState: to as EvaluationEvent['toState'],
      at: new Date(ms),
      payload: {
        ...(steps ? { steps } : {}),
        ...(clock ? { clock } : {}),
        ...(department ? { department: { code: department } } : {}),
      },
    })),
  };
}

async function writeRows(db: Kysely<Database>, rows: readonly LogRow[]): Promise<number> {
  const cases: CaseFacts[] = [];
  const steps: StepFacts[] = [];
  for (const r of rows) {
    const out = factsOfCase(caseOf(r));
    if (out.facts) cases.push(out.facts);
    steps.push(...out.steps);
  }
  await insertCaseFacts(db, cases, steps);
  return steps.length;
}

/** Replaces the facts of the given cases by their projection from the log. */
export async function rebuildCaseFacts(db: Kysely<Database>, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 2000) {
    const chunk = [...ids.slice(i, i + 2000)];
    await sql`DELETE FROM eval_step_facts WHERE case_id = ANY (${chunk}::bigint[])`.execute(db);
    const { rows } = await readLog(db, sql`c.id = ANY (${chunk}::int[])`, chunk.length);
    await writeRows(db, rows);
  }
}

export interface RebuildProgress {
  cases: number;
  events: number;
  total: number;
}

/**
 * Empties the facts and projects every case of the log again, in one transaction per chunk
 * (a rebuild stopped mid-way leaves fewer facts, which the next rebuild replaces).
 */
export async function rebuildAllFacts(
  db: Kysely<Database>,
  o: { chunk?: number; onProgress?: (p: RebuildProgress) => void } = {},
): Promise<RebuildProgress> {
  const chunk = o.chunk ?? 5000;
  await sql`TRUNCATE eval_case_facts, eval_step_facts`.execute(db);
  const total = Number(
    (await sql<{ n: string }>`SELECT count(*)::text AS n FROM cases`.execute(db)).rows[0]?.n ?? 0,
  );
  const progress = { cases: 0, events: 0, total };
  for (let after = 0; ; ) {
    const rows = await db.transaction().execute(async (trx) => {
      const { rows } = await readLog(trx, sql`c.id > ${after}`, chunk);
      progress.events += await writeRows(trx, rows);
      return rows;
    });
    if (rows.length === 0) break;
    after = rows[rows.length - 1]?.id ?? after;
    progress.cases += rows.length;
    o.onProgress?.({ ...progress });
    if (rows.length < chunk) break;
  }
  return progress;
}
