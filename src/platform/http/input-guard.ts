/**
 * Bad input stopped at the door, once for every route: a NUL character anywhere in the URL,
 * a header or a JSON body (PostgreSQL cannot store it in text or jsonb, so it used to surface as
 * a 500 deep in some service), JSON nested deeper than any real request (walking it overflowed
 * the stack), and Fastify's own URL and connection errors, answered in the API's error format.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { errorBody } from './error-handler.js';
import type { ApiApp } from './types.js';

/**
 * Deepest JSON accepted. A GeoJSON MultiPolygon inside a FeatureCollection is 8 levels; nothing
 * the API takes comes near 64, and walking 64 levels is safe for every consumer.
 */
export const MAX_JSON_DEPTH = 64;

const nulInText = (reason: string, where: Record<string, unknown>) =>
  new AppError('VALIDATION_FAILED', {
    details: { ...where, reason },
    message: {
      zh: '请求中含有空字符（\\u0000），不能接受',
      en: 'The request contains a NUL character (\\u0000), which is not accepted',
    },
  });

/** Depth of the deepest array/object in JSON text, stopping early once past `limit`. Never recurses. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

interface Node {
  value: unknown;
  parent: Node | null;
  key: string;
}
const pathOf = (n: Node): string[] => (n.parent ? [...pathOf(n.parent), n.key] : []);

/** A key that would reach an object's prototype when merged (Fastify's default parser refuses it too). */
const poisoned = (key: string, value: unknown) =>
  key === '__proto__' ||
  (key === 'constructor' && value !== null && typeof value === 'object' && 'prototype' in value);

/**
 * Walks a parsed JSON value without recursion: a NUL in any key or string is refused, and so are
 * prototype keys. The error names the path of the first one found.
 */
function checkParsed(root: unknown): void {
  const stack: Node[] = [{ value: root, parent: null, key: '' }];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    const { value } = node;
    if (typeof value === 'string') {
      if (value.includes('\0')) throw nulInText('nul_character', { in: 'body', path: pathOf(node) });
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push({ value: value[i], parent: node, key: String(i) });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        const child = { value: v, parent: node, key };
        if (key.includes('\0')) throw nulInText('nul_character', { in: 'body', path: pathOf(child) });
        if (poisoned(key, v)) {
          throw new AppError('MALFORMED_JSON', { details: { reason: 'forbidden_key', path: pathOf(child) } });
        }
        stack.push(child);
      }
    }
  }
}

/**
 * The one JSON body parser (application/json and the GeoJSON imports): depth is bounded on the
 * raw text before JSON.parse, so no later step (validation, idempotency fingerprint, services)
 * ever walks a body deeper than MAX_JSON_DEPTH. The size is bounded by the route's body limit.
 */
export function parseJsonBody(raw: string): unknown {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.trim() === '') throw new AppError('MALFORMED_JSON', { details: { reason: 'empty' } });
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw new AppError('JSON_TOO_DEEP', { details: { maxDepth: MAX_JSON_DEPTH } });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('MALFORMED_JSON');
  }
  checkParsed(parsed);
  return parsed;
}

function rejectNulInRequest(request: FastifyRequest): void {
  // The raw URL: %00 anywhere (path or query) decodes to NUL; a literal one is refused as well.
  if (/%00/i.test(request.url) || request.url.includes('\0')) {
    throw nulInText('nul_character', { in: 'url' });
  }
  for (const [name, value] of Object.entries(request.headers)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && v.includes('\0'))) {
      throw nulInText('nul_character', { in: 'header', name });
    }
  }
}

/** Fastify's routing errors (malformed percent-encoding, a path segment too long) in our format. */
function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const err =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppError('URI_TOO_LONG')
      : new AppError('VALIDATION_FAILED', { details: { in: 'url', reason: 'malformed_url' } });
  request.log.info({ code: err.code }, 'request rejected');
  return reply.status(err.status).header('x-request-id', request.id).send(errorBody(request, err));
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (NUL or other bytes not allowed
 * in a header, headers too large, a stalled client) still get the documented error body.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ([431, 'HEADERS_TOO_LARGE'] as const)
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ([408, 'REQUEST_TIMEOUT'] as const)
        : ([400, 'VALIDATION_FAILED'] as const);
  const e = new AppError(code, code === 'VALIDATION_FAILED' ? { details: { reason: 'malformed_http' } } : {});
  const requestId = randomUUID();
  const body = JSON.stringify({
    error: { code, message: e.messages.zh, messages: e.messages, details: e.details ?? null, requestId },
  });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** Options for `Fastify({...})`: routing and connection errors in the API's format. */
export const inputGuardOptions = { frameworkErrors: frameworkError, clientErrorHandler };

/** Installs the JSON parser and the NUL check for every route of `app` (call on the root instance). */
export function registerInputGuard(app: ApiApp): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  // onRequest runs before authentication and routing work: anonymous requests are covered too.
  app.addHook('onRequest', async (request) => rejectNulInRequest(request));
}
