import { type Ctx, requireGeoScope, requirePermission } from '../../platform/auth/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { newToken, tokenHash } from './crypto.js';

/** Machine clients (cameras, IoT gateways, 12345 bridges) authenticate with an API key bound to a user. */
export async function createApiKey(
  ctx: Ctx,
  input: { name: string; userId: number; expiresAt?: Date | undefined },
) {
  requirePermission(ctx.actor, 'apikey.manage');
  const owner = await ctx.db
    .selectFrom('users as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .select(['u.id', 'u.username', 'u.division_code', 'd.division_code as department_division'])
    .where('u.id', '=', input.userId)
    .executeTakeFirst();
  const ownerDivision = owner?.division_code ?? owner?.department_division;
  if (!owner || !ownerDivision) throw notFound('user');
  requireGeoScope(ctx.actor, ownerDivision, 'user');
  if (input.expiresAt && input.expiresAt <= new Date()) {
    throw new AppError('VALIDATION_FAILED', {
      details: { field: 'expiresAt' },
      message: { zh: '过期时间必须晚于当前时间', en: 'expiresAt must be in the future' },
    });
  }
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
        details: { name: input.name, userId: owner.id },
      },
    );
    // The key itself is shown once, here; only its hash is kept.
    return {
      id: row.id,
      name: input.name,
      prefix,
      userId: owner.id,
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
