/**
 * A unit of work: one database transaction spanning everything a request writes, committed or
 * rolled back as a whole by whoever opened it (the idempotency layer, which writes the request's
 * stored answer into the same transaction).
 *
 * `unit.db` is a Kysely of its own, bound to the unit's one connection, so services need no
 * change: a `db.transaction()` they open inside the unit becomes a savepoint (its rollback undoes
 * only its part; its "commit" makes nothing durable until the unit commits). A query after the
 * unit ended fails loudly instead of writing outside it.
 */
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { Database } from './schema.js';

export interface UnitOfWork {
  db: Kysely<Database>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  readonly open: boolean;
}

/** The savepoint a service's own transaction becomes; one at a time (see UnitDriver). */
const SAVEPOINT = 'unit_of_work_step';

/**
 * Serves the unit's one connection. Plain queries go straight to it (the client queues them);
 * a service transaction (a savepoint) waits for the one before it to end, so savepoints never
 * interleave. A query a service issues through its outer handle while in its own transaction
 * simply runs inside that savepoint.
 */
class UnitDriver implements Driver {
  private steps: Promise<void> = Promise.resolve();
  private endStep: (() => void) | null = null;

  constructor(
    private readonly connection: DatabaseConnection,
    private readonly isOpen: () => boolean,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (!this.isOpen()) throw new Error('unit of work already ended: its queries can no longer run');
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    // The unit's transaction is the one that counts; a stricter level cannot be set halfway.
    if (settings.isolationLevel || settings.accessMode) {
      throw new Error('transaction settings are not available inside a unit of work');
    }
    let end!: () => void;
    const ended = new Promise<void>((r) => {
      end = r;
    });
    const previous = this.steps;
    this.steps = previous.then(() => ended);
    await previous;
    this.endStep = end;
    try {
      await connection.executeQuery(CompiledQuery.raw(`savepoint ${SAVEPOINT}`));
    } catch (err) {
      this.finishStep();
      throw err;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw(`release savepoint ${SAVEPOINT}`));
    } finally {
      this.finishStep();
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${SAVEPOINT}`));
      await connection.executeQuery(CompiledQuery.raw(`release savepoint ${SAVEPOINT}`));
    } finally {
      this.finishStep();
    }
  }

  /** Settles once no service transaction is open. */
  idle(): Promise<void> {
    return this.steps;
  }

  private finishStep() {
    const end = this.endStep;
    this.endStep = null;
    end?.();
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {}
}

const autonomousOf = new WeakMap<Kysely<Database>, Kysely<Database>>();
const units = new WeakSet<Kysely<Database>>();
const commitHooks = new WeakMap<Kysely<Database>, Array<() => void>>();

/** Runs `fn` once the unit `db` has committed (never if it rolls back). */
export function onUnitCommit(db: Kysely<Database>, fn: () => void): void {
  const hooks = commitHooks.get(db);
  if (!hooks) throw new Error('not a unit of work');
  hooks.push(fn);
}

/**
 * Whether a handle is a unit of work's: its statements already run in one transaction that
 * commits or rolls back as a whole, so a service need not open a transaction (a savepoint) of its own.
 */
export function isUnitOfWork(db: Kysely<Database>): boolean {
  return units.has(db);
}

/**
 * Where a write commits at once, also inside a unit of work: the store's autonomous connections
 * (PostgreSQL), else the handle itself (outside a unit, or on the embedded store's one connection).
 * For shared counters only: what is written there stays even if the unit rolls back.
 */
export function autonomous(db: Kysely<Database>): Kysely<Database> {
  return autonomousOf.get(db) ?? db;
}

/** Opens a transaction on a connection of `db` held until the unit commits or rolls back. */
export function openUnitOfWork(
  db: Kysely<Database>,
  autonomousDb: Kysely<Database> | null = null,
): Promise<UnitOfWork> {
  return new Promise<UnitOfWork>((resolve, reject) => {
    let end!: () => void;
    const ended = new Promise<void>((r) => {
      end = r;
    });
    let open = false;
    db.connection()
      .execute(async (pinned) => {
        const run = <R>(query: CompiledQuery) => pinned.executeQuery(query) as Promise<QueryResult<R>>;
        await run(CompiledQuery.raw('begin'));
        open = true;
        const connection: DatabaseConnection = {
          executeQuery: run,
          streamQuery: () => {
            throw new Error('streaming queries are not available inside a unit of work');
          },
        };
        const driver = new UnitDriver(connection, () => open);
        const dialect: Dialect = {
          createAdapter: () => new PostgresAdapter(),
          createDriver: () => driver,
          createIntrospector: (k) => new PostgresIntrospector(k),
          createQueryCompiler: () => new PostgresQueryCompiler(),
        };
        // The store's plugins (its reference cache) go with the unit's handle.
        const unitDb = new Kysely<Database>({ dialect, plugins: [...db.getExecutor().plugins] });
        if (autonomousDb) autonomousOf.set(unitDb, autonomousDb);
        units.add(unitDb);
        const hooks: Array<() => void> = [];
        commitHooks.set(unitDb, hooks);
        const finish = async (statement: 'commit' | 'rollback') => {
          if (!open) return;
          // A service transaction still open ends first (its queries belong to the unit).
          await driver.idle();
          open = false;
          try {
            const result = await run<{ command?: string }>(CompiledQuery.raw(statement));
            // PostgreSQL ends a transaction an earlier error aborted with ROLLBACK, not an error.
            if (statement === 'commit' && result.rows[0]?.command === 'ROLLBACK') {
              throw new Error('unit of work was aborted by an earlier error and rolled back');
            }
          } finally {
            end();
          }
          if (statement === 'commit') for (const fn of hooks.splice(0)) fn();
        };
        resolve({
          db: unitDb,
          commit: () => finish('commit'),
          rollback: () => finish('rollback'),
          get open() {
            return open;
          },
        });
        await ended;
      })
      .catch(reject);
  });
}
