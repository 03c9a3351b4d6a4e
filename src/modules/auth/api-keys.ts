import { isRole, type Permission, ROLE_PERMISSIONS } from '../../domain/access/permissions.js';
import { type Ctx, can, requireGeoScope, requirePermission } from '../../platform/auth/actor.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { newToken, tokenHash } from './crypto.js';

/**
 * Machine clients (cameras, IoT gateways, 12345 bridges) authenticate with an API key of a
 * service account. The key carries only the permissions granted to it: a subset of the account's
 * role, and never more than the administrator issuing it holds.
 */
export async function createApiKey(
  ctx: Ctx,
  input: { name: string; userId: number; permissions: Permission[]; expiresAt?: Date | undefined },
) {
  requirePermission(ctx.actor, 'apikey.manage');
  const owner = await ctx.db
    .selectFrom('users as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .select([
      'u.id',
      'u.username',
      'u.role',
      'u.kind',
      'u.division_code',
      'd.division_code as department_division',
    ])
    .where('u.id', '=', input.userId)
    .executeTakeFirst();
  const ownerDivision = owner?.division_code ?? owner?.department_division;
  if (!owner || !ownerDivision) throw notFound('user');
  requireGeoScope(ctx.actor, ownerDivision, 'user');
  if (owner.kind !== 'service') {
    throw new AppError('APIKEY_NOT_SERVICE_ACCOUNT', { details: { userId: owner.id, kind: owner.kind } });
  }
  const role = isRole(owner.role) ? owner.role : null;
  const outsideRole = input.permissions.filter((p) => !role || !ROLE_PERMISSIONS[role].includes(p));
  if (outsideRole.length > 0) {
    throw new AppError('APIKEY_PERMISSION_NOT_IN_ROLE', {
      details: { role: owner.role, permissions: outsideRole },
    });
  }
  // Nobody hands out more than they hold (a key with apikey.manage issuing keys included).
  const notHeld = input.permissions.find((p) => !can(ctx.actor, p));
  if (notHeld) throw forbidden(notHeld);
  if (input.expiresAt && input.expiresAt <= new Date()) {
    throw new AppError('VALIDATION_FAILED', {
      details: { field: 'expiresAt' },
      message: { zh: '过期时间必须晚于当前时间', en: 'expiresAt must be in the future' },
    });
  }
  const permissions = [...new Set(input.permissions)];
  const prefix = newToken(6);
  const key = `clk_${prefix}_${newToken(32)}`;
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('api_keys')
      .values({
        name: input.name,
        prefix,
        key_hash: tokenHash(key),
        user_id: owner.id,
        permissions,
        created_by: ctx.actor.userId,
        expires_at: input.expiresAt ?? null,
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    await audit(
      { ...ctx, db: trx },
      {
        action: 'apikey.create',
        target: `apikey:${row.id}`,
        details: { name: input.name, userId: owner.id, permissions },
      },
    );
    // The key itself is shown once, here; only its hash is kept.
    return {
      id: row.id,
      name: input.name,
      prefix,
      userId: owner.id,
      permissions,
      key,
      createdAt: row.created_at.toISOString(),
    };
  });
}

export async function listApiKeys(ctx: Ctx) {
  requirePermission(ctx.actor, 'apikey.manage');
  const rows = await ctx.db
    .selectFrom('api_keys as k')
    .innerJoin('users as u', 'u.id', 'k.user_id')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .select([
      'k.id',
      'k.name',
      'k.prefix',
      'k.user_id',
      'k.permissions',
      'u.username',
      'k.created_at',
      'k.last_used_at',
      'k.expires_at',
      'k.revoked_at',
      'u.division_code',
      'd.division_code as department_division',
    ])
    .orderBy('k.id')
    .execute();
  return rows
    .filter((r) => (r.division_code ?? r.department_division ?? '').startsWith(ctx.actor.scopePrefix))
    .map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      userId: r.user_id,
      username: r.username,
      permissions: r.permissions,
      createdAt: r.created_at.toISOString(),
      lastUsedAt: r.last_used_at?.toISOString() ?? null,
      expiresAt: r.expires_at?.toISOString() ?? null,
      revokedAt: r.revoked_at?.toISOString() ?? null,
    }));
}

export async function revokeApiKey(ctx: Ctx, id: number) {
  const keys = await listApiKeys(ctx);
  if (!keys.some((k) => k.id === id)) throw notFound('api_key');
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    await audit({ ...ctx, db: trx }, { action: 'apikey.revoke', target: `apikey:${id}` });
  });
}
