/**
 * Our calls to the 12345 hotline (签收, 退单, 延期申请, 办理结果) as an outbox: a row is written in
 * the transaction of the change it reports, so nothing is lost when the process stops or the
 * hotline is down; a sender delivers due rows in order per work order, retries with backoff and
 * sends each row's key as `Idempotency-Key`, so a call that reached the hotline but whose
 * answer was lost is not done twice there.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { OutboxKind } from './tables.js';

/** First retry after this; doubled each time up to MAX_BACKOFF_MS. */
export const BASE_BACKOFF_MS = 2_000;
export const MAX_BACKOFF_MS = 10 * 60_000;
/** A claimed row is someone's for this long: a sender that dies mid-call frees it by itself. */
const LEASE_MS = 60_000;
const CALL_TIMEOUT_MS = 10_000;

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
}

export interface OutboxMessage {
  systemId: number;
  orderId: number;
  orderNo: string;
  kind: OutboxKind;
  /** What makes the call unique at the hotline: e.g. the reply of round 1. */
  key: string;
  payload: Record<string, unknown>;
}

/** Writes the call (in the caller's transaction); a system without a base URL gets none. */
export async function enqueue(db: Kysely<Database>, m: OutboxMessage): Promise<void> {
  const system = await db
    .selectFrom('hotline_systems')
    .select(['code', 'base_url'])
    .where('id', '=', m.systemId)
    .executeTakeFirstOrThrow();
  if (!system.base_url) return;
  await db
    .insertInto('hotline_outbox')
    .values({
      system_id: m.systemId,
      order_id: m.orderId,
      kind: m.kind,
      payload: JSON.stringify({ orderNo: m.orderNo, ...m.payload }),
      idempotency_key: `${system.code}:${m.orderNo}:${m.key}`,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}

interface Claimed {
  id: string;
  kind: OutboxKind;
  payload: Record<string, unknown>;
  idempotency_key: string;
  attempts: number;
  base_url: string;
  outbound_token: string | null;
  order_no: string;
}

/**
 * Claims due rows (the oldest unsent one of each order only: calls arrive in order) by leasing
 * them, so several processes never send the same row at once.
 */
async function claimDue(db: Kysely<Database>, now: Date, limit: number): Promise<Claimed[]> {
  const lease = new Date(now.getTime() + LEASE_MS);
  const rows = await sql<Claimed>`
    WITH due AS (
      SELECT o.id FROM hotline_outbox o
      WHERE o.sent_at IS NULL AND o.next_attempt_at <= ${now}
        AND NOT EXISTS (SELECT 1 FROM hotline_outbox e
                        WHERE e.order_id = o.order_id AND e.sent_at IS NULL AND e.id < o.id)
      ORDER BY o.id LIMIT ${limit}
      FOR UPDATE OF o SKIP LOCKED
    )
    UPDATE hotline_outbox x SET attempts = x.attempts + 1, next_attempt_at = ${lease}
    FROM due, hotline_systems s, hotline_orders r
    WHERE x.id = due.id AND s.id = x.system_id AND r.id = x.order_id
    RETURNING x.id, x.kind, x.payload, x.idempotency_key, x.attempts, s.base_url, s.outbound_token,
              r.order_no`.execute(db);
  return rows.rows;
}

export type Fetch = typeof fetch;

/** One call; the hotline's 2xx is delivery, anything else (or no answer) a retry later. */
async function send(
  row: Claimed,
  fetchImpl: Fetch,
): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  const url = `${row.base_url.replace(/\/+$/, '')}/orders/${encodeURIComponent(row.order_no)}/${row.kind}`;
  try {
    const res = await fetchImpl(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': row.idempotency_key,
        ...(row.outbound_token ? { authorization: `Bearer ${row.outbound_token}` } : {}),
      },
      body: JSON.stringify(row.payload),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    const body = res.ok ? '' : (await res.text()).slice(0, 500);
    return { ok: res.ok, status: res.status, error: res.ok ? null : `HTTP ${res.status} ${body}` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { ok: false, status: null, error: `${(err as Error).name}: ${cause ?? (err as Error).message}` };
  }
}

export interface DeliveryRun {
  sent: number;
  failed: number;
}

/** Delivers what is due at `now` (a test moves `now` instead of waiting for the backoff). */
export async function deliverDue(
  db: Kysely<Database>,
  options: { now?: Date; limit?: number; fetch?: Fetch } = {},
): Promise<DeliveryRun> {
  const run: DeliveryRun = { sent: 0, failed: 0 };
  const fetchImpl = options.fetch ?? fetch;
  // Rounds until nothing is due: a delivered call may free the next one of its order.
  for (;;) {
    const now = options.now ?? new Date();
    const rows = await claimDue(db, now, options.limit ?? 50);
    if (rows.length === 0) return run;
    for (const row of rows) {
      const outcome = await send(row, fetchImpl);
      const done = new Date();
      if (outcome.ok) run.sent++;
      else run.failed++;
      await db
        .updateTable('hotline_outbox')
        .set(
          outcome.ok
            ? { sent_at: done, last_status: outcome.status, last_error: null }
            : {
                last_status: outcome.status,
                last_error: outcome.error,
                next_attempt_at: new Date(now.getTime() + backoffMs(row.attempts)),
              },
        )
        .where('id', '=', row.id)
        .execute();
    }
    if (run.failed > 0) return run;
  }
}

/**
 * When the next call may go (null: nothing waits): the first unsent call of each order only, as
 * a later one waits for it whatever its own time says.
 */
export async function nextDue(db: Kysely<Database>): Promise<Date | null> {
  const row = await sql<{ at: Date | null }>`
    SELECT min(o.next_attempt_at) AS at FROM hotline_outbox o
    WHERE o.sent_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM hotline_outbox e
                      WHERE e.order_id = o.order_id AND e.sent_at IS NULL AND e.id < o.id)`.execute(db);
  const at = row.rows[0]?.at;
  return at ? new Date(at) : null;
}

/**
 * The sender of one process: runs at start (calls left by a previous run), when a call is
 * written, and at the next retry; idle while the outbox is empty.
 */
export class OutboxSender {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly onError: (err: unknown) => void,
  ) {}

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.cycle().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async cycle(): Promise<void> {
    try {
      await deliverDue(this.db);
      const next = await nextDue(this.db);
      if (next && !this.stopped) {
        const wait = Math.min(MAX_BACKOFF_MS, Math.max(50, next.getTime() - Date.now()));
        this.timer = setTimeout(() => this.wake(), wait);
        this.timer.unref();
      }
    } catch (err) {
      this.onError(err);
      if (!this.stopped) {
        this.timer = setTimeout(() => this.wake(), BASE_BACKOFF_MS);
        this.timer.unref();
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
