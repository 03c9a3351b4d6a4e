/**
 * Open311 client systems: each is an API key of a service account (POST /api/v1/api-keys)
 * registered here with a name and its own rate limit. The key is the spec's `api_key`; the case
 * is reported as the key's account, within its data scope and with the key's grants.
 */
import type { Kysely } from 'kysely';
import type { Actor, Ctx, RequestMeta } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { actorFromApiKey } from '../auth/service.js';
import { hitRateLimits } from '../public/ratelimit.js';
import type { Params } from './params.js';

export interface Client {
  id: number;
  name: string;
  rateLimit: number;
  actor: Actor;
}

/** Requests a minute from one address without an api_key (the GETs the spec leaves open). */
export const ANONYMOUS_PER_MINUTE = 300;

async function clientOf(db: Kysely<Database>, key: string): Promise<Client> {
  let actor: Actor;
  try {
    actor = await actorFromApiKey(db, key);
  } catch (err) {
    if (err instanceof AppError && err.code === 'INVALID_API_KEY')
      throw new AppError('OPEN311_API_KEY_INVALID');
    throw err;
  }
  const row = await db
    .selectFrom('open311_clients')
    .select(['id', 'name', 'rate_limit_per_minute', 'active'])
    .where('api_key_id', '=', actor.apiKeyId as number)
    .executeTakeFirst();
  if (!row?.active) throw new AppError('OPEN311_API_KEY_INVALID');
  return { id: row.id, name: row.name, rateLimit: row.rate_limit_per_minute, actor };
}

/**
 * The caller: its client when an api_key is given (required when `needed`), counted against its
 * own limit; without one, counted per address.
 */
export async function caller(
  db: Kysely<Database>,
  params: Params,
  meta: RequestMeta,
  needed: boolean,
): Promise<Client | null> {
  const key = params.get('api_key');
  if (!key) {
    if (needed) throw new AppError('OPEN311_API_KEY_REQUIRED');
    await hitRateLimits(
      db,
      [{ bucket: `open311:ip:${meta.ip ?? 'unknown'}`, limit: ANONYMOUS_PER_MINUTE }],
      60,
    );
    return null;
  }
  const client = await clientOf(db, key);
  await hitRateLimits(db, [{ bucket: `open311:client:${client.id}`, limit: client.rateLimit }], 60);
  return client;
}

export function clientCtx(db: Kysely<Database>, client: Client, meta: RequestMeta): Ctx {
  return { db, actor: client.actor, meta };
}
