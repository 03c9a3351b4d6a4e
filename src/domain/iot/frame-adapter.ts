/**
 * The binary frame adapter: the `0x68 … 0x16` framing common to NB-IoT / GPRS cover terminals
 * (integration.md §3: 85 login/heartbeat, A2 readings, A6 ack), laid out here as
 *
 *   0x68 | len u16 BE | func u8 | idLen u8 | id (ASCII) | seq u32 BE | time u32 BE (unix s) | data | sum u8 | 0x16
 *
 * `len` counts func … data; `sum` is the low byte of the sum of those same bytes.
 * Data: 0x85 → mode u8 (1 login, 0 heartbeat) + battery u8; 0xA2 → flags u8 (bit 0x08 lid open)
 * + tilt i16 (0.1°) + water i16 (cm) + gas u16 (0.1 %LEL) + temperature i16 (0.1 °C) + battery u8;
 * 0xA6 → the acknowledged seq u32.
 */
import {
  type DeviceMessage,
  type MessageKind,
  outOfRange,
  type ParseResult,
  type Readings,
} from './readings.js';

export const FRAME_START = 0x68;
export const FRAME_END = 0x16;
export const FUNC = { login: 0x85, heartbeat: 0x85, readings: 0xa2, ack: 0xa6 } as const;
const LID_OPEN_FLAG = 0x08;
/** Bytes around the body: start, length (2), checksum, end. */
const OVERHEAD = 5;

const fail = (
  reason: Extract<ParseResult, { ok: false }>['reason'],
  detail: string,
  deviceId: string | null,
) => ({ ok: false, reason, detail, deviceId }) as const;

const checksum = (body: Uint8Array) => body.reduce((s, b) => (s + b) & 0xff, 0);

export function parseFrame(payload: Uint8Array, topicDeviceId: string | null): ParseResult {
  const buf = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (buf.length < OVERHEAD + 1) return fail('truncated_frame', `${buf.length} bytes`, topicDeviceId);
  if (buf[0] !== FRAME_START) return fail('bad_frame', `start byte 0x${buf[0]?.toString(16)}`, topicDeviceId);
  const len = buf.readUInt16BE(1);
  if (buf.length < len + OVERHEAD)
    return fail('truncated_frame', `length ${len}, ${buf.length} bytes`, topicDeviceId);
  if (buf.length > len + OVERHEAD)
    return fail('bad_frame', `length ${len}, ${buf.length} bytes`, topicDeviceId);
  if (buf[len + OVERHEAD - 1] !== FRAME_END) return fail('bad_frame', 'no end byte 0x16', topicDeviceId);
  const body = buf.subarray(3, 3 + len);
  const sum = buf[3 + len];
  if (checksum(body) !== sum)
    return fail('bad_checksum', `0x${sum?.toString(16)} ≠ 0x${checksum(body).toString(16)}`, topicDeviceId);

  const func = body[0] as number;
  const idLen = body[1] ?? 0;
  if (body.length < 2 + idLen + 8) return fail('truncated_frame', 'header', topicDeviceId);
  const deviceId = body.subarray(2, 2 + idLen).toString('ascii');
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(deviceId)) return fail('bad_frame', 'device id', topicDeviceId);
  // A frame on another device's topic is not believed.
  if (topicDeviceId !== null && topicDeviceId !== deviceId)
    return fail('bad_frame', `frame of ${deviceId} on the topic of ${topicDeviceId}`, topicDeviceId);
  let p = 2 + idLen;
  const seq = body.readUInt32BE(p);
  const time = body.readUInt32BE(p + 4);
  p += 8;
  const data = body.subarray(p);
  let kind: MessageKind;
  const readings: Readings = {};
  if (func === 0x85) {
    if (data.length < 2) return fail('truncated_frame', 'heartbeat data', deviceId);
    kind = data[0] === 1 ? 'login' : 'heartbeat';
    readings.batteryPct = data[1] as number;
  } else if (func === 0xa2) {
    if (data.length < 10) return fail('truncated_frame', 'readings data', deviceId);
    readings.lidOpen = ((data[0] as number) & LID_OPEN_FLAG) !== 0;
    readings.tiltDeg = data.readInt16BE(1) / 10;
    readings.waterLevelCm = data.readInt16BE(3);
    readings.gasLel = data.readUInt16BE(5) / 10;
    readings.temperatureC = data.readInt16BE(7) / 10;
    readings.batteryPct = data[9] as number;
    kind = 'readings';
  } else if (func === 0xa6) {
    if (data.length < 4) return fail('truncated_frame', 'ack data', deviceId);
    kind = 'ack';
  } else {
    return fail('unknown_function', `0x${func.toString(16)}`, deviceId);
  }
  const range = outOfRange(readings);
  if (range) return fail('out_of_range', range, deviceId);
  const message: DeviceMessage = { deviceId, key: `s${seq}`, at: new Date(time * 1000), kind, readings };
  return { ok: true, message };
}

export interface FrameInput {
  deviceId: string;
  seq: number;
  at: Date;
  kind: MessageKind;
  readings?: Readings;
  ackSeq?: number;
}

/** Builds a frame (the simulator's and the tests' devices speak it). */
export function encodeFrame(f: FrameInput): Buffer {
  const id = Buffer.from(f.deviceId, 'ascii');
  const head = Buffer.alloc(2 + id.length + 8);
  head[0] = FUNC[f.kind];
  head[1] = id.length;
  id.copy(head, 2);
  head.writeUInt32BE(f.seq >>> 0, 2 + id.length);
  head.writeUInt32BE(Math.floor(f.at.getTime() / 1000) >>> 0, 6 + id.length);
  const r = f.readings ?? {};
  let data: Buffer;
  if (f.kind === 'readings') {
    data = Buffer.alloc(10);
    data[0] = r.lidOpen ? LID_OPEN_FLAG : 0;
    data.writeInt16BE(Math.round((r.tiltDeg ?? 0) * 10), 1);
    data.writeInt16BE(Math.round(r.waterLevelCm ?? 0), 3);
    data.writeUInt16BE(Math.round((r.gasLel ?? 0) * 10), 5);
    data.writeInt16BE(Math.round((r.temperatureC ?? 20) * 10), 7);
    data[9] = Math.round(r.batteryPct ?? 100);
  } else if (f.kind === 'ack') {
    data = Buffer.alloc(4);
    data.writeUInt32BE((f.ackSeq ?? 0) >>> 0);
  } else {
    data = Buffer.from([f.kind === 'login' ? 1 : 0, Math.round(r.batteryPct ?? 100)]);
  }
  const body = Buffer.concat([head, data]);
  const out = Buffer.alloc(body.length + OVERHEAD);
  out[0] = FRAME_START;
  out.writeUInt16BE(body.length, 1);
  body.copy(out, 3);
  out[3 + body.length] = checksum(body);
  out[4 + body.length] = FRAME_END;
  return out;
}
