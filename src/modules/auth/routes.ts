import { z } from 'zod';
import { PERMISSIONS, ROLE_NAMES, ROLE_PERMISSIONS } from '../../domain/access/permissions.js';
import { permissionsOf } from '../../platform/auth/actor.js';
import { ctxOf, metaOf, SESSION_COOKIE } from '../../platform/http/auth-hook.js';
import { id, idParam } from '../../platform/http/ids.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.js';
import { changeOwnPassword, login, logout } from './service.js';

const loginBody = z.strictObject({
  username: z.string().min(1).max(40),
  password: z.string().min(1).max(256),
  client: z.enum(['web', 'app']).default('web'),
});

export async function authRoutes(app: ApiApp, { store, config }: Deps) {
  const tags = ['auth'];
  app.post(
    '/auth/login',
    {
      // The answer holds a session token and the body a password: never stored, so no key.
      config: { public: true, idempotency: false },
      schema: { tags, summary: 'Log in (cookie for web, bearer token for apps)', body: loginBody },
    },
    async (request, reply) => {
      const r = await login(store.db, metaOf(request), request.body, config.sessionTtlHours);
      if (request.body.client === 'web') {
        reply.setCookie(SESSION_COOKIE, r.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: config.cookieSecure,
          expires: r.expiresAt,
        });
      }
      return {
        user: r.actor,
        permissions: ROLE_PERMISSIONS[r.actor.role],
        mustChangePassword: r.mustChangePassword,
        expiresAt: r.expiresAt.toISOString(),
        ...(request.body.client === 'app' ? { token: r.token } : {}),
      };
    },
  );

  app.post(
    '/auth/logout',
    { config: { beforePasswordChange: true }, schema: { tags, summary: 'End the current session' } },
    async (request, reply) => {
      const ctx = ctxOf(store.db, request);
      if (request.sessionToken) await logout(ctx, request.sessionToken);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/auth/me',
    {
      config: { beforePasswordChange: true },
      schema: { tags, summary: 'Who am I, with role and permissions' },
    },
    async (request) => {
      const { actor } = ctxOf(store.db, request);
      return { user: actor, roleName: ROLE_NAMES[actor.role], permissions: permissionsOf(actor) };
    },
  );

  app.post(
    '/auth/password',
    {
      config: { beforePasswordChange: true, idempotency: false },
      schema: {
        tags,
        summary: 'Change my password (other sessions end)',
        body: z.strictObject({
          currentPassword: z.string().min(1).max(256),
          newPassword: z.string().min(1).max(256),
        }),
      },
    },
    async (request, reply) => {
      await changeOwnPassword(
        ctxOf(store.db, request),
        request.sessionToken,
        request.body.currentPassword,
        request.body.newPassword,
      );
      return reply.status(204).send();
    },
  );

  app.get('/api-keys', { schema: { tags, summary: 'List API keys (admin)' } }, async (request) => ({
    items: await listApiKeys(ctxOf(store.db, request)),
  }));

  app.post(
    '/api-keys',
    {
      config: { idempotency: false },
      schema: {
        tags,
        summary: 'Create an API key for a service account; the key is shown once',
        description:
          'Keys are issued to service accounts only (users of kind `service`, created with `POST /users` ' +
          'and `kind: "service"`). The key grants exactly `permissions`: a subset of the account role\'s ' +
          'permissions that the issuing administrator holds too. Every request made with the key is ' +
          'recorded in the audit log (`apikey.use`).',
        body: z.strictObject({
          name: z.string().min(1).max(100),
          userId: id,
          permissions: z.array(z.enum(PERMISSIONS)).min(1).max(PERMISSIONS.length),
          expiresAt: z.iso.datetime({ offset: true }).optional(),
        }),
      },
    },
    async (request, reply) => {
      const { name, userId, permissions, expiresAt } = request.body;
      const key = await createApiKey(ctxOf(store.db, request), {
        name,
        userId,
        permissions,
        expiresAt: expiresAt ? new Date(expiresAt) : undefined,
      });
      return reply.status(201).send(key);
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      schema: {
        tags,
        summary: 'Revoke an API key',
        params: z.strictObject({ id: idParam }),
      },
    },
    async (request, reply) => {
      await revokeApiKey(ctxOf(store.db, request), request.params.id);
      return reply.status(204).send();
    },
  );
}
