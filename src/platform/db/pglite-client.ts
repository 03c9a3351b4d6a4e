/**
 * The server side of the embedded database's worker thread (./pglite-worker.mjs): statements go
 * out as messages and come back as rows, so a long statement blocks the worker, never the HTTP
 * thread. One statement at a time reaches PGlite (it has one session); ./pglite-pool.ts orders
 * the callers.
 */
import { Worker } from 'node:worker_threads';

export interface LiteResult {
  rows: unknown[];
  affectedRows: number;
}

/** What ./pglite-pool.ts needs of the database: the two PGlite calls it used. */
export interface LiteSession {
  exec(sqlText: string): Promise<LiteResult>;
  query(sqlText: string, params: readonly unknown[]): Promise<LiteResult>;
}

export interface LiteOptions {
  dataDir: string | null;
  /** Type oid → how its text form is read ('number' | 'string'). */
  parsers: Record<number, 'number' | 'string'>;
  postgresqlconf?: string[];
}

type Reply =
  | { type: 'ready' }
  | { type: 'failed'; error: Record<string, unknown> }
  | { type: 'notify'; channel: string; payload: string }
  | {
      type: 'result';
      id: number;
      error?: Record<string, unknown>;
      rows?: unknown[];
      affectedRows?: number;
      bytes?: Uint8Array;
    };

interface Pending {
  resolve(r: LiteResult & { bytes?: Uint8Array }): void;
  reject(err: Error): void;
}

/** The error as thrown in the worker: same message and PostgreSQL fields (code, detail …). */
function rebuild(fields: Record<string, unknown>): Error {
  const err = new Error(String(fields.message ?? 'embedded database error'));
  for (const [k, v] of Object.entries(fields))
    if (k !== 'message' && k !== 'stack') (err as unknown as Record<string, unknown>)[k] = v;
  if (typeof fields.stack === 'string')
    err.stack = `${err.stack}\n    — in the database worker:\n${fields.stack}`;
  return err;
}

export class PGliteWorker implements LiteSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, (payload: string) => void>();
  private gone: Error | null = null;
  private exited: Promise<void>;
  /** When the oldest statement still in the worker was sent (performance.now()), or null. */
  private sentAt = new Map<number, number>();

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (m: Reply) => this.receive(m));
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => this.fail(new Error(`the embedded database worker stopped (exit ${code})`)));
    // Idle, the worker must not keep the process alive (an in-process PGlite did not either).
    worker.unref();
  }

  static async open(options: LiteOptions): Promise<PGliteWorker> {
    const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
      workerData: options,
    });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: Reply) => {
        if (m.type === 'ready') done(null);
        else if (m.type === 'failed') done(rebuild(m.error));
      };
      const onError = (err: Error) => done(err);
      const onExit = (code: number) => done(new Error(`the embedded database worker stopped (exit ${code})`));
      const done = (err: Error | null) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (err) {
          void worker.terminate();
          reject(err);
        } else resolve();
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    return new PGliteWorker(worker);
  }

  /** Since when (performance.now()) a statement has been running in the worker; null when idle. */
  busySince(): number | null {
    let oldest: number | null = null;
    for (const t of this.sentAt.values()) if (oldest === null || t < oldest) oldest = t;
    return oldest;
  }

  exec(sqlText: string): Promise<LiteResult> {
    return this.send({ op: 'exec', sql: sqlText });
  }

  query(sqlText: string, params: readonly unknown[]): Promise<LiteResult> {
    return this.send({ op: 'query', sql: sqlText, params });
  }

  async listen(channel: string, callback: (payload: string) => void): Promise<void> {
    this.listeners.set(channel, callback);
    await this.send({ op: 'listen', channel });
  }

  /** The whole data directory as a tar (PGlite's dumpDataDir), e.g. for a template. */
  async dump(): Promise<Uint8Array> {
    const r = await this.send({ op: 'dump' });
    return r.bytes ?? new Uint8Array();
  }

  /** Closes the database (PGlite writes its files) and waits for the thread to end. */
  async close(): Promise<void> {
    if (this.gone) return;
    try {
      await this.send({ op: 'close' });
    } finally {
      // The worker ends by itself after closing; a stuck one is stopped.
      const timer = setTimeout(() => void this.worker.terminate(), 5_000);
      await this.exited;
      clearTimeout(timer);
    }
  }

  private send(msg: Record<string, unknown>): Promise<LiteResult & { bytes?: Uint8Array }> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.sentAt.set(id, performance.now());
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ ...msg, id });
    });
  }

  private receive(m: Reply) {
    if (m.type === 'notify') {
      this.listeners.get(m.channel)?.(m.payload);
      return;
    }
    if (m.type !== 'result') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.settle(m.id);
    if (m.error) p.reject(rebuild(m.error));
    else
      p.resolve({
        rows: m.rows ?? [],
        affectedRows: m.affectedRows ?? 0,
        ...(m.bytes ? { bytes: m.bytes } : {}),
      });
  }

  private settle(id: number) {
    this.pending.delete(id);
    this.sentAt.delete(id);
    if (this.pending.size === 0) this.worker.unref();
  }

  private fail(err: Error) {
    if (this.gone) return;
    this.gone = err;
    for (const [id, p] of this.pending) {
      this.settle(id);
      p.reject(err);
    }
  }
}
