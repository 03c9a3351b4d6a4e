/**
 * The Open311 GeoReport v2 endpoint, /open311/v2/ (outside /api/v1: its own auth by `api_key`,
 * its own form-encoded bodies, its own error list). Every path ends in `.xml` or `.json`.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { metaOf } from '../../platform/http/auth-hook.js';
import { toAppError } from '../../platform/http/error-handler.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { caller } from './clients.js';
import { CONTENT_TYPE, type Format, isFormat, render } from './format.js';
import { postRequest } from './intake.js';
import { readParams } from './params.js';
import { listRequests, oneRequest, requestOfToken } from './requests.js';
import { listServices, serviceDefinition } from './services.js';
import { listUpdates, postUpdate } from './updates.js';

export const SPEC = 'http://wiki.open311.org/GeoReport_v2';

/** The format asked for by the path's suffix (xml when there is none, e.g. an unknown path). */
function formatOf(request: FastifyRequest): Format {
  const m = /\.(json|xml)(\?|$)/.exec(request.url);
  return m?.[1] === 'json' ? 'json' : 'xml';
}

function send(reply: FastifyReply, format: Format, root: string, value: unknown, status = 200) {
  return reply
    .status(status)
    .type(CONTENT_TYPE[format])
    .send(render(format, root, value));
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: FastifyError) {
  const err = toAppError(error);
  if (err.status >= 500) request.log.error({ err: error }, 'open311 request failed');
  const status = err.status;
  if (err.code === 'RATE_LIMITED') {
    const retry = (err.details as { retryAfter?: number } | null)?.retryAfter;
    if (retry) reply.header('retry-after', String(retry));
  }
  const description = `${err.messages.en} (${err.code})`;
  return send(reply, formatOf(request), 'errors', [{ code: status, description }], status);
}

type Handler = (
  request: FastifyRequest,
  format: Format,
) => Promise<{ root: string; value: unknown; status?: number }>;

export function open311Routes(deps: Deps) {
  const { store, config } = deps;
  const db = store.db;
  const duplicates = { radiusM: config.duplicateRadiusM, windowHours: config.duplicateWindowHours };
  return async (app: ApiApp) => {
    // The spec's POST bodies; nothing else is accepted here (JSON is refused as unsupported).
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => {
        done(null, new URLSearchParams(body as string));
      },
    );
    app.setErrorHandler((error: FastifyError, request, reply) => sendError(request, reply, error));
    app.setNotFoundHandler((request, reply) => {
      const m = /\/[^/?]*\.([A-Za-z0-9]+)(\?|$)/.exec(request.url);
      const code = m && !isFormat(m[1] as string) ? 'OPEN311_FORMAT_UNKNOWN' : 'ROUTE_NOT_FOUND';
      return sendError(request, reply, new AppError(code, { details: { url: request.url } }) as never);
    });

    const route = (method: 'GET' | 'POST', url: string, handler: Handler) =>
      app.route({
        method,
        url,
        schema: { hide: true },
        handler: async (request, reply) => {
          const format = (request.params as { format: string }).format;
          if (!isFormat(format)) {
            throw new AppError('OPEN311_FORMAT_UNKNOWN', { details: { format } });
          }
          const out = await handler(request, format);
          return send(reply, format, out.root, out.value, out.status);
        },
      });

    route('GET', '/discovery.:format', async (request) => {
      const base = `${request.protocol}://${request.host}/open311/v2/`;
      return {
        root: 'discovery',
        value: {
          changeset: '2026-12-07T00:00:00+08:00',
          contact: 'CityLoop 城市管理指挥中心',
          key_service: 'API keys are issued by the centre (控制台 → 接口密钥 → Open311 客户端)',
          endpoints: [
            {
              specification: SPEC,
              url: base,
              changeset: '2026-12-07T00:00:00+08:00',
              type: 'production',
              formats: ['text/xml', 'application/json'],
            },
          ],
        },
      };
    });
    route('GET', '/services.:format', async (request) => {
      await caller(db, readParams(request), metaOf(request), false);
      return { root: 'services', value: await listServices(db) };
    });
    route('GET', '/services/:code.:format', async (request) => {
      await caller(db, readParams(request), metaOf(request), false);
      const { code } = request.params as { code: string };
      return { root: 'service_definition', value: await serviceDefinition(db, code) };
    });
    route('POST', '/requests.:format', async (request) => {
      const key = request.headers['idempotency-key'];
      const answer = await postRequest(store, readParams(request), metaOf(request), {
        idempotencyKey: typeof key === 'string' ? key : undefined,
        duplicates,
      });
      return { root: 'service_requests', value: [answer] };
    });
    route('GET', '/requests.:format', async (request) => {
      const params = readParams(request);
      await caller(db, params, metaOf(request), false);
      return { root: 'service_requests', value: await listRequests(db, params) };
    });
    route('GET', '/requests/:id.:format', async (request) => {
      const params = readParams(request);
      await caller(db, params, metaOf(request), false);
      const { id } = request.params as { id: string };
      return {
        root: 'service_requests',
        value: await oneRequest(db, id, params.get('extensions') === 'true'),
      };
    });
    route('GET', '/tokens/:token.:format', async (request) => {
      await caller(db, readParams(request), metaOf(request), false);
      const { token } = request.params as { token: string };
      return { root: 'service_requests', value: await requestOfToken(db, token) };
    });
    route('GET', '/servicerequestupdates.:format', async (request) => {
      const params = readParams(request);
      await caller(db, params, metaOf(request), true);
      return { root: 'service_request_updates', value: await listUpdates(db, params) };
    });
    route('POST', '/servicerequestupdates.:format', async (request) => {
      const params = readParams(request);
      const client = await caller(db, params, metaOf(request), true);
      return {
        root: 'service_request_updates',
        value: await postUpdate(db, client as NonNullable<typeof client>, params),
      };
    });
  };
}
