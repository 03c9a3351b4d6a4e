/** A sensor alarm reaches the live stream (command map, shift leader) as an `alarm` event, for readers who may see the case. */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { DEMO_COMPONENT_KINDS } from '../../domain/component/demo.js';
import { openUnitOfWork } from '../../platform/db/unit-of-work.js';
import type { ApiApp } from '../../platform/http/types.js';
import { demo } from '../component/testkit.js';
import { applyMessages } from './apply.js';

const cover = demo.find(
  (c) => c.categoryCode === DEMO_COMPONENT_KINDS.powerCover.categoryCode,
) as (typeof demo)[0];

/** Collects the named events of a text/event-stream until closed. */
function stream(url: string, headers: Record<string, string>) {
  const events: Array<{ event: string; data: Record<string, unknown> }> = [];
  const req = http.get(url, { headers, agent: false }, (res) => {
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    });
  });
  req.on('error', () => {});
  return { events, close: () => req.destroy() };
}

describe.each(testStores())('live sensor alarms (%s)', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  let base: string;

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store, t.url ? { DATABASE_URL: t.url } : {});
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    await t.store.db
      .insertInto('iot_devices')
      .values({ id: 'LIVE-1', type_code: 'cover_tilt', component_id: cover.id })
      .execute();
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('announces the case an alarm opened, with where it is', async () => {
    const s = stream(`${base}/api/v1/live/stream`, await bearer(app, 'admin'));
    try {
      await expect.poll(() => s.events.some((e) => e.event === 'counts'), { timeout: 15_000 }).toBe(true);
      const unit = await openUnitOfWork(t.store.db, t.store.autonomous);
      const [out] = await applyMessages(unit.db, 'live', [
        {
          topic: 'live/devices/LIVE-1/json',
          payload: Buffer.from(JSON.stringify({ seq: 1, tiltDeg: 45 })),
          receivedAt: new Date(),
        },
      ]);
      await unit.commit();
      const caseId = out?.alarms[0]?.caseId;
      expect(caseId).toBeGreaterThan(0);
      await expect
        .poll(() => s.events.find((e) => e.event === 'alarm')?.data, { timeout: 15_000 })
        .toMatchObject({ caseId, componentCode: cover.id, opened: true });
      const alarm = s.events.find((e) => e.event === 'alarm')?.data as { lng: number; lat: number };
      expect(alarm.lng).toBeCloseTo(cover.lng, 6);
      expect(alarm.lat).toBeCloseTo(cover.lat, 6);
    } finally {
      s.close();
    }
  });
});
