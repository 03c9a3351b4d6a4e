/**
 * Announcements of committed changes to other server processes (LISTEN/NOTIFY), sent after the
 * writing transaction has committed, from a connection of their own, many in one statement.
 *
 * Why not NOTIFY inside the writing transaction (a trigger, as migration 0025 did): PostgreSQL
 * serialises the commits of all transactions that notified (the notification queue's lock is
 * taken before the commit record and held until the commit is flushed), so every report waited
 * for the previous report's WAL flush and group commit never happened: pgbench on this machine,
 * 32 clients, two inserts per transaction: 2,000 commits/s, 300–500 with a pg_notify.
 * Announcements only help live views to refresh sooner (they also refresh on their own every
 * 30 s and after a reconnect), so one lost in a crash between the commit and the announcement
 * costs nothing but that delay. The announcing connection commits asynchronously
 * (synchronous_commit off: its transactions write nothing that must survive a crash), so it
 * never waits for a flush while holding the queue's lock.
 */
import type { Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import pg from 'pg';

export interface Announcer {
  /** Queues `payload` on `channel`; sent with whatever else is queued once the statement before it ends. */
  announce(channel: string, payload: string): void;
  /** Settles once everything queued so far has been sent (or failed). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** At most this many announcements per statement (pg_notify payloads are small). */
const BATCH = 500;

/**
 * One connection, one statement in flight: announcements queued while it runs go together in the
 * next (a busy server sends far fewer statements than it commits reports).
 */
export function postgresAnnouncer(
  url: string,
  onError: (err: unknown) => void,
  counter?: { count: number },
): Announcer {
  const pool = new pg.Pool({ connectionString: url, max: 1, options: '-c synchronous_commit=off' });
  pool.on('error', () => {});
  let queue: Array<[string, string]> = [];
  let running: Promise<void> | null = null;
  let closed = false;

  const drain = async () => {
    while (queue.length > 0 && !closed) {
      const batch = queue.slice(0, BATCH);
      queue = queue.slice(BATCH);
      if (counter) counter.count++;
      try {
        await pool.query({
          name: 'cityloop_announce',
          text: 'SELECT pg_notify(c, p) FROM unnest($1::text[], $2::text[]) AS x(c, p)',
          values: [batch.map((b) => b[0]), batch.map((b) => b[1])],
        });
      } catch (err) {
        onError(err);
      }
    }
    running = null;
  };

  return {
    announce(channel, payload) {
      if (closed) return;
      queue.push([channel, payload]);
      running ??= drain();
    },
    async idle() {
      while (running) await running;
    },
    async close() {
      await this.idle();
      closed = true;
      await pool.end();
    },
  };
}

/** Carries the store's announcer on every handle derived from the store's (transactions, units of work). */
export class AnnouncerCarrier implements KyselyPlugin {
  constructor(readonly announcer: Announcer) {}
  transformQuery(args: PluginTransformQueryArgs) {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }
}

/** The announcer of the store a handle belongs to; null on the embedded store (one process, no LISTEN). */
export function announcerOf<DB>(db: Kysely<DB>): Announcer | null {
  for (const p of db.getExecutor().plugins) {
    if (p instanceof AnnouncerCarrier) return p.announcer;
  }
  return null;
}
