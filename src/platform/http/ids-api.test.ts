/**
 * Ids over HTTP: every non-canonical spelling and every id past the column's range is a 400 that
 * changes nothing (they used to act on the user they coerced to, or overflow into a 500).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { client, type Fixtures, fixtures, loginAll, type Tokens } from '../../modules/cases/testkit.js';
import type { ApiApp } from './types.js';

const SPELLINGS = ['0x{n}', '{n}e0', '+{n}', '0{n}', '{n}.0', '%20{n}', '{n}%20', '-{n}'];
const TOO_BIG = [2 ** 31, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER];

describe.each(testStores())('ids over HTTP (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-ids-'));

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store, { DATA_DIR: dataDir });
    tokens = await loginAll(app);
    fx = await fixtures(ts.store);
    c = client(app, tokens);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const one = async <T>(q: ReturnType<typeof sql<T>>) => (await q.execute(ts.store.db)).rows[0] as T;
  const userRow = (username: string) =>
    one(sql<{ id: number; disabled: boolean }>`SELECT id, disabled FROM users WHERE username = ${username}`);

  it('/users/{id} and /departments/{id}: only the canonical decimal id names the row', async () => {
    const intake = await userRow('intake');
    const dept = await one(
      sql<{ id: number; name: string }>`SELECT id, name FROM departments ORDER BY id LIMIT 1`,
    );
    expect((await c.call('admin', 'GET', `/api/v1/users/${intake.id}`)).json().username).toBe('intake');
    for (const spelling of SPELLINGS) {
      const u = spelling.replace('{n}', String(intake.id));
      const d = spelling.replace('{n}', String(dept.id));
      for (const res of [
        await c.call('admin', 'GET', `/api/v1/users/${u}`),
        await c.call('admin', 'POST', `/api/v1/users/${u}/disable`),
        await c.call('admin', 'GET', `/api/v1/departments/${d}`),
        await c.call('admin', 'PATCH', `/api/v1/departments/${d}`, { name: '改名探针' }),
      ]) {
        const err = expectError(res, 400, 'VALIDATION_FAILED');
        expect(err.details).toMatchObject({ in: 'params', issues: [{ path: ['id'] }] });
      }
    }
    for (const n of TOO_BIG) {
      expectError(await c.call('admin', 'GET', `/api/v1/users/${n}`), 400, 'VALIDATION_FAILED');
      expectError(await c.call('admin', 'GET', `/api/v1/departments/${n}`), 400, 'VALIDATION_FAILED');
    }
    expect((await userRow('intake')).disabled).toBe(false);
    expect((await one(sql<{ name: string }>`SELECT name FROM departments WHERE id = ${dept.id}`)).name).toBe(
      dept.name,
    );
  });

  it('body ids past the integer range or of another type → 400 naming the field (api-keys, catalog versions)', async () => {
    const keys = async () => (await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM api_keys`)).n;
    const versions = async () =>
      (await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM standard_versions`)).n;
    const [k0, v0] = [await keys(), await versions()];
    for (const userId of [...TOO_BIG, [1], '0x1', true, 1.5]) {
      const res = await c.call('admin', 'POST', '/api/v1/api-keys', { name: 'probe', userId });
      expect(
        expectError(res, 400, 'VALIDATION_FAILED').details.issues.map((i: { path: string[] }) => i.path),
      ).toContainEqual(['userId']);
    }
    for (const fromVersionId of [[1], ['1'], 2 ** 31, '01', { id: 1 }]) {
      const res = await c.call('admin', 'POST', '/api/v1/catalog/versions', {
        name: '探针版本',
        fromVersionId,
      });
      const err = expectError(res, 400, 'VALIDATION_FAILED');
      expect(err.details.issues).toEqual([expect.objectContaining({ path: ['fromVersionId'] })]);
    }
    expect([await keys(), await versions()]).toEqual([k0, v0]);
  });

  it('case actions: merge targetCaseId and assign_handler handlerId past the range → 400, the case unchanged', async () => {
    const body = {
      kind: 'event',
      categoryCode: fx.category.code,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '锦江区测试路 5 号',
      description: '井盖缺失',
      source: 'supervisor',
    };
    const reported = await c.report('supervisor', body);
    const assigned = await c.report('supervisor', { ...body, description: '路灯不亮' });
    await c.ok('intake', assigned.id, 'intake');
    await c.ok('shiftlead', assigned.id, 'file');
    await c.ok('dispatcher', assigned.id, 'dispatch', { departmentCode: 'SZ-01' });
    await c.ok('dept', assigned.id, 'sign');
    const events = async () => (await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM case_events`)).n;
    const e0 = await events();
    for (const n of TOO_BIG) {
      const merge = await c.act('intake', reported.id, 'merge', { targetCaseId: n });
      expect(expectError(merge, 400, 'VALIDATION_FAILED').details.issues[0].path).toEqual(['targetCaseId']);
      const assign = await c.act('dept', assigned.id, 'assign_handler', { handlerId: n });
      expect(expectError(assign, 400, 'VALIDATION_FAILED').details.issues[0].path).toEqual(['handlerId']);
      const stale = await c.act('dept', assigned.id, 'assign_handler', { handlerId: 1, version: n });
      expect(expectError(stale, 400, 'VALIDATION_FAILED').details.issues[0].path).toEqual(['version']);
    }
    expect(await events()).toBe(e0);
    expect((await c.call('admin', 'GET', `/api/v1/cases/${reported.id}`)).json().state).toBe('reported');
  });
});
