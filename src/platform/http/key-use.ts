/**
 * Every request a machine client makes with an API key lands in the audit log as `apikey.use`
 * (key, method, route, status), refused requests included: a key is a standing credential, so
 * what it was used for must be traceable. The rows carry the service account as actor, so they
 * are scoped like the rest of the audit log (a district admin sees its district's accounts).
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../../modules/audit/repo.js';
import type { Database } from '../db/schema.js';
import { metaOf } from './auth-hook.js';
import type { ApiApp } from './types.js';

const outcomeOf = (status: number) =>
  status < 400
    ? ('ok' as const)
    : status === 401 || status === 403
      ? ('denied' as const)
      : ('failed' as const);

export function registerKeyUseAudit(app: ApiApp, db: Kysely<Database>): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const actor = request.actor;
    if (actor?.via !== 'api_key' || actor.apiKeyId === undefined) return payload;
    try {
      await appendAudit(db, metaOf(request), {
        actorId: actor.userId,
        actorName: actor.username,
        action: 'apikey.use',
        target: `apikey:${actor.apiKeyId}`,
        outcome: outcomeOf(reply.statusCode),
        details: {
          method: request.method,
          route: request.routeOptions.url ?? null,
          status: reply.statusCode,
        },
      });
    } catch (err) {
      // The answer still goes out; a missing row is logged loudly.
      request.log.error({ err, apiKeyId: actor.apiKeyId }, 'API key use not audited');
    }
    return payload;
  });
}
