/**
 * `cityloop simulate sensors`: devices on the city's manhole covers publishing heartbeats and
 * readings to the configured broker, half as JSON and half as binary frames, and optionally a
 * rainstorm in which 10 % of the covers alarm (water level, tilt) within a window.
 */
import { type Kysely, sql } from 'kysely';
import mqtt from 'mqtt';
import { deviceTopic } from '../../domain/iot/adapt.js';
import { encodeFrame } from '../../domain/iot/frame-adapter.js';
import type { Readings } from '../../domain/iot/readings.js';
import type { Database } from '../../platform/db/schema.js';

export interface SimDevice {
  id: string;
  componentId: string;
  format: 'json' | 'frame';
}

/** Registers `count` simulated devices on the first covers (井盖, class 01xx), once. */
export async function registerSimDevices(
  db: Kysely<Database>,
  count: number,
  from = 0,
): Promise<SimDevice[]> {
  const covers = await db
    .selectFrom('components')
    .select('id')
    .where('category_code', 'like', '01%')
    .where(sql<boolean>`name LIKE '%井盖'`)
    .orderBy('id')
    .offset(from)
    .limit(count)
    .execute();
  const devices = covers.map((c, i) => ({
    id: `SIM-${String(from + i + 1).padStart(6, '0')}`,
    componentId: c.id,
    format: (i % 2 === 0 ? 'json' : 'frame') as SimDevice['format'],
  }));
  for (let i = 0; i < devices.length; i += 1000) {
    await db
      .insertInto('iot_devices')
      .values(
        devices.slice(i, i + 1000).map((d) => ({
          id: d.id,
          type_code: 'cover_multi',
          model: 'SIM-1',
          component_id: d.componentId,
          report_period_seconds: 300,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
  return devices;
}

/** A message key no earlier run used: seconds since 2026 × 64 + a counter (fits the frame's u32). */
let counter = 0;
const nextSeq = () => (Math.floor((Date.now() - Date.UTC(2026, 0, 1)) / 1000) * 64 + (counter++ % 64)) >>> 0;

export function messageOf(prefix: string, d: SimDevice, kind: 'heartbeat' | 'readings', readings: Readings) {
  const at = new Date();
  const seq = nextSeq();
  if (d.format === 'json')
    return {
      topic: deviceTopic(prefix, d.id, 'json'),
      payload: Buffer.from(JSON.stringify({ seq, ts: at.getTime(), type: kind, ...readings })),
    };
  return {
    topic: deviceTopic(prefix, d.id, 'frame'),
    payload: encodeFrame({ deviceId: d.id, seq, at, kind, readings }),
  };
}

export const calm = (): Readings => ({
  tiltDeg: Math.round(Math.random() * 30) / 10,
  lidOpen: false,
  waterLevelCm: -Math.round(Math.random() * 50),
  gasLel: 0,
  temperatureC: 18,
  batteryPct: 80,
});
export const stormy = (i: number): Readings =>
  i % 3 === 0 ? { ...calm(), tiltDeg: 25 } : { ...calm(), waterLevelCm: 20 + (i % 30) };

export interface SimOptions {
  url: string;
  prefix: string;
  devices: SimDevice[];
  rounds: number;
  storm: boolean;
  stormSeconds: number;
  /** Every how many devices one alarms in the storm (10: 10 %). */
  stormEvery?: number;
  say: (line: string) => void;
  /** Told when each storm message is handed to the broker (bench: alarm → case latency). */
  onStormPublish?: (device: SimDevice, at: number) => void;
}

/** Publishes at QoS 1 and resolves once the broker acknowledged every message. */
export async function publishTraffic(o: SimOptions): Promise<{ published: number; alarms: number }> {
  const client = await mqtt.connectAsync(o.url, {
    clientId: `cityloop-sim-${process.pid}`,
    protocolVersion: 4,
  });
  let published = 0;
  const send = async (m: { topic: string; payload: Buffer }) => {
    await client.publishAsync(m.topic, m.payload, { qos: 1 });
    published++;
  };
  try {
    for (let r = 0; r < o.rounds; r++) {
      const batch = o.devices.map((d, i) =>
        send(messageOf(o.prefix, d, i % 4 === 0 ? 'readings' : 'heartbeat', calm())),
      );
      await Promise.all(batch);
      o.say(`round ${r + 1}: ${o.devices.length} heartbeats/readings`);
    }
    let alarms = 0;
    if (o.storm) {
      const every = o.stormEvery ?? 10;
      const hit = o.devices.filter((_, i) => i % every === 0);
      const gap = (o.stormSeconds * 1000) / Math.max(1, hit.length);
      const t0 = Date.now();
      const sends: Promise<void>[] = [];
      for (const [i, d] of hit.entries()) {
        const wait = t0 + i * gap - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        o.onStormPublish?.(d, Date.now());
        sends.push(send(messageOf(o.prefix, d, 'readings', stormy(i))));
        alarms++;
      }
      await Promise.all(sends);
      o.say(`storm: ${alarms} covers alarmed within ${o.stormSeconds} s`);
    }
    return { published, alarms };
  } finally {
    await client.endAsync();
  }
}
