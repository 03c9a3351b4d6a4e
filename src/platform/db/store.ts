import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Kysely, type LogEvent, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type Announcer, AnnouncerCarrier, postgresAnnouncer } from './announcer.js';
import { lockDataDir } from './data-dir-lock.js';
import {
  listenForReferenceChanges,
  REFERENCE_CHANNEL,
  ReferenceCache,
  ReferenceCacheCarrier,
  sniffWrite,
} from './reference-cache.js';
import type { Database } from './schema.js';

export type StoreKind = 'postgres' | 'pglite';

/** The one database handle the app uses: Kysely over real PostgreSQL or embedded PGlite. */
export interface Store {
  kind: StoreKind;
  db: Kysely<Database>;
  /**
   * Connections of their own for the few writes that must commit at once even inside a request's
   * unit of work (shared counters: holding their row lock until the request commits would
   * serialise every report of a district). Null on the embedded store: it has one connection.
   */
  autonomous: Kysely<Database> | null;
  /**
   * Statements sent to the database so far (BEGIN and COMMIT included, failed ones too), over
   * both handles: benches and tests read the difference around a request to count its round trips.
   */
  queries: QueryCounter;
  /** Reference data held in memory, dropped as it changes (./reference-cache.ts). */
  reference: ReferenceCache;
  /** Announces committed changes to other processes (./announcer.ts); null on the embedded store. */
  announcer: Announcer | null;
  /**
   * Embedded store only: since when (performance.now()) its one connection has been held, null
   * while free. The health check answers "busy" instead of queueing behind a long statement.
   */
  heldSince?: () => number | null;
  close(): Promise<void>;
}

export interface QueryCounter {
  count: number;
}

/**
 * Kysely's log hook sees every statement on every connection of a handle: it counts them, and
 * a write to a reference table drops what the cache derived from it as it is sent.
 */
function statementHook(counter: QueryCounter, cache: ReferenceCache) {
  return (event: LogEvent) => {
    counter.count++;
    sniffWrite(cache, event.query.sql);
  };
}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/** Same JS types on both stores: counts as numbers, calendar dates as 'YYYY-MM-DD' strings. */
const textParsers: Record<number, (v: string) => unknown> = {
  [INT8]: (v) => Number(v),
  [NUMERIC]: (v) => Number(v),
  [DATE]: (v) => v,
};

function postgresPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        textParsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  pool.on('connect', (client) => preparing(client));
  return pool;
}

/** Marks a statement worth preparing once per connection (see {@link preparing}). */
export const PREPARE = '/* prepare */ ';

/**
 * Statements whose text starts with PREPARE run as named prepared statements: each connection
 * parses and plans such a text once and later only binds and executes it (the report's one
 * statement is large: planning it every time costs the server more than running it). The name
 * is a hash of the text, so one name always means one text.
 */
function preparing(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const named = new Map<string, string>();
  (client as { query: unknown }).query = (text: unknown, ...rest: unknown[]) => {
    if (typeof text === 'string' && text.startsWith(PREPARE) && Array.isArray(rest[0])) {
      let name = named.get(text);
      if (!name) {
        name = `cl_${createHash('sha1').update(text).digest('hex')}`;
        named.set(text, name);
      }
      return query({ name, text, values: rest[0] }, ...rest.slice(1));
    }
    return query(text, ...rest);
  };
}

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Store> {
  const queries: QueryCounter = { count: 0 };
  // Its listener connects on the cache's first use: a command that never reads reference data
  // opens no LISTEN connection.
  const listener = listenForReferenceChanges(url, () => {});
  const reference = new ReferenceCache((cache) => listener.start(cache));
  const announcer = postgresAnnouncer(url, () => {}, queries);
  const plugins = [new ReferenceCacheCarrier(reference), new AnnouncerCarrier(announcer)];
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: postgresPool(url, options.max ?? 10) }),
    log: statementHook(queries, reference),
    plugins,
  });
  // A pool apart from the main one: a unit of work holding a main connection never waits for
  // another main connection (which other units could all be holding).
  const autonomous = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: postgresPool(url, 2) }),
    log: statementHook(queries, reference),
    plugins,
  });
  return {
    kind: 'postgres',
    db,
    autonomous,
    queries,
    reference,
    announcer,
    close: async () => {
      await announcer.close();
      await Promise.all([db.destroy(), autonomous.destroy(), listener.close()]);
    },
  };
}

