/**
 * The ingester over real brokers: the machine's Mosquitto (127.0.0.1:1883) and the embedded
 * aedes broker. Unique topics and client ids per test. Both adapter formats, bad payloads, and
 * a crash between the commit and the PUBACK: the broker sends again, the case stays one.
 */
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTestStore, type TestStore } from '../../../test/helpers/stores.js';
import { DEMO_COMPONENT_KINDS } from '../../domain/component/demo.js';
import { deviceTopic } from '../../domain/iot/adapt.js';
import { encodeFrame } from '../../domain/iot/frame-adapter.js';
import { demo } from '../component/testkit.js';
import { type EmbeddedBroker, startEmbeddedBroker } from './broker.js';
import { Ingester } from './ingester.js';

const MOSQUITTO = 'mqtt://127.0.0.1:1883';
const covers = demo.filter((c) => c.categoryCode === DEMO_COMPONENT_KINDS.sewageCover.categoryCode);
const uid = () => randomBytes(4).toString('hex');

describe('IoT ingester over MQTT (postgres)', () => {
  let t: TestStore;
  let aedes: EmbeddedBroker;
  let coverIndex = 0;

  beforeAll(async () => {
    [t, aedes] = await Promise.all([openTestStore('postgres'), startEmbeddedBroker(0)]);
  }, 180_000);
  afterAll(async () => {
    await aedes?.close();
    await t?.dispose();
  });

  async function device(typeCode = 'cover_multi') {
    const cover = covers[coverIndex++];
    if (!cover) throw new Error('out of demo covers');
    const id = `D${uid()}`;
    await t.store.db
      .insertInto('iot_devices')
      .values({ id, type_code: typeCode, component_id: cover.id, report_period_seconds: 60 })
      .execute();
    return { id, componentId: cover.id };
  }
  const casesOf = (componentId: string) =>
    t.store.db
      .selectFrom('cases')
      .select(['id'])
      .where('source', '=', 'iot')
      .where('component_code', '=', componentId)
      .execute();
  async function publisher(url: string) {
    const c = await mqtt.connectAsync(url, { clientId: `pub-${uid()}`, protocolVersion: 4 });
    return c;
  }

  for (const [name, url, version] of [
    ['Mosquitto', () => MOSQUITTO, 5],
    ['embedded aedes', () => aedes.url, 4],
  ] as const) {
    it(`${name}: JSON and frame messages become readings and one case; bad payloads are kept as rejected`, async () => {
      const prefix = `t${uid()}`;
      const dev = await device();
      const ingester = new Ingester(t.store, {
        url: url(),
        clientId: `ingest-${uid()}`,
        topicPrefix: prefix,
        protocolVersion: version,
      });
      await ingester.start();
      const pub = await publisher(url());
      try {
        const good = encodeFrame({
          deviceId: dev.id,
          seq: 2,
          at: new Date(),
          kind: 'readings',
          readings: { lidOpen: true, tiltDeg: 1, batteryPct: 77 },
        });
        const wrongSum = Buffer.from(good);
        wrongSum[wrongSum.length - 2] = ((wrongSum[wrongSum.length - 2] as number) ^ 0xff) & 0xff;
        await pub.publishAsync(deviceTopic(prefix, dev.id, 'json'), JSON.stringify({ seq: 1, tiltDeg: 25 }), {
          qos: 1,
        });
        await pub.publishAsync(deviceTopic(prefix, dev.id, 'frame'), good, { qos: 1 });
        await pub.publishAsync(deviceTopic(prefix, dev.id, 'frame'), good.subarray(0, 9), { qos: 1 });
        await pub.publishAsync(deviceTopic(prefix, dev.id, 'frame'), wrongSum, { qos: 1 });
        await pub.publishAsync(deviceTopic(prefix, 'GHOST1', 'json'), JSON.stringify({ seq: 1 }), { qos: 1 });
        await pub.publishAsync(deviceTopic(prefix, dev.id, 'json'), JSON.stringify({ seq: 3, gasLel: 101 }), {
          qos: 1,
        });
        await vi.waitFor(() => expect(ingester.stats.acked).toBe(6), { timeout: 20_000, interval: 50 });
        expect(ingester.stats).toMatchObject({ applied: 2, rejected: 4, duplicate: 0 });
        expect(await casesOf(dev.componentId)).toHaveLength(1);
        const device = await t.store.db
          .selectFrom('iot_devices')
          .select(['battery_pct', 'readings'])
          .where('id', '=', dev.id)
          .executeTakeFirstOrThrow();
        expect(device).toMatchObject({ battery_pct: 77, readings: { lidOpen: true, tiltDeg: 1 } });
        const reasons = await t.store.db
          .selectFrom('iot_raw_messages')
          .select('reason')
          .where('topic', 'like', `${prefix}/%`)
          .where('status', '=', 'rejected')
          .execute();
        expect(reasons.map((r) => r.reason?.split(':')[0]).sort()).toEqual([
          'bad_checksum',
          'out_of_range',
          'truncated_frame',
          'unknown_device',
        ]);
      } finally {
        await pub.endAsync();
        await ingester.stop();
      }
    });
  }

  it('Mosquitto: a crash after the commit and before the PUBACK loses nothing and makes no second case', async () => {
    const prefix = `t${uid()}`;
    const clientId = `ingest-${uid()}`;
    const dev = await device();
    const opts = { url: MOSQUITTO, clientId, topicPrefix: prefix, protocolVersion: 5 as const };
    let crashed = false;
    const first: Ingester = new Ingester(t.store, {
      ...opts,
      afterCommit: async () => {
        crashed = true;
        await first.kill();
      },
    });
    await first.start();
    const pub = await publisher(MOSQUITTO);
    try {
      await pub.publishAsync(deviceTopic(prefix, dev.id, 'json'), JSON.stringify({ seq: 1, tiltDeg: 40 }), {
        qos: 1,
      });
      await vi.waitFor(() => expect(crashed).toBe(true), { timeout: 20_000, interval: 50 });
      expect(first.stats).toMatchObject({ applied: 1, acked: 0 });
      // Published while the ingester is down: the persistent session keeps it.
      await pub.publishAsync(deviceTopic(prefix, dev.id, 'json'), JSON.stringify({ seq: 2, lidOpen: true }), {
        qos: 1,
      });
      const second = new Ingester(t.store, opts);
      await second.start();
      try {
        await vi.waitFor(() => expect(second.stats.acked).toBe(2), { timeout: 20_000, interval: 50 });
        // The first message comes again and is a duplicate; the second is applied once.
        expect(second.stats).toMatchObject({ duplicate: 1, applied: 1 });
        expect(await casesOf(dev.componentId)).toHaveLength(1);
        const alarms = await t.store.db
          .selectFrom('iot_alarms')
          .select('kind')
          .where('device_id', '=', dev.id)
          .orderBy('kind')
          .execute();
        expect(alarms.map((a) => a.kind)).toEqual(['lid_open', 'tilt']);
      } finally {
        await second.stop();
      }
    } finally {
      await pub.endAsync();
    }
  });
});
