/**
 * Applies a batch of device messages in one transaction (the caller's unit of work): each is kept
 * as a raw message (applied, duplicate or rejected with a reason), applied at most once per
 * (device, key), and its readings move the device's state and alarms. Nothing here throws for a
 * bad payload: a device cannot crash the ingester.
 */
import { type Kysely, sql } from 'kysely';
import { adapt, type WireFormat } from '../../domain/iot/adapt.js';
import { type AlarmKind, evaluate, type Thresholds } from '../../domain/iot/readings.js';
import type { Database } from '../../platform/db/schema.js';
import { type AlarmOutcome, raiseAlarm, restoreAlarm } from './alarms.js';

export interface IncomingMessage {
  topic: string;
  payload: Uint8Array;
  receivedAt: Date;
}

export interface MessageOutcome {
  status: 'applied' | 'duplicate' | 'rejected';
  reason: string | null;
  deviceId: string | null;
  alarms: AlarmOutcome[];
}

interface DeviceRow {
  id: string;
  component_id: string;
  online: boolean;
  thresholds: Thresholds;
}

async function devicesOf(db: Kysely<Database>, ids: string[]): Promise<Map<string, DeviceRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('iot_devices as d')
    .innerJoin('iot_device_types as t', 't.code', 'd.type_code')
    .select(['d.id', 'd.component_id', 'd.online', 't.thresholds'])
    .where('d.id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r as DeviceRow]));
}

export async function applyMessages(
  db: Kysely<Database>,
  prefix: string,
  messages: readonly IncomingMessage[],
): Promise<MessageOutcome[]> {
  const parsed = messages.map((m) => ({ m, ...adapt(prefix, m.topic, m.payload, m.receivedAt) }));
  const devices = await devicesOf(db, [
    ...new Set(parsed.flatMap((p) => (p.result.ok ? [p.result.message.deviceId] : []))),
  ]);
  const raw: Array<{
    received_at: Date;
    topic: string;
    payload: Uint8Array;
    format: WireFormat;
    device_id: string | null;
    message_key: string | null;
    status: MessageOutcome['status'];
    reason: string | null;
  }> = [];
  const outcomes: MessageOutcome[] = [];
  for (const { m, format, result } of parsed) {
    const base = { received_at: m.receivedAt, topic: m.topic.slice(0, 500), payload: m.payload, format };
    if (!result.ok) {
      const reason = `${result.reason}: ${result.detail}`;
      raw.push({ ...base, device_id: result.deviceId, message_key: null, status: 'rejected', reason });
      outcomes.push({ status: 'rejected', reason, deviceId: result.deviceId, alarms: [] });
      continue;
    }
    const msg = result.message;
    const device = devices.get(msg.deviceId);
    if (!device) {
      const reason = `unknown_device: ${msg.deviceId}`;
      raw.push({ ...base, device_id: msg.deviceId, message_key: msg.key, status: 'rejected', reason });
      outcomes.push({ status: 'rejected', reason, deviceId: msg.deviceId, alarms: [] });
      continue;
    }
    const fresh = await sql<{ ok: number }>`
      INSERT INTO iot_message_keys (device_id, message_key) VALUES (${msg.deviceId}, ${msg.key})
      ON CONFLICT DO NOTHING RETURNING 1 AS ok`.execute(db);
    if (fresh.rows.length === 0) {
      raw.push({ ...base, device_id: msg.deviceId, message_key: msg.key, status: 'duplicate', reason: null });
      outcomes.push({ status: 'duplicate', reason: null, deviceId: msg.deviceId, alarms: [] });
      continue;
    }
    const alarms: AlarmOutcome[] = [];
    const r = msg.readings;
    await db
      .updateTable('iot_devices')
      .set({
        last_seen_at: sql`greatest(last_seen_at, ${m.receivedAt}::timestamptz)`,
        online: true,
        readings: sql`readings || ${JSON.stringify(r)}::jsonb`,
        ...(r.batteryPct !== undefined ? { battery_pct: Math.round(r.batteryPct) } : {}),
        updated_at: m.receivedAt,
      })
      .where('id', '=', msg.deviceId)
      .execute();
    // Any message proves the device alive.
    if (!device.online) {
      device.online = true;
      const o = await restoreAlarm(db, device, 'offline', null, msg.at);
      if (o) alarms.push(o);
    }
    for (const [kind, state] of Object.entries(evaluate(r, device.thresholds)) as Array<
      [AlarmKind, { active: boolean; value: number | null }]
    >) {
      const o = state.active
        ? await raiseAlarm(db, device, kind, state.value, msg.at)
        : await restoreAlarm(db, device, kind, state.value, msg.at);
      if (o) alarms.push(o);
    }
    raw.push({ ...base, device_id: msg.deviceId, message_key: msg.key, status: 'applied', reason: null });
    outcomes.push({ status: 'applied', reason: null, deviceId: msg.deviceId, alarms });
  }
  if (raw.length > 0) await db.insertInto('iot_raw_messages').values(raw).execute();
  return outcomes;
}
