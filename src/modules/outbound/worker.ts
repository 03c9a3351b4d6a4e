/**
 * The webhook worker: sends the outbox (webhook_deliveries, filled by the database in the
 * transaction that appends a case event) off the request path. A row is claimed with a lease
 * (short statements only: on the embedded store the database runs on the server's thread, and
 * no transaction may stay open while a receiver answers); a process that dies leaves a lease that
 * runs out, so the row is sent again: delivery is at least once, and receivers dedupe on the
 * delivery id. A case's next event waits until the one before it is delivered or dead-lettered,
 * so each subscriber sees a case's events in order. Failures are retried with exponential
 * backoff; after the subscription's max_attempts the row is dead and shows in the console.
 * A notice rule's rows (rule_id instead of subscription_id) go the same way, as a text to the
 * rule's group robot or SMS recipients (notify.ts), each attempt also kept in notify_log.
 */
import { createHmac } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { URGENCY_LABELS, type Urgency } from '../../domain/catalog/limits.js';
import { ACTION_LABELS, type CaseAction, type CaseState, STATE_LABELS } from '../../domain/workflow/index.js';
import type { Database } from '../../platform/db/schema.js';
import { localCaseChanges } from '../live/notify.js';
import { deliver } from './notify.js';
import type { NotifyKind } from './tables.js';

export interface WorkerOptions {
  /** Idle polling (new events in this process wake the worker at once). */
  pollMs?: number;
  /** First retry delay; each further one doubles, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long one receiver may take to answer. */
  timeoutMs?: number;
  /** A claimed row is free again after this long (the claiming process died). */
  leaseMs?: number;
  batch?: number;
  /** Where notice rules' SMS go (null: logged only). */
  smsGatewayUrl?: string | null;
  onError?: (err: unknown) => void;
}

export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function backoffMs(attempts: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.max(0, attempts - 1));
}

interface Claimed {
  id: string;
  attempts: number;
  /** A webhook's (null for a notice rule's row). */
  url: string | null;
  secret: string | null;
  /** A notice rule's (null for a webhook's row). */
  rule_id: number | null;
  channel_id: number | null;
  channel_kind: NotifyKind | null;
  channel_url: string | null;
  channel_secret: string | null;
  channel_phones: string[] | null;
  recipients: string[] | null;
  max_attempts: number;
  event_id: string;
  case_id: number;
  seq: number;
  action: string;
  from_state: string | null;
  to_state: string;
  at: Date;
  number: string;
  kind: string;
  district_code: string;
  category_code: string;
  category_name: string;
  urgency: string;
  address: string;
  reason: string | null;
}

/** Claims due rows: the first undelivered event of each (subscription, case), oldest first. */
async function claim(db: Kysely<Database>, batch: number, leaseMs: number): Promise<Claimed[]> {
  const rows = await sql<Claimed>`
    WITH due AS (
      SELECT d.id FROM webhook_deliveries d
      WHERE d.state = 'pending' AND d.next_attempt_at <= now()
        AND (d.locked_until IS NULL OR d.locked_until < now())
        AND NOT EXISTS (
          SELECT 1 FROM webhook_deliveries e
          WHERE (e.subscription_id = d.subscription_id OR e.rule_id = d.rule_id) AND e.case_id = d.case_id
            AND e.state = 'pending' AND e.id < d.id)
      ORDER BY d.id
      LIMIT ${batch}
      FOR UPDATE SKIP LOCKED),
    claimed AS (
      UPDATE webhook_deliveries w
      SET locked_until = now() + ${`${leaseMs} milliseconds`}::interval, attempts = w.attempts + 1
      FROM due WHERE w.id = due.id
      RETURNING w.id, w.attempts, w.subscription_id, w.rule_id, w.event_id)
    SELECT c.id::text AS id, c.attempts, s.url, s.secret, c.rule_id,
           n.id AS channel_id, n.kind AS channel_kind, n.url AS channel_url, n.secret AS channel_secret,
           n.phones AS channel_phones, r.recipients,
           coalesce(s.max_attempts, r.max_attempts) AS max_attempts, c.event_id::text AS event_id,
           e.case_id, e.seq, e.action, e.from_state, e.to_state, e.at, e.reason,
           k.number, k.kind, k.district_code, k.urgency, k.address,
           g.code AS category_code, g.name AS category_name
    FROM claimed c
    LEFT JOIN webhook_subscriptions s ON s.id = c.subscription_id
    LEFT JOIN notify_rules r ON r.id = c.rule_id
    LEFT JOIN notify_channels n ON n.id = r.channel_id
    JOIN case_events e ON e.id = c.event_id
    JOIN cases k ON k.id = e.case_id
    JOIN categories g ON g.id = k.category_id
    ORDER BY c.id`.execute(db);
  return rows.rows;
}

/** What a subscriber receives: the event, the case's public identity, never a person's data. */
export function payloadOf(r: Claimed) {
  return {
    deliveryId: r.id,
    eventId: r.event_id,
    event: r.action,
    at: new Date(r.at).toISOString(),
    case: {
      number: r.number,
      seq: r.seq,
      kind: r.kind,
      state: r.to_state,
      previousState: r.from_state,
      districtCode: r.district_code,
      category: { code: r.category_code, name: r.category_name },
    },
  };
}

