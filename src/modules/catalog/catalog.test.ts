import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { GBT47678_CLASSES, NATIONAL_CLASSES } from '../../domain/catalog/index.js';
import type { ApiApp } from '../../platform/http/types.js';
import { effectiveVersion, timeLimitFor } from './lookup.js';
import { catalogClient, catalogCounts, chinaDay, expectError, type Headers } from './testkit.js';

describe.each(testStores())('catalog API on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let admin: Headers;
  let intake: Headers;
  let seedVersionId: number;
  const { call, tree, byCode } = catalogClient({ app: () => app, admin: () => admin });

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    [admin, intake] = await Promise.all([bearer(app, 'admin'), bearer(app, 'intake')]);
    const versions = (await call('GET', '/catalog/versions', admin)).json() as {
      items: Array<{ id: number; status: string }>;
    };
    seedVersionId = versions.items.find((v) => v.status === 'published')?.id ?? 0;
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  describe('seeded catalog', () => {
    it('holds the 134 GB/T 30428.2 classes and the 403 of GB/T 47678.5, with the reviewed mapping', async () => {
      const minors = async (scheme: string) =>
        (await tree(`?scheme=${scheme}`)).items.flatMap((m) => m.children);
      expect(await minors('gbt30428')).toHaveLength(NATIONAL_CLASSES.length);
      expect(await minors('gbt47678')).toHaveLength(GBT47678_CLASSES.length);
      const old = (await tree('?scheme=gbt30428&kind=component')).items;
      expect(old.map((m) => `${m.code} ${m.name}`)).toEqual([
        '01 公用设施',
        '02 道路交通',
        '03 市容环境',
        '04 园林绿化',
        '05 房屋土地',
        '06 其他设施',
      ]);
      expect(old[0]?.children[0]).toMatchObject({
        code: '0101',
        name: '上水井盖',
        origin: 'standard',
        level: 'minor',
      });
      const neu = await byCode('01001', 'component', 'gbt47678');
      expect(neu).toMatchObject({ name: '供水井盖', origin: 'standard', note: null });
      expect((await tree('?scheme=gbt47678&kind=event&level=major')).items.map((m) => m.code)).toEqual([
        '01',
        '02',
        '03',
        '04',
        '05',
        '06',
        '07',
        '08',
        '09',
        '10',
      ]);
      // No placeholder codes in a fresh catalog, and the retired scheme is not offered.
      const schemes = (await call('GET', '/catalog/schemes', admin)).json() as {
        items: Array<{ code: string }>;
      };
      expect(schemes.items.map((x) => x.code)).toEqual(['gbt30428', 'gbt47678']);
      const mappings = (await call('GET', '/catalog/mappings?kind=event', admin)).json() as {
        summary: Record<string, number>;
        items: Array<{ from: { code: string }; status: string; to: Array<{ code: string; basis: string }> }>;
      };
      expect(mappings.items.find((m) => m.from.code === '0102')?.to).toMatchObject([
        { code: '06010', basis: 'name' },
      ]);
      expect(mappings.summary).toEqual({ classes: 49, one: 39, split: 2, none: 8, open: 0 });
      expect((await call('GET', `/catalog/categories/${neu.id}`, admin)).json().mappedTo).toMatchObject([
        { scheme: 'gbt30428', code: '0101', name: '上水井盖' },
      ]);
    });

    it('the seed is idempotent: a second run writes nothing', async () => {
      const before = await catalogCounts(t.store);
      const { seedCatalog } = await import('../../seed/catalog.js');
      await seedCatalog(t.store.db);
      expect(await catalogCounts(t.store)).toEqual(before);
    });

    it('searches by name or code and cuts by level', async () => {
      const hit = await tree('?kind=event&q=垃圾');
      expect(hit.items.map((m) => m.code)).toEqual(['01']);
      expect(hit.items[0]?.children.map((c) => c.name)).toEqual(['暴露垃圾', '积存垃圾渣土', '焚烧树叶垃圾']);
      expect((await tree('?kind=component&q=0207')).items[0]?.children.map((c) => c.name)).toEqual([
        '高架立交桥',
      ]);
      const majors = await tree('?kind=event&level=major');
      expect(majors.items).toHaveLength(5);
      expect(majors.items.every((m) => m.children.length === 0)).toBe(true);
    });

    it('seeds the typical limits of domain.md §4', async () => {
      const cover = await byCode('0101', 'component');
      const sign = await timeLimitFor(t.store.db, { categoryId: cover.id, areaClass: 'A', step: 'sign' });
      expect(sign).toMatchObject({ amount: 30, unit: 'minutes', versionId: seedVersionId });
      const handle = await call(
        'GET',
        `/catalog/time-limit?code=0101&kind=component&areaClass=C&step=handle`,
        intake,
      );
      expect(handle.json()).toMatchObject({ amount: 6, unit: 'calendar_hours' });
      const garbage = await byCode('0102');
      const a = await timeLimitFor(t.store.db, { categoryId: garbage.id, areaClass: 'A', step: 'handle' });
      const c = await timeLimitFor(t.store.db, { categoryId: garbage.id, areaClass: 'C', step: 'handle' });
      expect([a?.amount, a?.unit, c?.amount, c?.unit]).toEqual([4, 'working_hours', 1, 'working_days']);
      const std = (
        await call('GET', `/catalog/versions/${seedVersionId}/standards/${cover.id}`, admin)
      ).json();
      expect(std).toMatchObject({
        filingConditions: '井盖破损、缺失、移位，面积大于0.01平方米或下沉超过2厘米',
        closingConditions: '井盖恢复完好，安装牢固，周边无安全隐患',
        defaultUrgency: 'urgent',
        departmentCodes: ['GS'],
      });
      // A 47678.5 class has its own row, derived through the mapping (and says so).
      const derived = await timeLimitFor(t.store.db, {
        code: '06010',
        kind: 'event',
        scheme: 'gbt47678',
        areaClass: 'A',
        step: 'handle',
      });
      const exposed = await byCode('06010', 'event', 'gbt47678');
      expect(derived).toMatchObject({ amount: 4, unit: 'working_hours', sourceCategoryId: exposed.id });
      const row = (
        await call('GET', `/catalog/versions/${seedVersionId}/standards/${exposed.id}`, admin)
      ).json();
      expect(row.derivedFrom).toEqual({
        rule: 'mapping',
        chosen: '0102',
        sources: [{ kind: 'event', code: '0102', name: '暴露垃圾' }],
      });
      expect(row.derivation.zh).toBe('由 GB/T 30428.2 0102 暴露垃圾 的标准经类别对应关系推导');
    });
  });

  describe('local categories', () => {
    it('creates a 07 major, a minor under it and a 细类 under a national 小类; renames and deactivates', async () => {
      const before = await catalogCounts(t.store);
      const major = await call('POST', '/catalog/categories', admin, {
        kind: 'component',
        level: 'major',
        code: '07',
        name: '户外广告设施',
      });
      expect(major.statusCode, major.body).toBe(201);
      expect(major.json()).toMatchObject({ scheme: 'gbt30428', code: '07', origin: 'local', active: true });
      const minor = await call('POST', '/catalog/categories', admin, {
        kind: 'component',
        level: 'minor',
        code: '0701',
        name: '大型户外广告',
        parentId: major.json().id,
      });
      expect(minor.statusCode, minor.body).toBe(201);
      const garbage = await byCode('0102');
      const detail = await call('POST', '/catalog/categories', admin, {
        kind: 'event',
        level: 'detail',
        code: '010201',
        name: '沿街暴露垃圾',
        parentId: garbage.id,
      });
      expect(detail.statusCode, detail.body).toBe(201);
      // A 细类 without its own row inherits its 小类's limits.
      const inherited = await timeLimitFor(t.store.db, {
        categoryId: detail.json().id,
        areaClass: 'A',
        step: 'handle',
      });
      expect(inherited).toMatchObject({ amount: 4, unit: 'working_hours', sourceCategoryId: garbage.id });
      expect((await catalogCounts(t.store))?.categories).toBe((before?.categories ?? 0) + 3);

      const renamed = await call('PATCH', `/catalog/categories/${detail.json().id}`, admin, {
        name: '沿街垃圾',
      });
      expect(renamed.json()).toMatchObject({ name: '沿街垃圾' });
      expectError(
        await call('PATCH', `/catalog/categories/${major.json().id}`, admin, { active: false }),
        409,
        'CATALOG_CATEGORY_HAS_CHILDREN',
      );
      const off = await call('PATCH', `/catalog/categories/${minor.json().id}`, admin, { active: false });
      expect(off.json()).toMatchObject({ active: false });
      expect((await tree('?kind=component')).items.find((m) => m.code === '07')?.children).toEqual([]);
    });

    it.each([
      [
        'a national major code',
        { kind: 'component', level: 'major', code: '03', name: 'x' },
        400,
        'CATALOG_CODE_INVALID',
      ],
      [
        'an event major below 06',
        { kind: 'event', level: 'major', code: '05', name: 'x' },
        400,
        'CATALOG_CODE_INVALID',
      ],
      [
        'a malformed code',
        { kind: 'event', level: 'major', code: '7', name: 'x' },
        400,
        'CATALOG_CODE_INVALID',
      ],
      [
        'an all-zero code',
        { kind: 'event', level: 'major', code: '00', name: 'x' },
        400,
        'CATALOG_CODE_INVALID',
      ],
      [
        'a minor without parent',
        { kind: 'event', level: 'minor', code: '0199', name: 'x' },
        400,
        'CATALOG_PARENT_INVALID',
      ],
      [
        'an unknown parent',
        { kind: 'event', level: 'minor', code: '0199', name: 'x', parentId: 999999 },
        400,
        'CATALOG_PARENT_INVALID',
      ],
    ])('refuses %s and writes nothing', async (_label, body, status, code) => {
      const before = await catalogCounts(t.store);
      expectError(await call('POST', '/catalog/categories', admin, body), status, code);
      expect(await catalogCounts(t.store)).toEqual(before);
    });

    it('refuses a code outside its parent, a duplicate, a 47678 minor with 2 digits, and edits of national rows', async () => {
      const streets = await byCode('05');
      const before = await catalogCounts(t.store);
      const e = expectError(
        await call('POST', '/catalog/categories', admin, {
          kind: 'event',
          level: 'minor',
          code: '0413',
          name: 'x',
          parentId: streets.id,
        }),
        400,
        'CATALOG_CODE_INVALID',
      );
      expect(e.messages.zh).toBe('小类代码 "0413" 应以上级代码 05 开头');
      expectError(
        await call('POST', '/catalog/categories', admin, {
          kind: 'event',
          level: 'minor',
          code: '0501',
          name: 'x',
          parentId: streets.id,
        }),
        409,
        'CONFLICT',
      );
      const neu = await byCode('05', 'event', 'gbt47678');
      expectError(
        await call('POST', '/catalog/categories', admin, {
          scheme: 'gbt47678',
          kind: 'event',
          level: 'minor',
          code: '0513',
          name: 'x',
          parentId: neu.id,
        }),
        400,
        'CATALOG_CODE_INVALID',
      );
      expectError(
        await call('PATCH', `/catalog/categories/${streets.id}`, admin, { name: 'x' }),
        409,
        'CATALOG_CATEGORY_NOT_LOCAL',
      );
      expect(await catalogCounts(t.store)).toEqual(before);
    });
  });

  describe('mappings', () => {
    it('maps a local class to the other scheme and removes the mapping', async () => {
      const orderOld = await byCode('05');
      const orderNew = await byCode('05', 'event', 'gbt47678');
      const a = await call('POST', '/catalog/categories', admin, {
        kind: 'event',
        level: 'minor',
        code: '0513',
        name: '占道洗车',
        parentId: orderOld.id,
      });
      const b = await call('POST', '/catalog/categories', admin, {
        scheme: 'gbt47678',
        kind: 'event',
        level: 'minor',
        code: '05013',
        name: '占道洗车',
        parentId: orderNew.id,
      });
      const put = await call('PUT', '/catalog/mappings', admin, { fromId: b.json().id, toId: a.json().id });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json()).toMatchObject({ from: { code: '0513' }, to: { code: '05013' } });
      expect((await call('GET', `/catalog/categories/${a.json().id}`, admin)).json().mappedTo).toMatchObject([
        { code: '05013' },
      ]);
      expectError(
        await call('PUT', '/catalog/mappings', admin, { fromId: a.json().id, toId: orderNew.id }),
        400,
        'CATALOG_MAPPING_INVALID',
      );
      expectError(
        await call('PUT', '/catalog/mappings', admin, { fromId: a.json().id, toId: orderOld.id }),
        400,
        'CATALOG_MAPPING_INVALID',
      );
      const del = await call('DELETE', `/catalog/mappings/${a.json().id}/${b.json().id}`, admin);
      expect(del.statusCode).toBe(204);
      expectError(
        await call('DELETE', `/catalog/mappings/${a.json().id}/${b.json().id}`, admin),
        404,
        'NOT_FOUND',
      );
    });
  });

  describe('versions', () => {
    it('draft → edit → publish from a date; published versions are immutable; dates pick versions', async () => {
      const draft = await call('POST', '/catalog/versions', admin, { name: '2027版标准' });
      expect(draft.statusCode, draft.body).toBe(201);
      const id = draft.json().id as number;
      expect(draft.json()).toMatchObject({
        status: 'draft',
        effectiveFrom: null,
        rowCount: NATIONAL_CLASSES.length + GBT47678_CLASSES.length,
      });
      const garbage = await byCode('0102');
      const patched = await call('PATCH', `/catalog/versions/${id}/standards/${garbage.id}`, admin, {
        defaultUrgency: 'urgent',
        departmentCodes: ['HW', 'ZF'],
        timeLimits: { handle: { A: { amount: 2, unit: 'working_hours' }, C: null } },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      const limits = patched.json().timeLimits as Array<{ step: string; areaClass: string; amount: number }>;
      expect(limits.filter((l) => l.step === 'handle')).toEqual([
        { step: 'handle', areaClass: 'A', urgency: 'normal', amount: 2, unit: 'working_hours' },
        { step: 'handle', areaClass: 'B', urgency: 'normal', amount: 6, unit: 'working_hours' },
      ]);
      // A 特急 处置 limit of its own, and the 紧急 签收 limit removed for area A.
      const urgent = await call('PATCH', `/catalog/versions/${id}/standards/${garbage.id}`, admin, {
        urgentTimeLimits: {
          emergency: { handle: { A: { amount: 90, unit: 'minutes' } } },
          urgent: { sign: { A: null } },
        },
      });
      expect(urgent.statusCode, urgent.body).toBe(200);
      const all = urgent.json().timeLimits as Array<{ step: string; areaClass: string; urgency: string }>;
      expect(all.filter((l) => l.step === 'handle' && l.areaClass === 'A')).toEqual([
        { step: 'handle', areaClass: 'A', urgency: 'normal', amount: 2, unit: 'working_hours' },
        { step: 'handle', areaClass: 'A', urgency: 'emergency', amount: 90, unit: 'minutes' },
      ]);
      expect(all.some((l) => l.step === 'sign' && l.areaClass === 'A' && l.urgency === 'urgent')).toBe(false);
      const lookup = (q: string) =>
        call('GET', `/catalog/time-limit?versionId=${id}&categoryId=${garbage.id}&${q}`, admin);
      expect((await lookup('step=handle&areaClass=A&urgency=emergency')).json()).toMatchObject({
        amount: 90,
        unit: 'minutes',
        urgency: 'emergency',
      });
      // Fallbacks: 紧急 处置 → the class's own; 紧急 签收 in A (removed) → the class's own too.
      expect((await lookup('step=handle&areaClass=A&urgency=urgent')).json()).toMatchObject({
        amount: 2,
        urgency: 'normal',
      });
      expect((await lookup('step=sign&areaClass=A&urgency=urgent')).json()).toMatchObject({
        urgency: 'normal',
      });
      expect((await lookup('step=sign&areaClass=B&urgency=urgent')).json()).toMatchObject({
        amount: 30,
        unit: 'minutes',
        urgency: 'urgent',
      });
      expectError(await lookup('step=sign&areaClass=B&urgency=urgentest'), 400, 'VALIDATION_FAILED');
      expectError(
        await call('PATCH', `/catalog/versions/${id}/standards/${garbage.id}`, admin, {
          urgentTimeLimits: { normal: { sign: { A: { amount: 1, unit: 'minutes' } } } },
        }),
        400,
        'VALIDATION_FAILED',
      );
      const before = await catalogCounts(t.store);
      expectError(
        await call('PATCH', `/catalog/versions/${id}/standards/${garbage.id}`, admin, {
          departmentCodes: ['NOPE'],
        }),
        400,
        'CATALOG_DEPARTMENT_UNKNOWN',
      );
      expectError(
        await call('POST', `/catalog/versions/${id}/publish`, admin, { effectiveFrom: chinaDay(-1) }),
        400,
        'CATALOG_EFFECTIVE_DATE_PAST',
      );
      expect(await catalogCounts(t.store)).toEqual(before);

      const day = chinaDay(3);
      const pub = await call('POST', `/catalog/versions/${id}/publish`, admin, { effectiveFrom: day });
      expect(pub.statusCode, pub.body).toBe(200);
      expect(pub.json()).toMatchObject({ status: 'published', effectiveFrom: day, inForce: false });

      const after = await catalogCounts(t.store);
      expectError(
        await call('PATCH', `/catalog/versions/${id}/standards/${garbage.id}`, admin, {
          defaultUrgency: 'normal',
        }),
        409,
        'CATALOG_VERSION_PUBLISHED',
      );
      expectError(
        await call('PATCH', `/catalog/versions/${id}`, admin, { name: 'x' }),
        409,
        'CATALOG_VERSION_PUBLISHED',
      );
      expectError(await call('DELETE', `/catalog/versions/${id}`, admin), 409, 'CATALOG_VERSION_PUBLISHED');
      expectError(
        await call('POST', `/catalog/versions/${id}/publish`, admin, { effectiveFrom: chinaDay(5) }),
        409,
        'CATALOG_VERSION_PUBLISHED',
      );
      const other = (await call('POST', '/catalog/versions', admin, { name: '同日版本' })).json()
        .id as number;
      expectError(
        await call('POST', `/catalog/versions/${other}/publish`, admin, { effectiveFrom: day }),
        409,
        'CATALOG_EFFECTIVE_DATE_TAKEN',
      );
      expect((await catalogCounts(t.store))?.versions).toBe((after?.versions ?? 0) + 1);
      expect((await call('DELETE', `/catalog/versions/${other}`, admin)).statusCode).toBe(204);

      // Local midnight (UTC+8) of the effective day switches versions.
      const midnight = new Date(`${day}T00:00:00+08:00`);
      expect((await effectiveVersion(t.store.db, new Date(midnight.getTime() - 1)))?.id).toBe(seedVersionId);
      expect((await effectiveVersion(t.store.db, midnight))?.id).toBe(id);
      const eff = await call(
        'GET',
        `/catalog/versions/effective?at=${encodeURIComponent(`${day}T09:00:00+08:00`)}`,
        intake,
      );
      expect(eff.json()).toEqual({ id, name: '2027版标准', effectiveFrom: day });
      const old = await timeLimitFor(t.store.db, {
        categoryId: garbage.id,
        areaClass: 'A',
        step: 'handle',
        at: new Date(),
      });
      const neu = await timeLimitFor(t.store.db, {
        categoryId: garbage.id,
        areaClass: 'A',
        step: 'handle',
        at: midnight,
      });
      expect([old?.amount, neu?.amount]).toEqual([4, 2]);
      // A case filed under the old version keeps it.
      const kept = await timeLimitFor(t.store.db, {
        categoryId: garbage.id,
        areaClass: 'A',
        step: 'handle',
        versionId: seedVersionId,
      });
      expect(kept?.amount).toBe(4);
      expect(
        await timeLimitFor(t.store.db, {
          categoryId: garbage.id,
          areaClass: 'C',
          step: 'handle',
          at: midnight,
        }),
      ).toBeNull();
      expectError(
        await call('GET', '/catalog/versions/effective?at=2019-06-01T00:00:00Z', admin),
        404,
        'CATALOG_NO_EFFECTIVE_VERSION',
      );
    });
  });
});
