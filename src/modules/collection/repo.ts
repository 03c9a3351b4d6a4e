/** SQL of the collection (信息采集外包) module: companies, teams and team members. */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

export function companyRows(db: Kysely<Database>, code?: string) {
  let q = db
    .selectFrom('collection_companies')
    .select(['code', 'name', 'contract_daily_hours'])
    .orderBy('code');
  if (code !== undefined) q = q.where('code', '=', code);
  return q.execute();
}

export function teamRows(db: Kysely<Database>, where: { code?: string; companyCode?: string } = {}) {
  let q = db.selectFrom('collection_teams').select(['code', 'company_code', 'name']).orderBy('code');
  if (where.code !== undefined) q = q.where('code', '=', where.code);
  if (where.companyCode !== undefined) q = q.where('company_code', '=', where.companyCode);
  return q.execute();
}

/** Members of the given teams (all when omitted) whose division is under `scopePrefix`. */
export function memberRows(db: Kysely<Database>, scopePrefix: string, teamCodes?: readonly string[]) {
  let q = db
    .selectFrom('collection_team_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.team_code', 'm.user_id', 'u.username', 'u.display_name'])
    .orderBy('u.username');
  if (teamCodes !== undefined) {
    if (teamCodes.length === 0) return Promise.resolve([]);
    q = q.where('m.team_code', 'in', [...teamCodes]);
  }
  if (scopePrefix !== '') q = q.where('u.division_code', 'like', `${scopePrefix}%`);
  return q.execute();
}

export async function insertCompany(
  db: Kysely<Database>,
  c: { code: string; name: string; contractDailyHours: number },
): Promise<boolean> {
  const row = await db
    .insertInto('collection_companies')
    .values({ code: c.code, name: c.name, contract_daily_hours: c.contractDailyHours })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('code')
    .executeTakeFirst();
  return row !== undefined;
}

export async function updateCompany(
  db: Kysely<Database>,
  code: string,
  c: { name?: string | undefined; contractDailyHours?: number | undefined },
): Promise<boolean> {
  const row = await db
    .updateTable('collection_companies')
    .set({
      ...(c.name !== undefined ? { name: c.name } : {}),
      ...(c.contractDailyHours !== undefined ? { contract_daily_hours: c.contractDailyHours } : {}),
      updated_at: new Date(),
    })
    .where('code', '=', code)
    .returning('code')
    .executeTakeFirst();
  return row !== undefined;
}

export async function companyExists(db: Kysely<Database>, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('collection_companies')
    .select('code')
    .where('code', '=', code)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertTeam(
  db: Kysely<Database>,
  t: { code: string; companyCode: string; name: string },
): Promise<boolean> {
  const row = await db
    .insertInto('collection_teams')
    .values({ code: t.code, company_code: t.companyCode, name: t.name })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('code')
    .executeTakeFirst();
  return row !== undefined;
}

export async function updateTeam(
  db: Kysely<Database>,
  code: string,
  t: { name?: string | undefined; companyCode?: string | undefined },
): Promise<boolean> {
  const row = await db
    .updateTable('collection_teams')
    .set({
      ...(t.name !== undefined ? { name: t.name } : {}),
      ...(t.companyCode !== undefined ? { company_code: t.companyCode } : {}),
      updated_at: new Date(),
    })
    .where('code', '=', code)
    .returning('code')
    .executeTakeFirst();
  return row !== undefined;
}

/** The team row, locked for the rest of the transaction (member changes of one team queue up). */
export function lockTeam(db: Kysely<Database>, code: string) {
  return db
    .selectFrom('collection_teams')
    .select(['code', 'company_code', 'name'])
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
}

/** Users among `ids` who are supervisors under `scopePrefix`. */
export function supervisorsAmong(db: Kysely<Database>, ids: readonly number[], scopePrefix: string) {
  if (ids.length === 0) return Promise.resolve([]);
  let q = db
    .selectFrom('users')
    .select(['id'])
    .where('id', 'in', [...ids])
    .where('role', '=', 'supervisor');
  if (scopePrefix !== '') q = q.where('division_code', 'like', `${scopePrefix}%`);
  return q.execute();
}
