/**
 * Idempotent POSTs for the field apps' offline outbox: a POST under /api/v1 carrying an
 * `Idempotency-Key` runs at most once per (user or anonymous device, key). The first response
 * (status + body) is stored and replayed with `Idempotent-Replayed: true`; the same key with
 * another request is refused (422); a replay while the first still runs answers 409 and the
 * app retries later.
 *
 * The key row is claimed (primary key) before the handler runs and completed after it has
 * answered. This layer sits in front of the handlers, so it cannot share their transaction: if
 * the process dies after the handler committed but before the response was stored, the claim
 * stays incomplete. Such a claim older than STALE_CLAIM_MS is taken over by the next retry and
 * the request runs again — the alternative (never retrying) would lose every report whose first
 * attempt crashed before committing, which is the more common case. A report run twice that way
 * is still caught by the case duplicate check at intake (same 小类, nearby, close in time: the
 * operator merges it), and a repeated workflow action fails on the case version it carries.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { ApiApp } from './types.js';

export const IDEMPOTENCY_TTL_MS = 7 * 24 * 3_600_000;
/** A claim not completed after this long is presumed dead (crashed process) and may be retried. */
export const STALE_CLAIM_MS = 5 * 60_000;
const KEY = /^[A-Za-z0-9_:.-]{1,100}$/;
export const DEVICE_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** Transient refusals: a retry with the same key may succeed, so they are not stored. */
const TRANSIENT = new Set([408, 409, 423, 425, 429]);
const CLEANUP_EVERY_MS = 60_000;

interface Claim {
  scope: string;
  key: string;
  token: string;
}

const claims = new WeakMap<FastifyRequest, Claim>();

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

/** Whether a response is the request's final answer (stored) or worth retrying (released). */
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

async function claim(db: Kysely<Database>, request: FastifyRequest, reply: FastifyReply) {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return;
  if (typeof header !== 'string' || !KEY.test(header)) {
    throw new AppError('IDEMPOTENCY_KEY_INVALID', { details: { header: 'Idempotency-Key' } });
  }
  const scope = idempotencyScope(request);
  const fingerprint = fingerprintOf(request);
  const token = randomUUID();
  await cleanup(db, Date.now());
  // A few rounds: each lost race (expired row removed, stale claim taken) starts over.
  for (let round = 0; round < 3; round++) {
    const now = new Date();
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({
        scope,
        key: header,
        fingerprint,
        claim_token: token,
        claimed_at: now,
        expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) {
      claims.set(request, { scope, key: header, token });
      return;
    }
    const row = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', scope)
      .where('key', '=', header)
      .executeTakeFirst();
    if (!row) continue;
    if (row.expires_at.getTime() <= now.getTime()) {
      await db
        .deleteFrom('idempotency_keys')
        .where('scope', '=', scope)
        .where('key', '=', header)
        .where('claim_token', '=', row.claim_token)
        .execute();
      continue;
    }
    if (row.fingerprint !== fingerprint) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', { details: { key: header } });
    }
    if (row.completed_at && row.status_code !== null) {
      reply
        .code(row.status_code)
        .header('idempotent-replayed', 'true')
        .header('content-type', row.content_type ?? 'application/json; charset=utf-8');
      return reply.send(row.response_body ?? '');
    }
    if (now.getTime() - row.claimed_at.getTime() > STALE_CLAIM_MS) {
      const taken = await db
        .updateTable('idempotency_keys')
        .set({ claim_token: token, claimed_at: now })
        .where('scope', '=', scope)
        .where('key', '=', header)
        .where('claim_token', '=', row.claim_token)
        .where('completed_at', 'is', null)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) === 1) {
        claims.set(request, { scope, key: header, token });
        return;
      }
      continue;
    }
    break;
  }
  reply.header('retry-after', '2');
  throw new AppError('IDEMPOTENCY_IN_PROGRESS', { details: { key: header } });
}

async function complete(
  db: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
) {
  const held = claims.get(request);
  if (!held) return;
  claims.delete(request);
  const where = db
    .updateTable('idempotency_keys')
    .where('scope', '=', held.scope)
    .where('key', '=', held.key)
    .where('claim_token', '=', held.token);
  const body =
    typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
  try {
    if (storable(reply.statusCode) && body !== null) {
      const type = reply.getHeader('content-type');
      await where
        .set({
          completed_at: new Date(),
          status_code: reply.statusCode,
          content_type: typeof type === 'string' ? type : null,
          response_body: body,
        })
        .execute();
    } else {
      // Nothing final happened (server error, transient refusal): the key is free for a retry.
      await db
        .deleteFrom('idempotency_keys')
        .where('scope', '=', held.scope)
        .where('key', '=', held.key)
        .where('claim_token', '=', held.token)
        .execute();
    }
  } catch (err) {
    // The answer still goes out; the claim stays open and becomes retryable once stale.
    request.log.warn({ err, key: held.key }, 'idempotency key not completed');
  }
}

/** Adds the idempotency hooks to the /api/v1 scope (after authentication, before validation). */
export function registerIdempotency(app: ApiApp, db: Kysely<Database>): void {
  app.addHook('preValidation', async (request, reply) => {
    if (request.method !== 'POST') return;
    return claim(db, request, reply);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    await complete(db, request, reply, payload);
    return payload;
  });
}
