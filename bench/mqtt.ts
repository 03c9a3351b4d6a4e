/**
 * Sensors over MQTT, side by side in one run (issue 15 targets):
 *  1. messages/s ingested by CityLoop (its ingester in a process of its own, on PostgreSQL)
 *     against a bare QoS 1 subscriber on the same broker, same messages, same run;
 *  2. a storm (10 % of the covers alarm within a window): alarm → case p50/p99, from the
 *     publish of each alarm to the case's reported_at;
 *  3. a second storm with the ingester killed (-9) halfway and restarted: alarms expected vs
 *     recorded, cases opened, components with more than one case.
 * The broker is a Mosquitto of its own (no queue limit, so the persistent session keeps every
 * message while the ingester is down); the database a fresh one with the demo city.
 *
 *   node --import tsx bench/mqtt.ts [devices=2000] [rounds=3] [stormSeconds=10]
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (admin connection; default shown)
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import mqtt from 'mqtt';
import pg from 'pg';
import { subscriptionOf } from '../src/domain/iot/adapt.js';
import { publishTraffic, registerSimDevices, type SimDevice } from '../src/modules/iot/simulator.js';
import { loadConfig } from '../src/platform/config.js';
import { prepareStore } from '../src/server.js';

const devicesN = Number(process.argv[2] ?? 2000);
const rounds = Number(process.argv[3] ?? 3);
const stormSeconds = Number(process.argv[4] ?? 10);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PREFIX = 'bench';
const say = (s: string) => process.stdout.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function admin(query: string) {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(query);
  } finally {
    await c.end();
  }
}
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

interface Stats {
  applied: number;
  duplicate: number;
  rejected: number;
  acked: number;
}

function startIngester(dbUrl: string, mqttUrl: string) {
  const child = fork(
    new URL('./mqtt-ingester.ts', import.meta.url).pathname,
    [dbUrl, mqttUrl, PREFIX, 'bench-ingest'],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`ingester exited ${code}`)));
    child.on('message', (m: { type: string }) => {
      if (m.type === 'ready') resolve();
    });
  });
  const stats = () =>
    new Promise<Stats>((resolve) => {
      const on = (m: { type: string } & Stats) => {
        if (m.type !== 'stats') return;
        child.off('message', on);
        resolve(m);
      };
      child.on('message', on);
      child.send({ type: 'stats' });
    });
  return { child, ready, stats };
}

async function main() {
  const name = `cityloop_bench_mqtt_${Date.now()}`;
  await admin(`CREATE DATABASE "${name}"`);
  const dbUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-bench-mqtt-'));
  const port = await freePort();
  fs.writeFileSync(
    path.join(dir, 'mosquitto.conf'),
    `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_inflight_messages 0\n`,
  );
  const broker: ChildProcess = spawn('mosquitto', ['-c', path.join(dir, 'mosquitto.conf')], {
    stdio: 'ignore',
  });
  const mqttUrl = `mqtt://127.0.0.1:${port}`;
  let ingester: ReturnType<typeof startIngester> | null = null;
  say(
    `bench/mqtt: ${devicesN} devices, ${rounds} rounds, storm window ${stormSeconds} s; Mosquitto ${mqttUrl}; database ${name}`,
  );
  try {
    const config = loadConfig({ DATABASE_URL: dbUrl, LOG_LEVEL: 'silent', DEMO_HISTORY_DAYS: '0' });
    const { store } = await prepareStore(config);
    const devices = await registerSimDevices(store.db, devicesN);
    await sleep(300);

    // 1. Throughput: the bare subscriber and CityLoop's ingester on the same messages.
    const bare = await mqtt.connectAsync(mqttUrl, {
      clientId: 'bench-bare',
      clean: false,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: 3600, receiveMaximum: 1000 },
    });
    let bareCount = 0;
    let bareLast = 0;
    bare.on('message', () => {
      bareCount++;
      bareLast = Date.now();
    });
    await bare.subscribeAsync(subscriptionOf(PREFIX), { qos: 1 });
    ingester = startIngester(dbUrl, mqttUrl);
    await ingester.ready;
    const total = devices.length * rounds;
    const t0 = Date.now();
    await publishTraffic({
      url: mqttUrl,
      prefix: PREFIX,
      devices,
      rounds,
      storm: false,
      stormSeconds,
      say: () => {},
    });
    let ingestDone = 0;
    for (;;) {
      const s = await ingester.stats();
      if (s.applied + s.duplicate + s.rejected >= total && !ingestDone) ingestDone = Date.now();
      if (ingestDone && bareCount >= total) break;
      await sleep(50);
    }
    const bareRate = total / ((bareLast - t0) / 1000);
    const ingestRate = total / ((ingestDone - t0) / 1000);
    say(
      `throughput: ${total} messages — bare subscriber ${bareRate.toFixed(0)} msg/s, CityLoop ${ingestRate.toFixed(0)} msg/s → ${((100 * ingestRate) / bareRate).toFixed(0)} % of the bare subscriber (target ≥ 50 %)`,
    );
    await bare.endAsync();

    // 2. Storm: alarm → case latency.
    const published = new Map<string, number>();
    const stormDevices = devices.filter((_, i) => i % 10 === 0);
    const before = (await ingester.stats()).applied;
    await publishTraffic({
      url: mqttUrl,
      prefix: PREFIX,
      devices: stormDevices,
      rounds: 0,
      storm: true,
      stormSeconds,
      stormEvery: 1,
      say: () => {},
      onStormPublish: (d, at) => published.set(d.componentId, at),
    });
    while ((await ingester.stats()).applied < before + stormDevices.length) await sleep(50);
    const cases = await store.db
      .selectFrom('cases')
      .select(['component_code', 'reported_at'])
      .where('source', '=', 'iot')
      .where('component_code', 'in', [...published.keys()])
      .execute();
    const lat = cases
      .map((c) => new Date(c.reported_at).getTime() - (published.get(c.component_code as string) ?? 0))
      .sort((a, b) => a - b);
    say(
      `storm: ${stormDevices.length} alarms in ${stormSeconds} s → ${cases.length} cases; alarm → case p50 ${pct(lat, 0.5)} ms, p99 ${pct(lat, 0.99)} ms (target p99 ≤ 2000 ms)`,
    );

    // 3. kill -9 halfway through a second storm, then restart.
    const second: SimDevice[] = devices.filter((_, i) => i % 10 === 5);
    const storm = publishTraffic({
      url: mqttUrl,
      prefix: PREFIX,
      devices: second,
      rounds: 0,
      storm: true,
      stormSeconds,
      stormEvery: 1,
      say: () => {},
    });
    await sleep((stormSeconds * 1000) / 2);
    const killedAt = await ingester.stats();
    ingester.child.kill('SIGKILL');
    await sleep(1000);
    ingester = startIngester(dbUrl, mqttUrl);
    await ingester.ready;
    await storm;
    const ids = second.map((d) => d.id);
    const components = second.map((d) => d.componentId);
    const deadline = Date.now() + 120_000;
    let alarms = 0;
    while (Date.now() < deadline) {
      const r = await sql<{
        n: number;
      }>`SELECT count(DISTINCT device_id)::int AS n FROM iot_alarms WHERE device_id IN (${sql.join(ids)})`.execute(
        store.db,
      );
      alarms = r.rows[0]?.n ?? 0;
      if (alarms >= second.length) break;
      await sleep(200);
    }
    const perComponent = await store.db
      .selectFrom('cases')
      .select(['component_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('source', '=', 'iot')
      .where('component_code', 'in', components)
      .groupBy('component_code')
      .execute();
    const after = await ingester.stats();
    say(
      `kill -9 at ${killedAt.applied - before - stormDevices.length} of ${second.length} storm alarms applied; after restart: ${alarms}/${second.length} alarms recorded (lost ${second.length - alarms}), ${perComponent.length} cases, ${perComponent.filter((c) => Number(c.n) > 1).length} components with a duplicate case; redelivered duplicates seen by the restarted ingester: ${after.duplicate}`,
    );
    await store.close();
  } finally {
    ingester?.child.kill('SIGKILL');
    broker.kill('SIGTERM');
    await sleep(300);
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
