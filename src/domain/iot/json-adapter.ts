/**
 * The JSON topic adapter: `{ "seq": 12, "ts": 1765100000000, "type": "readings", "tiltDeg": 12.5,
 * "lidOpen": false, "waterLevelCm": 3, "gasLel": 0, "temperatureC": 21.5, "batteryPct": 87 }` on
 * `<prefix>/devices/<deviceId>/json`. The short names seen in vendor payloads (tilt, battery,
 * water, gas, temperature, lid_open: integration.md §3) are read too.
 */
import {
  type DeviceMessage,
  MESSAGE_KINDS,
  type MessageKind,
  outOfRange,
  type ParseResult,
  type Readings,
} from './readings.js';

const ALIASES: Record<keyof Readings, readonly string[]> = {
  tiltDeg: ['tiltDeg', 'tilt'],
  lidOpen: ['lidOpen', 'lid_open'],
  waterLevelCm: ['waterLevelCm', 'water'],
  gasLel: ['gasLel', 'gas'],
  temperatureC: ['temperatureC', 'temperature'],
  batteryPct: ['batteryPct', 'battery'],
};

const fail = (
  reason: Extract<ParseResult, { ok: false }>['reason'],
  detail: string,
  deviceId: string | null,
) => ({ ok: false, reason, detail, deviceId }) as const;

export function parseJsonMessage(deviceId: string, payload: Uint8Array, receivedAt: Date): ParseResult {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch (err) {
    return fail('bad_json', (err as Error).message.slice(0, 200), deviceId);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return fail('bad_json', 'not a JSON object', deviceId);
  const o = body as Record<string, unknown>;
  const kind = (o.type ?? 'readings') as MessageKind;
  if (!MESSAGE_KINDS.includes(kind)) return fail('bad_json', `type=${String(o.type)}`, deviceId);
  const readings: Readings = {};
  for (const [name, keys] of Object.entries(ALIASES) as Array<[keyof Readings, readonly string[]]>) {
    const key = keys.find((k) => o[k] !== undefined && o[k] !== null);
    if (key === undefined) continue;
    const v = o[key];
    if (name === 'lidOpen') {
      if (typeof v !== 'boolean' && v !== 0 && v !== 1)
        return fail('bad_json', `${key}=${String(v)}`, deviceId);
      readings.lidOpen = v === true || v === 1;
    } else {
      if (typeof v !== 'number') return fail('bad_json', `${key} is not a number`, deviceId);
      readings[name] = v;
    }
  }
  const range = outOfRange(readings);
  if (range) return fail('out_of_range', range, deviceId);
  const seq = o.seq;
  if (seq !== undefined && (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0))
    return fail('bad_json', `seq=${String(seq)}`, deviceId);
  const ts = o.ts;
  let at = receivedAt;
  if (ts !== undefined) {
    const t = typeof ts === 'number' ? new Date(ts) : typeof ts === 'string' ? new Date(ts) : null;
    if (!t || Number.isNaN(t.getTime())) return fail('bad_json', `ts=${String(ts)}`, deviceId);
    at = t;
  }
  // Without a sequence or a time of its own a message has nothing to be told apart by.
  if (seq === undefined && ts === undefined) return fail('missing_field', 'seq or ts', deviceId);
  const message: DeviceMessage = {
    deviceId,
    key: seq !== undefined ? `s${seq}` : `t${at.getTime()}`,
    at,
    kind,
    readings,
  };
  return { ok: true, message };
}
