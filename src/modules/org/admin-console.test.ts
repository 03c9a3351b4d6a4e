/** Endpoints the admin console needs beyond the basics: department edits and user filters. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import type { ApiApp } from '../../platform/http/types.js';

type Headers = Record<string, string>;

/** Demo usernames matching `keep`, sorted: the expected answers of the filters below. */
const demoUsers = (keep: (u: ReturnType<typeof generateDemoCity>['users'][number]) => boolean) =>
  generateDemoCity()
    .users.filter(keep)
    .map((u) => u.username)
    .sort();

describe.each(testStores())('department edits and user filters on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let admin: Headers;
  let dept: Headers;
  const deptIds: Record<string, number> = {};

  const req = (method: 'GET' | 'PATCH', url: string, headers: Headers = {}, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    admin = await bearer(app, 'admin');
    dept = await bearer(app, 'dept');
    for (const d of await t.store.db.selectFrom('departments').select(['id', 'code']).execute()) {
      deptIds[d.code] = d.id;
    }
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('renames and deactivates a department, audited, and shows it in the list', async () => {
    const id = deptIds['SZ-03'];
    const res = await req('PATCH', `/departments/${id}`, admin, { name: '路灯管理中心', active: false });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, code: 'SZ-03', name: '路灯管理中心', active: false });
    const listed = (await req('GET', '/departments', admin))
      .json()
      .items.find((d: { id: number }) => d.id === id);
    expect(listed).toMatchObject({ name: '路灯管理中心', active: false });
    const log = (await req('GET', `/audit?action=department.update&target=department:${id}`, admin)).json();
    expect(log.items[0]).toMatchObject({
      actorName: 'admin',
      details: { name: '路灯管理中心', active: false },
    });
    const back = await req('PATCH', `/departments/${id}`, admin, { active: true });
    expect(back.json()).toMatchObject({ name: '路灯管理中心', active: true });
  });

  it('refuses department edits without login (401), without the right (403), with a bad body (400)', async () => {
    const id = deptIds.SZ as number;
    expectError(await req('PATCH', `/departments/${id}`, {}, { name: 'x' }), 401, 'UNAUTHENTICATED');
    expectError(await req('PATCH', `/departments/${id}`, dept, { name: 'x' }), 403, 'FORBIDDEN');
    expectError(await req('PATCH', `/departments/${id}`, admin, {}), 400, 'VALIDATION_FAILED');
    expectError(await req('PATCH', `/departments/${id}`, admin, { name: ' ' }), 400, 'VALIDATION_FAILED');
    expectError(await req('PATCH', `/departments/${id}`, admin, { code: 'NEW' }), 400, 'VALIDATION_FAILED');
    expectError(await req('PATCH', '/departments/abc', admin, { name: 'x' }), 400, 'VALIDATION_FAILED');
    expectError(await req('PATCH', '/departments/999999', admin, { name: 'x' }), 404, 'NOT_FOUND');
    const row = await t.store.db
      .selectFrom('departments')
      .select('name')
      .where('id', '=', id)
      .executeTakeFirst();
    expect(row?.name).toBe('市政设施管理处');
  });

  it('filters users by division subtree and by department with its sub-units', async () => {
    const names = async (query: string) =>
      ((await req('GET', `/users?limit=200&${query}`, admin)).json().items as Array<{ username: string }>)
        .map((u) => u.username)
        .sort();
    // 青羊区: intake2 and the district's staff (a supervisor per community, centre posts).
    const qingyang = await names('divisionCode=510105');
    expect(qingyang).toContain('intake2');
    expect(qingyang).toEqual(demoUsers((u) => u.divisionCode?.startsWith('510105') ?? false));
    const jinjiang = await names('divisionCode=510104');
    expect(jinjiang).toEqual(expect.arrayContaining(['intake', 'dispatcher', 'shiftlead', 'supervisor']));
    expect(jinjiang).toEqual(demoUsers((u) => u.divisionCode?.startsWith('510104') ?? false));
    expect(jinjiang).not.toContain('intake2');
    // 市政设施管理处 with its sub-units: dept, handler (SZ-01) and the handlers of SZ-02 / SZ-03.
    expect(await names(`departmentId=${deptIds.SZ}`)).toEqual(['czy-sz-02', 'czy-sz-03', 'dept', 'handler']);
    expect(await names(`departmentId=${deptIds['SZ-01']}`)).toEqual(['handler']);
    expect(await names('departmentId=999999')).toEqual([]);
    expectError(await req('GET', '/users?divisionCode=51', admin), 400, 'VALIDATION_FAILED');
    expectError(await req('GET', '/users?departmentId=x', admin), 400, 'VALIDATION_FAILED');
    expectError(await req('GET', '/users?divisionCode=510104'), 401, 'UNAUTHENTICATED');
  });

  it('a department user sees only the staff of its own subtree (to assign handlers)', async () => {
    const names = async (query: string) =>
      ((await req('GET', `/users?limit=200&${query}`, dept)).json().items as Array<{ username: string }>)
        .map((u) => u.username)
        .sort();
    expect(await names('')).toEqual(['czy-sz-02', 'czy-sz-03', 'dept', 'handler']);
    expect(await names('role=handler')).toEqual(['czy-sz-02', 'czy-sz-03', 'handler']);
    expect(await names('divisionCode=510104')).toEqual([]);
    const intake = await t.store.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'intake')
      .executeTakeFirstOrThrow();
    expectError(await req('GET', `/users/${intake.id}`, dept), 404, 'NOT_FOUND');
    const citizen = await bearer(app, 'citizen');
    expectError(await req('GET', '/users', citizen), 403, 'FORBIDDEN');
  });
});
