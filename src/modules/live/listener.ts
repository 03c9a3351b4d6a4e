/**
 * Where case changes come from: a dedicated PostgreSQL connection that LISTENs (every server
 * process sees every committed change), or the in-process emitter on the embedded store. The
 * LISTEN connection reconnects with backoff when it drops; `null` after a (re)connect means
 * "changes may have been missed: refresh everything".
 */
import pg from 'pg';
import { CASE_CHANNEL, type CaseChange, localCaseChanges, parseChange } from './notify.js';

export type ChangeHandler = (change: CaseChange | null) => void;

export interface ChangeSource {
  kind: 'listen' | 'local';
  /** Settles once changes are being received (or the first attempt failed: retries go on). */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function localSource(onChange: ChangeHandler): ChangeSource {
  const handler = (c: CaseChange) => onChange(c);
  localCaseChanges.on('change', handler);
  return {
    kind: 'local',
    ready: Promise.resolve(),
    async close() {
      localCaseChanges.off('change', handler);
    },
  };
}

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

export function listenSource(
  url: string,
  onChange: ChangeHandler,
  log: (err: unknown) => void,
): ChangeSource {
  let client: pg.Client | null = null;
  let closed = false;
  let backoff = MIN_BACKOFF_MS;
  let timer: NodeJS.Timeout | null = null;
  let connected = false;
  let settle!: () => void;
  const ready = new Promise<void>((r) => {
    settle = r;
  });

  const retry = () => {
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
      if (msg.channel !== CASE_CHANNEL) return;
      const change = parseChange(msg.payload);
      if (change) onChange(change);
    });
    // A dropped connection emits 'error' and/or 'end'; either way: reconnect.
    c.on('error', (err) => {
      log(err);
      c.end().catch(() => {});
      if (client === c) retry();
    });
    c.on('end', () => {
      if (client === c) retry();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CASE_CHANNEL}`);
      if (closed) {
        await c.end();
        return;
      }
      backoff = MIN_BACKOFF_MS;
      // After a reconnect notifications sent meanwhile are lost: everyone refreshes.
      if (connected) onChange(null);
      connected = true;
      settle();
    } catch (err) {
      settle();
      log(err);
      c.end().catch(() => {});
      if (client === c) retry();
    }
  };
  void connect();
  return {
    kind: 'listen',
    ready,
    async close() {
      closed = true;
      settle();
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
