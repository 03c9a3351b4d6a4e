import { type Kysely, sql } from 'kysely';
import { DEPARTMENT_ROLES, type Role } from '../../domain/access/permissions.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import { type PageInfo, pageInfo } from '../../platform/http/paging.js';
import { audit } from '../audit/service.js';
import { hashPassword, temporaryPassword } from '../auth/crypto.js';
import { assertPasswordPolicy } from '../auth/service.js';

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: string;
  divisionCode: string | null;
  departmentId: number | null;
  phone: string | null;
  locked: boolean;
  disabled: boolean;
  /** 'service': a machine client's account, which acts through API keys and never logs in. */
  kind: 'person' | 'service';
  createdAt: string;
}

/** Personal data stays with those who manage accounts; everyone else sees 138****5678. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/**
 * Users the actor may see: those of its area; a department user (who assigns handlers) only
 * the staff of its own department subtree.
 */
function scopedUsers(db: Kysely<Database>, scopePrefix: string, departmentPath: string | null = null) {
  const base = db
    .selectFrom('users as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.role',
      'u.division_code',
      'u.department_id',
      'u.phone',
      'u.locked_until',
      'u.disabled',
      'u.kind',
      'u.created_at',
    ])
    .where((eb) =>
      eb.or([
        eb('u.division_code', 'like', `${scopePrefix}%`),
        eb('d.division_code', 'like', `${scopePrefix}%`),
      ]),
    );
  return departmentPath ? base.where('d.path', 'like', `${departmentPath}%`) : base;
}

type UserRow = Awaited<ReturnType<ReturnType<typeof scopedUsers>['executeTakeFirstOrThrow']>>;

function present(ctx: Ctx, r: UserRow): UserView {
  const seesPersonalData = ctx.actor.role === 'admin' || ctx.actor.userId === r.id;
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    divisionCode: r.division_code,
    departmentId: r.department_id,
    phone: seesPersonalData ? r.phone : maskPhone(r.phone),
    locked: !!r.locked_until && r.locked_until > new Date(),
    disabled: r.disabled,
    kind: r.kind,
    createdAt: r.created_at.toISOString(),
  };
}

