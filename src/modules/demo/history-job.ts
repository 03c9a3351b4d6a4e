/**
 * The demo city's recent history, written in the background after the server is up (issue 13).
 *
 * The plan (span, volume, seed and the instant the history ends) is fixed in the store at the
 * first start, so a server stopped midway continues the same history after a restart. Each day
 * records how far into its generated stream the cases are written, in the same transaction as
 * the cases: a restart skips exactly what is in and never writes a case twice.
 *
 * Days are written newest first, so the command map (open cases are recent) and the current
 * period's evaluation have figures within seconds; older days follow. Transactions are small and
 * separated by a pause, because the embedded store runs on the server's main thread: a request
 * waits at most one chunk.
 */
import { type Kysely, sql } from 'kysely';
import { generateHistory, type HistoryCase } from '../../domain/history/index.js';
import type { Database } from '../../platform/db/schema.js';
import type { Store } from '../../platform/db/store.js';
import { demoCityOf, lookups, officeDays, reserveCaseNumbers, writeChunk } from '../../seed/history.js';
import { clearEvaluationCache } from '../evaluation/cache.js';

const DAY_MS = 86_400_000;
const OFFSET_MS = 8 * 3_600_000;
const localDay = (at: number): string => new Date(at + OFFSET_MS).toISOString().slice(0, 10);

export interface DemoHistorySettings {
  /** Days of history up to the first start (0: none). */
  readonly days: number;
  readonly casesPerDay: number;
  readonly seed?: number;
}

export interface DemoHistoryPlan {
  firstDay: string;
  days: number;
  casesPerDay: number;
  seed: number;
  until: Date;
  finishedAt: Date | null;
}

export interface DemoHistoryProgress {
  daysDone: number;
  days: number;
  cases: number;
  events: number;
}

export interface DemoHistoryRun {
  /** Cases per transaction (small: a request waits for at most one). */
  readonly chunk?: number;
  /** Pause between transactions, leaving the store to requests. */
  readonly pauseMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: DemoHistoryProgress) => void;
}

async function readPlan(db: Kysely<Database>): Promise<DemoHistoryPlan | null> {
  const row = await db.selectFrom('demo_history_plans').selectAll().executeTakeFirst();
  return row
    ? {
        firstDay: row.first_day,
        days: row.days,
        casesPerDay: row.cases_per_day,
        seed: row.seed,
        until: new Date(row.until),
        finishedAt: row.finished_at ? new Date(row.finished_at) : null,
      }
    : null;
}

/**
 * The plan of this database's demo history: the one fixed earlier, or a new one ending now when
 * the city has no cases yet. Null when there is none to write (a city with cases of its own
 * gets no generated past: their numbers would collide).
 */
