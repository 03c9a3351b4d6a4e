import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

/** The user row plus what is needed to build an Actor (division scope, department path). */
export function userWithScope(db: Kysely<Database>) {
  return db
    .selectFrom('users as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .leftJoin('divisions as v', (j) =>
      j.on((eb) => eb('v.code', '=', eb.fn.coalesce('u.division_code', 'd.division_code'))),
    )
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.role',
      'u.division_code',
      'u.department_id',
      'u.password_hash',
      'u.failed_attempts',
      'u.locked_until',
      'u.disabled',
      'u.must_change_password',
      'u.kind',
      'd.path as department_path',
      'v.scope_prefix',
    ]);
}

export type UserWithScope = Awaited<ReturnType<ReturnType<typeof userWithScope>['executeTakeFirstOrThrow']>>;
