/**
 * The ingester half of bench/mqtt.ts, in a process of its own (so the bench can kill -9 it):
 * the store and the ingester as the server runs them. Over IPC it says when it is subscribed and
 * answers its counters.
 *
 *   (started by bench/mqtt.ts) node --import tsx bench/mqtt-ingester.ts <DATABASE_URL> <MQTT_URL> <prefix> <clientId>
 */

import { Ingester } from '../src/modules/iot/ingester.js';
import { loadConfig } from '../src/platform/config.js';
import { openStore } from '../src/platform/db/store.js';

const [url, mqttUrl, prefix, clientId] = process.argv.slice(2);
if (!url || !mqttUrl || !prefix || !clientId || !process.send) throw new Error('start me from bench/mqtt.ts');
const send = process.send.bind(process);
const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', WEB_DIR: '/nonexistent' });
const store = await openStore(config);
const ingester = new Ingester(store, { url: mqttUrl, clientId, topicPrefix: prefix, protocolVersion: 5 });
await ingester.start();
send({ type: 'ready' });
process.on('message', (msg: { type: string }) => {
  if (msg.type === 'stats') send({ type: 'stats', ...ingester.stats, at: Date.now() });
  if (msg.type === 'stop')
    void ingester
      .stop()
      .then(() => store.close())
      .then(() => process.exit(0));
});
