/**
 * Outsourced information collection (信息采集外包): the companies a city contracts, their teams
 * (作业组) and which supervisors work in each team — what the evaluation scores as
 * collection_team / collection_company subjects. Centre readers with `evaluation.read` read
 * them (department staff do not: the contracts are the centre's business); administrators
 * (`collection.write`) keep them, every write audited in its transaction.
 */
import { sql } from 'kysely';
import { DEPARTMENT_ROLES } from '../../domain/access/permissions.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError, forbidden } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import {
  companyExists,
  companyRows,
  insertCompany,
  insertTeam,
  lockTeam,
  memberRows,
  supervisorsAmong,
  teamRows,
  updateCompany,
  updateTeam,
} from './repo.js';
import type { CreateCompanyInput, CreateTeamInput, UpdateCompanyInput, UpdateTeamInput } from './schema.js';

function requireRead(ctx: Ctx): void {
  requirePermission(ctx.actor, 'evaluation.read');
  if (DEPARTMENT_ROLES.includes(ctx.actor.role)) throw forbidden('evaluation.read');
}

type Member = { userId: number; username: string; displayName: string };

/** Members by team; a reader sees the members of his own area only (people's names). */
async function membersByTeam(ctx: Ctx, teamCodes?: readonly string[]) {
  const rows = await memberRows(ctx.db, ctx.actor.scopePrefix, teamCodes);
  const out = new Map<string, Member[]>();
  for (const r of rows) {
    const list = out.get(r.team_code) ?? [];
    list.push({ userId: r.user_id, username: r.username, displayName: r.display_name });
    out.set(r.team_code, list);
  }
  return out;
}

async function companiesView(ctx: Ctx, code?: string) {
  const [companies, teams, members] = await Promise.all([
    companyRows(ctx.db, code),
    teamRows(ctx.db, code === undefined ? {} : { companyCode: code }),
    membersByTeam(ctx),
  ]);
  return companies.map((c) => ({
    code: c.code,
    name: c.name,
    contractDailyHours: Number(c.contract_daily_hours),
    teams: teams
      .filter((t) => t.company_code === c.code)
      .map((t) => ({ code: t.code, name: t.name, members: members.get(t.code) ?? [] })),
  }));
}

async function teamView(ctx: Ctx, code: string) {
  const [team] = await teamRows(ctx.db, { code });
  if (!team) throw new AppError('COLLECTION_TEAM_NOT_FOUND', { details: { code } });
  const members = await membersByTeam(ctx, [code]);
  return {
    code: team.code,
    companyCode: team.company_code,
    name: team.name,
    members: members.get(code) ?? [],
  };
}

export async function listCompanies(ctx: Ctx) {
  requireRead(ctx);
  return { companies: await companiesView(ctx) };
}

export async function createCompany(ctx: Ctx, input: CreateCompanyInput) {
  requirePermission(ctx.actor, 'collection.write');
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await insertCompany(trx, input)))
      throw new AppError('COLLECTION_COMPANY_EXISTS', { details: { code: input.code } });
    await audit(
      { ...ctx, db: trx },
      { action: 'collection.company_create', target: `collection_company:${input.code}`, details: input },
    );
  });
  return (await companiesView(ctx, input.code))[0];
}

export async function changeCompany(ctx: Ctx, code: string, input: UpdateCompanyInput) {
  requirePermission(ctx.actor, 'collection.write');
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await updateCompany(trx, code, input)))
      throw new AppError('COLLECTION_COMPANY_NOT_FOUND', { details: { code } });
    await audit(
      { ...ctx, db: trx },
      { action: 'collection.company_update', target: `collection_company:${code}`, details: input },
    );
  });
  return (await companiesView(ctx, code))[0];
}

export async function createTeam(ctx: Ctx, input: CreateTeamInput) {
  requirePermission(ctx.actor, 'collection.write');
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await companyExists(trx, input.companyCode)))
      throw new AppError('COLLECTION_COMPANY_NOT_FOUND', { details: { code: input.companyCode } });
    if (!(await insertTeam(trx, input)))
      throw new AppError('COLLECTION_TEAM_EXISTS', { details: { code: input.code } });
    await audit(
      { ...ctx, db: trx },
      { action: 'collection.team_create', target: `collection_team:${input.code}`, details: input },
    );
  });
  return teamView(ctx, input.code);
}

export async function changeTeam(ctx: Ctx, code: string, input: UpdateTeamInput) {
  requirePermission(ctx.actor, 'collection.write');
  await ctx.db.transaction().execute(async (trx) => {
    if (input.companyCode !== undefined && !(await companyExists(trx, input.companyCode)))
      throw new AppError('COLLECTION_COMPANY_NOT_FOUND', { details: { code: input.companyCode } });
    if (!(await updateTeam(trx, code, input)))
      throw new AppError('COLLECTION_TEAM_NOT_FOUND', { details: { code } });
    await audit(
      { ...ctx, db: trx },
      { action: 'collection.team_update', target: `collection_team:${code}`, details: input },
    );
  });
  return teamView(ctx, code);
}

/**
 * Makes the team's members (of the actor's area) exactly `userIds`. Only supervisors may be
 * members; one listed while in another team moves (a supervisor is in one team at most) and
 * starts a new `since`; one already in this team keeps his.
 */
export async function setTeamMembers(ctx: Ctx, code: string, userIds: readonly number[]) {
  requirePermission(ctx.actor, 'collection.write');
  const wanted = [...new Set(userIds)];
  const scope = ctx.actor.scopePrefix;
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await lockTeam(trx, code))) throw new AppError('COLLECTION_TEAM_NOT_FOUND', { details: { code } });
    const ok = new Set((await supervisorsAmong(trx, wanted, scope)).map((u) => u.id));
    const refused = wanted.filter((id) => !ok.has(id));
    if (refused.length > 0)
      throw new AppError('COLLECTION_NOT_SUPERVISOR', { details: { userIds: refused } });
    const current = (await memberRows(trx, scope, [code])).map((m) => m.user_id);
    const removed = current.filter((id) => !ok.has(id));
    const moved =
      wanted.length === 0
        ? []
        : await trx
            .selectFrom('collection_team_members')
            .select(['user_id', 'team_code'])
            .where('user_id', 'in', wanted)
            .where('team_code', '<>', code)
            .execute();
    if (removed.length > 0)
      await trx
        .deleteFrom('collection_team_members')
        .where('team_code', '=', code)
        .where('user_id', 'in', removed)
        .execute();
    if (wanted.length > 0)
      await trx
        .insertInto('collection_team_members')
        .values(wanted.map((user_id) => ({ user_id, team_code: code })))
        .onConflict((oc) =>
          oc
            .column('user_id')
            .doUpdateSet({ team_code: code, since: sql`now()` })
            .where('collection_team_members.team_code', '<>', code),
        )
        .execute();
    await audit(
      { ...ctx, db: trx },
      {
        action: 'collection.team_members',
        target: `collection_team:${code}`,
        details: {
          userIds: wanted,
          added: wanted.filter((id) => !current.includes(id)),
          removed,
          movedFrom: Object.fromEntries(moved.map((m) => [m.user_id, m.team_code])),
        },
      },
    );
  });
  return teamView(ctx, code);
}
