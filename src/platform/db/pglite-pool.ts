import type { LiteSession } from './pglite-client.js';

/**
 * A minimal pg-Pool look-alike over one PGlite session (in its worker thread, ./pglite-client.ts),
 * so Kysely's own PostgresDialect drives the embedded store. PGlite has a single connection, so connect() serialises callers:
 * a transaction holds the only "connection" until it releases it.
 */
interface QueryResultLike {
  command: string;
  rowCount: number;
  rows: unknown[];
}

function commandOf(sqlText: string): string {
  const m = /^\s*(?:with\b[\s\S]*?\)\s*)?(insert|update|delete|merge|select)\b/i.exec(sqlText);
  return (m?.[1] ?? 'SELECT').toUpperCase();
}

export class PGlitePool {
  private queue: Promise<void> = Promise.resolve();
  /** performance.now() when the present holder got the connection; null while it is free. */
  heldSince: number | null = null;

  constructor(private readonly pg: LiteSession) {}

  async connect() {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const previous = this.queue;
    this.queue = previous.then(() => held);
    await previous;
    const pg = this.pg;
    const pool = this;
    pool.heldSince = performance.now();
    let released = false;
    return {
      async query(sqlText: string, params: readonly unknown[] = []): Promise<QueryResultLike> {
        // Without parameters use the simple protocol: it also runs multi-statement scripts
        // (migrations). A failed extended-protocol attempt would abort the open transaction.
        if (params.length === 0) {
          const last = await pg.exec(sqlText);
          return { command: commandOf(sqlText), rowCount: last.affectedRows, rows: last.rows };
        }
        const r = await pg.query(sqlText, params);
        return { command: commandOf(sqlText), rowCount: r.affectedRows, rows: r.rows };
      },
      release() {
        if (!released) {
          released = true;
          pool.heldSince = null;
          release();
        }
      },
    };
  }

  async end(): Promise<void> {
    await this.queue;
  }
}
