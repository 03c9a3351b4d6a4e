/**
 * Acceptance of camera AI intake: an event storm (the same 500 events sent twice, plus noise
 * below the threshold) files one case per place and type and leaves the rest in the review
 * queue, which the centre clears one click each; GA/T 1400 pushes are answered in kind.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { loginAll, PNG, type Tokens } from '../cases/testkit.js';
import { activeScheme } from '../catalog/scheme.js';
import { registerPlatform } from './testkit.js';

const PLACES = 10;
const TYPES = 4;
const STORM = 500;
const NOISE = 60;

describe.each(testStores())('camera event storm (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let key: string;
  let cameras: string[];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-camera-'));
  const eventTypes = ['660', '685', '890', '671'];

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store, {
      DATA_DIR: dataDir,
      HOTLINE_OUTBOX_SENDER: 'false',
      CAMERA_SNAPSHOT_HOSTS: '127.0.0.1',
    });
    tokens = await loginAll(app);
    // Places: distinct grids of one district, far enough apart not to merge with each other.
    const grids = await sql<{ lng: number; lat: number }>`
      SELECT ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat
      FROM grids g WHERE g.code LIKE '510104%' ORDER BY g.code LIMIT ${PLACES * 3}`.execute(ts.store.db);
    const categories = await sql<{ code: string }>`
      SELECT code FROM categories WHERE scheme = ${activeScheme()} AND kind = 'event' AND level = 'minor' AND active
      ORDER BY code LIMIT ${TYPES}`.execute(ts.store.db);
    const places = grids.rows.filter((_, i) => i % 3 === 0).slice(0, PLACES);
    key = (await registerPlatform(app, tokens)).apiKey;
    cameras = [];
    for (const [i, p] of places.entries()) {
      const deviceId = `510104000013200${String(i + 1).padStart(5, '0')}`;
      const res = await app.inject({
        method: 'PUT',
        url: `/api/v1/camera/cameras/${deviceId}`,
        headers: tokens.admin,
        payload: {
          name: `测试摄像机 ${i + 1}`,
          lng: p.lng,
          lat: p.lat,
          view: '路口朝北',
          districtCode: '510104',
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      cameras.push(deviceId);
    }
    for (const [i, code] of eventTypes.entries()) {
      const category = categories.rows[i];
      if (!category) throw new Error('not enough categories');
      const res = await app.inject({
        method: 'PUT',
        url: '/api/v1/camera/mappings',
        headers: tokens.admin,
        payload: {
          eventCode: code,
          label: `类型 ${code}`,
          category: { kind: 'event', code: category.code },
          minConfidence: 0.8,
          mergeRadiusM: 30,
        },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const send = (events: unknown[]) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/camera/events',
      headers: { 'x-api-key': key },
      payload: { events },
    });

  function storm(prefix: string, n: number, confidence: number) {
    const t0 = Date.parse('2026-12-01T08:00:00+08:00');
    return Array.from({ length: n }, (_, i) => ({
      eventId: `${prefix}-${i}`,
      deviceId: cameras[i % PLACES],
      eventType: eventTypes[Math.floor(i / PLACES) % TYPES],
      occurredAt: new Date(t0 + i * 1000).toISOString(),
      confidence,
      // Every tenth event carries its snapshot (the same picture: stored once).
      ...(i % 10 === 0 ? { snapshot: { contentType: 'image/png', data: PNG.toString('base64') } } : {}),
    }));
  }

  it('files one case per place and type, merges the repeats, skips the replay and queues the noise', async () => {
    const events = storm('S', STORM, 0.93);
    const noise = storm('N', NOISE, 0.42);
    const totals = { filed: 0, merged: 0, review: 0, duplicate: 0 };
    for (const batch of [
      events.slice(0, 250),
      events.slice(250),
      noise,
      events.slice(0, 250),
      events.slice(250),
    ]) {
      const res = await send(batch);
      expect(res.statusCode, res.body).toBe(200);
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += res.json()[k];
    }
    expect(totals).toEqual({
      filed: PLACES * TYPES,
      merged: STORM - PLACES * TYPES,
      review: NOISE,
      duplicate: STORM,
    });
    const cases = await sql<{ n: number; places: number }>`
      SELECT count(*)::int AS n, count(DISTINCT (e.device_id, e.event_code))::int AS places
      FROM cases c JOIN camera_events e ON e.case_id = c.id AND e.status = 'filed'
      WHERE c.source = 'video_ai'`.execute(ts.store.db);
    expect(cases.rows[0]).toEqual({ n: PLACES * TYPES, places: PLACES * TYPES });
    // Every merged repeat is in its case's event log, a batch's repeats at one place as one entry
    // (here one per case and batch); the replays added none.
    const logged = await sql<{ entries: number; repeats: number; cases: number }>`
      SELECT count(*)::int AS entries, sum((e.payload->>'count')::int)::int AS repeats,
             count(DISTINCT e.case_id)::int AS cases
      FROM case_events e JOIN cases c ON c.id = e.case_id
      WHERE c.source = 'video_ai' AND e.action = 'camera_event'`.execute(ts.store.db);
    expect(logged.rows[0]).toEqual({
      entries: 2 * PLACES * TYPES,
      repeats: STORM - PLACES * TYPES,
      cases: PLACES * TYPES,
    });
    const queue = (
      await app.inject({ url: '/api/v1/camera/review?limit=200', headers: tokens.intake })
    ).json();
    expect(queue.total).toBe(NOISE);
    expect(queue.items[0]).toMatchObject({ status: 'review', confidence: 0.42, threshold: 0.8 });
  });

  it('clears the review queue one click each: accept joins the open case, reject keeps a false positive', async () => {
    const queue = (await app.inject({ url: '/api/v1/camera/review?limit=2', headers: tokens.intake })).json();
    const [first, second] = queue.items;
    const accepted = await app.inject({
      method: 'POST',
      url: `/api/v1/camera/events/${first.id}/accept`,
      headers: tokens.intake,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted' });
    // The noise is at a place with an open case of its type: it joined it, no new case.
    const filedThere = await sql<{ case_id: number }>`
      SELECT case_id FROM camera_events WHERE status = 'filed' AND device_id = ${first.deviceId}
        AND event_code = ${first.eventType}`.execute(ts.store.db);
    expect(accepted.json().caseId).toBe(filedThere.rows[0]?.case_id);
    const rejected = await app.inject({
      method: 'POST',
      url: `/api/v1/camera/events/${second.id}/reject`,
      headers: tokens.intake,
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', caseId: null });
    // Each is cleared once.
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/camera/events/${second.id}/accept`,
      headers: tokens.intake,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CAMERA_EVENT_NOT_IN_REVIEW');
    expect((await app.inject({ url: '/api/v1/camera/review', headers: tokens.intake })).json().total).toBe(
      NOISE - 2,
    );
  });

  it("shows a repeat merged into an open case in the case's timeline, with its device and snapshot", async () => {
    const there = (
      await sql<{ case_id: number; number: string; seq: number }>`
        SELECT e.case_id, c.number, c.last_seq AS seq FROM camera_events e JOIN cases c ON c.id = e.case_id
        WHERE e.status = 'filed' AND e.device_id = ${cameras[3]} AND e.event_code = ${eventTypes[2]}`.execute(
        ts.store.db,
      )
    ).rows[0];
    expect(there).toBeDefined();
    const res = await send([
      {
        eventId: 'R-1',
        deviceId: cameras[3],
        eventType: eventTypes[2],
        occurredAt: '2026-12-02T10:15:00+08:00',
        confidence: 0.97,
        snapshot: { contentType: 'image/png', data: PNG.toString('base64') },
      },
    ]);
    expect(res.json()).toMatchObject({ merged: 1, results: [{ status: 'merged', caseId: there?.case_id }] });
    const snapshot = (
      await sql<{ snapshot: string }>`SELECT snapshot FROM camera_events WHERE event_key = 'R-1'`.execute(
        ts.store.db,
      )
    ).rows[0]?.snapshot;
    expect(snapshot).toMatch(/^[0-9a-f]{64}$/);
    const events = (
      await app.inject({ url: `/api/v1/cases/${there?.case_id}/events`, headers: tokens.intake })
    ).json().items as Array<{
      seq: number;
      action: string;
      actionLabel: { zh: string };
      payload: Record<string, unknown>;
    }>;
    const last = events[events.length - 1];
    expect(last).toMatchObject({
      seq: (there?.seq ?? 0) + 1,
      action: 'camera_event',
      actionLabel: { zh: '视频识别（重复）' },
      payload: {
        device: { id: cameras[3], name: '测试摄像机 4' },
        event: { code: eventTypes[2], label: `类型 ${eventTypes[2]}` },
        at: '2026-12-02T02:15:00.000Z',
        confidence: 0.97,
        count: 1,
        eventIds: ['R-1'],
        snapshot,
      },
    });
    const photos = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM case_photos WHERE case_id = ${there?.case_id} AND sha256 = ${snapshot}
        AND event_seq = ${last?.seq}`.execute(ts.store.db);
    expect(photos.rows[0]?.n).toBe(1);
  });

  it('takes a GA/T 1400 push and answers with its ResponseStatus', async () => {
    const envelope = (deviceId: string, id: string) => ({
      SubscribeNotificationListObject: {
        SubscribeNotificationObject: [
          {
            NotificationID: id,
            SubscribeID: 'SUB-1',
            TriggerTime: '20261201090000',
            SceneListObject: {
              SceneObject: [
                {
                  DeviceID: deviceId,
                  SubImageList: {
                    SubImageInfoObject: [
                      {
                        EventSort: 660,
                        ShotTime: '20261201090000',
                        Type: '14',
                        Data: PNG.toString('base64'),
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    });
    const push = (body: unknown) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/camera/VIID/SubscribeNotifications',
        headers: {
          'x-api-key': key,
          'content-type': 'application/VIID+JSON',
          'user-identify': cameras[0] as string,
        },
        payload: JSON.stringify(body),
      });
    const ok = await push(envelope(cameras[0] as string, 'NTF-1'));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^application\/VIID\+JSON/i);
    expect(ok.json().ResponseStatusListObject.ResponseStatusObject[0]).toMatchObject({
      RequestURL: '/VIID/SubscribeNotifications',
      StatusCode: 0,
      StatusString: 'OK',
      Id: 'NTF-1',
    });
    const stored = await sql<{ status: string; occurred_at: Date }>`
      SELECT status, occurred_at FROM camera_events WHERE event_key LIKE 'NTF-1:%'`.execute(ts.store.db);
    // 660 at camera 1 has an open case from the storm: the push joined it.
    expect(stored.rows).toEqual([{ status: 'merged', occurred_at: new Date('2026-12-01T01:00:00Z') }]);

    const bad = await push(envelope('12345', 'NTF-2'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().ResponseStatusListObject.ResponseStatusObject[0]).toMatchObject({
      StatusCode: 8,
      Id: 'NTF-2',
    });
    expect(bad.json().error.code).toBe('CAMERA_DEVICE_ID_INVALID');
    const none = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM camera_events WHERE event_key LIKE 'NTF-2:%'`.execute(ts.store.db);
    expect(none.rows[0]?.n).toBe(0);
  });

  it('fetches a snapshot from the platform by URL, and refuses the batch when it is not an image', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/snap.png') res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not an image</html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const event = (eventId: string, url: string) => ({
        eventId,
        deviceId: cameras[1],
        eventType: eventTypes[0],
        occurredAt: new Date().toISOString(),
        confidence: 0.95,
        snapshot: { url },
      });
      const bad = await send([event('URL-1', `${base}/page.html`), event('URL-2', `${base}/snap.png`)]);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toMatchObject({
        code: 'CAMERA_SNAPSHOT_INVALID',
        details: { eventId: 'URL-1' },
      });
      const none = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM camera_events WHERE event_key LIKE 'URL-%'`.execute(ts.store.db);
      expect(none.rows[0]?.n).toBe(0);
      // An address that is not a configured platform is never fetched (no server-side request).
      const port = (server.address() as AddressInfo).port;
      let fetched = 0;
      server.on('request', () => fetched++);
      for (const url of [`http://localhost:${port}/snap.png`, 'http://169.254.169.254/latest/meta-data/']) {
        const refused = await send([event('URL-3', url)]);
        expect(refused.statusCode).toBe(400);
        expect(JSON.stringify(refused.json().error.details), refused.body).toContain('host not allowed');
      }
      expect(fetched).toBe(0);
      const ok = await send([event('URL-2', `${base}/snap.png`)]);
      expect(ok.statusCode, ok.body).toBe(200);
      const stored = await sql<{
        snapshot: string | null;
      }>`SELECT snapshot FROM camera_events WHERE event_key = 'URL-2'`.execute(ts.store.db);
      expect(stored.rows[0]?.snapshot).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      server.close();
    }
  });
});
