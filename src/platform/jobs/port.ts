/**
 * The job queue port: work too long for a request (a cold yearly evaluation, an export of tens of
 * thousands of cases) is enqueued by the request, which answers 202 with the job's id at once,
 * and runs off the request's path with progress, cancellation, and a result kept for the asker.
 *
 * One implementation today, on our own `jobs` table (./table-queue.ts): claimed with
 * `FOR UPDATE SKIP LOCKED` on PostgreSQL (any number of server processes) and served in-process
 * on the embedded store. pg-boss 10 could stand behind the same port on PostgreSQL.
 */
import type { Kysely } from 'kysely';
import type { Permission } from '../../domain/access/permissions.js';
import type { Actor } from '../auth/actor.js';
import type { Database } from '../db/schema.js';
import type { JobState } from './tables.js';

export type { JobState };

/** A file a job made (an .xlsx export): downloaded by the asker from GET /jobs/{id}/result. */
export interface JobFile {
  body: Buffer;
  name: string;
  /** For clients that read only `filename` (no RFC 5987). */
  asciiName: string;
  type: string;
}

export interface JobOutcome {
  /** JSON answer (an evaluation's table); null when the job made a file. */
  result?: unknown;
  file?: JobFile;
  /**
   * The job's writes are committed (an import): a cancel that arrives after the commit can no
   * longer undo them, so the job is recorded as succeeded, not cancelled.
   */
  committed?: boolean;
}

export interface JobContext<P> {
  id: string;
  /** The asker, as the request that enqueued the job saw them: the job runs with their rights. */
  actor: Actor;
  params: P;
  /** The uploaded file an import works on (stored with the job, dropped when it ends). */
  input: Buffer | null;
  db: Kysely<Database>;
  /** Aborted when the asker cancels (or the server stops); long loops check it between steps. */
  signal: AbortSignal;
  /**
   * Progress 0–100 and a line for the console. Written at most a few times a second; also where
   * the job learns of a cancel made in another process. Throws JobCancelled once cancelled, and
   * yields to the event loop so that requests waiting on the server run between steps.
   */
  progress(percent: number, message?: string): Promise<void>;
  /**
   * The same report kept in memory only, for a job holding a transaction on the embedded store
   * (its one connection is the transaction's): checks the cancel and yields, writes nothing.
   */
  progressLocal(percent: number, message?: string): Promise<void>;
}

export interface JobHandler<P> {
  kind: string;
  /** What the asker needs to enqueue it and, later, to read it (checked again on every read). */
  permission: Permission;
  run(ctx: JobContext<P>): Promise<JobOutcome>;
}

/** A job as its asker sees it (GET /jobs/{id}); the result itself is read apart. */
export interface JobView {
  id: string;
  kind: string;
  state: JobState;
  progress: number;
  message: string | null;
  cancelRequested: boolean;
  /** A failed job's error; `details` holds its report (an import's problems, row by row). */
  error: { code: string; messages: { zh: string; en: string }; details?: unknown } | null;
  file: { name: string; type: string; bytes: number } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** A job's row as the access checks need it: whose it is and what reading it requires. */
export interface JobHead extends JobView {
  ownerId: number;
  permission: string;
}

export interface JobQueue {
  define<P>(handler: JobHandler<P>): void;
  /** Checks the kind's permission, stores the job with `db` (a request's unit of work commits it). */
  enqueue<P>(
    db: Kysely<Database>,
    kind: string,
    actor: Actor,
    params: P,
    input?: Buffer | null,
  ): Promise<JobView>;
  head(id: string): Promise<JobHead | null>;
  /** The owner's latest jobs of a kind, newest first (the console comes back to them). */
  list(ownerId: number, kind: string | undefined, limit: number): Promise<JobView[]>;
  /** Queued: cancelled at once; running: asked to stop (its runner stops at the next step). */
  cancel(id: string): Promise<JobView | null>;
  outcome(id: string): Promise<{ result: unknown; file: JobFile | null } | null>;
  start(): void;
  /** Stops claiming, aborts the running jobs (they go back to the queue) and waits for them. */
  stop(): Promise<void>;
}

/** Thrown by `progress()` after a cancel; the runner records the job as cancelled. */
export class JobCancelled extends Error {
  constructor() {
    super('job cancelled');
  }
}
