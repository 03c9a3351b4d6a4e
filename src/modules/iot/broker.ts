/**
 * The embedded MQTT broker (aedes) the server runs when no MQTT_URL is set, so the demo's
 * sensors work out of the box. Sessions live in memory: they survive the ingester reconnecting,
 * not the process (a city runs its own broker: MQTT_URL).
 */
import net from 'node:net';
import { Aedes } from 'aedes';

export interface EmbeddedBroker {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(port: number, host = '127.0.0.1'): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `mqtt://${host}:${bound}`,
    port: bound,
    async close() {
      // The broker ends its clients' connections; only then can the listener finish closing.
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