export async function listUsers(
  ctx: Ctx,
  q: {
    role?: Role | undefined;
    q?: string | undefined;
    divisionCode?: string | undefined;
    departmentId?: number | undefined;
    limit: number;
    offset: number;
  },
): Promise<PageInfo & { items: UserView[] }> {
  requirePermission(ctx.actor, 'user.read');
  let query = scopedUsers(ctx.db, ctx.actor.scopePrefix, ctx.actor.departmentPath);
  if (q.role) query = query.where('u.role', '=', q.role);
  if (q.divisionCode) {
    const under = `${q.divisionCode}%`;
    query = query.where((eb) =>
      eb.or([eb('u.division_code', 'like', under), eb('d.division_code', 'like', under)]),
    );
  }
  if (q.departmentId !== undefined) {
    // A department lists with its sub-units (道路养护所 under 市政设施管理处).
    // An unknown id gives NULL || '%' = NULL: no rows, not every row.
    const id = q.departmentId;
    query = query.where(sql<boolean>`d.path LIKE (SELECT path FROM departments WHERE id = ${id}) || '%'`);
  }
  if (q.q) {
    const like = `%${q.q.replace(/[%_\\]/g, '\\$&')}%`;
    query = query.where((eb) =>
      eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'ilike', like)]),
    );
  }
  const [rows, count] = await Promise.all([
    query.orderBy('u.id').limit(q.limit).offset(q.offset).execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { ...pageInfo(Number(count.n), q.limit, q.offset), items: rows.map((r) => present(ctx, r)) };
}

export async function getUser(ctx: Ctx, id: number): Promise<UserView> {
  if (id !== ctx.actor.userId) requirePermission(ctx.actor, 'user.read');
  const row = await scopedUsers(ctx.db, ctx.actor.scopePrefix, ctx.actor.departmentPath)
    .where('u.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('user');
  return present(ctx, row);
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  divisionCode?: string | undefined;
  departmentCode?: string | undefined;
  phone?: string | undefined;
  password?: string | undefined;
  /** Defaults to 'service' for the service role, else 'person'. */
  kind?: 'person' | 'service' | undefined;
}

/** The stored hash of an account that cannot log in (no password verifies against it). */
const NO_LOGIN = '!no-login';

/** Resolves and scope-checks the org unit a new user belongs to. */
async function orgUnitFor(ctx: Ctx, input: NewUser) {
  const isDeptRole = DEPARTMENT_ROLES.includes(input.role);
  if (
    isDeptRole ? !input.departmentCode || input.divisionCode : !input.divisionCode || input.departmentCode
  ) {
    throw new AppError('ORG_UNIT_INVALID', {
      message: {
        zh: isDeptRole ? '部门人员必须且只能指定所属部门' : '该角色必须且只能指定所属行政区划',
        en: isDeptRole
          ? 'Department staff belong to exactly one department (departmentCode)'
          : 'This role belongs to exactly one division (divisionCode)',
      },
    });
  }
  if (input.departmentCode) {
    const d = await ctx.db
      .selectFrom('departments')
      .select(['id', 'division_code'])
      .where('code', '=', input.departmentCode)
      .executeTakeFirst();
    if (!d?.division_code.startsWith(ctx.actor.scopePrefix)) {
      throw new AppError('ORG_UNIT_INVALID', { details: { departmentCode: input.departmentCode } });
    }
    return { division_code: null, department_id: d.id };
  }
  const code = input.divisionCode ?? '';
  const v = await ctx.db.selectFrom('divisions').select('code').where('code', '=', code).executeTakeFirst();
  if (!v || !code.startsWith(ctx.actor.scopePrefix)) {
    throw new AppError('ORG_UNIT_INVALID', { details: { divisionCode: code } });
  }
  return { division_code: code, department_id: null };
}

/** Creates an account; without a password a one-time password is generated and must be changed. */
export async function createUser(
  ctx: Ctx,
  input: NewUser,
): Promise<{ user: UserView; temporaryPassword?: string }> {
  requirePermission(ctx.actor, 'user.write');
  const username = input.username.toLowerCase();
  const kind = input.kind ?? (input.role === 'service' ? 'service' : 'person');
  if (kind === 'service' && input.password) throw new AppError('SERVICE_ACCOUNT_NO_PASSWORD');
  if (input.role === 'service' && kind !== 'service') {
    throw new AppError('VALIDATION_FAILED', {
      details: { field: 'kind' },
      message: { zh: '服务角色只能用于服务账号', en: 'The service role is for service accounts only' },
    });
  }
  const orgUnit = await orgUnitFor(ctx, input);
  if (input.password) assertPasswordPolicy(input.password, username);
  const taken = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirst();
  if (taken) throw new AppError('USERNAME_TAKEN', { details: { username } });
  const password = input.password ?? temporaryPassword();
  const hash = kind === 'service' ? NO_LOGIN : await hashPassword(password);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('users')
      .values({
        username,
        display_name: input.displayName,
        role: input.role,
        ...orgUnit,
        phone: input.phone ?? null,
        password_hash: hash,
        must_change_password: kind === 'person' && !input.password,
        kind,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      { ...ctx, db: trx },
      {
        action: 'user.create',
        target: `user:${row.id}`,
        details: { username, role: input.role, kind, ...orgUnit },
      },
    );
    return row.id;
  });
  const user = await getUser(ctx, id);
  return input.password || kind === 'service' ? { user } : { user, temporaryPassword: password };
}

async function requireManagedUser(ctx: Ctx, id: number) {
  requirePermission(ctx.actor, 'user.write');
  const row = await scopedUsers(ctx.db, ctx.actor.scopePrefix, ctx.actor.departmentPath)
    .where('u.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('user');
  return row;
}

/** Admin reset: new password (given or generated), lockout cleared, all sessions ended. */
export async function resetPassword(ctx: Ctx, id: number, password?: string) {
  const row = await requireManagedUser(ctx, id);
  if (row.kind === 'service') throw new AppError('SERVICE_ACCOUNT_NO_PASSWORD');
  if (password) assertPasswordPolicy(password, row.username);
  const next = password ?? temporaryPassword();
  const hash = await hashPassword(next);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        password_hash: hash,
        password_changed_at: new Date(),
        must_change_password: !password,
        failed_attempts: 0,
        locked_until: null,
      })
      .where('id', '=', id)
      .execute();
    await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    await audit({ ...ctx, db: trx }, { action: 'user.reset_password', target: `user:${id}` });
  });
  return password ? {} : { temporaryPassword: next };
}

/** Disabling ends the user's sessions at once; enabling also clears a login lockout. */
export async function setUserDisabled(ctx: Ctx, id: number, disabled: boolean): Promise<UserView> {
  await requireManagedUser(ctx, id);
  if (id === ctx.actor.userId && disabled) {
    throw new AppError('CONFLICT', {
      message: { zh: '不能停用自己的账号', en: 'You cannot disable your own account' },
    });
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set(disabled ? { disabled } : { disabled, failed_attempts: 0, locked_until: null })
      .where('id', '=', id)
      .execute();
    if (disabled) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    await audit(
      { ...ctx, db: trx },
      { action: disabled ? 'user.disable' : 'user.enable', target: `user:${id}` },
    );
  });
  return getUser(ctx, id);
}