/** A notice's text: what happened to which case, where; no person's name or phone. */
export function noticeText(r: {
  action: string;
  to_state: string;
  number: string;
  category_name: string;
  urgency: string;
  address: string;
  reason: string | null;
}): string {
  const action = ACTION_LABELS[r.action as CaseAction]?.zh ?? r.action;
  const state = STATE_LABELS[r.to_state as CaseState]?.zh ?? r.to_state;
  const urgency = URGENCY_LABELS[r.urgency as Urgency] ?? r.urgency;
  return [
    `【CityLoop】${action}：案卷 ${r.number}`,
    `${r.category_name} · ${urgency} · ${r.address}`,
    `当前状态：${state}`,
    ...(r.reason ? [`说明：${r.reason.slice(0, 200)}`] : []),
  ].join('\n');
}

type Sent = { ok: boolean; status: number | null; error: string | null };

/** A notice rule's row: a text to its robot or SMS recipients, kept in notify_log as well. */
async function sendNotice(db: Kysely<Database>, r: Claimed, smsGatewayUrl: string | null): Promise<Sent> {
  const text = noticeText(r);
  const channel = {
    id: r.channel_id as number,
    kind: r.channel_kind as NotifyKind,
    url: r.channel_url,
    secret: r.channel_secret,
    phones: r.channel_phones ?? [],
  };
  const out = await deliver(channel, text, smsGatewayUrl, r.recipients ?? []);
  await db
    .insertInto('notify_log')
    .values({
      channel_id: channel.id,
      kind: channel.kind,
      subject: `event:${r.action}:${r.number}`,
      body: text,
      outcome: out.outcome,
      error: out.error,
    })
    .execute();
  return { ok: out.outcome !== 'failed', status: null, error: out.error };
}

async function send(
  r: Claimed,
  timeoutMs: number,
): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  const body = JSON.stringify(payloadOf(r));
  const timestamp = String(Math.floor(Date.now() / 1000));
  try {
    const res = await fetch(r.url as string, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'CityLoop-Webhook/1',
        'x-cityloop-event': r.action,
        'x-cityloop-delivery': r.id,
        'x-cityloop-timestamp': timestamp,
        'x-cityloop-signature': signature(r.secret as string, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok
      ? { ok: true, status: res.status, error: null }
      : { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { ok: false, status: null, error: (cause ?? (err as Error).message ?? 'error').slice(0, 500) };
  }
}

async function settle(
  db: Kysely<Database>,
  r: Claimed,
  outcome: Awaited<ReturnType<typeof send>>,
  o: Required<WorkerOptions>,
) {
  if (outcome.ok) {
    await db
      .updateTable('webhook_deliveries')
      .set({
        state: 'delivered',
        delivered_at: new Date(),
        locked_until: null,
        last_status: outcome.status,
        last_error: null,
      })
      .where('id', '=', r.id)
      .execute();
    return;
  }
  const dead = r.attempts >= r.max_attempts;
  await db
    .updateTable('webhook_deliveries')
    .set({
      state: dead ? 'dead' : 'pending',
      locked_until: null,
      last_status: outcome.status,
      last_error: outcome.error,
      next_attempt_at: new Date(Date.now() + backoffMs(r.attempts, o.baseDelayMs, o.maxDelayMs)),
    })
    .where('id', '=', r.id)
    .execute();
}

/** One pass: claims a batch, sends each case's row (in parallel across cases), records outcomes. */
export async function deliverOnce(db: Kysely<Database>, options: WorkerOptions = {}): Promise<number> {
  const o = withDefaults(options);
  const claimed = await claim(db, o.batch, o.leaseMs);
  await Promise.all(
    claimed.map(async (r) =>
      settle(
        db,
        r,
        r.rule_id === null ? await send(r, o.timeoutMs) : await sendNotice(db, r, o.smsGatewayUrl),
        o,
      ),
    ),
  );
  return claimed.length;
}

function withDefaults(options: WorkerOptions): Required<WorkerOptions> {
  return {
    pollMs: 5000,
    baseDelayMs: 2000,
    maxDelayMs: 3_600_000,
    timeoutMs: 10_000,
    leaseMs: 60_000,
    batch: 20,
    smsGatewayUrl: null,
    onError: () => {},
    ...options,
  };
}

export interface Worker {
  start(): void;
  stop(): Promise<void>;
  /** Runs a pass now (a new event was committed). */
  wake(): void;
}

export function webhookWorker(db: Kysely<Database>, options: WorkerOptions = {}): Worker {
  const o = withDefaults(options);
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = true;
  let again = false;
  // Whether any subscription is active, as of the last pass: a case change wakes the worker only
  // then, so a city without webhooks pays no statement for its case events.
  let subscribed = false;
  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(pass, ms);
  };
  function pass() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      let busy = false;
      try {
        busy = (await deliverOnce(db, o)) > 0;
        subscribed = Boolean(
          (await db
            .selectFrom('webhook_subscriptions')
            .select('id')
            .where('active', '=', true)
            .limit(1)
            .executeTakeFirst()) ??
            (await db
              .selectFrom('notify_rules')
              .select('id')
              .where('active', '=', true)
              .limit(1)
              .executeTakeFirst()),
        );
      } catch (err) {
        o.onError(err);
      }
      running = null;
      // A full batch, or news meanwhile: go on at once; otherwise idle until the next poll.
      const soon = busy || again;
      again = false;
      schedule(soon ? 0 : o.pollMs);
    })();
  }
  const onChange = () => {
    if (subscribed) schedule(50);
  };
  return {
    start() {
      if (!stopped) return;
      stopped = false;
      localCaseChanges.on('change', onChange);
      schedule(0);
    },
    async stop() {
      stopped = true;
      localCaseChanges.off('change', onChange);
      if (timer) clearTimeout(timer);
      await running;
    },
    wake: () => schedule(0),
  };
}
