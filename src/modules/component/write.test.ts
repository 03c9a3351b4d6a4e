import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { validateComponentCode } from '../../domain/codes.js';
import type { DemoComponent } from '../../domain/component/demo.js';
import { type Actor, systemActor } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import type { ApiApp } from '../../platform/http/types.js';
import { createComponent, todayInChina, updateComponent } from './service.js';
import { city, counts, demo, ensureCatalog, expectError, type Headers } from './testkit.js';

const cellOf = (code: string) => {
  const g = city.grids.find((x) => x.code === code);
  if (!g) throw new Error(code);
  const lngs = g.ring.map((p) => p[0]);
  const lats = g.ring.map((p) => p[1]);
  return {
    west: Math.min(...lngs),
    east: Math.max(...lngs),
    south: Math.min(...lats),
    north: Math.max(...lats),
  };
};
const centre = (code: string) => {
  const c = cellOf(code);
  return { lng: (c.west + c.east) / 2, lat: (c.south + c.north) / 2 };
};
const grid104 = (city.grids.find((g) => g.code.startsWith('510104')) as { code: string }).code;
const grid105 = (city.grids.find((g) => g.code.startsWith('510105')) as { code: string }).code;
const maxSeq = (division: string, category: string) =>
  Math.max(
    0,
    ...demo.filter((c) => c.divisionCode === division && c.categoryCode === category).map((c) => c.seq),
  );

