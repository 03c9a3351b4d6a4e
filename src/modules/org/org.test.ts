import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, DEMO_PASSWORD, testApp } from '../../../test/helpers/app.js';
import { expectError as expectApiError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import type { ErrorCode } from '../../platform/errors.js';
import type { ApiApp } from '../../platform/http/types.js';
import { maskPhone } from './users.js';

type Headers = Record<string, string>;

const expectError = (
  res: LightMyRequestResponse,
  status: number,
  code: ErrorCode,
  opts: { customMessage?: boolean } = {},
) => expectApiError(res, status, code, { catalogueMessage: !opts.customMessage });

/** Demo phones are 1382800NNNN in the order of the demo accounts. */
const DEMO_PHONES: Record<string, string> = {
  admin: '13828000001',
  leader: '13828000002',
  coordinator: '13828000003',
  shiftlead: '13828000004',
  dispatcher: '13828000005',
  intake: '13828000006',
  supervisor: '13828000007',
  dept: '13828000008',
  handler: '13828000009',
  citizen: '13828000010',
  intake2: '13828000011',
};
const DEMO_USERNAMES = Object.keys(DEMO_PHONES);
const STRONG = 'Str0ng#Passphrase';

interface UserItem {
  id: number;
  username: string;
  displayName: string;
  role: string;
  divisionCode: string | null;
  departmentId: number | null;
  phone: string | null;
  locked: boolean;
  disabled: boolean;
  createdAt: string;
}

describe.each(testStores())('org API on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  const auth: Record<string, Headers> = {};
  const ids: Record<string, number> = {};
  const deptIds: Record<string, number> = {};
  let supervisorCommunity = '';
  let districtAdmin: Headers;

  const get = (url: string, headers: Headers = {}) =>
    app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
  const post = (url: string, headers: Headers, payload?: unknown) =>
    app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const login = (username: string, password = DEMO_PASSWORD) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, client: 'app' } });
  async function listAllUsers(headers: Headers, query = ''): Promise<{ items: UserItem[]; total: number }> {
    const res = await get(`/users?limit=200${query}`, headers);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  async function createUser(payload: Record<string, unknown>, headers: Headers = auth.admin!) {
    return post('/users', headers, {
      displayName: '测试用户',
      role: 'intake',
      divisionCode: '510104',
      ...payload,
    });
  }

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    for (const u of DEMO_USERNAMES) auth[u] = await bearer(app, u);
    for (const u of await t.store.db
      .selectFrom('users')
      .select(['id', 'username', 'division_code'])
      .execute()) {
      ids[u.username] = u.id;
      if (u.username === 'supervisor') supervisorCommunity = u.division_code ?? '';
    }
    for (const d of await t.store.db.selectFrom('departments').select(['id', 'code']).execute()) {
      deptIds[d.code] = d.id;
    }
    // An administrator of the second district only.
    const res = await createUser({
      username: 'admin-510105',
      role: 'admin',
      divisionCode: '510105',
      password: STRONG,
    });
    expect(res.statusCode, res.body).toBe(201);
    ids['admin-510105'] = res.json().user.id;
    districtAdmin = await bearer(app, 'admin-510105', STRONG);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  describe('divisions', () => {
    it('admin sees the whole city; intake only 510104; intake2 only 510105', async () => {
      const all = (await get('/divisions', auth.admin)).json().items as Array<{
        code: string;
        level: string;
      }>;
      const codes = all.map((d) => d.code);
      expect(codes).toEqual(expect.arrayContaining(['510100', '510104', '510105', '510106']));
      expect(codes).toEqual([...codes].sort());

      const mine = ((await get('/divisions', auth.intake)).json().items as typeof all).map((d) => d.code);
      expect(mine).toContain('510104');
      expect(mine.length).toBeGreaterThan(3);
      expect(mine.every((c) => c.startsWith('510104'))).toBe(true);
      expect(mine).toEqual(codes.filter((c) => c.startsWith('510104')));

      const theirs = ((await get('/divisions', auth.intake2)).json().items as typeof all).map((d) => d.code);
      expect(theirs).toContain('510105');
      expect(theirs.every((c) => c.startsWith('510105'))).toBe(true);
      expect(theirs).toEqual(codes.filter((c) => c.startsWith('510105')));
    });

    it('a supervisor sees its community; department staff see the city of their department', async () => {
      const sup = (await get('/divisions', auth.supervisor)).json().items as Array<{ code: string }>;
      expect(sup.map((d) => d.code)).toEqual([supervisorCommunity]);
      const all = (await get('/divisions', auth.admin)).json().items;
      for (const u of ['dept', 'handler']) {
        const res = await get('/divisions', auth[u]);
        expect(res.statusCode).toBe(200);
        expect(res.json().items).toEqual(all);
      }
    });

    it('filters by level and parentCode', async () => {
      const streets = (await get('/divisions?level=street', auth.intake)).json().items as Array<{
        code: string;
        level: string;
        parentCode: string;
      }>;
      expect(streets.length).toBeGreaterThan(0);
      expect(streets.every((s) => s.level === 'street' && s.parentCode === '510104')).toBe(true);
      const street = streets[0]!.code;
      const communities = (await get(`/divisions?parentCode=${street}`, auth.intake)).json().items as Array<{
        code: string;
        level: string;
        parentCode: string;
      }>;
      expect(communities.length).toBeGreaterThan(0);
      expect(communities.every((c) => c.level === 'community' && c.parentCode === street)).toBe(true);
      // Filtering by a parent outside my scope gives nothing, not its children.
      expect((await get('/divisions?parentCode=510105', auth.intake)).json().items).toEqual([]);
    });

    it('one division with its boundary; another district answers 404', async () => {
      const res = await get('/divisions/510104', auth.intake);
      expect(res.statusCode, res.body).toBe(200);
      const d = res.json();
      expect(d).toMatchObject({ code: '510104', level: 'district', parentCode: '510100' });
      expect(d.boundary.type).toBe('MultiPolygon');
      const err = expectError(await get('/divisions/510104', auth.intake2), 404, 'NOT_FOUND');
      expect(err.details).toEqual({ resource: 'division' });
      expectError(await get('/divisions/510100', auth.intake), 404, 'NOT_FOUND');
      expectError(await get('/divisions/510199', auth.admin), 404, 'NOT_FOUND');
    });

    it('grids follow the same scope', async () => {
      const mine = await get(`/grids?limit=5000`, auth.intake);
      expect(mine.statusCode, mine.body).toBe(200);
      const codes = (mine.json().features as Array<{ id: string }>).map((f) => f.id);
      expect(codes.length).toBeGreaterThan(0);
      expect(codes.every((c) => c.startsWith('510104'))).toBe(true);
      expectError(await get(`/grids/${codes[0]}`, auth.intake2), 404, 'NOT_FOUND');
      expect((await get(`/grids/${codes[0]}`, auth.intake)).statusCode).toBe(200);
    });

    it('citizen gets 403 FORBIDDEN', async () => {
      for (const url of ['/divisions', '/divisions/510104', '/grids', '/departments', '/users']) {
        const res = await get(url, auth.citizen);
        expectError(res, 403, 'FORBIDDEN');
      }
    });

    it('401 without credentials', async () => {
      expectError(await get('/divisions'), 401, 'UNAUTHENTICATED');
      expectError(await get('/divisions/510104'), 401, 'UNAUTHENTICATED');
      expectError(
        await post('/divisions', {}, { code: '510104091', name: 'x', parentCode: '510104' }),
        401,
        'UNAUTHENTICATED',
      );
    });

    it.each([
      ['/divisions?level=planet', 'querystring'],
      ['/divisions?parentCode=abc', 'querystring'],
      ['/divisions?foo=1', 'querystring'],
      ['/divisions/abc', 'params'],
      ['/divisions/5101041', 'params'],
    ])('GET %s is 400 VALIDATION_FAILED', async (url, where) => {
      const err = expectError(await get(url, auth.admin), 400, 'VALIDATION_FAILED');
      expect(err.details.in).toBe(where);
    });

    describe('create', () => {
      it('admin creates a street and a community under it; both appear in scope', async () => {
        const street = await post('/divisions', auth.admin!, {
          code: '510104099',
          name: ' 测试街道 ',
          parentCode: '510104',
        });
        expect(street.statusCode, street.body).toBe(201);
        expect(street.json()).toEqual({
          code: '510104099',
          name: '测试街道',
          level: 'street',
          parentCode: '510104',
          boundary: null,
        });
        const community = await post('/divisions', auth.admin!, {
          code: '510104099001',
          name: '测试社区',
          parentCode: '510104099',
        });
        expect(community.statusCode, community.body).toBe(201);
        expect(community.json()).toMatchObject({ level: 'community', parentCode: '510104099' });
        const seen = (
          (await get('/divisions?parentCode=510104099', auth.intake)).json().items as Array<{ code: string }>
        ).map((d) => d.code);
        expect(seen).toEqual(['510104099001']);
        expectError(await get('/divisions/510104099', auth.intake2), 404, 'NOT_FOUND');
        // A district under the city.
        const district = await post('/divisions', auth.admin!, {
          code: '510107',
          name: '测试区',
          parentCode: '510100',
        });
        expect(district.statusCode, district.body).toBe(201);
        expect(district.json().level).toBe('district');
      });

      it.each([
        ['a prefix that does not match the parent', { code: '510105098', parentCode: '510104' }],
        ['skipping a level', { code: '510104098001', parentCode: '510104' }],
        ['a street code ending in 000', { code: '510104000', parentCode: '510104' }],
        ['a community under the city', { code: '510104093001', parentCode: '510100' }],
        ['a district without a parent', { code: '510108', parentCode: null }],
        ['a city with a parent', { code: '510200', parentCode: '510100' }],
        ['a district of another city', { code: '510201', parentCode: '510100' }],
        ['a province code', { code: '510000', parentCode: null }],
      ])('400 DIVISION_INVALID for %s', async (_n, body) => {
        const err = expectError(
          await post('/divisions', auth.admin!, { name: '错误', ...body }),
          400,
          'DIVISION_INVALID',
          { customMessage: true },
        );
        expect(err.details).toEqual(body);
        expect(err.messages.en).toContain(body.code);
        const exists = await t.store.db
          .selectFrom('divisions')
          .select('code')
          .where('code', '=', body.code)
          .executeTakeFirst();
        expect(exists).toBeUndefined();
      });

      it('404 for an unknown parent, 409 CONFLICT for an existing code', async () => {
        expectError(
          await post('/divisions', auth.admin!, { code: '510104097001', name: 'x', parentCode: '510104097' }),
          404,
          'NOT_FOUND',
        );
        const dup = await post('/divisions', auth.admin!, {
          code: '510104',
          name: '重复',
          parentCode: '510100',
        });
        expect(expectError(dup, 409, 'CONFLICT').details).toEqual({ code: '510104' });
      });

      it('a city-scoped admin cannot create a new city (403); a district admin cannot create in another district (404)', async () => {
        expectError(
          await post('/divisions', auth.admin!, { code: '510200', name: '新城', parentCode: null }),
          403,
          'FORBIDDEN',
        );
        expectError(
          await post('/divisions', districtAdmin, { code: '510104096', name: 'x', parentCode: '510104' }),
          404,
          'NOT_FOUND',
        );
        expectError(
          await post('/divisions', districtAdmin, { code: '510109', name: 'x', parentCode: '510100' }),
          404,
          'NOT_FOUND',
        );
        const own = await post('/divisions', districtAdmin, {
          code: '510105096',
          name: '区内街道',
          parentCode: '510105',
        });
        expect(own.statusCode, own.body).toBe(201);
      });

      it.each(['leader', 'intake', 'shiftlead', 'supervisor', 'dept', 'citizen'])(
        '403 FORBIDDEN for %s',
        async (u) => {
          const err = expectError(
            await post('/divisions', auth[u]!, { code: '510104095', name: 'x', parentCode: '510104' }),
            403,
            'FORBIDDEN',
          );
          expect(err.details).toEqual({ permission: 'division.write' });
        },
      );

      it.each([
        ['missing name', { code: '510104094', parentCode: '510104' }],
        ['blank name', { code: '510104094', name: '   ', parentCode: '510104' }],
        ['missing parentCode', { code: '510104094', name: 'x' }],
        ['a malformed code', { code: '51010409', name: 'x', parentCode: '510104' }],
        ['an unknown field', { code: '510104094', name: 'x', parentCode: '510104', level: 'street' }],
      ])('400 VALIDATION_FAILED for %s', async (_n, body) => {
        const err = expectError(await post('/divisions', auth.admin!, body), 400, 'VALIDATION_FAILED');
        expect(err.details.in).toBe('body');
      });
    });
  });

  describe('departments', () => {
    it('a department user lists only its subtree; centre roles list the units serving their area', async () => {
      const all = (await get('/departments', auth.admin)).json().items as Array<{ code: string; id: number }>;
      expect(all.map((d) => d.code)).toEqual(expect.arrayContaining(['SZ', 'SZ-01', 'HW', 'ZF', 'ZF-01']));
      const mine = (await get('/departments', auth.dept)).json().items as Array<{
        code: string;
        parentId: number | null;
      }>;
      expect(mine.map((d) => d.code).sort()).toEqual(['SZ', 'SZ-01', 'SZ-02', 'SZ-03']);
      expect(mine.find((d) => d.code === 'SZ-01')!.parentId).toBe(deptIds.SZ);
      for (const u of ['leader', 'coordinator']) {
        expect((await get('/departments', auth[u])).json().items).toEqual(all);
      }
      // A district sees city-level departments and its own units, never another district's.
      const divisionOf = new Map(
        (await t.store.db.selectFrom('departments').select(['code', 'division_code']).execute()).map((d) => [
          d.code,
          d.division_code,
        ]),
      );
      for (const [u, district] of [
        ['shiftlead', '510104'],
        ['dispatcher', '510104'],
        ['intake', '510104'],
        ['intake2', '510105'],
      ] as const) {
        const codes = ((await get('/departments', auth[u])).json().items as Array<{ code: string }>).map(
          (d) => d.code,
        );
        const expected = all
          .map((d) => d.code)
          .filter((c) => divisionOf.get(c) === '510100' || divisionOf.get(c)!.startsWith(district));
        expect(codes).toEqual(expected);
        expect(codes).toContain('SZ');
        expect(codes.some((c) => divisionOf.get(c)!.startsWith(district))).toBe(true);
      }
      const intakeCodes = (
        (await get('/departments', auth.intake)).json().items as Array<{ code: string }>
      ).map((d) => d.code);
      expect(intakeCodes).not.toContain('ZF-02');
      expect(intakeCodes).toContain('ZF-01');
    });

    it('one department: in scope 200, outside the subtree 404', async () => {
      const res = await get(`/departments/${deptIds['SZ-01']}`, auth.dept);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        id: deptIds['SZ-01'],
        code: 'SZ-01',
        name: expect.any(String),
        parentId: deptIds.SZ,
        divisionCode: '510100',
        active: true,
      });
      const err = expectError(await get(`/departments/${deptIds.HW}`, auth.dept), 404, 'NOT_FOUND');
      expect(err.details).toEqual({ resource: 'department' });
      expectError(await get('/departments/999999', auth.admin), 404, 'NOT_FOUND');
    });

    it('supervisors read the departments serving their area, handlers their unit and those above it', async () => {
      const codes = async (u: string) =>
        ((await get('/departments', auth[u])).json().items as Array<{ code: string }>).map((d) => d.code);
      const supervisor = await codes('supervisor');
      // City-level units and the supervisor's own district's brigade; not another district's.
      expect(supervisor).toEqual(expect.arrayContaining(['SZ', 'SZ-01', 'HW', 'ZF', 'ZF-01']));
      expect(supervisor).not.toContain('ZF-02');
      expect(supervisor.filter((c) => c.startsWith('JD-')).every((c) => c.startsWith('JD-510104'))).toBe(
        true,
      );
      expect((await get(`/departments/${deptIds.SZ}`, auth.supervisor)).statusCode).toBe(200);
      // 冯处置 sits in 道路养护所 (SZ-01) under 市政设施管理处 (SZ).
      expect((await codes('handler')).sort()).toEqual(['SZ', 'SZ-01']);
      expect((await get(`/departments/${deptIds.SZ}`, auth.handler)).statusCode).toBe(200);
      expectError(await get(`/departments/${deptIds['SZ-02']}`, auth.handler), 404, 'NOT_FOUND');
      expectError(await get(`/departments/${deptIds.HW}`, auth.handler), 404, 'NOT_FOUND');
    });

    it.each(['citizen'])('403 FORBIDDEN for %s', async (u) => {
      for (const url of ['/departments', `/departments/${deptIds.SZ}`]) {
        const err = expectError(await get(url, auth[u]), 403, 'FORBIDDEN');
        expect(err.details).toEqual({ permission: 'department.read' });
      }
    });

    it('401 without credentials; 400 on a bad id', async () => {
      expectError(await get('/departments'), 401, 'UNAUTHENTICATED');
      expectError(await get(`/departments/${deptIds.SZ}`), 401, 'UNAUTHENTICATED');
      expectError(
        await post('/departments', {}, { code: 'X', name: 'x', divisionCode: '510100' }),
        401,
        'UNAUTHENTICATED',
      );
      expectError(await get('/departments/abc', auth.admin), 400, 'VALIDATION_FAILED');
      expectError(await get('/departments/0', auth.admin), 400, 'VALIDATION_FAILED');
    });

    it('admin creates a nested sub-unit; the parent department sees it', async () => {
      const child = await post('/departments', auth.admin!, {
        code: 'SZ-04',
        name: '桥梁管理所',
        parentCode: 'SZ',
        divisionCode: '510100',
      });
      expect(child.statusCode, child.body).toBe(201);
      expect(child.json()).toEqual({
        id: expect.any(Number),
        code: 'SZ-04',
        name: '桥梁管理所',
        parentId: deptIds.SZ,
        divisionCode: '510100',
        active: true,
      });
      const grandchild = await post('/departments', auth.admin!, {
        code: 'SZ-04-A',
        name: '一号桥班组',
        parentCode: 'SZ-04',
        divisionCode: '510104',
      });
      expect(grandchild.statusCode, grandchild.body).toBe(201);
      expect(grandchild.json().parentId).toBe(child.json().id);
      const path = await t.store.db
        .selectFrom('departments')
        .select('path')
        .where('id', '=', grandchild.json().id)
        .executeTakeFirstOrThrow();
      expect(path.path).toBe(`/${deptIds.SZ}/${child.json().id}/${grandchild.json().id}/`);
      const mine = ((await get('/departments', auth.dept)).json().items as Array<{ code: string }>).map(
        (d) => d.code,
      );
      expect(mine).toEqual(expect.arrayContaining(['SZ-04', 'SZ-04-A']));
      expect((await get(`/departments/${grandchild.json().id}`, auth.dept)).statusCode).toBe(200);
      // A top-level department is nobody's sub-unit.
      const top = await post('/departments', auth.admin!, {
        code: 'WY',
        name: '物业管理处',
        divisionCode: '510100',
      });
      expect(top.statusCode, top.body).toBe(201);
      expect(top.json().parentId).toBeNull();
      expectError(await get(`/departments/${top.json().id}`, auth.dept), 404, 'NOT_FOUND');
    });

    it('400 ORG_UNIT_INVALID for an unknown parent or division; 409 CONFLICT for a taken code', async () => {
      const noParent = await post('/departments', auth.admin!, {
        code: 'ORPHAN',
        name: 'x',
        parentCode: 'NOPE',
        divisionCode: '510100',
      });
      expect(expectError(noParent, 400, 'ORG_UNIT_INVALID').details).toEqual({ parentCode: 'NOPE' });
      const noDivision = await post('/departments', auth.admin!, {
        code: 'ORPHAN',
        name: 'x',
        divisionCode: '510104999',
      });
      expect(expectError(noDivision, 400, 'ORG_UNIT_INVALID').details).toEqual({ divisionCode: '510104999' });
      const dup = await post('/departments', auth.admin!, { code: 'HW', name: 'x', divisionCode: '510100' });
      expect(expectError(dup, 409, 'CONFLICT').details).toEqual({ code: 'HW' });
    });

    it('a district admin creates departments only in its district, under parents in its scope', async () => {
      expectError(
        await post('/departments', districtAdmin, { code: 'D5-X', name: 'x', divisionCode: '510104' }),
        404,
        'NOT_FOUND',
      );
      const own = await post('/departments', districtAdmin, {
        code: 'D5-1',
        name: '区内部门',
        divisionCode: '510105',
      });
      expect(own.statusCode, own.body).toBe(201);
      const sub = await post('/departments', districtAdmin, {
        code: 'D5-1-A',
        name: '区内班组',
        parentCode: 'D5-1',
        divisionCode: '510105',
      });
      expect(sub.statusCode, sub.body).toBe(201);
      // Hanging a unit under a city department would put it in that department's data scope.
      expectError(
        await post('/departments', districtAdmin, {
          code: 'D5-SZ',
          name: 'x',
          parentCode: 'SZ',
          divisionCode: '510105',
        }),
        400,
        'ORG_UNIT_INVALID',
      );
      const sz = ((await get('/departments', auth.dept)).json().items as Array<{ code: string }>).map(
        (d) => d.code,
      );
      expect(sz).not.toContain('D5-SZ');
    });

    it('a sub-unit must lie within the division of its parent', async () => {
      const res = await post('/departments', auth.admin!, {
        code: 'D5-1-B',
        name: 'x',
        parentCode: 'D5-1',
        divisionCode: '510104',
      });
      expectError(res, 400, 'ORG_UNIT_INVALID');
    });

    it.each(['leader', 'intake', 'dept', 'handler', 'citizen'])('create: 403 FORBIDDEN for %s', async (u) => {
      const err = expectError(
        await post('/departments', auth[u]!, { code: 'NEW-1', name: 'x', divisionCode: '510100' }),
        403,
        'FORBIDDEN',
      );
      expect(err.details).toEqual({ permission: 'department.write' });
    });

    it.each([
      ['a code with a space', { code: 'SZ 05', name: 'x', divisionCode: '510100' }],
      ['a code starting with a dash', { code: '-SZ', name: 'x', divisionCode: '510100' }],
      ['missing divisionCode', { code: 'NEW-2', name: 'x' }],
      ['blank name', { code: 'NEW-2', name: ' ', divisionCode: '510100' }],
      ['an unknown field', { code: 'NEW-2', name: 'x', divisionCode: '510100', active: false }],
    ])('create: 400 VALIDATION_FAILED for %s', async (_n, body) => {
      expectError(await post('/departments', auth.admin!, body), 400, 'VALIDATION_FAILED');
    });
  });

  describe('users: scope and personal data', () => {
    it('intake lists the users of 510104 only, phones masked except its own', async () => {
      const { items, total } = await listAllUsers(auth.intake!);
      const names = items.map((u) => u.username);
      expect(names).toEqual(expect.arrayContaining(['shiftlead', 'dispatcher', 'intake', 'supervisor']));
      for (const other of ['admin', 'leader', 'intake2', 'dept', 'handler', 'citizen', 'admin-510105']) {
        expect(names).not.toContain(other);
      }
      expect(items.every((u) => u.divisionCode?.startsWith('510104'))).toBe(true);
      expect(total).toBe(items.length);
      for (const u of items) {
        if (u.username === 'intake') expect(u.phone).toBe(DEMO_PHONES.intake);
        else if (u.phone !== null) expect(u.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      }
      expect(items.find((u) => u.username === 'shiftlead')!.phone).toBe('138****0004');
      expect(items.map((u) => u.id)).toEqual([...items.map((u) => u.id)].sort((a, b) => a - b));
    });

    it('intake2 lists only 510105 and cannot read a 510104 user (404)', async () => {
      const { items } = await listAllUsers(auth.intake2!);
      const names = items.map((u) => u.username);
      expect(names).toContain('intake2');
      expect(names).toContain('admin-510105');
      expect(items.every((u) => u.divisionCode?.startsWith('510105'))).toBe(true);
      const err = expectError(await get(`/users/${ids.intake}`, auth.intake2), 404, 'NOT_FOUND');
      expect(err.details).toEqual({ resource: 'user' });
      expectError(await get(`/users/${ids.admin}`, auth.intake2), 404, 'NOT_FOUND');
    });

    it('admin sees every user with real phones; city-level readers see all, masked', async () => {
      const adminView = await listAllUsers(auth.admin!);
      const leaderView = await listAllUsers(auth.leader!);
      expect(leaderView.items.map((u) => u.id)).toEqual(adminView.items.map((u) => u.id));
      for (const name of DEMO_USERNAMES) {
        const a = adminView.items.find((u) => u.username === name)!;
        const l = leaderView.items.find((u) => u.username === name)!;
        expect(a.phone).toBe(DEMO_PHONES[name]);
        expect(l.phone).toBe(name === 'leader' ? DEMO_PHONES.leader : maskPhone(DEMO_PHONES[name]!));
      }
      expect(leaderView.items.find((u) => u.username === 'dispatcher')!.phone).toBe('138****0005');
      const one = await get(`/users/${ids.shiftlead}`, auth.admin);
      expect(one.json()).toEqual({
        id: ids.shiftlead,
        username: 'shiftlead',
        displayName: '李值班',
        role: 'shift_leader',
        divisionCode: '510104',
        departmentId: null,
        phone: '13828000004',
        locked: false,
        disabled: false,
        kind: 'person',
        createdAt: expect.stringMatching(/Z$/),
      });
      expect((await get(`/users/${ids.shiftlead}`, auth.dispatcher)).json().phone).toBe('138****0004');
    });

    it('everybody reads their own record with their own phone, even without user.read', async () => {
      for (const name of ['supervisor', 'handler', 'dept', 'citizen', 'intake']) {
        const res = await get(`/users/${ids[name]}`, auth[name]);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toMatchObject({ username: name, phone: DEMO_PHONES[name] });
      }
      expect((await get(`/users/${ids.dept}`, auth.dept)).json().departmentId).toBe(deptIds.SZ);
    });

    // A department user reads its own staff only (admin-console.test.ts); others are out of reach.
    it('dept: reading someone outside its department is 404', async () => {
      expectError(await get(`/users/${ids.intake}`, auth.dept), 404, 'NOT_FOUND');
    });

    it.each(['supervisor', 'handler', 'citizen'])('%s: listing or reading others is 403', async (u) => {
      for (const url of ['/users', `/users/${ids.intake}`]) {
        const err = expectError(await get(url, auth[u]), 403, 'FORBIDDEN');
        expect(err.details).toEqual({ permission: 'user.read' });
      }
    });

    it('filters by role and text, pages with limit/offset', async () => {
      // Every intake operator of the demo staff: the named logins and sly-<district>-<n>.
      const intakes = await listAllUsers(auth.admin!, '&role=intake');
      const demoIntakes = generateDemoCity()
        .users.filter((u) => u.role === 'intake')
        .map((u) => u.username);
      expect(demoIntakes.length).toBeGreaterThan(2);
      expect(intakes.items.map((u) => u.username).sort()).toEqual(demoIntakes.sort());
      expect(intakes.total).toBe(demoIntakes.length);
      expect(intakes.items.every((u) => u.role === 'intake')).toBe(true);
      // The staff's names are personal names: searching for the post finds the named logins.
      const byName = await listAllUsers(auth.admin!, `&q=${encodeURIComponent('受理')}`);
      expect(byName.items.map((u) => u.username).sort()).toEqual(['intake', 'intake2']);
      const byUser = await listAllUsers(auth.admin!, '&q=SHIFT');
      expect(byUser.items.map((u) => u.username)).toEqual(['shiftlead']);
      // LIKE wildcards are literal.
      expect((await listAllUsers(auth.admin!, '&q=%25')).total).toBe(0);
      expect((await listAllUsers(auth.admin!, '&q=_')).total).toBe(0);

      const all = await listAllUsers(auth.admin!);
      const p1 = (await get('/users?limit=3&offset=0', auth.admin)).json();
      const p2 = (await get('/users?limit=3&offset=3', auth.admin)).json();
      expect(p1.items).toHaveLength(3);
      expect(p1).toMatchObject({ total: all.total, limit: 3, offset: 0, nextOffset: 3 });
      expect(p2).toMatchObject({ limit: 3, offset: 3, nextOffset: all.total > 6 ? 6 : null });
      expect(p2.total).toBe(all.total);
      expect([...p1.items, ...p2.items].map((u: UserItem) => u.id)).toEqual(
        all.items.slice(0, 6).map((u) => u.id),
      );
      expect((await get('/users', auth.admin)).json().items.length).toBe(Math.min(50, all.total));
    });

    it('401 without credentials', async () => {
      expectError(await get('/users'), 401, 'UNAUTHENTICATED');
      expectError(await get(`/users/${ids.intake}`), 401, 'UNAUTHENTICATED');
    });

    it.each([
      '/users?limit=0',
      '/users?limit=201',
      '/users?offset=-1',
      '/users?role=king',
      `/users?q=${'x'.repeat(41)}`,
      '/users?sort=name',
      '/users/abc',
      '/users/0',
      '/users/1.5',
    ])('GET %s is 400 VALIDATION_FAILED', async (url) => {
      expectError(await get(url, auth.admin), 400, 'VALIDATION_FAILED');
    });

    it('404 for an unknown user id', async () => {
      expectError(await get('/users/999999', auth.admin), 404, 'NOT_FOUND');
    });
  });

  describe('users: admin management', () => {
    it('creates a user with a password (policy enforced), which then logs in', async () => {
      const res = await createUser({
        username: 'New.Intake',
        displayName: '新受理',
        phone: '13900000001',
        password: STRONG,
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body).not.toHaveProperty('temporaryPassword');
      expect(body.user).toEqual({
        id: expect.any(Number),
        username: 'new.intake',
        displayName: '新受理',
        role: 'intake',
        divisionCode: '510104',
        departmentId: null,
        phone: '13900000001',
        locked: false,
        disabled: false,
        kind: 'person',
        createdAt: expect.any(String),
      });
      const li = await login('new.intake', STRONG);
      expect(li.statusCode, li.body).toBe(200);
      expect(li.json().mustChangePassword).toBe(false);
      expect(li.json().user.scopePrefix).toBe('510104');
      // Visible to the district, masked.
      const seen = (await listAllUsers(auth.intake!)).items.find((u) => u.username === 'new.intake');
      expect(seen?.phone).toBe('139****0001');
    });

    it('400 PASSWORD_WEAK for a weak password; nothing is created', async () => {
      const res = await createUser({ username: 'weakling', password: 'weakling123' });
      const err = expectError(res, 400, 'PASSWORD_WEAK', { customMessage: true });
      expect(err.details.reasons.map((r: { rule: string }) => r.rule)).toEqual(['classes', 'username']);
      expect((await listAllUsers(auth.admin!, '&q=weakling')).total).toBe(0);
      expectError(await login('weakling', 'weakling123'), 401, 'INVALID_CREDENTIALS');
    });

    it('without a password returns a one-time password; login then asks for a change', async () => {
      const res = await createUser({ username: 'otp-user' });
      expect(res.statusCode, res.body).toBe(201);
      const otp = res.json().temporaryPassword as string;
      expect(otp).toMatch(/^[A-Za-z0-9]{6}-[A-Za-z0-9]{6}#7a$/);
      const li = await login('otp-user', otp);
      expect(li.statusCode, li.body).toBe(200);
      expect(li.json().mustChangePassword).toBe(true);
      // Each one-time password is different.
      const other = (await createUser({ username: 'otp-user2' })).json().temporaryPassword;
      expect(other).not.toBe(otp);
    });

    it('409 USERNAME_TAKEN for a taken username, in any case', async () => {
      for (const username of ['intake', 'INTAKE', 'Admin']) {
        const err = expectError(await createUser({ username, password: STRONG }), 409, 'USERNAME_TAKEN');
        expect(err.details).toEqual({ username: username.toLowerCase() });
      }
    });

    it.each([
      ['department role without departmentCode', { role: 'department', divisionCode: undefined }],
      ['department role with a division', { role: 'department', departmentCode: 'SZ' }],
      ['handler without departmentCode', { role: 'handler', divisionCode: undefined }],
      ['division role with a department', { role: 'intake', departmentCode: 'SZ' }],
      ['division role without a division', { role: 'leader', divisionCode: undefined }],
    ])('400 ORG_UNIT_INVALID for %s', async (_n, extra) => {
      const res = await createUser({ username: 'org-misfit', password: STRONG, ...extra });
      expectError(res, 400, 'ORG_UNIT_INVALID', { customMessage: true });
    });

    it('400 ORG_UNIT_INVALID for an unknown department or division', async () => {
      const d = await createUser({
        username: 'org-misfit',
        role: 'handler',
        divisionCode: undefined,
        departmentCode: 'NOPE',
      });
      expect(expectError(d, 400, 'ORG_UNIT_INVALID').details).toEqual({ departmentCode: 'NOPE' });
      const v = await createUser({ username: 'org-misfit', divisionCode: '510104888' });
      expect(expectError(v, 400, 'ORG_UNIT_INVALID').details).toEqual({ divisionCode: '510104888' });
    });

    it('creates department staff in a sub-unit, scoped to its department', async () => {
      const res = await createUser({
        username: 'road-worker',
        role: 'handler',
        divisionCode: undefined,
        departmentCode: 'SZ-02',
        password: STRONG,
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().user).toMatchObject({
        role: 'handler',
        divisionCode: null,
        departmentId: deptIds['SZ-02'],
      });
      const li = (await login('road-worker', STRONG)).json();
      expect(li.user.departmentPath).toBe(`/${deptIds.SZ}/${deptIds['SZ-02']}/`);
    });

    it('a district admin cannot create users outside its district', async () => {
      for (const extra of [
        { divisionCode: '510104' },
        { divisionCode: '510100' },
        { role: 'department', divisionCode: undefined, departmentCode: 'SZ' },
      ]) {
        const res = await createUser({ username: 'outsider', password: STRONG, ...extra }, districtAdmin);
        expectError(res, 400, 'ORG_UNIT_INVALID');
      }
      const inside = await createUser(
        { username: 'insider', divisionCode: '510105', password: STRONG },
        districtAdmin,
      );
      expect(inside.statusCode, inside.body).toBe(201);
      const { items } = await listAllUsers(districtAdmin);
      expect(items.every((u) => u.divisionCode?.startsWith('510105'))).toBe(true);
      // Its own district's users are shown unmasked (it is an admin).
      expect(items.find((u) => u.username === 'intake2')!.phone).toBe(DEMO_PHONES.intake2);
      // And it cannot manage users elsewhere.
      expectError(await post(`/users/${ids.intake}/reset-password`, districtAdmin), 404, 'NOT_FOUND');
      expectError(await post(`/users/${ids.intake}/disable`, districtAdmin), 404, 'NOT_FOUND');
      expectError(await post(`/users/${ids.intake}/enable`, districtAdmin), 404, 'NOT_FOUND');
      expectError(await get(`/users/${ids.intake}`, districtAdmin), 404, 'NOT_FOUND');
    });

    it.each(['leader', 'coordinator', 'intake', 'dispatcher', 'supervisor', 'dept', 'citizen'])(
      'create: 403 FORBIDDEN for %s',
      async (u) => {
        const err = expectError(
          await createUser({ username: 'by-nonadmin', password: STRONG }, auth[u]!),
          403,
          'FORBIDDEN',
        );
        expect(err.details).toEqual({ permission: 'user.write' });
      },
    );

    it('create: 401 without credentials', async () => {
      expectError(await createUser({ username: 'anon', password: STRONG }, {}), 401, 'UNAUTHENTICATED');
    });

    it.each([
      ['a one-letter username', { username: 'a' }],
      ['a username with a space', { username: 'two words' }],
      ['a username starting with a dot', { username: '.hidden' }],
      ['an unknown role', { username: 'ok-name', role: 'king' }],
      ['a malformed phone', { username: 'ok-name', phone: 'call me' }],
      ['a malformed division', { username: 'ok-name', divisionCode: '5101' }],
      ['a blank displayName', { username: 'ok-name', displayName: '  ' }],
      ['an empty password', { username: 'ok-name', password: '' }],
      ['an unknown field', { username: 'ok-name', isAdmin: true }],
    ])('create: 400 VALIDATION_FAILED for %s', async (_n, extra) => {
      const err = expectError(await createUser(extra), 400, 'VALIDATION_FAILED');
      expect(err.details.in).toBe('body');
    });

    describe('reset-password, disable, enable', () => {
      let seq = 0;
      async function managed() {
        seq += 1;
        const username = `managed-${seq}`;
        const res = await createUser({ username, password: STRONG });
        expect(res.statusCode, res.body).toBe(201);
        return { id: res.json().user.id as number, username };
      }
      async function lockOut(username: string) {
        for (let i = 0; i < 5; i++) await login(username, `Wrong#Guess${i}`);
        expectError(await login(username, STRONG), 423, 'ACCOUNT_LOCKED');
      }

      it('reset with a new password clears the lockout and ends the sessions', async () => {
        const u = await managed();
        const session = await bearer(app, u.username, STRONG);
        await lockOut(u.username);
        const listed = (await listAllUsers(auth.admin!, `&q=${u.username}`)).items[0]!;
        expect(listed.locked).toBe(true);
        const res = await post(`/users/${u.id}/reset-password`, auth.admin!, { password: 'Reset#Pass-2026' });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toEqual({});
        expectError(await get('/auth/me', session), 401, 'UNAUTHENTICATED');
        const li = await login(u.username, 'Reset#Pass-2026');
        expect(li.statusCode, li.body).toBe(200);
        expect(li.json().mustChangePassword).toBe(false);
        expectError(await login(u.username, STRONG), 401, 'INVALID_CREDENTIALS');
        expect((await get(`/users/${u.id}`, auth.admin)).json().locked).toBe(false);
      });

      it('reset without a body returns a one-time password that must be changed', async () => {
        const u = await managed();
        const session = await bearer(app, u.username, STRONG);
        const res = await post(`/users/${u.id}/reset-password`, auth.admin!);
        expect(res.statusCode, res.body).toBe(200);
        const otp = res.json().temporaryPassword as string;
        expect(typeof otp).toBe('string');
        expectError(await get('/auth/me', session), 401, 'UNAUTHENTICATED');
        const li = await login(u.username, otp);
        expect(li.statusCode).toBe(200);
        expect(li.json().mustChangePassword).toBe(true);
        // An empty JSON object means the same.
        const again = await post(`/users/${u.id}/reset-password`, auth.admin!, {});
        expect(again.statusCode, again.body).toBe(200);
        expect(again.json().temporaryPassword).not.toBe(otp);
      });

      it('reset: PASSWORD_WEAK, 404, 403, 401, 400', async () => {
        const u = await managed();
        const weak = await post(`/users/${u.id}/reset-password`, auth.admin!, { password: 'short' });
        expectError(weak, 400, 'PASSWORD_WEAK', { customMessage: true });
        expect((await login(u.username, STRONG)).statusCode).toBe(200);
        expectError(await post('/users/999999/reset-password', auth.admin!), 404, 'NOT_FOUND');
        for (const who of ['leader', 'intake', 'citizen']) {
          const err = expectError(await post(`/users/${u.id}/reset-password`, auth[who]!), 403, 'FORBIDDEN');
          expect(err.details).toEqual({ permission: 'user.write' });
        }
        expectError(await post(`/users/${u.id}/reset-password`, {}), 401, 'UNAUTHENTICATED');
        expectError(await post('/users/abc/reset-password', auth.admin!), 400, 'VALIDATION_FAILED');
        expectError(
          await post(`/users/${u.id}/reset-password`, auth.admin!, { password: STRONG, notify: true }),
          400,
          'VALIDATION_FAILED',
        );
        expectError(
          await post(`/users/${u.id}/reset-password`, auth.admin!, { password: '' }),
          400,
          'VALIDATION_FAILED',
        );
        // Nothing changed through the refused requests.
        expect((await login(u.username, STRONG)).statusCode).toBe(200);
      });

      it('disable ends the sessions and blocks login; enable restores it', async () => {
        const u = await managed();
        const session = await bearer(app, u.username, STRONG);
        const off = await post(`/users/${u.id}/disable`, auth.admin!);
        expect(off.statusCode, off.body).toBe(200);
        expect(off.json()).toMatchObject({ id: u.id, username: u.username, disabled: true });
        expectError(await get('/auth/me', session), 401, 'UNAUTHENTICATED');
        expectError(await login(u.username, STRONG), 403, 'ACCOUNT_DISABLED');
        expect((await get(`/users/${u.id}`, auth.intake)).json().disabled).toBe(true);
        const on = await post(`/users/${u.id}/enable`, auth.admin!);
        expect(on.statusCode, on.body).toBe(200);
        expect(on.json()).toMatchObject({ id: u.id, disabled: false, locked: false });
        expect((await login(u.username, STRONG)).statusCode).toBe(200);
      });

      it('enable also clears a login lockout', async () => {
        const u = await managed();
        await lockOut(u.username);
        const on = await post(`/users/${u.id}/enable`, auth.admin!);
        expect(on.statusCode).toBe(200);
        expect(on.json().locked).toBe(false);
        expect((await login(u.username, STRONG)).statusCode).toBe(200);
      });

      it('an admin cannot disable itself (409)', async () => {
        const err = expectError(await post(`/users/${ids.admin}/disable`, auth.admin!), 409, 'CONFLICT', {
          customMessage: true,
        });
        expect(err.messages.en).toMatch(/own account/);
        expect((await get('/auth/me', auth.admin)).statusCode).toBe(200);
      });

      it('disable/enable: 404, 403, 401, 400', async () => {
        const u = await managed();
        for (const action of ['disable', 'enable']) {
          expectError(await post(`/users/999999/${action}`, auth.admin!), 404, 'NOT_FOUND');
          for (const who of ['leader', 'intake', 'dept', 'citizen']) {
            const err = expectError(await post(`/users/${u.id}/${action}`, auth[who]!), 403, 'FORBIDDEN');
            expect(err.details).toEqual({ permission: 'user.write' });
          }
          expectError(await post(`/users/${u.id}/${action}`, {}), 401, 'UNAUTHENTICATED');
          expectError(await post(`/users/x/${action}`, auth.admin!), 400, 'VALIDATION_FAILED');
          expectError(await post(`/users/-1/${action}`, auth.admin!), 400, 'VALIDATION_FAILED');
        }
        expect((await login(u.username, STRONG)).statusCode).toBe(200);
      });
    });
  });
});
