/**
 * Topic → adapter: `<prefix>/devices/<deviceId>/json` (JSON) and `<prefix>/devices/<deviceId>/frame`
 * (the binary 0x68 … 0x16 frame). Anything else under the prefix is rejected as an unknown topic.
 */
import { parseFrame } from './frame-adapter.js';
import { parseJsonMessage } from './json-adapter.js';
import type { ParseResult } from './readings.js';

export type WireFormat = 'json' | 'frame' | 'unknown';

export const deviceTopic = (prefix: string, deviceId: string, format: 'json' | 'frame') =>
  `${prefix}/devices/${deviceId}/${format}`;

/** The one subscription covering both formats of every device. */
export const subscriptionOf = (prefix: string) => `${prefix}/devices/+/+`;

export function adapt(
  prefix: string,
  topic: string,
  payload: Uint8Array,
  receivedAt: Date,
): { format: WireFormat; result: ParseResult } {
  const rest = topic.startsWith(`${prefix}/devices/`) ? topic.slice(prefix.length + 9).split('/') : [];
  const [deviceId, format] = rest;
  if (rest.length !== 2 || !deviceId || !/^[A-Za-z0-9_.:-]{1,64}$/.test(deviceId))
    return {
      format: 'unknown',
      result: { ok: false, reason: 'unknown_topic', detail: topic.slice(0, 200), deviceId: null },
    };
  if (format === 'json') return { format, result: parseJsonMessage(deviceId, payload, receivedAt) };
  if (format === 'frame') return { format, result: parseFrame(payload, deviceId) };
  return {
    format: 'unknown',
    result: { ok: false, reason: 'unknown_topic', detail: topic.slice(0, 200), deviceId },
  };
}
