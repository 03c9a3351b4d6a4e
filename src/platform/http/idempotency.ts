/**
 * Idempotent POSTs (the field apps' offline outbox, citizen reports, any API client): a POST
 * under /api/v1 carrying an `Idempotency-Key` runs at most once per (user or anonymous device,
 * key). Its answer (status + body) is stored and replayed with `Idempotent-Replayed: true`; the
 * same key with another request is refused (422).
 *
 * Exactly once, also across a crash: the key row is written in the same transaction as
 * everything the request changes. The handler runs inside a unit of work
 * (platform/db/unit-of-work.ts) that begins by inserting the key row and ends, once the answer
 * is known, by writing the answer into that row and committing — before the answer leaves. So:
 * - a process killed before the commit leaves nothing (the claim was never durable): the retry
 *   runs at once, as the first attempt;
 * - a process killed after the commit leaves the case and its answer together: the retry gets
 *   the stored answer;
 * - a concurrent duplicate waits on the uncommitted key row and then replays the winner's
 *   answer (or runs, if the winner rolled back); only after LOCK_WAIT does it get 409.
 * Final refusals (4xx) are stored like successes; server errors and transient refusals roll the
 * whole request back, so the key stays free for a retry. Routes whose answer holds a secret
 * (password, session token, API key) are marked `idempotency: false` and refuse a key: their
 * answers must never be stored.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, IdempotencyKeysTable } from '../db/schema.js';
import type { Store } from '../db/store.js';
import { openUnitOfWork, type UnitOfWork } from '../db/unit-of-work.js';
import { AppError } from '../errors.js';
import { errorBody } from './error-handler.js';
import { bindRequestDb, unbindRequestDb } from './request-db.js';
import type { ApiApp } from './types.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the answer holds a secret that must never be stored, so a key is refused (400). */
    idempotency?: false;
  }
}

export const IDEMPOTENCY_TTL_MS = 7 * 24 * 3_600_000;
/** How long a duplicate waits for its twin still running before it is told to retry (409). */
const LOCK_WAIT = '30s';
const KEY = /^[A-Za-z0-9_:.-]{1,100}$/;
export const DEVICE_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** Transient refusals: a retry with the same key may succeed, so they are not stored. */
const TRANSIENT = new Set([408, 409, 423, 425, 429]);
const CLEANUP_EVERY_MS = 60_000;

interface Pending {
  scope: string;
  key: string;
  fingerprint: string;
  /** Open once the handler runs: its writes and the stored answer commit together. */
  unit: UnitOfWork | null;
}

const pending = new WeakMap<FastifyRequest, Pending>();

/** Whose key space a request uses: the logged-in user, else the device id, else the address. */
export function idempotencyScope(request: FastifyRequest): string {
  if (request.actor) return `u:${request.actor.userId}`;
  const device = request.headers['x-device-id'];
  if (typeof device === 'string' && DEVICE_ID.test(device)) return `d:${device}`;
  return `ip:${request.ip}`;
}

function fingerprintOf(request: FastifyRequest): string {
  const body = request.body;
  const bodyHash = createHash('sha256');
  if (Buffer.isBuffer(body)) bodyHash.update(body);
  else if (body !== undefined && body !== null) bodyHash.update(JSON.stringify(body));
  return createHash('sha256')
    .update(`${request.method}\n${request.url}\n${bodyHash.digest('hex')}`)
    .digest('hex');
}

/** Whether a response is the request's final answer (stored) or worth retrying (rolled back). */
export function storable(status: number): boolean {
  return status >= 200 && status < 500 && !TRANSIENT.has(status);
}

let lastCleanup = 0;
async function cleanup(db: Kysely<Database>, now: number): Promise<void> {
  if (now - lastCleanup < CLEANUP_EVERY_MS) return;
  lastCleanup = now;
  // Bounded, so a backlog is worked off a slice per minute instead of in one long statement.
  await sql`DELETE FROM idempotency_keys WHERE (scope, key) IN (
      SELECT scope, key FROM idempotency_keys WHERE expires_at < now() LIMIT 1000)`.execute(db);
}

type KeyRow = Selectable<IdempotencyKeysTable>;

