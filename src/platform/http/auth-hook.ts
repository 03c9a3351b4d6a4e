import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { actorFromApiKey, actorFromSession } from '../../modules/auth/service.js';
import type { Actor, Ctx, RequestMeta } from '../auth/actor.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors.js';
import { requestDb } from './request-db.js';

export const SESSION_COOKIE = 'cl_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    /** Reachable without logging in (login itself, health, docs). */
    public?: boolean;
    /** Reachable while the user still has to replace a one-time password. */
    beforePasswordChange?: boolean;
  }
}

/** Credentials, in order: `Authorization: Bearer` (apps), `Authorization: ApiKey` / `X-API-Key` (machines), cookie (web). */
function credentials(request: FastifyRequest): { kind: 'session' | 'api_key'; value: string } | null {
  const auth = request.headers.authorization;
  if (auth) {
    const [scheme, value] = auth.split(/\s+/, 2);
    if (value && /^bearer$/i.test(scheme ?? '')) return { kind: 'session', value };
    if (value && /^apikey$/i.test(scheme ?? '')) return { kind: 'api_key', value };
    throw new AppError('UNAUTHENTICATED', { details: { reason: 'unsupported_authorization_scheme' } });
  }
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey) return { kind: 'api_key', value: apiKey };
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie) return { kind: 'session', value: cookie };
  return null;
}

export function authHook(db: Kysely<Database>) {
  return async (request: FastifyRequest) => {
    if (request.routeOptions.config.public) return;
    const cred = credentials(request);
    if (!cred) throw new AppError('UNAUTHENTICATED');
    if (cred.kind === 'session') {
      request.actor = await actorFromSession(db, cred.value);
      request.sessionToken = cred.value;
    } else {
      request.actor = await actorFromApiKey(db, cred.value);
    }
    // A login with a one-time password works for nothing else until it is changed. (API keys are
    // issued by an admin to service accounts that never log in, so they are not held back.)
    if (
      request.actor.via === 'session' &&
      request.actor.mustChangePassword &&
      !request.routeOptions.config.beforePasswordChange
    ) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED');
    }
  };
}

/**
 * The actor of a request to a public route that shows more to those logged in (the health
 * detail for admins): null without credentials, with bad ones, or before a password change.
 */
export async function optionalActor(db: Kysely<Database>, request: FastifyRequest): Promise<Actor | null> {
  try {
    const cred = credentials(request);
    if (!cred) return null;
    const actor =
      cred.kind === 'session'
        ? await actorFromSession(db, cred.value)
        : await actorFromApiKey(db, cred.value);
    return actor.via === 'session' && actor.mustChangePassword ? null : actor;
  } catch (err) {
    if (err instanceof AppError) return null;
    throw err;
  }
}

export function metaOf(request: FastifyRequest): RequestMeta {
  const ua = request.headers['user-agent'];
  return { ip: request.ip ?? null, requestId: request.id, userAgent: typeof ua === 'string' ? ua : null };
}

/** The service context of an authenticated request (its db: the request's unit of work, if any). */
export function ctxOf(db: Kysely<Database>, request: FastifyRequest): Ctx {
  if (!request.actor) throw new AppError('UNAUTHENTICATED');
  return { db: requestDb(request, db), actor: request.actor, meta: metaOf(request) };
}
