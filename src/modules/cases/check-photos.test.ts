/**
 * 核查须拍照: where the standard the case was filed under asks for photos with the 核查, the
 * supervisor's pass or fail is refused without them; GET …/actions says which actions need
 * photos, so both apps can mark the field as required. Classes whose standard asks for none
 * are checked as before.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { activeScheme } from '../catalog/scheme.js';
import { client, expectError, type Fixtures, fixtures, loginAll } from './testkit.js';

describe.each(testStores())('核查须拍照 (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  /** A 部件 小类 whose standard in force asks for check photos, and an 事件 one that does not. */
  let component: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-check-photos-'));

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store, { DATA_DIR: dataDir });
    fx = await fixtures(ts.store);
    c = client(app, await loginAll(app));
    const r = await sql<{ code: string }>`
      SELECT c.code FROM categories c
      JOIN category_standards s ON s.category_id = c.id AND s.check_photos
      JOIN standard_versions v ON v.id = s.version_id AND v.status = 'published'
      WHERE c.scheme = ${activeScheme()} AND c.kind = 'component' AND c.level = 'minor' AND c.active
      ORDER BY v.effective_from DESC, c.code LIMIT 1`.execute(ts.store.db);
    component = r.rows[0]?.code ?? '';
    expect(component).not.toBe('');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A supervisor report of the class, carried to 核查. */
  const underCheck = async (kindOf: 'component' | 'event', categoryCode: string) => {
    const k = await c.report('supervisor', {
      source: 'supervisor',
      kind: kindOf,
      categoryCode,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '锦江区测试路 9 号',
      description: kindOf === 'component' ? '井盖破损' : '暴露垃圾',
    });
    await c.ok('intake', k.id, 'intake');
    await c.ok('shiftlead', k.id, 'file');
    await c.ok('dispatcher', k.id, 'dispatch', { departmentCode: 'SZ-01' });
    await c.ok('dept', k.id, 'sign');
    await c.ok('handler', k.id, 'feedback', { photos: [await c.upload('handler')] });
    return c.ok('intake', k.id, 'request_check');
  };
  const actions = async (id: number) =>
    (await c.call('supervisor', 'GET', `/api/v1/cases/${id}/actions`)).json() as {
      actions: string[];
      photosRequired: string[];
    };

  it('a class that asks for photos: pass and fail are refused without them, accepted with them', async () => {
    const k = await underCheck('component', component);
    expect(k.state).toBe('checking');
    const offered = await actions(k.id);
    expect(offered.actions).toEqual(expect.arrayContaining(['check_pass', 'check_fail']));
    expect(offered.photosRequired.sort()).toEqual(['check_fail', 'check_pass']);

    const refused = await c.act('supervisor', k.id, 'check_pass');
    expectError(refused, 422, 'CASE_GUARD_FAILED');
    expect(refused.body).toContain('核查须上传现场照片');
    expectError(
      await c.act('supervisor', k.id, 'check_fail', { reason: '井盖仍松动' }),
      422,
      'CASE_GUARD_FAILED',
    );
    // Nothing changed: still under check, same version.
    const still = (await c.call('supervisor', 'GET', `/api/v1/cases/${k.id}`)).json();
    expect(still).toMatchObject({ state: 'checking', version: k.version });

    const photo = await c.upload('supervisor');
    const reworked = await c.ok('supervisor', k.id, 'check_fail', { reason: '井盖仍松动', photos: [photo] });
    expect(reworked.state).toBe('handling');
    await c.ok('handler', k.id, 'feedback', { photos: [await c.upload('handler')] });
    await c.ok('intake', k.id, 'request_check');
    expectError(await c.act('supervisor', k.id, 'check_pass'), 422, 'CASE_GUARD_FAILED');
    const passed = await c.ok('supervisor', k.id, 'check_pass', { photos: [photo] });
    expect(passed.state).toBe('pending_close');
    const timeline = (await c.call('admin', 'GET', `/api/v1/cases/${k.id}/events`)).json().items as Array<{
      action: string;
      payload: { photos?: string[] };
    }>;
    expect(timeline.filter((e) => e.action.startsWith('check_')).map((e) => e.payload.photos)).toEqual([
      [photo],
      [photo],
    ]);
  });

  it('a class that asks for none is checked without photos', async () => {
    const k = await underCheck('event', fx.category.code);
    const offered = await actions(k.id);
    expect(offered.actions).toContain('check_pass');
    expect(offered.photosRequired).toEqual([]);
    expect((await c.ok('supervisor', k.id, 'check_pass')).state).toBe('pending_close');
  });

  it('the standards editor sets and clears the flag in a draft; a non-boolean is a 400 that changes nothing', async () => {
    const versions = (await c.call('admin', 'GET', '/api/v1/catalog/versions')).json().items as Array<{
      id: number;
      status: string;
    }>;
    const published = versions.find((v) => v.status === 'published');
    const created = await c.call('admin', 'POST', '/api/v1/catalog/versions', {
      name: '核查拍照草稿',
      fromVersionId: published?.id,
    });
    expect(created.statusCode, created.body).toBe(201);
    const draft = created.json().id as number;
    const cat = await sql<{ id: number }>`
      SELECT id FROM categories WHERE scheme = ${activeScheme()} AND kind = 'component' AND code = ${component}`.execute(
      ts.store.db,
    );
    const categoryId = cat.rows[0]?.id;
    const url = `/api/v1/catalog/versions/${draft}/standards/${categoryId}`;
    expect((await c.call('admin', 'GET', url)).json().checkPhotos).toBe(true);
    const off = await c.call('admin', 'PATCH', url, { checkPhotos: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().checkPhotos).toBe(false);
    expectError(await c.call('admin', 'PATCH', url, { checkPhotos: 'yes' }), 400, 'VALIDATION_FAILED');
    expect((await c.call('admin', 'GET', url)).json().checkPhotos).toBe(false);
    expectError(await c.call('supervisor', 'PATCH', url, { checkPhotos: true }), 403, 'FORBIDDEN');
  });
});
