import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import pretty from 'pino-pretty';
import { AppError } from '../errors.js';
import { jobRoutes } from '../jobs/routes.js';
import { tableJobQueue } from '../jobs/table-queue.js';
import { authHook, optionalActor } from './auth-hook.js';
import { errorBody, handleError } from './error-handler.js';
import { registerIdempotency } from './idempotency.js';
import { inputGuardOptions, registerInputGuard } from './input-guard.js';
import { registerKeyUseAudit } from './key-use.js';
import type { ApiApp, AppParts, Deps } from './types.js';
import { extraOrigins, isApiPath, sendConsole, webIndexOf, webRoutes } from './web.js';

export const VERSION = '0.1.0';

/**
 * Readable lines at a terminal, JSON lines for a collector. The pretty stream writes
 * synchronously, so a log line never lands in the middle of the start banner.
 */
function loggerOptions(config: Deps['config']) {
  if (config.logFormat === 'json') return { level: config.logLevel };
  return {
    level: config.logLevel,
    stream: pretty({ sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true }),
  };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The HTTP application: the platform's hooks (auth, idempotency, input guard, errors, health,
 * console) around the modules' routes and health details, which the caller lists
 * (`src/app.ts`): the platform knows no module.
 */
export async function buildPlatformApp(
  deps: Deps,
  parts: AppParts,
  options: { logger?: boolean } = {},
): Promise<ApiApp> {
  const { config, store } = deps;
  const app = Fastify({
    logger: options.logger === false ? false : loggerOptions(config),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    // A caller's own request id is kept so logs can be correlated across systems.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
    ...inputGuardOptions,
  }).withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();

  // JSON only: Fastify's default text/plain parser would let a plain-text body reach validation.
  app.removeContentTypeParser('text/plain');
  registerInputGuard(app as unknown as ApiApp);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  const consoleBuilt = webIndexOf(config.webDir) !== null;
  app.setNotFoundHandler((request, reply) => {
    // A console URL opened directly (bookmark, reload) gets the app; the app routes it.
    if (consoleBuilt && (request.method === 'GET' || request.method === 'HEAD') && !isApiPath(request.url)) {
      return sendConsole(reply, config.webDir);
    }
    return reply
      .status(404)
      .send(errorBody(request, new AppError('ROUTE_NOT_FOUND', { details: { url: request.url } })));
  });
  // A route that needs no login is documented as such (OpenAPI `security: []`).
  app.addHook('onRoute', (route) => {
    if ((route.config as { public?: boolean } | undefined)?.public && route.schema) {
      route.schema = { ...route.schema, security: [] };
    }
  });
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const baseMapOrigins = extraOrigins(config.baseMap);
  await app.register(helmet, {
    // The console and Swagger UI are the HTML the server sends; all their assets are local
    // except an optionally configured base map.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // blob: photo previews before upload; data: inline icons.
        imgSrc: ["'self'", 'data:', 'blob:', ...baseMapOrigins],
        connectSrc: ["'self'", ...baseMapOrigins],
        workerSrc: ["'self'", 'blob:'],
        // Ant Design writes its CSS-in-JS styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        // On-premise installs are often plain HTTP on an intranet address: upgrading the
        // docs page's own asset requests to https would leave it blank.
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'CityLoop API',
        description:
          '数字城管 / 智慧城管 platform API. Errors: { error: { code, message, messages: { zh, en }, details } }.\n\n' +
          'Machine clients (cameras, IoT gateways, 12345 bridges, district nodes) authenticate with an API key ' +
          '(`X-API-Key` or `Authorization: ApiKey …`). Keys belong to service accounts only (users of kind ' +
          '`service`, which never log in) and carry only the permissions granted to the key, a subset of the ' +
          "account role's permissions, within the account's data scope. Every request made with a key is " +
          'recorded in the audit log as `apikey.use`.',
        version: VERSION,
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'cl_session' },
          bearer: { type: 'http', scheme: 'bearer' },
          apiKey: {
            type: 'apiKey',
            in: 'header',
            name: 'X-API-Key',
            description:
              "A service account's API key (POST /api/v1/api-keys): only the permissions granted to the key; every use is audited (apikey.use).",
          },
        },
      },
      security: [{ session: [] }, { bearer: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    // swagger-ui's default CSP allows https: styles/fonts, validator.swagger.io and
    // upgrade-insecure-requests; the bundled UI needs none of them.
    staticCSP:
      "default-src 'self'; base-uri 'self'; font-src 'self' data:; frame-ancestors 'self'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'",
    uiConfig: { docExpansion: 'list' },
  });

  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary:
          'Liveness and database check; for an administrator (logged in) also `detail`: holiday data missing for the current or next year',
      },
    },
    async (request, reply) => {
      const started = performance.now();
      // The embedded store has one connection: while work holds it (an evaluation, the demo
      // history) the database is up and working for us; the check says for how long instead of
      // queueing behind it. A dead database worker fails the holder, which frees the connection.
      const heldSince = store.heldSince?.() ?? null;
      if (heldSince !== null)
        return {
          status: 'ok',
          version: VERSION,
          store: store.kind,
          database: 'ok',
          busyForMs: Math.round(started - heldSince),
        };
      try {
        await sql`SELECT 1`.execute(store.db);
        const basic = {
          status: 'ok',
          version: VERSION,
          store: store.kind,
          database: 'ok',
          dbLatencyMs: Math.round(performance.now() - started),
        };
        const actor = await optionalActor(store.db, request);
        const detail = actor && parts.healthDetail ? await parts.healthDetail(store.db, actor) : null;
        return detail ? { ...basic, detail } : basic;
      } catch {
        return reply
          .status(503)
          .send({ status: 'degraded', version: VERSION, store: store.kind, database: 'unavailable' });
      }
    },
  );

  // Background jobs run while the app is up: started when it is ready, stopped (running jobs
  // back to the queue) when it closes.
  const jobs = tableJobQueue(store, {
    onError: (err, jobId) => app.log.error({ err, jobId }, 'background job failed'),
  });
  app.addHook('onReady', async () => jobs.start());
  app.addHook('onClose', async () => jobs.stop());

  await webRoutes(app as unknown as ApiApp, deps);
  await app.register(
    async (api) => {
      api.addHook('onRequest', authHook(store.db));
      registerIdempotency(api as ApiApp, store);
      // After idempotency: its onSend commits the request's unit of work first, so this audit
      // write never waits for a connection the request itself still holds (PGlite has one).
      registerKeyUseAudit(api as ApiApp, store.db);
      await jobRoutes(api as ApiApp, deps, jobs);
      for (const routes of parts.routes) await routes(api as ApiApp, { ...deps, jobs });
    },
    { prefix: '/api/v1' },
  );
  return app as unknown as ApiApp;
}
