/** The platform's actor checks as this module uses them. */
import type { Permission } from '../../domain/access/permissions.js';
import { forbidden } from '../../platform/errors.js';

export { type Ctx, requirePermission } from '../../platform/auth/actor.js';

/** 403 unless `allowed` (a role check beside the permission). */
export function forbiddenUnless(allowed: boolean, permission: Permission): void {
  if (!allowed) throw forbidden(permission);
}
