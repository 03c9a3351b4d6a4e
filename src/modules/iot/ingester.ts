/**
 * The MQTT ingester: one subscription (QoS 1) under a fixed client id with a persistent session
 * (clean: false), so the broker keeps what arrives while the server is down and resends what was
 * never acknowledged. A message is acknowledged (PUBACK) only after the transaction applying it
 * committed: a crash between the two makes the broker send it again, and the (device, key) keys
 * make the second delivery a duplicate, not a second case.
 *
 * Acknowledging after the commit, in batches: mqtt.js hands a QoS 1 message to `handleMessage`
 * and sends its PUBACK when the callback succeeds, one message at a time; a commit per message
 * would cap ingestion at one transaction's latency. So `handleMessage` queues the message and
 * answers the callback with DEFERRED (an error: mqtt.js then sends no PUBACK and reads on); the
 * batch is applied in one transaction and its PUBACKs are sent after the commit. The broker's
 * in-flight window (receiveMaximum, MQTT 5) bounds how many wait unacknowledged.
 */
import mqtt, { type IClientOptions, type MqttClient, type Packet } from 'mqtt';
import { subscriptionOf } from '../../domain/iot/adapt.js';
import type { Store } from '../../platform/db/store.js';
import { openUnitOfWork } from '../../platform/db/unit-of-work.js';
import { applyMessages, type IncomingMessage, type MessageOutcome } from './apply.js';

const DEFERRED = new Error('acknowledged after the commit');
const RETRY_MS = 1000;

export interface IngesterOptions {
  url: string;
  clientId: string;
  topicPrefix: string;
  /** MQTT 5 where the broker speaks it (the in-flight window); 4 (3.1.1) for the embedded broker. */
  protocolVersion?: 4 | 5;
  batchMax?: number;
  log?: (message: string, err?: unknown) => void;
  /** Called with each committed batch's outcomes (live alarms, tests). */
  onApplied?: (outcomes: MessageOutcome[]) => void;
  /** Test hook: runs after a batch committed and before its PUBACKs are sent. */
  afterCommit?: () => Promise<void> | void;
}

interface Queued extends IncomingMessage {
  messageId: number | undefined;
  qos: number;
  /** The connection it came on: a PUBACK belongs to that connection's packet ids. */
  generation: number;
}

export interface IngestStats {
  received: number;
  applied: number;
  duplicate: number;
  rejected: number;
  batches: number;
  acked: number;
}

export class Ingester {
  readonly stats: IngestStats = { received: 0, applied: 0, duplicate: 0, rejected: 0, batches: 0, acked: 0 };
  private client: MqttClient | null = null;
  private queue: Queued[] = [];
  private generation = 0;
  private draining: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly options: IngesterOptions,
  ) {}

  /** Connects, subscribes, and resolves once the subscription is granted. */
  async start(): Promise<void> {
    const v5 = (this.options.protocolVersion ?? 5) === 5;
    const opts: IClientOptions = {
      clientId: this.options.clientId,
      clean: false,
      protocolVersion: v5 ? 5 : 4,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      // A session that outlives the connection, and a window of unacknowledged messages wide
      // enough for batches (MQTT 3.1.1 brokers use their own, e.g. Mosquitto's 20).
      ...(v5 ? { properties: { sessionExpiryInterval: 7 * 24 * 3600, receiveMaximum: 1000 } } : {}),
    };
    const client = mqtt.connect(this.options.url, opts);
    this.client = client;
    client.on('connect', () => {
      this.generation++;
      // Messages of the previous connection not yet acknowledged come again on this one.
      this.queue = this.queue.filter((m) => m.generation === this.generation);
    });
    client.on('error', (err) => this.options.log?.('MQTT error', err));
    client.handleMessage = (packet: Packet, callback: (error?: Error) => void) => {
      if (packet.cmd === 'publish') {
        this.queue.push({
          topic: packet.topic,
          payload: typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload,
          receivedAt: new Date(),
          messageId: packet.messageId,
          qos: packet.qos,
          generation: this.generation,
        });
        this.stats.received++;
        this.kick();
      }
      callback(packet.cmd === 'publish' && packet.qos === 1 ? DEFERRED : undefined);
    };
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error) => {
        client.off('connect', onConnect);
        reject(err);
      };
      const onConnect = () => {
        client.off('error', fail);
        resolve();
      };
      client.once('connect', onConnect);
      client.once('error', fail);
    });
    await client.subscribeAsync(subscriptionOf(this.options.topicPrefix), { qos: 1 });
  }

  private kick() {
    if (this.draining || this.stopped) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.queue.length > 0 && !this.stopped) this.kick();
    });
  }

  private async drain() {
    const max = this.options.batchMax ?? 200;
    while (this.queue.length > 0 && !this.stopped) {
      const batch = this.queue.slice(0, max);
      const done = await this.apply(batch);
      if (done === 0) {
        // The store is failing: keep the messages (unacknowledged) and try again shortly.
        await new Promise((r) => setTimeout(r, RETRY_MS));
        continue;
      }
      const committed = batch.slice(0, done);
      this.queue.splice(0, done);
      await this.options.afterCommit?.();
      this.ack(committed);
    }
  }

  /** Applies the batch (or its head, message by message, after a failure); returns how many committed. */
  private async apply(batch: Queued[]): Promise<number> {
    try {
      const outcomes = await this.inUnit(batch);
      this.count(outcomes);
      return batch.length;
    } catch (err) {
      this.options.log?.('IoT batch failed; applying its messages one by one', err);
    }
    let done = 0;
    for (const m of batch) {
      try {
        this.count(await this.inUnit([m]));
      } catch (err) {
        // A message this code cannot apply is kept as rejected rather than retried for ever.
        try {
          await this.store.db
            .insertInto('iot_raw_messages')
            .values({
              received_at: m.receivedAt,
              topic: m.topic.slice(0, 500),
              payload: m.payload,
              format: 'unknown',
              status: 'rejected',
              reason: `internal_error: ${String((err as Error).message).slice(0, 300)}`,
            })
            .execute();
          this.stats.rejected++;
        } catch {
          return done;
        }
      }
      done++;
    }
    return done;
  }

  private async inUnit(batch: Queued[]): Promise<MessageOutcome[]> {
    const unit = await openUnitOfWork(this.store.db, this.store.autonomous);
    try {
      const outcomes = await applyMessages(unit.db, this.options.topicPrefix, batch);
      await unit.commit();
      this.stats.batches++;
      this.options.onApplied?.(outcomes);
      return outcomes;
    } catch (err) {
      await unit.rollback().catch(() => {});
      throw err;
    }
  }

  private count(outcomes: MessageOutcome[]) {
    for (const o of outcomes) this.stats[o.status]++;
  }

  private ack(batch: Queued[]) {
    const client = this.client;
    if (!client?.connected) return;
    // mqtt.js's own sender, the one its automatic acknowledgements use.
    const send = (client as unknown as { _sendPacket(p: object): void })._sendPacket.bind(client);
    for (const m of batch) {
      if (m.qos !== 1 || m.messageId === undefined || m.generation !== this.generation) continue;
      send({ cmd: 'puback', messageId: m.messageId });
      this.stats.acked++;
    }
  }

  /** Messages received and not yet committed. */
  get backlog() {
    return this.queue.length;
  }

  /** Lets the running batch commit and be acknowledged, then disconnects; the rest comes again. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.draining;
    await this.client?.endAsync();
    this.client = null;
  }

  /** Drops the connection at once, acknowledging nothing more (a crash, for tests). */
  async kill(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = null;
    await client?.endAsync(true);
  }
}
