/**
 * The JobQueue on our own `jobs` table (migrations/0026_jobs.sql). A runner in every server
 * process claims queued jobs of the kinds it knows with `FOR UPDATE SKIP LOCKED`, so processes
 * sharing one PostgreSQL never run a job twice; on the embedded store the one process serves
 * them. Every statement here is short: on PGlite the database runs on the server's own thread,
 * and a long statement would stall every request.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import { type Actor, requirePermission } from '../auth/actor.js';
import type { Database } from '../db/schema.js';
import type { Store } from '../db/store.js';
import { AppError } from '../errors.js';
import {
  JobCancelled,
  type JobContext,
  type JobFile,
  type JobHandler,
  type JobHead,
  type JobQueue,
  type JobView,
} from './port.js';

export interface TableQueueOptions {
  /**
   * Jobs run side by side in this process (default 2: one user's yearly evaluation does not
   * hold another's export back; on the embedded store their short statements interleave).
   */
  concurrency?: number;
  /** How often the runner looks for jobs another process (or a later commit) queued. */
  pollMs?: number;
  /** A running job silent this long was left by a process that died: it is queued again. */
  staleMs?: number;
  /** Progress is written at most this often (the last report always is). */
  progressEveryMs?: number;
  onError?: (err: unknown, jobId: string | null) => void;
}

const MAX_ATTEMPTS = 3;
const HEAD_COLUMNS = [
  'id',
  'kind',
  'owner_id',
  'permission',
  'state',
  'progress',
  'message',
  'cancel_requested',
  'error',
  'file_name',
  'file_type',
  'created_at',
  'started_at',
  'finished_at',
] as const;

interface HeadRow {
  id: string;
  kind: string;
  owner_id: number;
  permission: string;
  state: JobView['state'];
  progress: number;
  message: string | null;
  cancel_requested: boolean;
  error: unknown;
  file_name: string | null;
  file_type: string | null;
  file_bytes: number | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function headOf(r: HeadRow): JobHead {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    progress: r.progress,
    message: r.message,
    cancelRequested: r.cancel_requested,
    error: (r.error as JobView['error']) ?? null,
    file:
      r.file_name === null ? null : { name: r.file_name, type: r.file_type ?? '', bytes: r.file_bytes ?? 0 },
    createdAt: iso(r.created_at) as string,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    ownerId: r.owner_id,
    permission: r.permission,
  };
}

function viewOf(h: JobHead): JobView {
  const { ownerId: _o, permission: _p, ...view } = h;
  return view;
}

function errorOf(err: unknown): { code: string; messages: { zh: string; en: string }; details?: unknown } {
  if (err instanceof AppError) return { code: err.code, messages: err.messages, details: err.details };
  const e = new AppError('INTERNAL');
  return { code: e.code, messages: e.messages };
}