describe.each(testStores())('component registry (write) on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  const auth: Record<string, Headers> = {};
  const post = (payload: unknown, headers: Headers = auth.admin as Headers) =>
    app.inject({ method: 'POST', url: '/api/v1/components', headers, payload: payload as object });
  const patch = (id: string, payload: unknown, headers: Headers = auth.admin as Headers) =>
    app.inject({ method: 'PATCH', url: `/api/v1/components/${id}`, headers, payload: payload as object });
  const base = () => ({
    categoryCode: '0101',
    name: '上水井盖',
    location: centre(grid104),
    owningDepartment: 'GS',
  });

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    await ensureCatalog(t.store.db);
    for (const u of ['admin', 'intake', 'citizen']) auth[u] = await bearer(app, u);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  async function refused(payload: unknown, status: number, code: string, headers?: Headers) {
    const before = await counts(t.store.db);
    const err = expectError(await post(payload, headers), status, code);
    expect(await counts(t.store.db)).toEqual(before);
    return err;
  }

  describe('POST /components', () => {
    it('generates the next free id of the district and class, resolves the grid, audits', async () => {
      const before = await counts(t.store.db);
      const res = await post({
        ...base(),
        state: 'damaged',
        startDate: '2020-01-02',
        accuracyClass: 'A',
        note: '新装',
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      const seq = maxSeq('510104', '0101') + 1;
      expect(body).toMatchObject({
        id: `5101040101${String(seq).padStart(6, '0')}`,
        scheme: 'gbt30428',
        divisionCode: '510104',
        categoryCode: '0101',
        categoryName: '上水井盖',
        gridCode: grid104,
        state: 'damaged',
        stateLabel: { zh: '破损', en: 'Damaged' },
        owningDepartment: { code: 'GS', name: '自来水公司' },
        managingDepartment: null,
        startDate: '2020-01-02',
        note: '新装',
        location: centre(grid104),
      });
      expect(await counts(t.store.db)).toEqual({
        components: before.components + 1,
        audit: before.audit + 1,
      });
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['action', 'target'])
        .orderBy('id', 'desc')
        .executeTakeFirst();
      expect(audit).toEqual({ action: 'component.create', target: `component:${body.id}` });
    });

    it('gives unique, consecutive ids to concurrent requests of one class', async () => {
      const before = maxSeq('510105', '0305');
      const results = await Promise.all(
        Array.from({ length: 12 }, () =>
          post({ categoryCode: '0305', name: '垃圾箱', location: centre(grid105) }),
        ),
      );
      for (const r of results) expect(r.statusCode, r.body).toBe(201);
      const ids = results.map((r) => r.json().id as string).sort();
      expect(new Set(ids).size).toBe(12);
      for (const id of ids) expect(validateComponentCode(id).ok).toBe(true);
      expect(ids).toEqual(
        Array.from({ length: 12 }, (_, i) => `5101050305${String(before + 1 + i).padStart(6, '0')}`),
      );
    });

    it('keeps a given 16- or 17-digit id; a city-registered one is visible through its grid', async () => {
      const r16 = await post({ ...base(), id: '5101040101900001' });
      expect(r16.statusCode, r16.body).toBe(201);
      expect(r16.json().id).toBe('5101040101900001');
      const r17 = await post({ ...base(), categoryCode: undefined, id: '51010401001000007' });
      expect(r17.statusCode, r17.body).toBe(201);
      expect(r17.json()).toMatchObject({
        scheme: 'gbt47678',
        categoryCode: '01001',
        id: '51010401001000007',
      });
      const gen17 = await post({ ...base(), categoryCode: '01001' });
      expect(gen17.json().id).toBe('51010401001000008');
      const cityWide = await post({ ...base(), divisionCode: '510100' });
      expect(cityWide.statusCode, cityWide.body).toBe(201);
      expect(cityWide.json().id).toBe('5101000101000001');
      const read = await app.inject({
        method: 'GET',
        url: `/api/v1/components/${cityWide.json().id}`,
        headers: auth.intake,
      });
      expect(read.statusCode).toBe(200);
    });

    it('refuses bad ids, classes, positions, grids, departments and dates, writing nothing', async () => {
      const taken = demo[0] as DemoComponent;
      let err = await refused({ ...base(), id: '5101040001000001' }, 400, 'COMPONENT_CODE_FORMAT');
      expect(err.messages.en).toContain('5101040001000001');
      err = await refused({ ...base(), categoryCode: '0199' }, 400, 'COMPONENT_CATEGORY_UNKNOWN');
      expect(err.messages.zh).toContain('0199');
      expect(err.details).toMatchObject({ field: 'categoryCode' });
      await refused({ ...base(), id: '5101040102000001' }, 400, 'COMPONENT_FIELD_INVALID');
      err = await refused({ ...base(), location: { lng: 100, lat: 20 } }, 400, 'COMPONENT_GRID_INVALID');
      expect(err.messages.en).toBe('location: position (100, 20) lies in no unit grid');
      expect(err.messages.zh).toBe('location：位置 (100, 20) 不在任何单元网格内');
      err = await refused({ ...base(), gridCode: grid105 }, 400, 'COMPONENT_GRID_INVALID');
      expect(err.messages.en).toContain(`not inside grid ${grid105}`);
      await refused({ ...base(), gridCode: '510104001001999' }, 400, 'COMPONENT_GRID_INVALID');
      await refused({ ...base(), divisionCode: '510105' }, 400, 'COMPONENT_GRID_INVALID');
      await refused({ ...base(), divisionCode: '510199' }, 400, 'DIVISION_INVALID');
      await refused({ ...base(), divisionCode: '510104001' }, 400, 'DIVISION_INVALID');
      err = await refused({ ...base(), maintainingDepartment: 'NOPE' }, 400, 'COMPONENT_DEPARTMENT_UNKNOWN');
      expect(err.details).toMatchObject({ field: 'maintainingDepartment' });
      err = await refused(
        { ...base(), id: taken.id, categoryCode: undefined, location: { lng: taken.lng, lat: taken.lat } },
        409,
        'COMPONENT_ID_TAKEN',
      );
      expect(err.messages.zh).toBe(`id：部件编码 ${taken.id} 已存在`);
      await refused(
        { ...base(), startDate: '2022-01-01', changeDate: '2021-01-01' },
        400,
        'COMPONENT_FIELD_INVALID',
      );
      for (const bad of [
        { ...base(), colour: 'red' },
        { ...base(), name: '' },
        { ...base(), state: 'broken' },
        { ...base(), location: { lng: '104', lat: 30 } },
        { ...base(), startDate: '2021-02-30' },
        { ...base(), location: undefined },
      ]) {
        await refused(bad, 400, 'VALIDATION_FAILED');
      }
    });

    it('needs component.write (403) and a login (401)', async () => {
      const err = await refused(base(), 403, 'FORBIDDEN', auth.intake);
      expect(err.details).toEqual({ permission: 'component.write' });
      await refused(base(), 401, 'UNAUTHENTICATED', {});
    });

    it('keeps a district writer to its own district (404 outside)', async () => {
      const actor: Actor = { ...systemActor('district-writer'), scopePrefix: '510105' };
      const ctx = { db: t.store.db, actor, meta: { ip: null, requestId: null, userAgent: null } };
      const before = await counts(t.store.db);
      const parsed = {
        ...base(),
        lng: centre(grid104).lng,
        lat: centre(grid104).lat,
        state: 'intact' as const,
      };
      await expect(createComponent(ctx, parsed)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const other = demo.find((c) => c.divisionCode === '510104') as DemoComponent;
      await expect(updateComponent(ctx, other.id, { state: 'damaged' })).rejects.toBeInstanceOf(AppError);
      expect(await counts(t.store.db)).toEqual(before);
      const own = await createComponent(ctx, { ...parsed, ...centre(grid105) });
      expect(own.divisionCode).toBe('510105');
    });
  });

  describe('PATCH /components/:id', () => {
    const intact = demo.find((c) => c.state === 'intact' && c.divisionCode === '510106') as DemoComponent;

    it('a state change records today as the change date and audits before/after', async () => {
      const before = await counts(t.store.db);
      const res = await patch(intact.id, { state: 'missing', note: '井盖丢失' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ state: 'missing', changeDate: todayInChina(), note: '井盖丢失' });
      expect(await counts(t.store.db)).toEqual({ components: before.components, audit: before.audit + 1 });
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['action', 'target', 'details'])
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(audit).toMatchObject({ action: 'component.update', target: `component:${intact.id}` });
      expect(audit.details).toEqual({
        changes: {
          state: { from: 'intact', to: 'missing' },
          note: { from: null, to: '井盖丢失' },
          changeDate: { from: null, to: todayInChina() },
        },
      });
      // Repeating the same values changes nothing and writes nothing.
      const again = await patch(intact.id, { state: 'missing' });
      expect(again.statusCode).toBe(200);
      expect((await counts(t.store.db)).audit).toBe(before.audit + 1);
    });

    it('moving a component re-resolves its grid; departments can be cleared', async () => {
      const target = city.grids.find((g) => g.code.startsWith('510106') && g.code !== intact.gridCode) as {
        code: string;
      };
      const res = await patch(intact.id, { location: centre(target.code), managingDepartment: null });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        gridCode: target.code,
        location: centre(target.code),
        managingDepartment: null,
      });
    });

    it('refuses bad changes (nothing written), unknown ids, and checks login and permission', async () => {
      const id = intact.id;
      const before = await counts(t.store.db);
      expectError(await patch(id, { owningDepartment: 'NOPE' }), 400, 'COMPONENT_DEPARTMENT_UNKNOWN');
      expectError(await patch(id, { location: { lng: 100, lat: 20 } }), 400, 'COMPONENT_GRID_INVALID');
      expectError(await patch(id, { location: centre(grid104) }), 400, 'COMPONENT_GRID_INVALID');
      expectError(await patch(id, { gridCode: grid105 }), 400, 'COMPONENT_GRID_INVALID');
      expectError(await patch(id, { startDate: '2999-01-01' }), 400, 'COMPONENT_FIELD_INVALID');
      for (const bad of [{}, { id: '1' }, { state: 'broken' }, { name: '' }, { changeDate: '2020-13-01' }]) {
        expectError(await patch(id, bad), 400, 'VALIDATION_FAILED');
      }
      expectError(await patch('5101040101999999', { state: 'damaged' }), 404, 'NOT_FOUND');
      expectError(await patch('51', { state: 'damaged' }), 400, 'VALIDATION_FAILED');
      expectError(await patch(id, { state: 'damaged' }, auth.intake), 403, 'FORBIDDEN');
      expectError(await patch(id, { state: 'damaged' }, {}), 401, 'UNAUTHENTICATED');
      expect(await counts(t.store.db)).toEqual(before);
    });
  });
});