/** Text parsers of the embedded store, by name: the worker thread holds the functions. */
const liteParsers: Record<number, 'number' | 'string'> = {
  [INT8]: 'number',
  [NUMERIC]: 'number',
  [DATE]: 'string',
};

/** PGlite on this thread, behind the worker's interface (the comparison in openPglite). */
async function openInProcess(dataDir: string | null) {
  const [{ PGlite }, { postgis }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-postgis'),
  ]);
  const lite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    extensions: { postgis },
    parsers: Object.fromEntries(Object.entries(textParsers).map(([k, f]) => [k, (v: string) => f(v)])),
  });
  return {
    async exec(sqlText: string) {
      const last = (await lite.exec(sqlText)).at(-1);
      return { rows: last?.rows ?? [], affectedRows: last?.affectedRows ?? 0 };
    },
    async query(sqlText: string, params: readonly unknown[]) {
      const r = await lite.query(sqlText, params as unknown[]);
      return { rows: r.rows, affectedRows: r.affectedRows ?? r.rows.length };
    },
    async listen(channel: string, callback: (payload: string) => void) {
      await lite.listen(channel, callback);
    },
    close: () => lite.close(),
  };
}

/**
 * Embedded PostgreSQL (PGlite + PostGIS) kept in `dataDir`; created on first use. The database
 * runs in a worker thread (./pglite-worker.mjs): a long statement never freezes this thread.
 */
export async function openPglite(
  dataDir: string | null,
  options: {
    log?: (line: string) => void;
    /**
     * A closed data directory copied in when `dataDir` does not exist yet (under the lock: two
     * processes never copy into one directory), e.g. a migrated and seeded one (embedded-template.ts).
     */
    template?: string | null;
  } = {},
): Promise<Store> {
  const [{ PGliteWorker }, { PGlitePool }] = await Promise.all([
    import('./pglite-client.js'),
    import('./pglite-pool.js'),
  ]);
  if (dataDir) await fs.mkdir(path.dirname(dataDir), { recursive: true });
  // Before the files are touched: a second process must never open the directory.
  const lock = dataDir ? lockDataDir(dataDir, options.log) : null;
  let lite: Pick<Awaited<ReturnType<typeof PGliteWorker.open>>, 'exec' | 'query' | 'listen' | 'close'>;
  try {
    if (dataDir && options.template && !existsSync(dataDir)) {
      // Copied beside and renamed: a copy cut short is never taken for a data directory.
      const copying = `${dataDir}.copying-${process.pid}`;
      await fs.rm(copying, { recursive: true, force: true });
      await fs.cp(options.template, copying, { recursive: true });
      await fs.rename(copying, dataDir);
    }
    // CITYLOOP_PGLITE_THREAD=main keeps the database on this thread (as before the worker), to
    // compare the two: a statement then costs no thread hop, but a long one freezes the server.
    lite =
      process.env.CITYLOOP_PGLITE_THREAD === 'main'
        ? await openInProcess(dataDir)
        : await PGliteWorker.open({ dataDir, parsers: liteParsers });
  } catch (err) {
    lock?.release();
    throw err;
  }
  const pool = new PGlitePool(lite);
  const queries: QueryCounter = { count: 0 };
  // One process owns the embedded database: its own connection hears every change, on commit.
  const reference = new ReferenceCache(null);
  try {
    await lite.listen(REFERENCE_CHANNEL, (table: string) => reference.invalidate(table || null));
  } catch (err) {
    await lite.close().catch(() => {});
    lock?.release();
    throw err;
  }
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }),
    log: statementHook(queries, reference),
    plugins: [new ReferenceCacheCarrier(reference)],
  });
  return {
    kind: 'pglite',
    db,
    autonomous: null,
    queries,
    reference,
    announcer: null,
    heldSince: () => pool.heldSince,
    close: async () => {
      try {
        await db.destroy();
        await lite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** The embedded store's own folder inside DATA_DIR. */
export const pgliteDirOf = (dataDir: string) => path.join(dataDir, 'pgdata');

export function openStore(
  config: { databaseUrl: string | undefined; dataDir: string; dbPoolSize?: number | undefined },
  log?: (line: string) => void,
  embedded: { template?: string | null } = {},
): Promise<Store> {
  return config.databaseUrl
    ? openPostgres(config.databaseUrl, config.dbPoolSize ? { max: config.dbPoolSize } : {})
    : openPglite(pgliteDirOf(config.dataDir), {
        ...(log ? { log } : {}),
        template: embedded.template ?? null,
      });
}