export function tableJobQueue(store: Store, options: TableQueueOptions = {}): JobQueue {
  const db: Kysely<Database> = store.db;
  const concurrency = options.concurrency ?? 2;
  const pollMs = options.pollMs ?? 1000;
  const staleMs = options.staleMs ?? 60_000;
  const progressEveryMs = options.progressEveryMs ?? 250;
  const onError = options.onError ?? (() => {});
  const runnerId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const handlers = new Map<string, JobHandler<unknown>>();
  const running = new Map<string, { abort: AbortController; done: Promise<void>; shutdown: boolean }>();
  let timer: NodeJS.Timeout | null = null;
  let started = false;
  let stopping = false;
  let ticking = false;
  let again = false;

  const selectHead = (on: Kysely<Database> = db) =>
    on
      .selectFrom('jobs')
      .select(HEAD_COLUMNS)
      .select(sql<number | null>`octet_length(file)`.as('file_bytes'));

  async function head(id: string): Promise<JobHead | null> {
    const row = await selectHead().where('id', '=', id).executeTakeFirst();
    return row ? headOf(row as HeadRow) : null;
  }

  /** Orphans of a dead process go back to the queue (or fail after a few tries); old jobs go. */
  async function sweep() {
    await sql`
      UPDATE jobs SET
        state = CASE WHEN cancel_requested THEN 'cancelled' WHEN attempts >= ${MAX_ATTEMPTS} THEN 'failed' ELSE 'queued' END,
        error = CASE WHEN attempts >= ${MAX_ATTEMPTS} AND NOT cancel_requested
                     THEN ${JSON.stringify(errorOf(null))}::jsonb ELSE error END,
        finished_at = CASE WHEN cancel_requested OR attempts >= ${MAX_ATTEMPTS} THEN now() END,
        locked_by = NULL, progress = 0
      WHERE state = 'running' AND heartbeat_at < now() - make_interval(secs => ${staleMs / 1000})
        AND locked_by IS DISTINCT FROM ${runnerId}`.execute(db);
    await db.deleteFrom('jobs').where('expires_at', '<', new Date()).execute();
  }

  interface Claimed {
    id: string;
    kind: string;
    actor: Actor;
    params: unknown;
    input: Buffer | Uint8Array | null;
  }

  async function claim(): Promise<Claimed | null> {
    const kinds = [...handlers.keys()];
    if (kinds.length === 0) return null;
    const r = await sql<Claimed>`
      UPDATE jobs SET state = 'running', locked_by = ${runnerId}, heartbeat_at = now(),
             started_at = coalesce(started_at, now()), attempts = attempts + 1
      WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND kind = ANY (${kinds}::text[])
                  ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id, kind, actor, params, input`.execute(db);
    return r.rows[0] ?? null;
  }

  async function finish(id: string, fields: Record<string, unknown>) {
    await db
      .updateTable('jobs')
      .set({ ...fields, input: null, locked_by: null, finished_at: new Date() })
      .where('id', '=', id)
      .where('locked_by', '=', runnerId)
      .execute();
  }

  async function runOne(job: Claimed) {
    const handler = handlers.get(job.kind) as JobHandler<unknown>;
    const abort = new AbortController();
    const entry = { abort, done: Promise.resolve(), shutdown: false };
    running.set(job.id, entry);
    let lastWrite = 0;
    const ctx: JobContext<unknown> = {
      id: job.id,
      actor: job.actor,
      params: job.params,
      input: job.input === null ? null : Buffer.from(job.input),
      db,
      signal: abort.signal,
      async progressLocal() {
        if (abort.signal.aborted) throw new JobCancelled();
        await yieldToEventLoop();
        if (abort.signal.aborted) throw new JobCancelled();
      },
      async progress(percent, message) {
        if (abort.signal.aborted) throw new JobCancelled();
        const now = Date.now();
        if (now - lastWrite >= progressEveryMs) {
          lastWrite = now;
          const p = Math.max(0, Math.min(99, Math.floor(percent)));
          const r = await db
            .updateTable('jobs')
            .set({ progress: p, message: message ?? null, heartbeat_at: new Date() })
            .where('id', '=', job.id)
            .returning('cancel_requested')
            .executeTakeFirst();
          // A cancel made through another process reaches this one here.
          if (!r || r.cancel_requested) abort.abort();
        }
        // Requests waiting behind this job's statements run now.
        await yieldToEventLoop();
        if (abort.signal.aborted) throw new JobCancelled();
      },
    };
    // Long silent steps (building a workbook) still show the job alive.
    const beat = setInterval(
      () => {
        void db
          .updateTable('jobs')
          .set({ heartbeat_at: new Date() })
          .where('id', '=', job.id)
          .execute()
          .catch(() => {});
      },
      Math.max(1000, staleMs / 4),
    );
    beat.unref();
    try {
      const out = await handler.run(ctx);
      if (abort.signal.aborted && !out.committed) throw new JobCancelled();
      const file: JobFile | undefined = out.file;
      await finish(job.id, {
        state: 'succeeded',
        progress: 100,
        message: null,
        result: out.result === undefined ? null : JSON.stringify(out.result),
        file: file?.body ?? null,
        file_name: file?.name ?? null,
        file_ascii_name: file?.asciiName ?? null,
        file_type: file?.type ?? null,
      });
    } catch (err) {
      if (entry.shutdown) {
        // The server is stopping: the job is not the asker's fault; it runs again later.
        await db
          .updateTable('jobs')
          .set({ state: 'queued', locked_by: null, progress: 0, message: null })
          .where('id', '=', job.id)
          .execute()
          .catch(() => {});
      } else if (err instanceof JobCancelled || abort.signal.aborted) {
        await finish(job.id, { state: 'cancelled' });
      } else {
        if (!(err instanceof AppError)) onError(err, job.id);
        await finish(job.id, { state: 'failed', error: JSON.stringify(errorOf(err)) });
      }
    } finally {
      clearInterval(beat);
      running.delete(job.id);
    }
  }

  /** Claims while there is room; called on every enqueue, on a timer, and when a job ends. */
  async function tick() {
    if (!started || stopping) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    try {
      do {
        again = false;
        while (running.size < concurrency && !stopping) {
          const job = await claim();
          if (!job) break;
          const done = runOne(job)
            .catch((err) => onError(err, job.id))
            .finally(() => void tick());
          const entry = running.get(job.id);
          if (entry) entry.done = done;
        }
      } while (again && !stopping);
    } catch (err) {
      onError(err, null);
    } finally {
      ticking = false;
    }
  }

  return {
    define(handler) {
      handlers.set(handler.kind, handler as JobHandler<unknown>);
    },

    async enqueue(on, kind, actor, params, input = null) {
      const handler = handlers.get(kind);
      if (!handler) throw new Error(`no job handler for ${kind}`);
      requirePermission(actor, handler.permission);
      const id = randomUUID();
      await on
        .insertInto('jobs')
        .values({
          id,
          kind,
          owner_id: actor.userId,
          actor: JSON.stringify(actor),
          permission: handler.permission,
          params: JSON.stringify(params),
          input,
        })
        .execute();
      setImmediate(() => void tick());
      // Read back through the same handle: inside a request's unit of work (an Idempotency-Key
      // POST) the row is not committed yet, and on the embedded store the one connection is held.
      const row = await selectHead(on).where('id', '=', id).executeTakeFirstOrThrow();
      return viewOf(headOf(row as HeadRow));
    },

    head,

    async list(ownerId, kind, limit) {
      let q = selectHead().where('owner_id', '=', ownerId);
      if (kind) q = q.where('kind', '=', kind);
      const rows = await q.orderBy('created_at', 'desc').limit(limit).execute();
      return rows.map((r) => viewOf(headOf(r as HeadRow)));
    },

    async cancel(id) {
      // First the runner here, if it is ours: on the embedded store a running import holds the
      // one connection until it sees the cancel and rolls back, so the UPDATE below waits for it.
      running.get(id)?.abort.abort();
      await sql`
        UPDATE jobs SET cancel_requested = true,
               state = CASE WHEN state = 'queued' THEN 'cancelled' ELSE state END,
               finished_at = CASE WHEN state = 'queued' THEN now() ELSE finished_at END,
               input = CASE WHEN state = 'queued' THEN NULL ELSE input END
        WHERE id = ${id} AND state IN ('queued', 'running')`.execute(db);
      const h = await head(id);
      return h ? viewOf(h) : null;
    },

    async outcome(id) {
      const r = await db
        .selectFrom('jobs')
        .select(['result', 'file', 'file_name', 'file_ascii_name', 'file_type'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!r) return null;
      const file =
        r.file === null
          ? null
          : {
              body: Buffer.from(r.file),
              name: r.file_name ?? 'result',
              asciiName: r.file_ascii_name ?? 'result',
              type: r.file_type ?? 'application/octet-stream',
            };
      return { result: r.result ?? null, file };
    },

    start() {
      if (started) return;
      started = true;
      // The sweep (orphans, expired jobs) is rarer than the look for new jobs.
      const sweepEvery = Math.max(1, Math.round(staleMs / 4 / pollMs));
      let round = 0;
      const loop = () => {
        const sweeping = round++ % sweepEvery === 0 ? sweep() : Promise.resolve();
        void sweeping.catch((err) => onError(err, null)).then(() => tick());
      };
      loop();
      timer = setInterval(loop, pollMs);
      timer.unref();
    },

    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
      const all = [...running.values()];
      for (const r of all) {
        r.shutdown = true;
        r.abort.abort();
      }
      await Promise.all(all.map((r) => r.done));
    },
  };
}