/** The committed answer under a key, unless it expired. */
function storedAnswer(db: Kysely<Database>, p: Pick<Pending, 'scope' | 'key'>): Promise<KeyRow | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('scope', '=', p.scope)
    .where('key', '=', p.key)
    .where('expires_at', '>', new Date())
    .where('status_code', 'is not', null)
    .executeTakeFirst();
}

function replay(reply: FastifyReply, row: KeyRow, fingerprint: string) {
  if (row.fingerprint !== fingerprint) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', { details: { key: row.key } });
  }
  reply
    .code(row.status_code as number)
    .header('idempotent-replayed', 'true')
    .header('content-type', row.content_type ?? 'application/json; charset=utf-8');
  return reply.send(row.response_body ?? '');
}

function inProgress(reply: FastifyReply, key: string): AppError {
  reply.header('retry-after', '2');
  return new AppError('IDEMPOTENCY_IN_PROGRESS', { details: { key } });
}

/**
 * Claims the key inside the unit: the row is invisible to others until the unit commits, and a
 * twin's insert waits on it. An expired row is taken over. 'taken': a committed row is there.
 */
async function claim(db: Kysely<Database>, p: Pending): Promise<'claimed' | 'taken' | 'busy'> {
  const now = new Date();
  const expires = new Date(now.getTime() + IDEMPOTENCY_TTL_MS);
  try {
    // One statement: the twin's uncommitted row is waited on for at most LOCK_WAIT, set for the
    // insert only (set_config in its FROM, before the row is tried) and put back as the claimed
    // row returns; a refused or failed claim rolls the unit back, and the setting with it.
    const r = await sql<{ key: string }>`
      INSERT INTO idempotency_keys AS k (scope, key, fingerprint, claimed_at, completed_at, status_code,
        content_type, response_body, expires_at)
      SELECT ${p.scope}, ${p.key}, ${p.fingerprint}, ${now}::timestamptz, NULL, NULL, NULL, NULL,
        ${expires}::timestamptz
      FROM (SELECT set_config('cityloop.lock_timeout_was', current_setting('lock_timeout'), true),
                   set_config('lock_timeout', ${LOCK_WAIT}, true)) AS wait
      ON CONFLICT (scope, key) DO UPDATE SET fingerprint = excluded.fingerprint,
        claimed_at = excluded.claimed_at, completed_at = NULL, status_code = NULL, content_type = NULL,
        response_body = NULL, expires_at = excluded.expires_at
        WHERE k.expires_at <= ${now}::timestamptz
      RETURNING k.key, set_config('lock_timeout', current_setting('cityloop.lock_timeout_was'), true)`.execute(
      db,
    );
    return r.rows.length > 0 ? 'claimed' : 'taken';
  } catch (err) {
    if ((err as { code?: string }).code === '55P03') return 'busy'; // lock_not_available
    throw err;
  }
}

/** Before validation: replays a stored answer, or notes the key for the handler's unit of work. */
async function recognise(db: Kysely<Database>, request: FastifyRequest, reply: FastifyReply) {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return;
  if (request.routeOptions.config.idempotency === false) {
    throw new AppError('IDEMPOTENCY_NOT_SUPPORTED', { details: { header: 'Idempotency-Key' } });
  }
  if (typeof header !== 'string' || !KEY.test(header)) {
    throw new AppError('IDEMPOTENCY_KEY_INVALID', { details: { header: 'Idempotency-Key' } });
  }
  const p: Pending = {
    scope: idempotencyScope(request),
    key: header,
    fingerprint: fingerprintOf(request),
    unit: null,
  };
  await cleanup(db, Date.now());
  const row = await storedAnswer(db, p);
  if (row) return replay(reply, row, p.fingerprint);
  pending.set(request, p);
}

