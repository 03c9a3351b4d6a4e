/**
 * One normalised language for what sensors say, whatever their wire format (integration.md §3):
 * readings, the alarm kinds they raise against a device type's thresholds, and the ranges a
 * real sensor can report (a value outside is a bad payload, never an alarm).
 */

/** Normalised readings; a kind absent from a message says nothing about that kind. */
export interface Readings {
  tiltDeg?: number;
  lidOpen?: boolean;
  waterLevelCm?: number;
  gasLel?: number;
  temperatureC?: number;
  batteryPct?: number;
}

export const MESSAGE_KINDS = ['login', 'heartbeat', 'readings', 'ack'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** A device message after its adapter: who, which one (the key it applies once by), what. */
export interface DeviceMessage {
  deviceId: string;
  /** The device's sequence number, else its timestamp in ms: (device, key) applies once. */
  key: string;
  /** When the device says it measured (its clock), or when the message arrived. */
  at: Date;
  kind: MessageKind;
  readings: Readings;
}

export type ParseResult =
  | { ok: true; message: DeviceMessage }
  | { ok: false; reason: RejectReason; detail: string; deviceId: string | null };

export const REJECT_REASONS = [
  'truncated_frame',
  'bad_frame',
  'bad_checksum',
  'unknown_function',
  'bad_json',
  'missing_field',
  'out_of_range',
  'unknown_device',
  'unknown_topic',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

type NumericReading = Exclude<keyof Readings, 'lidOpen'>;

/** What a sensor can physically report; outside is a broken sensor or a forged message. */
export const READING_RANGES: Record<NumericReading, readonly [number, number]> = {
  tiltDeg: [0, 180],
  waterLevelCm: [-100, 1000],
  gasLel: [0, 100],
  temperatureC: [-40, 125],
  batteryPct: [0, 100],
};

/** The first reading outside its range, as "name=value", or null. */
export function outOfRange(readings: Readings): string | null {
  for (const [name, [min, max]] of Object.entries(READING_RANGES) as Array<
    [NumericReading, readonly [number, number]]
  >) {
    const v = readings[name];
    if (v !== undefined && (!Number.isFinite(v) || v < min || v > max)) return `${name}=${v}`;
  }
  return null;
}

export const ALARM_KINDS = [
  'tilt',
  'lid_open',
  'water_level',
  'gas',
  'temperature',
  'low_battery',
  'offline',
] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

/** Public-space alarms open a case; device faults raise a maintenance task. */
export const CASE_ALARMS: readonly AlarmKind[] = ['tilt', 'lid_open', 'water_level', 'gas', 'temperature'];
export const isCaseAlarm = (kind: AlarmKind) => CASE_ALARMS.includes(kind);

export const ALARM_LABELS: Record<AlarmKind, { zh: string; en: string }> = {
  tilt: { zh: '井盖倾斜/移位', en: 'Cover tilted or displaced' },
  lid_open: { zh: '井盖异常开启', en: 'Cover opened' },
  water_level: { zh: '水位过高', en: 'Water level high' },
  gas: { zh: '可燃气体浓度过高', en: 'Gas concentration high' },
  temperature: { zh: '温度过高', en: 'Temperature high' },
  low_battery: { zh: '设备电池电量不足', en: 'Battery low' },
  offline: { zh: '设备离线', en: 'Device offline' },
};

/** A device type's thresholds (iot_device_types.thresholds); an absent key raises no alarm. */
export interface Thresholds {
  tiltDeg?: number;
  waterLevelCm?: number;
  gasLel?: number;
  temperatureC?: number;
  batteryPct?: number;
}

/**
 * For each alarm kind the readings speak about: whether it is in alarm now, with the value.
 * Kinds the message says nothing about are absent (their alarm state does not change).
 */
export function evaluate(
  readings: Readings,
  thresholds: Thresholds,
): Partial<Record<AlarmKind, { active: boolean; value: number | null }>> {
  const out: Partial<Record<AlarmKind, { active: boolean; value: number | null }>> = {};
  const above = (kind: AlarmKind, v: number | undefined, limit: number | undefined) => {
    if (v !== undefined && limit !== undefined) out[kind] = { active: v >= limit, value: v };
  };
  above('tilt', readings.tiltDeg, thresholds.tiltDeg);
  above('water_level', readings.waterLevelCm, thresholds.waterLevelCm);
  above('gas', readings.gasLel, thresholds.gasLel);
  above('temperature', readings.temperatureC, thresholds.temperatureC);
  if (readings.lidOpen !== undefined) out.lid_open = { active: readings.lidOpen, value: null };
  if (readings.batteryPct !== undefined && thresholds.batteryPct !== undefined)
    out.low_battery = { active: readings.batteryPct <= thresholds.batteryPct, value: readings.batteryPct };
  return out;
}

/** A device silent for this many report periods is offline (no standard found: integration.md §3). */
export const MISSED_PERIODS_OFFLINE = 3;
