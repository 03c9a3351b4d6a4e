import type { Kysely } from 'kysely';
import { isRole, PERMISSIONS } from '../../domain/access/permissions.js';
import { checkPassword } from '../../domain/password-policy.js';
import type { Actor, Ctx, RequestMeta } from '../../platform/auth/actor.js';
import { cachedReference } from '../../platform/db/reference-cache.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { appendAudit } from '../audit/repo.js';
import { audit } from '../audit/service.js';
import { burnVerify, hashPassword, newToken, tokenHash, verifyPassword } from './crypto.js';
import { type UserWithScope, userWithScope } from './repo.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export function toActor(u: UserWithScope, via: Actor['via']): Actor {
  if (!isRole(u.role) || !u.scope_prefix) throw new AppError('INTERNAL', { details: { user: u.id } });
  return {
    userId: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    divisionCode: u.division_code,
    departmentId: u.department_id,
    scopePrefix: u.scope_prefix,
    departmentPath: u.department_path,
    via,
    mustChangePassword: u.must_change_password,
  };
}

export interface LoginInput {
  username: string;
  password: string;
  client: 'web' | 'app';
}

type Attempt = { ok: true; user: UserWithScope } | { ok: false; error: AppError };

/**
 * Checks a password with lockout. The failure bookkeeping is committed before the error is
 * thrown, so a failed attempt always counts and is always audited.
 */
export async function login(
  db: Kysely<Database>,
  meta: RequestMeta,
  input: LoginInput,
  sessionTtlHours: number,
): Promise<{ token: string; expiresAt: Date; actor: Actor; mustChangePassword: boolean }> {
  const username = input.username.trim().toLowerCase();
  const attempt: Attempt = await db.transaction().execute(async (trx) => {
    const user = await userWithScope(trx)
      .where('u.username', '=', username)
      .forUpdate('u')
      .executeTakeFirst();
    const fail = async (action: string, error: AppError, details: Record<string, unknown> = {}) => {
      await appendAudit(trx, meta, {
        actorId: user?.id ?? null,
        actorName: username.slice(0, 40),
        action,
        target: user ? `user:${user.id}` : null,
        outcome: 'denied',
        details,
      });
      return { ok: false as const, error };
    };
    if (!user) {
      await burnVerify(input.password);
      return fail('auth.login_failed', new AppError('INVALID_CREDENTIALS'), { reason: 'unknown_user' });
    }
    // Service accounts have no password: they act through API keys only.
    if (user.kind === 'service') {
      await burnVerify(input.password);
      return fail('auth.login_failed', new AppError('INVALID_CREDENTIALS'), { reason: 'service_account' });
    }
    const now = new Date();
    if (user.locked_until && user.locked_until > now) {
      return fail(
        'auth.login_locked',
        new AppError('ACCOUNT_LOCKED', { details: { lockedUntil: user.locked_until } }),
      );
    }
    if (!(await verifyPassword(user.password_hash, input.password))) {
      const failures = user.failed_attempts + 1;
      const lock = failures >= MAX_FAILED_LOGINS;
      const lockedUntil = lock ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : null;
      await trx
        .updateTable('users')
        .set({ failed_attempts: lock ? 0 : failures, locked_until: lockedUntil })
        .where('id', '=', user.id)
        .execute();
      if (lock) {
        return fail('auth.locked', new AppError('ACCOUNT_LOCKED', { details: { lockedUntil } }), {
          failures,
        });
      }
      return fail('auth.login_failed', new AppError('INVALID_CREDENTIALS'), {
        reason: 'wrong_password',
        failures,
      });
    }
    if (user.disabled)
      return fail('auth.login_failed', new AppError('ACCOUNT_DISABLED'), { reason: 'disabled' });
    await trx
      .updateTable('users')
      .set({ failed_attempts: 0, locked_until: null })
      .where('id', '=', user.id)
      .execute();
    return { ok: true as const, user };
  });
  if (!attempt.ok) throw attempt.error;

  const actor = toActor(attempt.user, 'session');
  const token = newToken();
  const expiresAt = new Date(Date.now() + sessionTtlHours * 3_600_000);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sessions')
      .values({
        token_hash: tokenHash(token),
        user_id: actor.userId,
        client: input.client,
        ip: meta.ip,
        user_agent: meta.userAgent?.slice(0, 300) ?? null,
        expires_at: expiresAt,
      })
      .execute();
    await appendAudit(trx, meta, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'auth.login',
      target: `user:${actor.userId}`,
      details: { client: input.client },
    });
  });
  return { token, expiresAt, actor, mustChangePassword: attempt.user.must_change_password };
}

// Refreshing last_seen_at on every request would turn each read into a write.
const TOUCH_INTERVAL_MS = 60_000;

/**
 * What a session's requests are checked against. Held in memory like reference data (issue 12:
 * a report costs no statement for its session): dropped when a session, user, department or
 * division changes, at once for this process's writes and by the database's announcement for
 * others' (migration 0033: logout, password change, disabling, role or scope change; a touch of
 * last_seen_at alone is not announced). An unknown token is never kept. Expiry is checked on
 * every request against the kept row.
 */
