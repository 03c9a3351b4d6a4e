/** After 返工 the handler sees why: the checker's reason and photos on the case, over HTTP. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, type Fixtures, fixtures, loginAll, PNG, type Tokens } from './testkit.js';

describe.each(testStores())('rework seen by the handler (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-rework-'));

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

  it('shows the checker, his reason and photos until the handler reports back', async () => {
    const k = await c.report('supervisor', {
      source: 'supervisor',
      kind: 'event',
      categoryCode: fx.category.code,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '锦江区测试路 5 号',
      description: '返工测试',
    });
    await c.ok('intake', k.id, 'intake');
    await c.ok('shiftlead', k.id, 'file');
    await c.ok('dispatcher', k.id, 'dispatch', { departmentCode: 'SZ-01' });
    await c.ok('dept', k.id, 'sign');
    expect((await c.call('handler', 'GET', `/api/v1/cases/${k.id}`)).json().rework).toBeNull();
    await c.ok('handler', k.id, 'feedback', { photos: [await c.upload('handler')] });
    await c.ok('intake', k.id, 'request_check');
    // The checker's own photo, not one the handler uploaded or one on the case.
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/media',
      headers: { ...tokens.supervisor, 'content-type': 'image/png' },
      payload: Buffer.concat([PNG, Buffer.from('rework')]),
    });
    expect(res.statusCode, res.body).toBe(201);
    const checkPhoto = res.json().sha256 as string;
    await c.ok('supervisor', k.id, 'check_fail', { reason: '路面仍有垃圾残留', photos: [checkPhoto] });

    const seen = (await c.call('handler', 'GET', `/api/v1/cases/${k.id}`)).json();
    expect(seen).toMatchObject({
      state: 'handling',
      counters: { rework: 1 },
      rework: {
        open: true,
        reason: '路面仍有垃圾残留',
        photos: [checkPhoto],
        by: { name: '王监督', role: 'supervisor' },
      },
    });
    expect(Date.parse(seen.rework.at)).not.toBeNaN();
    // He can open the checker's photo, though it is on the event, not among the case's photos.
    const photo = await c.call('handler', 'GET', `/api/v1/media/${checkPhoto}`);
    expect(photo.statusCode, photo.body).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    // Someone who cannot see the case cannot open it either.
    expect((await c.call('intake2', 'GET', `/api/v1/media/${checkPhoto}`)).statusCode).toBe(404);
    // The list carries the flag too (counters), and the timeline the whole history.
    const list = (await c.call('handler', 'GET', '/api/v1/cases?queue=handle&limit=100')).json();
    expect(list.items.find((x: { id: number }) => x.id === k.id)?.counters).toMatchObject({ rework: 1 });
    const events = (await c.call('handler', 'GET', `/api/v1/cases/${k.id}/events`)).json().items;
    expect(events.map((e: { action: string }) => e.action)).toEqual([
      'report',
      'intake',
      'file',
      'dispatch',
      'sign',
      'feedback',
      'request_check',
      'check_fail',
    ]);

    const again = await c.ok('handler', k.id, 'feedback', { photos: [await c.upload('handler')] });
    expect(again.rework).toMatchObject({ open: false, reason: '路面仍有垃圾残留' });
  });
});
