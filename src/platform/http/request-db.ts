/**
 * The database handle of one request. Normally the store's own; inside an idempotent request
 * (src/platform/http/idempotency.ts) the request's unit of work, so that what the handler
 * writes and the stored answer commit together. Handlers take their handle from here (ctxOf
 * does) and never from the store directly.
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

const bound = new WeakMap<FastifyRequest, Kysely<Database>>();

export function requestDb(request: FastifyRequest, storeDb: Kysely<Database>): Kysely<Database> {
  return bound.get(request) ?? storeDb;
}

export function bindRequestDb(request: FastifyRequest, db: Kysely<Database>): void {
  bound.set(request, db);
}

export function unbindRequestDb(request: FastifyRequest): void {
  bound.delete(request);
}
