/**
 * Open live streams of one app and the change source feeding them. Each stream keeps its
 * actor's scope: on a change it re-reads the changed cases through the same visibility rule as
 * the case lists (a case event only for cases the actor may see) and recomputes its counts, at
 * most once per throttle interval; a periodic refresh catches what no event announces (the
 * sweeper turning lights yellow) and ends the stream once the session is gone.
 */
import type { ServerResponse } from 'node:http';
import type { Actor } from '../../platform/auth/actor.js';
import type { Store } from '../../platform/db/store.js';
import { actorFromSession } from '../auth/service.js';
import { caseQuery, visibleTo } from '../cases/repo.js';
import { type LiveCounts, liveCounts } from './counts.js';
import { type ChangeSource, listenSource, localSource } from './listener.js';
import type { CaseChange } from './notify.js';

export interface LiveTiming {
  throttleMs: number;
  heartbeatMs: number;
  refreshMs: number;
}

export const DEFAULT_TIMING: LiveTiming = { throttleMs: 1000, heartbeatMs: 20_000, refreshMs: 30_000 };

/** A client that does not read its stream is dropped before it holds this much in memory. */
const MAX_BUFFERED_BYTES = 1 << 20;

export class LiveHub {
  private readonly streams = new Set<LiveStream>();
  private source: ChangeSource | null = null;

  constructor(
    readonly store: Store,
    private readonly databaseUrl: string | undefined,
    readonly timing: LiveTiming,
    private readonly log: (err: unknown) => void,
  ) {}

  /** Started with the first stream: an app that never serves one opens no LISTEN connection. */
  private ensureSource(): ChangeSource {
    if (!this.source) {
      const onChange = (change: CaseChange | null) => {
        for (const s of this.streams) s.changed(change);
      };
      this.source =
        this.store.kind === 'postgres' && this.databaseUrl
          ? listenSource(this.databaseUrl, onChange, this.log)
          : localSource(onChange);
    }
    return this.source;
  }

  async open(actor: Actor, sessionToken: string | null, raw: ServerResponse, requestId: string) {
    const source = this.ensureSource();
    const stream = new LiveStream(this, actor, sessionToken, raw, this.log);
    this.streams.add(stream);
    raw.on('close', () => this.remove(stream));
    stream.begin(requestId);
    // Counts are read once changes are heard, so nothing committed in between goes unseen.
    await source.ready;
    await stream.flush(true);
  }

  remove(stream: LiveStream) {
    if (this.streams.delete(stream)) stream.stop();
  }

  get size() {
    return this.streams.size;
  }

  /** Ends every open stream (server shutdown must not wait for them) and the change source. */
  async close() {
    for (const s of [...this.streams]) {
      this.remove(s);
      s.end();
    }
    const source = this.source;
    this.source = null;
    await source?.close();
  }
}

class LiveStream {
  private pending = new Map<number, string>();
  private timer: NodeJS.Timeout | null = null;
  private intervals: NodeJS.Timeout[] = [];
  private running: Promise<void> | null = null;
  private lastFlush = 0;
  private lastCounts = '';
  private stopped = false;

  constructor(
    private readonly hub: LiveHub,
    private actor: Actor,
    private readonly sessionToken: string | null,
    private readonly raw: ServerResponse,
    private readonly log: (err: unknown) => void,
  ) {}

  begin(requestId: string) {
    this.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      // The stream is the connection's whole life; once it ends the socket goes too, so a
      // shutdown does not wait out a keep-alive timeout.
      connection: 'close',
      'x-request-id': requestId,
    });
    // EventSource reconnects after this many ms when the connection drops.
    this.write('retry: 5000\n\n');
    const { heartbeatMs, refreshMs } = this.hub.timing;
    this.intervals.push(
      setInterval(() => this.write(': heartbeat\n\n'), heartbeatMs),
      setInterval(() => void this.refresh(), refreshMs),
    );
    for (const i of this.intervals) i.unref();
  }

  changed(change: CaseChange | null) {
    if (this.stopped) return;
    if (change) this.pending.set(change.id, change.action);
    this.schedule();
  }

  private schedule() {
    if (this.timer || this.stopped) return;
    const wait = Math.max(0, this.lastFlush + this.hub.timing.throttleMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush(false);
    }, wait);
    this.timer.unref();
  }

  /** Sends case events for pending changes the actor may see, then the counts if they moved. */
  async flush(force: boolean): Promise<void> {
    if (this.running) {
      // One flush at a time; whatever arrived meanwhile goes out in the next one.
      await this.running;
      if (this.pending.size > 0) this.schedule();
      if (!force) return;
    }
    this.running = this.send(force).finally(() => {
      this.running = null;
    });
    await this.running;
  }

  private async send(force: boolean) {
    if (this.stopped) return;
    this.lastFlush = Date.now();
    const changes = this.pending;
    this.pending = new Map();
    const db = this.hub.store.db;
    try {
      if (changes.size > 0) {
        const rows = await caseQuery(db)
          .where('c.id', 'in', [...changes.keys()])
          .where(visibleTo(this.actor))
          .orderBy('c.id')
          .execute();
        for (const r of rows) {
          this.event('case', {
            id: r.id,
            number: r.number,
            status: r.state,
            light: r.light,
            action: changes.get(r.id) ?? null,
          });
          // A sensor alarm (a new 物联感知 case or one attached to it): the command map lights the
          // spot and the shift leader's console alerts.
          const action = changes.get(r.id);
          if (action === 'sensor_event' || (action === 'report' && r.source === 'iot')) {
            this.event('alarm', {
              caseId: r.id,
              number: r.number,
              componentCode: r.component_code,
              lng: r.lng,
              lat: r.lat,
              description: r.description,
              opened: action === 'report',
            });
          }
        }
      }
      const counts: LiveCounts = await liveCounts({
        db,
        actor: this.actor,
        meta: { ip: null, requestId: null, userAgent: null },
      });
      // "since" moves only at midnight; a count change is what the client needs to hear.
      const key = JSON.stringify(counts);
      if (force || key !== this.lastCounts) {
        this.lastCounts = key;
        this.event('counts', counts);
      }
    } catch (err) {
      this.log(err);
    }
  }

  private async refresh() {
    if (this.stopped) return;
    if (this.sessionToken) {
      try {
        this.actor = await actorFromSession(this.hub.store.db, this.sessionToken);
      } catch {
        // Logged out, expired or disabled: tell the client and stop.
        this.event('end', { reason: 'session' });
        this.hub.remove(this);
        this.end();
        return;
      }
    }
    await this.flush(false);
  }

  private event(name: string, data: unknown) {
    this.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private write(chunk: string) {
    if (this.stopped || this.raw.writableEnded || this.raw.destroyed) return;
    if (this.raw.writableLength > MAX_BUFFERED_BYTES) {
      this.hub.remove(this);
      this.raw.destroy();
      return;
    }
    this.raw.write(chunk);
  }

  stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const i of this.intervals) clearInterval(i);
    this.intervals = [];
  }

  end() {
    if (!this.raw.writableEnded) this.raw.end();
  }
}
