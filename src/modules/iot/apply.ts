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

/** The (device, key) pairs of the batch never seen before, in one statement. */
async function freshKeys(db: Kysely<Database>, keys: Array<{ deviceId: string; key: string }>) {
  if (keys.length === 0) return new Set<string>();
  const r = await sql<{ k: string }>`
    INSERT INTO iot_message_keys (device_id, message_key)
    SELECT * FROM unnest(${keys.map((k) => k.deviceId)}::text[], ${keys.map((k) => k.key)}::text[])
    ON CONFLICT DO NOTHING RETURNING device_id || ' ' || message_key AS k`.execute(db);
  return new Set(r.rows.map((x) => x.k));
}

/** Active alarm kinds of the batch's devices: calm readings then cost no statement. */
async function activeAlarms(db: Kysely<Database>, ids: string[]) {
  const active = new Set<string>();
  if (ids.length === 0) return active;
  const rows = await db
    .selectFrom('iot_alarms')
    .select(['device_id', 'kind'])
    .where('device_id', 'in', ids)
    .where('restored_at', 'is', null)
    .execute();
  for (const r of rows) active.add(`${r.device_id} ${r.kind}`);
  return active;
}

interface DeviceUpdate {
  id: string;
  seen: Date;
  readings: Record<string, unknown>;
  battery: number | null;
}

/** Each device's last state from the batch, in one statement. */
async function updateDevices(db: Kysely<Database>, updates: Map<string, DeviceUpdate>) {
  if (updates.size === 0) return;
  const rows = [...updates.values()].map((u) => ({
    id: u.id,
    seen: u.seen.toISOString(),
    readings: u.readings,
    battery: u.battery,
  }));
  await sql`
    UPDATE iot_devices d SET
      last_seen_at = greatest(d.last_seen_at, v.seen),
      online = true,
      readings = d.readings || v.readings,
      battery_pct = coalesce(v.battery, d.battery_pct),
      updated_at = now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS v(id text, seen timestamptz, readings jsonb, battery smallint)
    WHERE d.id = v.id`.execute(db);
}

export async function applyMessages(
  db: Kysely<Database>,
  prefix: string,
  messages: readonly IncomingMessage[],
): Promise<MessageOutcome[]> {
  const parsed = messages.map((m) => ({ m, ...adapt(prefix, m.topic, m.payload, m.receivedAt) }));
  const ids = [...new Set(parsed.flatMap((p) => (p.result.ok ? [p.result.message.deviceId] : [])))];
  const devices = await devicesOf(db, ids);
  const known = parsed.flatMap((p) =>
    p.result.ok && devices.has(p.result.message.deviceId)
      ? [{ deviceId: p.result.message.deviceId, key: p.result.message.key }]
      : [],
  );
  const fresh = await freshKeys(db, known);
  const active = await activeAlarms(db, [...devices.keys()]);
  const updates = new Map<string, DeviceUpdate>();
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
    // The first of the batch with a new key applies; a later one with the same key is a duplicate.
    if (!fresh.delete(`${msg.deviceId} ${msg.key}`)) {
      raw.push({ ...base, device_id: msg.deviceId, message_key: msg.key, status: 'duplicate', reason: null });
      outcomes.push({ status: 'duplicate', reason: null, deviceId: msg.deviceId, alarms: [] });
      continue;
    }
    const alarms: AlarmOutcome[] = [];
    const r = msg.readings;
    const u = updates.get(msg.deviceId) ?? {
      id: msg.deviceId,
      seen: m.receivedAt,
      readings: {},
      battery: null,
    };
    if (m.receivedAt > u.seen) u.seen = m.receivedAt;
    Object.assign(u.readings, r);
    if (r.batteryPct !== undefined) u.battery = Math.round(r.batteryPct);
    updates.set(msg.deviceId, u);
    // Any message proves the device alive.
    if (!device.online) {
      device.online = true;
      const o = await restoreAlarm(db, device, 'offline', null, msg.at);
      if (o) alarms.push(o);
      active.delete(`${device.id} offline`);
    }
    for (const [kind, state] of Object.entries(evaluate(r, device.thresholds)) as Array<
      [AlarmKind, { active: boolean; value: number | null }]
    >) {
      const key = `${device.id} ${kind}`;
      if (state.active === active.has(key)) continue;
      const o = state.active
        ? await raiseAlarm(db, device, kind, state.value, msg.at)
        : await restoreAlarm(db, device, kind, state.value, msg.at);
      if (state.active) active.add(key);
      else active.delete(key);
      if (o) alarms.push(o);
    }
    raw.push({ ...base, device_id: msg.deviceId, message_key: msg.key, status: 'applied', reason: null });
    outcomes.push({ status: 'applied', reason: null, deviceId: msg.deviceId, alarms });
  }
  await updateDevices(db, updates);
  if (raw.length > 0) await db.insertInto('iot_raw_messages').values(raw).execute();
  return outcomes;
}
