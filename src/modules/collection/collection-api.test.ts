/** Collection API (信息采集外包): 401/403/400/404/409 of every endpoint, the demo seed, writes and their audit rows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';

interface Company {
  code: string;
  name: string;
  contractDailyHours: number;
  teams: {
    code: string;
    name: string;
    members: { userId: number; username: string; displayName: string }[];
  }[];
}

describe.each(testStores())('collection API (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  const h: Record<string, { authorization: string }> = {};
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store);
    for (const u of ['admin', 'leader', 'shiftlead', 'dept', 'handler', 'supervisor', 'intake'])
      h[u] = await bearer(app, u);
    for (const u of await ts.store.db.selectFrom('users').select(['id', 'username']).execute())
      ids[u.username] = u.id;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  const call = (
    user: string | null,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    url: string,
    payload?: unknown,
  ) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      ...(user ? { headers: h[user] } : {}),
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const companies = async (user = 'admin') => {
    const r = await call(user, 'GET', '/collection/companies');
    expect(r.statusCode, r.body).toBe(200);
    return r.json().companies as Company[];
  };
  const auditRows = (action: string) =>
    ts.store.db
      .selectFrom('audit_log')
      .select(['actor_name', 'target', 'details'])
      .where('action', '=', action)
      .orderBy('id')
      .execute();

  it('the demo city has two companies, a team per district, and every supervisor in a team', async () => {
    const list = await companies('leader');
    expect(list.map((c) => [c.code, c.name, c.contractDailyHours])).toEqual([
      ['JCXC', '锦城信息采集服务有限公司', 8],
      ['RCCJ', '蓉城城市巡查外包有限公司', 7.5],
    ]);
    expect(list.flatMap((c) => c.teams.map((t) => t.code))).toEqual(['T510104', 'T510105', 'T510106']);
    const supervisors = await ts.store.db
      .selectFrom('users')
      .select(['id', 'username', 'division_code'])
      .where('role', '=', 'supervisor')
      .execute();
    // The demo city has a supervisor per community: each is in the team of his own district.
    expect(supervisors.length).toBeGreaterThan(20);
    const members = list.flatMap((c) => c.teams.flatMap((t) => t.members.map((m) => m.userId)));
    expect(members.sort()).toEqual(supervisors.map((s) => s.id).sort());
    for (const team of list.flatMap((c) => c.teams)) {
      const district = team.code.slice(1);
      expect(team.members.map((m) => m.username).sort(), team.code).toEqual(
        supervisors
          .filter((s) => s.division_code?.startsWith(district))
          .map((s) => s.username)
          .sort(),
      );
    }
    expect(list[0]?.teams[0]?.members).toContainEqual({
      userId: ids.supervisor,
      username: 'supervisor',
      displayName: '王监督',
    });
  });

  it('401 without a login; 403 for supervisors, intake without evaluation.read and department staff; writes need collection.write', async () => {
    expectError(await call(null, 'GET', '/collection/companies'), 401, 'UNAUTHENTICATED');
    for (const u of ['supervisor', 'intake', 'dept', 'handler'])
      expectError(await call(u, 'GET', '/collection/companies'), 403, 'FORBIDDEN');
    expect((await call('shiftlead', 'GET', '/collection/companies')).statusCode).toBe(200);
    const writes: ['POST' | 'PATCH' | 'PUT', string, unknown][] = [
      ['POST', '/collection/companies', { code: 'X1', name: 'x', contractDailyHours: 8 }],
      ['PATCH', '/collection/companies/JCXC', { name: 'x' }],
      ['POST', '/collection/teams', { code: 'X1', companyCode: 'JCXC', name: 'x' }],
      ['PATCH', '/collection/teams/T510104', { name: 'x' }],
      ['PUT', '/collection/teams/T510104/members', { userIds: [] }],
    ];
    for (const [method, url, body] of writes) {
      expectError(await call(null, method, url, body), 401, 'UNAUTHENTICATED');
      for (const u of ['leader', 'shiftlead', 'dept', 'supervisor']) {
        const err = expectError(await call(u, method, url, body), 403, 'FORBIDDEN');
        expect(err.details).toEqual({ permission: 'collection.write' });
      }
    }
    expect((await companies())[0]?.name).toBe('锦城信息采集服务有限公司'); // nothing changed
  });

  it('400 on bad input', async () => {
    const before = (await companies())[0]?.teams[0]?.members.map((m) => m.username);
    expect(before).toContain('supervisor');
    const bad: ['POST' | 'PATCH' | 'PUT', string, unknown][] = [
      ['POST', '/collection/companies', { code: 'X1', name: 'x', contractDailyHours: 0 }],
      ['POST', '/collection/companies', { code: 'X1', name: 'x', contractDailyHours: 24.5 }],
      ['POST', '/collection/companies', { code: 'x 1', name: 'x', contractDailyHours: 8 }],
      ['POST', '/collection/companies', { code: 'X1', name: ' ', contractDailyHours: 8 }],
      ['POST', '/collection/companies', { code: 'X1', name: 'x', contractDailyHours: 8, extra: 1 }],
      ['PATCH', '/collection/companies/JCXC', {}],
      ['PATCH', '/collection/companies/JCXC', { contractDailyHours: '8' }],
      ['POST', '/collection/teams', { code: 'X1', name: 'x' }],
      ['PATCH', '/collection/teams/T510104', {}],
      ['PATCH', '/collection/teams/a%20b', { name: 'x' }],
      ['PUT', '/collection/teams/T510104/members', { userIds: ['1'] }],
      ['PUT', '/collection/teams/T510104/members', {}],
    ];
    for (const [method, url, body] of bad)
      expectError(await call('admin', method, url, body), 400, 'VALIDATION_FAILED');
    const notSupervisor = expectError(
      await call('admin', 'PUT', '/collection/teams/T510104/members', {
        userIds: [ids.supervisor, ids.intake, 999_999],
      }),
      400,
      'COLLECTION_NOT_SUPERVISOR',
    );
    expect(notSupervisor.details).toEqual({ userIds: [ids.intake, 999_999] });
    expect(notSupervisor.message).toBe('只有监督员可以加入作业组');
    // Refused as a whole: the supervisor is still where he was.
    expect((await companies())[0]?.teams[0]?.members.map((m) => m.username)).toEqual(before);
  });

  it('404 for unknown companies and teams, 409 for taken codes', async () => {
    expectError(
      await call('admin', 'PATCH', '/collection/companies/NOPE', { name: 'x' }),
      404,
      'COLLECTION_COMPANY_NOT_FOUND',
    );
    expectError(
      await call('admin', 'POST', '/collection/teams', { code: 'X9', companyCode: 'NOPE', name: 'x' }),
      404,
      'COLLECTION_COMPANY_NOT_FOUND',
    );
    expectError(
      await call('admin', 'PATCH', '/collection/teams/T510104', { companyCode: 'NOPE' }),
      404,
      'COLLECTION_COMPANY_NOT_FOUND',
    );
    expectError(
      await call('admin', 'PATCH', '/collection/teams/NOPE', { name: 'x' }),
      404,
      'COLLECTION_TEAM_NOT_FOUND',
    );
    expectError(
      await call('admin', 'PUT', '/collection/teams/NOPE/members', { userIds: [] }),
      404,
      'COLLECTION_TEAM_NOT_FOUND',
    );
    const taken = expectError(
      await call('admin', 'POST', '/collection/companies', {
        code: 'JCXC',
        name: 'x',
        contractDailyHours: 8,
      }),
      409,
      'COLLECTION_COMPANY_EXISTS',
      { lang: 'zh' },
    );
    expect(taken.messages.en).toBe('A collection company with this code already exists');
    expectError(
      await call('admin', 'POST', '/collection/teams', { code: 'T510105', companyCode: 'JCXC', name: 'x' }),
      409,
      'COLLECTION_TEAM_EXISTS',
    );
  });

  it('creates and changes companies and teams, moves supervisors between teams; every write audited', async () => {
    const created = await call('admin', 'POST', '/collection/companies', {
      code: 'TFXC',
      name: '天府巡查服务有限公司',
      contractDailyHours: 6.5,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toEqual({
      code: 'TFXC',
      name: '天府巡查服务有限公司',
      contractDailyHours: 6.5,
      teams: [],
    });
    const changed = await call('admin', 'PATCH', '/collection/companies/TFXC', { contractDailyHours: 7.25 });
    expect(changed.json()).toEqual({
      code: 'TFXC',
      name: '天府巡查服务有限公司',
      contractDailyHours: 7.25,
      teams: [],
    });

    const team = await call('admin', 'POST', '/collection/teams', {
      code: 'TF-01',
      companyCode: 'TFXC',
      name: '一组',
    });
    expect(team.statusCode, team.body).toBe(201);
    expect(team.json()).toEqual({ code: 'TF-01', companyCode: 'TFXC', name: '一组', members: [] });

    // A new supervisor joins the city; moving the demo supervisor takes him out of T510104.
    const teamOf = async (code: string) =>
      (await companies()).flatMap((c) => c.teams).find((t) => t.code === code)?.members ?? [];
    const jinjiang = await teamOf('T510104');
    expect(jinjiang.map((m) => m.username)).toContain('supervisor');
    const second = await ts.store.db
      .insertInto('users')
      .values({
        username: 'supervisor_b',
        display_name: '李巡查',
        role: 'supervisor',
        division_code: '510104001001',
        password_hash: 'x',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const put = await call('admin', 'PUT', '/collection/teams/TF-01/members', {
      userIds: [ids.supervisor, second.id, second.id],
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({
      code: 'TF-01',
      companyCode: 'TFXC',
      name: '一组',
      members: [
        { userId: ids.supervisor, username: 'supervisor', displayName: '王监督' },
        { userId: second.id, username: 'supervisor_b', displayName: '李巡查' },
      ],
    });
    expect(await teamOf('T510104')).toEqual(jinjiang.filter((m) => m.username !== 'supervisor'));
    const rows = await ts.store.db.selectFrom('collection_team_members').selectAll().execute();
    expect(rows.filter((r) => r.user_id === ids.supervisor).map((r) => r.team_code)).toEqual(['TF-01']);

    // Setting the list again keeps a member's start date; leaving him out removes him.
    const since = rows.find((r) => r.user_id === ids.supervisor)?.since;
    await call('admin', 'PUT', '/collection/teams/TF-01/members', { userIds: [ids.supervisor] });
    const after = await ts.store.db.selectFrom('collection_team_members').selectAll().execute();
    expect(after.find((r) => r.user_id === ids.supervisor)?.since).toEqual(since);
    expect(after.some((r) => r.user_id === second.id)).toBe(false);

    // A team moves to another company and is renamed.
    const moved = await call('admin', 'PATCH', '/collection/teams/TF-01', {
      companyCode: 'JCXC',
      name: '机动组',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ code: 'TF-01', companyCode: 'JCXC', name: '机动组' });
    const jc = (await companies()).find((c) => c.code === 'JCXC');
    expect(jc?.teams.map((t) => t.code)).toEqual(['T510104', 'T510105', 'TF-01']);

    expect((await auditRows('collection.company_create')).map((r) => [r.actor_name, r.target])).toEqual([
      ['admin', 'collection_company:TFXC'],
    ]);
    expect((await auditRows('collection.company_update')).map((r) => r.details)).toEqual([
      { contractDailyHours: 7.25 },
    ]);
    expect((await auditRows('collection.team_create')).map((r) => r.target)).toEqual([
      'collection_team:TF-01',
    ]);
    expect((await auditRows('collection.team_update')).map((r) => r.details)).toEqual([
      { companyCode: 'JCXC', name: '机动组' },
    ]);
    const members = await auditRows('collection.team_members');
    expect(members.map((r) => r.details)).toEqual([
      {
        userIds: [ids.supervisor, second.id],
        added: [ids.supervisor, second.id],
        removed: [],
        movedFrom: { [String(ids.supervisor)]: 'T510104' },
      },
      { userIds: [ids.supervisor], added: [], removed: [second.id], movedFrom: {} },
    ]);
    // Refused and invalid writes left no audit rows.
    expect(await auditRows('collection.company_create')).toHaveLength(1);
  });

  it('a district reader sees the members of his district only', async () => {
    const other = await ts.store.db
      .insertInto('users')
      .values({
        username: 'supervisor_q',
        display_name: '青羊巡查',
        role: 'supervisor',
        division_code: '510105001001',
        password_hash: 'x',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const put = await call('admin', 'PUT', '/collection/teams/T510105/members', { userIds: [other.id] });
    expect(put.statusCode, put.body).toBe(200);
    const seen = async (user: string) =>
      (await companies(user)).flatMap((c) => c.teams.flatMap((t) => t.members.map((m) => m.username)));
    expect(await seen('leader')).toContain('supervisor_q');
    const district = await seen('shiftlead'); // 510104
    expect(district).toContain('supervisor');
    expect(district).not.toContain('supervisor_q');
  });
});
