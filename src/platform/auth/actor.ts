import type { Kysely } from 'kysely';
import { type Permission, ROLE_PERMISSIONS, type Role, roleCan } from '../../domain/access/permissions.js';
import type { Database } from '../db/schema.js';
import { AppError, forbidden } from '../errors.js';

/** Who is acting, resolved once per request from a session or an API key. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  divisionCode: string | null;
  departmentId: number | null;
  /** Descendant division and grid codes start with this: the geographic data scope. */
  scopePrefix: string;
  /** '/1/5/': the department subtree the actor may see (department roles only). */
  departmentPath: string | null;
  via: 'session' | 'api_key';
  /** A one-time password is in use: only changing it (and reading /auth/me, logging out) is allowed. */
  mustChangePassword: boolean;
  /**
   * A service account acting through an API key may do only what the key grants (a subset of
   * its role's permissions); absent for sessions, where the role decides.
   */
  grants?: readonly Permission[];
  /** The API key the request came with (its use is audited). */
  apiKeyId?: number;
}

export interface RequestMeta {
  ip: string | null;
  requestId: string | null;
  userAgent: string | null;
}

/** What every service call receives. */
export interface Ctx {
  db: Kysely<Database>;
  actor: Actor;
  meta: RequestMeta;
}

/** What the actor may do: its role's permission, narrowed to the key's grants for API keys. */
export function can(actor: Actor, permission: Permission): boolean {
  return roleCan(actor.role, permission) && (actor.grants === undefined || actor.grants.includes(permission));
}

/** The permissions the actor holds now (for /auth/me), in the role table's order. */
export function permissionsOf(actor: Actor): Permission[] {
  return ROLE_PERMISSIONS[actor.role].filter((p) => can(actor, p));
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw forbidden(permission);
}

/** Geographic scope: a district operator never sees another district's divisions or grids. */
export function inGeoScope(actor: Actor, code: string): boolean {
  return code.startsWith(actor.scopePrefix);
}

/** Out-of-scope objects answer 404, so their existence is not revealed. */
export function requireGeoScope(actor: Actor, code: string, what: string): void {
  if (!inGeoScope(actor, code)) throw new AppError('NOT_FOUND', { details: { resource: what } });
}

/** Department scope: department staff see only their department and its sub-units. */
export function inDepartmentScope(actor: Actor, departmentPath: string): boolean {
  return actor.departmentPath === null || departmentPath.startsWith(actor.departmentPath);
}

/** The operator at the command line (`cityloop user add` …): full scope, audited as "cli". */
export function systemActor(name = 'cli'): Actor {
  return {
    userId: 0,
    username: name,
    displayName: name,
    role: 'admin',
    divisionCode: null,
    departmentId: null,
    scopePrefix: '',
    departmentPath: null,
    via: 'session',
    mustChangePassword: false,
  };
}