const SESSION_TABLES = ['sessions', 'users', 'departments', 'divisions'] as const;

function sessionRow(db: Kysely<Database>, hash: string) {
  return cachedReference(db, `session:${hash}`, SESSION_TABLES, async () => {
    const row = await userWithScope(db)
      .innerJoin('sessions as s', 's.user_id', 'u.id')
      .select(['s.expires_at', 's.last_seen_at', 's.token_hash'])
      .where('s.token_hash', '=', hash)
      .executeTakeFirst();
    if (!row) throw new AppError('UNAUTHENTICATED');
    return row;
  });
}

export async function actorFromSession(db: Kysely<Database>, token: string): Promise<Actor> {
  const row = await sessionRow(db, tokenHash(token));
  const now = Date.now();
  if (row.expires_at.getTime() <= now) {
    await db.deleteFrom('sessions').where('token_hash', '=', row.token_hash).execute();
    throw new AppError('SESSION_EXPIRED');
  }
  if (row.disabled) throw new AppError('ACCOUNT_DISABLED');
  if (now - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now) })
      .where('token_hash', '=', row.token_hash)
      .execute();
  }
  return toActor(row, 'session');
}

export async function actorFromApiKey(db: Kysely<Database>, key: string): Promise<Actor> {
  const row = await userWithScope(db)
    .innerJoin('api_keys as k', 'k.user_id', 'u.id')
    .select(['k.id as key_id', 'k.revoked_at', 'k.expires_at as key_expires_at', 'k.permissions'])
    .where('k.key_hash', '=', tokenHash(key))
    .executeTakeFirst();
  const now = new Date();
  if (
    !row ||
    row.revoked_at ||
    (row.key_expires_at && row.key_expires_at <= now) ||
    row.disabled ||
    // Only service accounts hold keys (the database refuses others too).
    row.kind !== 'service'
  ) {
    throw new AppError('INVALID_API_KEY');
  }
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.key_id).execute();
  // The key acts with what it was granted, never more than the account's role.
  const grants = PERMISSIONS.filter((p) => row.permissions.includes(p));
  return { ...toActor(row, 'api_key'), grants, apiKeyId: row.key_id };
}

export async function logout(ctx: Ctx, token: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sessions').where('token_hash', '=', tokenHash(token)).execute();
    await audit({ ...ctx, db: trx }, { action: 'auth.logout', target: `user:${ctx.actor.userId}` });
  });
}

export function assertPasswordPolicy(password: string, username?: string): void {
  const verdict = checkPassword(password, username ? { username } : {});
  if (!verdict.ok) {
    throw new AppError('PASSWORD_WEAK', {
      details: { reasons: verdict.reasons },
      message: {
        zh: `密码不符合安全策略：${verdict.reasons.map((r) => r.zh).join('；')}`,
        en: `The password does not meet the policy: ${verdict.reasons.map((r) => r.en).join('; ')}`,
      },
    });
  }
}

/**
 * A wrong current password counts like a failed login: a stolen session must not become a way
 * to guess the password. The fifth failure locks the account and ends all its sessions.
 */
async function countWrongCurrentPassword(ctx: Ctx): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('users')
      .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
      .where('id', '=', ctx.actor.userId)
      .returning('failed_attempts')
      .executeTakeFirstOrThrow();
    const lock = row.failed_attempts >= MAX_FAILED_LOGINS;
    if (lock) {
      await trx
        .updateTable('users')
        .set({ failed_attempts: 0, locked_until: new Date(Date.now() + LOCKOUT_MINUTES * 60_000) })
        .where('id', '=', ctx.actor.userId)
        .execute();
      await trx.deleteFrom('sessions').where('user_id', '=', ctx.actor.userId).execute();
    }
    await audit(
      { ...ctx, db: trx },
      {
        action: lock ? 'auth.locked' : 'auth.password_change_failed',
        target: `user:${ctx.actor.userId}`,
        outcome: 'denied',
        details: { failures: row.failed_attempts },
      },
    );
  });
}

/** A user changes their own password; every other session of theirs ends. */
export async function changeOwnPassword(ctx: Ctx, token: string | null, current: string, next: string) {
  const user = await ctx.db
    .selectFrom('users')
    .select(['password_hash'])
    .where('id', '=', ctx.actor.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, current))) {
    await countWrongCurrentPassword(ctx);
    throw new AppError('PASSWORD_WRONG');
  }
  assertPasswordPolicy(next, ctx.actor.username);
  const hash = await hashPassword(next);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        password_hash: hash,
        password_changed_at: new Date(),
        must_change_password: false,
        failed_attempts: 0,
      })
      .where('id', '=', ctx.actor.userId)
      .execute();
    let others = trx.deleteFrom('sessions').where('user_id', '=', ctx.actor.userId);
    if (token) others = others.where('token_hash', '<>', tokenHash(token));
    await others.execute();
    await audit({ ...ctx, db: trx }, { action: 'auth.password_change', target: `user:${ctx.actor.userId}` });
  });
}
