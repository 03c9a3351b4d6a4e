import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { catalogClient, catalogCounts, chinaDay, expectError, type Headers } from './testkit.js';

describe.each(testStores())('catalog API access on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let admin: Headers;
  let intake: Headers;
  let citizen: Headers;
  let seedVersionId: number;
  const { call, byCode } = catalogClient({ app: () => app, admin: () => admin });

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    [admin, intake, citizen] = await Promise.all([
      bearer(app, 'admin'),
      bearer(app, 'intake'),
      bearer(app, 'citizen'),
    ]);
    const versions = (await call('GET', '/catalog/versions', admin)).json() as {
      items: Array<{ id: number; status: string }>;
    };
    seedVersionId = versions.items.find((v) => v.status === 'published')?.id ?? 0;
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  describe('access and validation', () => {
    const GARBAGE = () => byCode('0102').then((c) => c.id);
    const endpoints: Array<{
      name: string;
      method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
      url: () => Promise<string>;
      write: boolean;
      body?: unknown;
      bad: () => Promise<{ url: string; body?: unknown }>;
    }> = [
      {
        name: 'schemes',
        method: 'GET',
        url: async () => '/catalog/schemes',
        write: false,
        bad: async () => ({ url: '/catalog/schemes?x=1' }),
      },
      {
        name: 'tree',
        method: 'GET',
        url: async () => '/catalog/categories',
        write: false,
        bad: async () => ({ url: '/catalog/categories?level=leaf' }),
      },
      {
        name: 'category',
        method: 'GET',
        url: async () => `/catalog/categories/${await GARBAGE()}`,
        write: false,
        bad: async () => ({ url: '/catalog/categories/abc' }),
      },
      {
        name: 'create category',
        method: 'POST',
        url: async () => '/catalog/categories',
        write: true,
        body: { kind: 'event', level: 'major', code: '09', name: 'x' },
        bad: async () => ({
          url: '/catalog/categories',
          body: { kind: 'event', level: 'major', code: '09', name: 'x', color: 'red' },
        }),
      },
      {
        name: 'update category',
        method: 'PATCH',
        url: async () => `/catalog/categories/${await GARBAGE()}`,
        write: true,
        body: { name: 'x' },
        bad: async () => ({ url: `/catalog/categories/${await GARBAGE()}`, body: {} }),
      },
      {
        name: 'mappings',
        method: 'GET',
        url: async () => '/catalog/mappings',
        write: false,
        bad: async () => ({ url: '/catalog/mappings?kind=tree' }),
      },
      {
        name: 'set mapping',
        method: 'PUT',
        url: async () => '/catalog/mappings',
        write: true,
        body: { fromId: 1, toId: 2 },
        bad: async () => ({ url: '/catalog/mappings', body: { fromId: 'a', toId: 2 } }),
      },
      {
        name: 'delete mapping',
        method: 'DELETE',
        url: async () => '/catalog/mappings/1/2',
        write: true,
        bad: async () => ({ url: '/catalog/mappings/0/2' }),
      },
      {
        name: 'mark no counterpart',
        method: 'PUT',
        url: async () => `/catalog/mappings/unmapped/${await GARBAGE()}`,
        write: true,
        body: { note: '不再对应' },
        bad: async () => ({ url: `/catalog/mappings/unmapped/${await GARBAGE()}`, body: { note: '' } }),
      },
      {
        name: 'unmark no counterpart',
        method: 'DELETE',
        url: async () => `/catalog/mappings/unmapped/${await GARBAGE()}`,
        write: true,
        bad: async () => ({ url: '/catalog/mappings/unmapped/abc' }),
      },
      {
        name: 'move preview',
        method: 'GET',
        url: async () => '/catalog/moves/preview?to=gbt47678',
        write: true,
        bad: async () => ({ url: '/catalog/moves/preview?to=gbt47678p' }),
      },
      {
        name: 'move',
        method: 'POST',
        url: async () => '/catalog/moves',
        write: true,
        body: { to: 'gbt47678', scope: 'open', resolutions: [] },
        bad: async () => ({
          url: '/catalog/moves',
          body: { to: 'gbt47678', scope: 'some', resolutions: [] },
        }),
      },
      {
        name: 'versions',
        method: 'GET',
        url: async () => '/catalog/versions',
        write: false,
        bad: async () => ({ url: '/catalog/versions?status=x' }),
      },
      {
        name: 'effective',
        method: 'GET',
        url: async () => '/catalog/versions/effective',
        write: false,
        bad: async () => ({ url: '/catalog/versions/effective?at=yesterday' }),
      },
      {
        name: 'create version',
        method: 'POST',
        url: async () => '/catalog/versions',
        write: true,
        body: { name: 'x' },
        bad: async () => ({ url: '/catalog/versions', body: { name: '' } }),
      },
      {
        name: 'version',
        method: 'GET',
        url: async () => `/catalog/versions/${seedVersionId}`,
        write: false,
        bad: async () => ({ url: '/catalog/versions/-1' }),
      },
      {
        name: 'update version',
        method: 'PATCH',
        url: async () => `/catalog/versions/${seedVersionId}`,
        write: true,
        body: { name: 'x' },
        bad: async () => ({ url: `/catalog/versions/${seedVersionId}`, body: { status: 'draft' } }),
      },
      {
        name: 'delete version',
        method: 'DELETE',
        url: async () => `/catalog/versions/${seedVersionId}`,
        write: true,
        bad: async () => ({ url: '/catalog/versions/x' }),
      },
      {
        name: 'publish',
        method: 'POST',
        url: async () => `/catalog/versions/${seedVersionId}/publish`,
        write: true,
        body: { effectiveFrom: chinaDay(30) },
        bad: async () => ({
          url: `/catalog/versions/${seedVersionId}/publish`,
          body: { effectiveFrom: '2027-02-30' },
        }),
      },
      {
        name: 'standards',
        method: 'GET',
        url: async () => `/catalog/versions/${seedVersionId}/standards`,
        write: false,
        bad: async () => ({ url: `/catalog/versions/${seedVersionId}/standards?kind=x` }),
      },
      {
        name: 'standard',
        method: 'GET',
        url: async () => `/catalog/versions/${seedVersionId}/standards/${await GARBAGE()}`,
        write: false,
        bad: async () => ({ url: `/catalog/versions/${seedVersionId}/standards/x` }),
      },
      {
        name: 'patch standard',
        method: 'PATCH',
        url: async () => `/catalog/versions/${seedVersionId}/standards/${await GARBAGE()}`,
        write: true,
        body: { defaultUrgency: 'urgent' },
        bad: async () => ({
          url: `/catalog/versions/${seedVersionId}/standards/${await GARBAGE()}`,
          body: { timeLimits: { handle: { A: { amount: -1, unit: 'working_hours' } } } },
        }),
      },
      {
        name: 'export',
        method: 'GET',
        url: async () => `/catalog/versions/${seedVersionId}/export`,
        write: false,
        bad: async () => ({ url: `/catalog/versions/${seedVersionId}/export?scheme=x` }),
      },
      {
        name: 'time limit',
        method: 'GET',
        url: async () => '/catalog/time-limit?code=0102&kind=event&areaClass=A&step=handle',
        write: false,
        bad: async () => ({ url: '/catalog/time-limit?code=0102&areaClass=A&step=handle' }),
      },
    ];

    it.each(endpoints.map((e) => [e.name, e] as const))(
      '%s: 401 without login, 403 without permission, 400 on bad input',
      async (_n, e) => {
        const before = await catalogCounts(t.store);
        const url = await e.url();
        expectError(await call(e.method, url, undefined, e.body), 401, 'UNAUTHENTICATED');
        expectError(await call(e.method, url, citizen, e.body), 403, 'FORBIDDEN');
        if (e.write) expectError(await call(e.method, url, intake, e.body), 403, 'FORBIDDEN');
        const bad = await e.bad();
        expectError(await call(e.method, bad.url, admin, bad.body), 400, 'VALIDATION_FAILED');
        expect(await catalogCounts(t.store)).toEqual(before);
      },
    );
  });
});