/** Runs a POST handler inside a unit of work that starts with the key's claim. */
function inUnitOfWork(store: Store, handler: RouteHandlerMethod): RouteHandlerMethod {
  const db = store.db;
  return async function (this: unknown, request, reply) {
    const p = pending.get(request);
    if (!p) return handler.call(this as never, request, reply);
    const unit = await openUnitOfWork(db, store.autonomous);
    let claimed: Awaited<ReturnType<typeof claim>>;
    try {
      claimed = await claim(unit.db, p);
    } catch (err) {
      await unit.rollback().catch(() => {});
      throw err;
    }
    if (claimed !== 'claimed') {
      await unit.rollback();
      pending.delete(request);
      // The twin committed first: its answer is this request's answer too.
      const row = claimed === 'taken' ? await storedAnswer(db, p) : undefined;
      if (!row) throw inProgress(reply, p.key);
      return replay(reply, row, p.fingerprint);
    }
    p.unit = unit;
    bindRequestDb(request, unit.db);
    return handler.call(this as never, request, reply);
  };
}

interface Answer {
  completed_at: Date;
  status_code: number;
  content_type: string | null;
  response_body: string | null;
}

/** A refusal that changed nothing is stored on its own (one statement: nothing else to commit). */
async function storeRefusal(db: Kysely<Database>, request: FastifyRequest, p: Pending, answer: Answer) {
  const now = new Date();
  await db
    .insertInto('idempotency_keys')
    .values({
      scope: p.scope,
      key: p.key,
      fingerprint: p.fingerprint,
      claimed_at: now,
      expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      ...answer,
    })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .execute()
    .catch((err) => request.log.warn({ err, key: p.key }, 'idempotent refusal not stored'));
}

/** As the answer leaves: stored and committed with the handler's writes, or all rolled back. */
async function settle(db: Kysely<Database>, request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  const p = pending.get(request);
  if (!p) return payload;
  pending.delete(request);
  const body =
    typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
  const type = reply.getHeader('content-type');
  const answer: Answer = {
    completed_at: new Date(),
    status_code: reply.statusCode,
    content_type: typeof type === 'string' ? type : null,
    response_body: body,
  };
  const unit = p.unit;
  if (!unit) {
    // Refused before the handler ran (validation): nothing was written, the answer is all.
    if (storable(reply.statusCode)) await storeRefusal(db, request, p, answer);
    return payload;
  }
  unbindRequestDb(request);
  if (!storable(reply.statusCode)) {
    await unit.rollback().catch((err) => request.log.warn({ err }, 'unit of work rollback failed'));
    return payload;
  }
  try {
    const stored = await unit.db
      .updateTable('idempotency_keys')
      .set(answer)
      .where('scope', '=', p.scope)
      .where('key', '=', p.key)
      .executeTakeFirst();
    if (Number(stored.numUpdatedRows) !== 1) throw new Error('idempotency claim row missing');
    await unit.commit();
    return payload;
  } catch (err) {
    await unit.rollback().catch(() => {});
    if (reply.statusCode >= 400) {
      // A refusal whose failed statement aborted the unit (a constraint the database enforced):
      // nothing of it is kept, which is what the refusal says.
      await storeRefusal(db, request, p, answer);
      return payload;
    }
    // Nothing of the request is kept: say so, and the client's retry with the key runs it anew.
    request.log.error({ err, key: p.key }, 'idempotent request not committed');
    reply.code(503).header('content-type', 'application/json; charset=utf-8');
    return JSON.stringify(
      errorBody(request, new AppError('IDEMPOTENCY_NOT_COMMITTED', { details: { key: p.key } })),
    );
  }
}

/** Adds idempotency to the /api/v1 scope: call before its routes are registered. */
export function registerIdempotency(app: ApiApp, store: Store): void {
  const db = store.db;
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.includes('POST')) route.handler = inUnitOfWork(store, route.handler as RouteHandlerMethod);
  });
  app.addHook('preValidation', async (request, reply) => {
    if (request.method !== 'POST') return;
    return recognise(db, request, reply);
  });
  app.addHook('onSend', async (request, reply, payload) => settle(db, request, reply, payload));
  // A reply that never went through onSend (socket gone, hijacked) must not keep its unit open.
  app.addHook('onResponse', async (request) => {
    const unit = pending.get(request)?.unit;
    pending.delete(request);
    unbindRequestDb(request);
    if (unit?.open) await unit.rollback().catch(() => {});
  });
}
