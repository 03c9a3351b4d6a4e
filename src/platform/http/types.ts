import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { Store } from '../db/store.js';
import type { JobQueue } from '../jobs/port.js';

export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface Deps {
  store: Store;
  config: Config;
}

/** What the platform hands each module's routes: the deps plus the platform's services. */
export interface ModuleDeps extends Deps {
  /** Background jobs: a module defines its kinds and its routes enqueue them (answering 202). */
  jobs: JobQueue;
}

/** A module's HTTP routes, registered under /api/v1. */
export type ModuleRoutes = (app: ApiApp, deps: ModuleDeps) => Promise<void>;

/** What the application plugs into the platform's HTTP app. */
export interface AppParts {
  routes: readonly ModuleRoutes[];
  /** Extra `detail` for /api/health, shown to a logged-in actor; null when there is none for them. */
  healthDetail?: (db: Kysely<Database>, actor: Actor) => Promise<Record<string, unknown> | null>;
}
