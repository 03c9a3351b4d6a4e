/**
 * Reference data held in memory (catalog, standards versions, calendars, clock rules …): what
 * every report reads and almost nothing writes. Entries are derived from tables; a change to a
 * table drops what was derived from it, in this process and in every other:
 * - the database announces each committed change on REFERENCE_CHANNEL (triggers of
 *   migrations/0025_lean_intake.sql, and 0033 for sessions, users and departments, whoever
 *   writes: console, import, CLI, another server); the
 *   store LISTENs on a connection of its own (PostgreSQL) or on its one connection (PGlite);
 * - a write this process sends is seen as it is sent (the store's statement hook), so a request
 *   that follows a change made through this process never reads the old value, whatever the
 *   notification's latency.
 * While the PostgreSQL listener is not connected nothing is kept (every read loads), so a change
 * made meanwhile cannot be missed.
 *
 * Values are loaded through the caller's handle. A transaction that changes reference data must
 * not read it through the cache (it would keep its own uncommitted view): the cache serves intake
 * and the workflow, which change none.
 */
import type { Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import pg from 'pg';

export const REFERENCE_CHANNEL = 'cityloop_reference';

interface Entry {
  tables: readonly string[];
  value: Promise<unknown>;
}

export class ReferenceCache {
  private readonly entries = new Map<string, Entry>();
  /** False while announcements could be missed (listener not connected): nothing is kept. */
  private live: boolean;
  private started = false;

  constructor(
    /** Starts listening (PostgreSQL): called on first use; null when changes reach us otherwise. */
    private readonly listen: ((cache: ReferenceCache) => void) | null,
  ) {
    this.live = listen === null;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether values are kept (false until the PostgreSQL listener is connected). */
  get keeping(): boolean {
    return this.live;
  }

  /** The value under `key`, loaded once and kept until one of `tables` changes. */
  get<T>(key: string, tables: readonly string[], load: () => Promise<T>): Promise<T> {
    if (!this.started && this.listen) {
      this.started = true;
      this.listen(this);
    }
    const hit = this.entries.get(key);
    if (hit) return hit.value as Promise<T>;
    const value = load();
    if (!this.live) return value;
    const entry: Entry = { tables, value };
    this.entries.set(key, entry);
    // A failed load is not kept: the next read tries again.
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  /** Forgets one entry (its value turned out to be wrong, e.g. a sequence that is gone). */
  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Drops what was derived from `table`, or everything (null). A load in flight is dropped too. */
  invalidate(table: string | null): void {
    if (table === null) {
      this.entries.clear();
      return;
    }
    for (const [key, e] of this.entries) if (e.tables.includes(table)) this.entries.delete(key);
  }

  /** The listener's state: while not connected nothing is kept. */
  setLive(live: boolean): void {
    this.live = live;
    this.entries.clear();
  }
}

const WRITE =
  /^\s*(?:insert\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/i;

/** A statement this process sends: a write to a table drops what was derived from it at once. */
export function sniffWrite(cache: ReferenceCache, sqlText: string): void {
  if (cache.size === 0) return;
  const m = WRITE.exec(sqlText);
  if (m?.[1]) cache.invalidate(m[1].toLowerCase());
}

/** Carries the store's cache on every handle derived from the store's (transactions, units of work). */
export class ReferenceCacheCarrier implements KyselyPlugin {
  constructor(readonly cache: ReferenceCache) {}
  transformQuery(args: PluginTransformQueryArgs) {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }
}

/** The reference cache of the store a handle belongs to; null for a handle made apart from a store. */
export function referenceCacheOf<DB>(db: Kysely<DB>): ReferenceCache | null {
  for (const p of db.getExecutor().plugins) {
    if (p instanceof ReferenceCacheCarrier) return p.cache;
  }
  return null;
}

/** Reads through the cache when the handle has one, else loads every time. */
export function cachedReference<DB, T>(
  db: Kysely<DB>,
  key: string,
  tables: readonly string[],
  load: () => Promise<T>,
): Promise<T> {
  const cache = referenceCacheOf(db);
  return cache ? cache.get(key, tables, load) : load();
}

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

/**
 * A PostgreSQL connection that LISTENs for reference changes, reconnecting with backoff. The
 * cache keeps nothing until LISTEN is in place, and drops everything when the connection is lost.
 */
export function listenForReferenceChanges(url: string, onError: (err: unknown) => void) {
  let closed = false;
  let client: pg.Client | null = null;
  let backoff = MIN_BACKOFF_MS;
  let timer: NodeJS.Timeout | null = null;
  let cache: ReferenceCache | null = null;

  const retry = () => {
    cache?.setLive(false);
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, backoff);
    timer.unref();
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  const connect = async () => {
    const c = new pg.Client({ connectionString: url, keepAlive: true });
    client = c;
    c.on('notification', (msg) => {
      if (msg.channel === REFERENCE_CHANNEL) cache?.invalidate(msg.payload ?? null);
    });
    c.on('error', (err) => {
      onError(err);
      c.end().catch(() => {});
      if (client === c) retry();
    });
    c.on('end', () => {
      if (client === c) retry();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${REFERENCE_CHANNEL}`);
      if (closed) {
        await c.end();
        return;
      }
      backoff = MIN_BACKOFF_MS;
      cache?.setLive(true);
    } catch (err) {
      onError(err);
      c.end().catch(() => {});
      if (client === c) retry();
    }
  };

  return {
    start(target: ReferenceCache) {
      cache = target;
      void connect();
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
