/**
 * Sensors at server start: the embedded broker when no MQTT_URL is set, the ingester, the
 * monthly raw-message partitions (and their retention), and the offline sweep.
 */
import type { IotConfig } from '../../platform/config.js';
import type { Store } from '../../platform/db/store.js';
import { type EmbeddedBroker, startEmbeddedBroker } from './broker.js';
import { Ingester } from './ingester.js';
import { markOffline } from './offline.js';
import { dropExpiredPartitions, ensureRawPartitions } from './partitions.js';

const SWEEP_MS = 60_000;
const HOUR_MS = 3_600_000;

export interface IotRunner {
  brokerUrl: string;
  embedded: boolean;
  ingester: Ingester;
  stop(): Promise<void>;
}

export async function startIot(
  store: Store,
  config: IotConfig,
  log: (message: string, err?: unknown) => void,
): Promise<IotRunner> {
  await ensureRawPartitions(store.db);
  let broker: EmbeddedBroker | null = null;
  if (!config.mqttUrl) {
    try {
      broker = await startEmbeddedBroker(config.embeddedPort);
    } catch (err) {
      // Port taken (a broker already runs here): any free port rather than no sensors at all.
      if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
      broker = await startEmbeddedBroker(0);
      log(`MQTT port ${config.embeddedPort} is taken; the embedded broker listens on ${broker.url}`);
    }
  }
  const url = config.mqttUrl ?? (broker as EmbeddedBroker).url;
  const ingester = new Ingester(store, {
    url,
    clientId: config.clientId,
    topicPrefix: config.topicPrefix,
    // aedes speaks MQTT 3.1.1; a city's broker (Mosquitto, EMQX) MQTT 5.
    protocolVersion: broker ? 4 : 5,
    log,
  });
  await ingester.start();
  const sweep = setInterval(() => {
    markOffline(store).catch((err) => log('offline sweep failed', err));
  }, SWEEP_MS);
  const housekeeping = setInterval(() => {
    ensureRawPartitions(store.db)
      .then(() => dropExpiredPartitions(store.db, config.rawRetentionMonths))
      .catch((err) => log('raw message partitions failed', err));
  }, HOUR_MS);
  sweep.unref();
  housekeeping.unref();
  return {
    brokerUrl: url,
    embedded: broker !== null,
    ingester,
    async stop() {
      clearInterval(sweep);
      clearInterval(housekeeping);
      await ingester.stop();
      await broker?.close();
    },
  };
}
