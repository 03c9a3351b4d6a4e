/** A supervisor answers a 核实 task with the photos taken on site; they stay in the event. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, expectError, type Fixtures, fixtures, loginAll } from './testkit.js';

describe.each(testStores())('verification answers with photos on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let c: ReturnType<typeof client>;
  let f: Fixtures;
  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    c = client(app, await loginAll(app));
    f = await fixtures(t.store);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const reportToVerify = async (description: string) => {
    const k = await c.report('intake', {
      source: 'hotline_12345',
      kind: 'event',
      categoryCode: f.category.code,
      lng: f.supervised.lng,
      lat: f.supervised.lat,
      address: '核实测试地址',
      description,
    });
    await c.ok('intake', k.id, 'request_verification');
    return k.id as number;
  };

  it('verify and deny keep the photos in the event; unknown photos change nothing', async () => {
    const sha = await c.upload('supervisor');
    const verified = await reportToVerify('核实照片一');
    await c.ok('supervisor', verified, 'verify', { photos: [sha] });
    const denied = await reportToVerify('核实照片二');
    const unknown = 'f'.repeat(64);
    const before = await c.version(denied);
    expectError(
      await c.act('supervisor', denied, 'deny', { reason: '现场无此问题', photos: [unknown] }),
      400,
      'CASE_PHOTO_UNKNOWN',
    );
    expect(await c.version(denied)).toBe(before);
    await c.ok('supervisor', denied, 'deny', { reason: '现场无此问题', photos: [sha] });
    for (const [id, action] of [
      [verified, 'verify'],
      [denied, 'deny'],
    ] as const) {
      const events = (await c.call('admin', 'GET', `/api/v1/cases/${id}/events`)).json().items as Array<{
        action: string;
        payload: { photos?: string[] } | null;
      }>;
      expect(events.find((e) => e.action === action)?.payload?.photos).toEqual([sha]);
    }
    expectError(
      await c.act('supervisor', await reportToVerify('核实照片三'), 'verify', { photos: ['nope'] }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
