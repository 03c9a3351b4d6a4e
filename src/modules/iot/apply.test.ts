/** Device messages into the store (both stores): raw messages, once-only apply, alarm → one case. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { DEMO_COMPONENT_KINDS } from '../../domain/component/demo.js';
import { encodeFrame } from '../../domain/iot/frame-adapter.js';
import { openUnitOfWork } from '../../platform/db/unit-of-work.js';
import { demo } from '../component/testkit.js';
import { applyMessages, type IncomingMessage } from './apply.js';
import { markOffline } from './offline.js';

const P = 'test';
const covers = demo.filter((c) => c.categoryCode === DEMO_COMPONENT_KINDS.rainCover.categoryCode);
const [coverA, coverB] = covers as [(typeof covers)[0], (typeof covers)[0]];
const json = (device: string, body: Record<string, unknown>): IncomingMessage => ({
  topic: `${P}/devices/${device}/json`,
  payload: Buffer.from(JSON.stringify(body)),
  receivedAt: new Date(),
});
const frame = (device: string, payload: Buffer): IncomingMessage => ({
  topic: `${P}/devices/${device}/frame`,
  payload,
  receivedAt: new Date(),
});

for (const kind of testStores()) {
  describe(`IoT apply (${kind})`, () => {
    let t: TestStore;
    const apply = async (messages: IncomingMessage[]) => {
      const unit = await openUnitOfWork(t.store.db, t.store.autonomous);
      const out = await applyMessages(unit.db, P, messages);
      await unit.commit();
      return out;
    };
    const casesOf = (componentId: string) =>
      t.store.db
        .selectFrom('cases')
        .select(['id', 'urgency', 'source', 'kind', 'state', 'component_code'])
        .where('component_code', '=', componentId)
        .where('source', '=', 'iot')
        .execute();
    const eventsOf = (caseId: number) =>
      t.store.db
        .selectFrom('case_events')
        .select(['action', 'payload', 'actor_role'])
        .where('case_id', '=', caseId)
        .orderBy('seq')
        .execute();

    beforeAll(async () => {
      t = await openTestStore(kind);
      await t.store.db
        .insertInto('iot_devices')
        .values([
          { id: 'DEV-A1', type_code: 'cover_multi', component_id: coverA.id, report_period_seconds: 60 },
          { id: 'DEV-A2', type_code: 'cover_tilt', component_id: coverA.id, report_period_seconds: 60 },
          { id: 'DEV-B1', type_code: 'cover_multi', component_id: coverB.id, report_period_seconds: 60 },
        ])
        .execute();
    }, 180_000);
    afterAll(() => t?.dispose());

    it('opens one urgent 部件 case per component; repeats, other devices, flaps and restores attach to it', async () => {
      const first = await apply([json('DEV-A1', { seq: 1, tiltDeg: 15, batteryPct: 90 })]);
      expect(first[0]).toMatchObject({
        status: 'applied',
        alarms: [{ kind: 'tilt', change: 'raised', opened: true }],
      });
      const [c] = await casesOf(coverA.id);
      expect(c).toMatchObject({ urgency: 'urgent', kind: 'component', state: 'reported' });
      // Same alarm still active: nothing new; another device and kind on the same cover: attached.
      await apply([
        json('DEV-A1', { seq: 2, tiltDeg: 16 }),
        json('DEV-A2', { seq: 1, tilt: 30 }),
        frame(
          'DEV-A1',
          encodeFrame({
            deviceId: 'DEV-A1',
            seq: 3,
            at: new Date(),
            kind: 'readings',
            readings: { tiltDeg: 16, lidOpen: true, batteryPct: 90 },
          }),
        ),
      ]);
      // Restored, then raised again (flapping).
      await apply([json('DEV-A1', { seq: 4, tiltDeg: 2, lidOpen: false })]);
      await apply([json('DEV-A1', { seq: 5, tiltDeg: 20 })]);
      const all = await casesOf(coverA.id);
      expect(all).toHaveLength(1);
      const events = await eventsOf(c?.id as number);
      expect(events.map((e) => e.action)).toEqual([
        'report',
        'sensor_event',
        'sensor_event',
        'sensor_event',
        'sensor_event',
        'sensor_event',
      ]);
      const payloads = events
        .slice(1)
        .map((e) => e.payload as { event: string; kind: string; device: string });
      expect(payloads.map((p) => `${p.event}:${p.kind}:${p.device}`)).toEqual([
        'raised:tilt:DEV-A2',
        'raised:lid_open:DEV-A1',
        'restored:tilt:DEV-A1',
        'restored:lid_open:DEV-A1',
        'raised:tilt:DEV-A1',
      ]);
      expect(events[3]?.payload).toMatchObject({ checkOnSite: true });
      // The dispatcher is offered the cover's owner (部件权属) as for any case naming a component.
      expect(c?.component_code).toBe(coverA.id);
    });

    it('applies a message once: a second delivery of the same key is kept as a duplicate and changes nothing', async () => {
      const before = await casesOf(coverB.id);
      const msg = json('DEV-B1', { seq: 7, waterLevelCm: 30 });
      const [a] = await apply([msg]);
      const [b] = await apply([{ ...msg, receivedAt: new Date() }]);
      expect(a?.status).toBe('applied');
      expect(b?.status).toBe('duplicate');
      expect(await casesOf(coverB.id)).toHaveLength(before.length + 1);
      const rows = await t.store.db
        .selectFrom('iot_raw_messages')
        .select(['status'])
        .where('device_id', '=', 'DEV-B1')
        .where('message_key', '=', 's7')
        .orderBy('id')
        .execute();
      expect(rows.map((r) => r.status)).toEqual(['applied', 'duplicate']);
    });

    it('keeps bad payloads as rejected raw messages with a reason, and goes on', async () => {
      const good = encodeFrame({
        deviceId: 'DEV-B1',
        seq: 20,
        at: new Date(),
        kind: 'heartbeat',
        readings: { batteryPct: 80 },
      });
      const badSum = Buffer.from(good);
      badSum[badSum.length - 2] = ((badSum[badSum.length - 2] as number) + 1) & 0xff;
      const out = await apply([
        frame('DEV-B1', good.subarray(0, good.length - 3)),
        frame('DEV-B1', badSum),
        json('NOBODY', { seq: 1, tiltDeg: 3 }),
        json('DEV-B1', { seq: 21, tiltDeg: 200 }),
        frame(
          'DEV-B1',
          encodeFrame({
            deviceId: 'DEV-B1',
            seq: 22,
            at: new Date(),
            kind: 'readings',
            readings: { batteryPct: 150 },
          }),
        ),
        json('DEV-B1', { seq: 23, tiltDeg: 'x' }),
        { topic: `${P}/devices/DEV-B1/json`, payload: Buffer.from('{"seq":'), receivedAt: new Date() },
        { topic: `${P}/elsewhere`, payload: Buffer.from('{}'), receivedAt: new Date() },
        frame('DEV-B1', good),
      ]);
      expect(out.map((o) => o.status)).toEqual([...Array(8).fill('rejected'), 'applied']);
      expect(out.slice(0, 8).map((o) => o.reason?.split(':')[0])).toEqual([
        'truncated_frame',
        'bad_checksum',
        'unknown_device',
        'out_of_range',
        'out_of_range',
        'bad_json',
        'bad_json',
        'unknown_topic',
      ]);
      const kept = await t.store.db
        .selectFrom('iot_raw_messages')
        .select(['reason', 'payload'])
        .where('status', '=', 'rejected')
        .execute();
      expect(kept.map((k) => k.reason)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^bad_checksum: 0x/)]),
      );
      expect(kept.every((k) => k.payload.length > 0)).toBe(true);
    });

    it('sends device faults to maintenance, not to a case: flat battery, offline by missed heartbeats', async () => {
      const cases = (await casesOf(coverB.id)).length;
      await apply([json('DEV-B1', { seq: 30, batteryPct: 5 })]);
      const later = new Date(Date.now() + 10 * 60_000);
      expect(await markOffline(t.store, later)).toBeGreaterThanOrEqual(1);
      const tasks = await t.store.db
        .selectFrom('iot_maintenance_tasks')
        .select(['kind', 'closed_at'])
        .where('device_id', '=', 'DEV-B1')
        .orderBy('kind')
        .execute();
      expect(tasks).toEqual([
        { kind: 'low_battery', closed_at: null },
        { kind: 'offline', closed_at: null },
      ]);
      expect(await casesOf(coverB.id)).toHaveLength(cases);
      // The device speaks again: online, its offline task closed.
      await apply([json('DEV-B1', { seq: 31, batteryPct: 60 })]);
      const device = await t.store.db
        .selectFrom('iot_devices')
        .select('online')
        .where('id', '=', 'DEV-B1')
        .executeTakeFirst();
      expect(device?.online).toBe(true);
      const open = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM iot_maintenance_tasks WHERE device_id = 'DEV-B1' AND closed_at IS NULL`.execute(
        t.store.db,
      );
      expect(open.rows[0]?.n).toBe(0);
    });
  });
}
