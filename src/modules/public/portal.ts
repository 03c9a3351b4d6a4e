/**
 * The public channel acts through one service account (`public-portal`, role service): citizens
 * have no login, but every case, event and audit row still names who wrote it. The account is
 * created on first use (migrations run before the city's divisions exist) and is disabled, so
 * nobody can log in with it.
 */
import { type Kysely, sql } from 'kysely';
import type { Actor, Ctx, RequestMeta } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';

export const PORTAL_USERNAME = 'public-portal';

const cache = new WeakMap<Kysely<Database>, Actor>();

async function findPortalUser(db: Kysely<Database>) {
  return db
    .selectFrom('users as u')
    .innerJoin('divisions as d', 'd.code', 'u.division_code')
    .select(['u.id', 'u.division_code', 'd.scope_prefix'])
    .where('u.username', '=', PORTAL_USERNAME)
    .executeTakeFirst();
}

export async function portalActor(db: Kysely<Database>): Promise<Actor> {
  const known = cache.get(db);
  if (known) return known;
  let row = await findPortalUser(db);
  if (!row) {
    await sql`
      INSERT INTO users (username, display_name, role, kind, division_code, password_hash, disabled)
      SELECT ${PORTAL_USERNAME}, '公众参与渠道', 'service', 'service', code, '!no-login', true
      FROM divisions WHERE level = 'city' ORDER BY code LIMIT 1
      ON CONFLICT (lower(username)) DO NOTHING`.execute(db);
    row = await findPortalUser(db);
  }
  if (!row)
    throw new AppError('INTERNAL', { details: { reason: 'no city division for the public channel' } });
  const actor: Actor = {
    userId: row.id,
    username: PORTAL_USERNAME,
    displayName: '公众参与渠道',
    role: 'service',
    divisionCode: row.division_code,
    departmentId: null,
    scopePrefix: row.scope_prefix,
    departmentPath: null,
    via: 'api_key',
    mustChangePassword: false,
  };
  cache.set(db, actor);
  return actor;
}

export async function portalCtx(db: Kysely<Database>, meta: RequestMeta): Promise<Ctx> {
  return { db, actor: await portalActor(db), meta };
}