export async function planDemoHistory(
  db: Kysely<Database>,
  s: DemoHistorySettings,
  now = new Date(),
): Promise<DemoHistoryPlan | null> {
  const existing = await readPlan(db);
  if (existing || s.days < 1) return existing;
  const anyCase = await db.selectFrom('cases').select('id').limit(1).executeTakeFirst();
  if (anyCase) return null;
  await db
    .insertInto('demo_history_plans')
    .values({
      first_day: localDay(now.getTime() - (s.days - 1) * DAY_MS),
      days: s.days,
      cases_per_day: s.casesPerDay,
      seed: s.seed ?? 1,
      until: now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return readPlan(db);
}

export async function historyProgress(
  db: Kysely<Database>,
  plan: DemoHistoryPlan,
): Promise<DemoHistoryProgress> {
  const r = await sql<{ done: number; cases: number; events: number }>`
    SELECT count(*) FILTER (WHERE done)::int AS done, coalesce(sum(cases), 0)::int AS cases,
           coalesce(sum(events), 0)::int AS events
    FROM demo_history_days`.execute(db);
  const row = r.rows[0];
  return { daysDone: row?.done ?? 0, days: plan.days, cases: row?.cases ?? 0, events: row?.events ?? 0 };
}

/** Case ids of one day already written (merge targets of the day's duplicates). */
async function casesOfDay(db: Kysely<Database>, day: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('cases')
    .select(['id', 'number'])
    .where('number', 'like', `%-${day.replaceAll('-', '')}-%`)
    .execute();
  return new Map(rows.map((r) => [r.number, r.id]));
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Takes a day for the history, or leaves it (false) when live reports numbered cases on it first
 * (the generated numbers would collide with theirs). Under the lock case_number_sequence takes
 * where a day's numbering begins (migrations/0040): the day's generated numbers are reserved in
 * the counters before any case is written, so a live sequence made later starts after them.
 */
async function claimDay(db: Kysely<Database>, day: string, stream: readonly HistoryCase[]) {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(7301, 1)`.execute(trx);
    const started = await sql<{ started: boolean }>`
      SELECT case_numbering_started(${day}::date) OR EXISTS (
        SELECT 1 FROM case_number_counters WHERE day = ${day}::date) AS started`.execute(trx);
    const taken = started.rows[0]?.started === true;
    if (!taken) await reserveCaseNumbers(trx, stream);
    await trx
      .insertInto('demo_history_days')
      .values({ day, done: taken, skipped: taken })
      .onConflict((oc) => oc.column('day').doNothing())
      .execute();
    return !taken;
  });
}

/**
 * Writes what is missing of the plan, newest day first; returns early (resumable) when the
 * signal aborts. Returns true when the whole plan is in.
 */
export async function runDemoHistory(store: Store, plan: DemoHistoryPlan, o: DemoHistoryRun = {}) {
  const db = store.db;
  if (plan.finishedAt) return true;
  // 40 cases (~350 events) a transaction: ~0.1 s on a quiet 2-core machine, so a request waits
  // little behind one (bench/demo-history.ts: 100 a transaction tripled the median latency
  // under heavy load).
  const chunk = o.chunk ?? 40;
  const pauseMs = o.pauseMs ?? 30;
  const [city, lk, office] = await Promise.all([demoCityOf(db), lookups(db), officeDays(db)]);
  const firstDayMs = Date.parse(`${plan.firstDay}T00:00:00+08:00`);
  const until = plan.until.getTime();
  const progress = await historyProgress(db, plan);
  for (let index = plan.days - 1; index >= 0; index--) {
    if (o.signal?.aborted) return false;
    const day = localDay(firstDayMs + index * DAY_MS);
    let row = await db.selectFrom('demo_history_days').selectAll().where('day', '=', day).executeTakeFirst();
    if (row?.done) continue;
    const stream = [
      ...generateHistory({
        city,
        from: new Date(firstDayMs),
        days: plan.days,
        seed: plan.seed,
        casesPerDay: plan.casesPerDay,
        until: new Date(until),
        onlyDays: new Set([index]),
        ...office,
      }),
    ];
    if (!row) {
      if (!(await claimDay(db, day, stream))) {
        progress.daysDone++;
        continue;
      }
      row = { day, written: 0, cases: 0, events: 0, done: false, skipped: false };
    }
    const recent = row.written > 0 ? await casesOfDay(db, day) : new Map<string, number>();
    let position = 0;
    let batch: HistoryCase[] = [];
    const flush = async (done: boolean) => {
      const current = batch;
      batch = [];
      const upTo = position;
      const events = await db.transaction().execute(async (trx) => {
        const n = current.length > 0 ? await writeChunk(trx, current, lk, until, recent) : 0;
        await trx
          .updateTable('demo_history_days')
          .set((eb) => ({
            written: upTo,
            cases: eb('cases', '+', current.length),
            events: eb('events', '+', n),
            done,
          }))
          .where('day', '=', day)
          .execute();
        return n;
      });
      progress.cases += current.length;
      progress.events += events;
      if (done) progress.daysDone++;
      o.onProgress?.({ ...progress });
      await pause(pauseMs);
    };
    for (const h of stream) {
      position++;
      if (position <= row.written || h.events.length === 0) continue;
      batch.push(h);
      if (batch.length >= chunk) {
        await flush(false);
        if (o.signal?.aborted) return false;
      }
    }
    await flush(true);
    // Past periods have new events now: their cached evaluation counts are wrong.
    await clearEvaluationCache(db);
  }
  await db.updateTable('demo_history_plans').set({ finished_at: new Date() }).execute();
  // A period counted while its last day was being written may have been cached in between.
  await clearEvaluationCache(db);
  await db
    .insertInto('audit_log')
    .values({
      actor_name: 'system',
      action: 'system.seed_history',
      details: JSON.stringify({
        from: plan.firstDay,
        days: plan.days,
        seed: plan.seed,
        cases: progress.cases,
        events: progress.events,
        background: true,
      }),
    })
    .execute();
  return true;
}
