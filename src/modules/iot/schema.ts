/** zod schemas of the IoT API: the device registry, device types' thresholds, alarms, raw messages. */
import { z } from 'zod';
import { ALARM_KINDS } from '../../domain/iot/readings.js';
import { queryInt } from '../../platform/http/ids.js';
import { componentId } from '../component/schema.js';

export const deviceId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, '1–64 letters, digits, _ . : -');
const typeCode = z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, 'a device type code');
const date = z.iso.date();

export const thresholdsBody = z.strictObject({
  tiltDeg: z.number().min(1).max(90).optional(),
  waterLevelCm: z.number().min(0).max(500).optional(),
  gasLel: z.number().min(1).max(100).optional(),
  temperatureC: z.number().min(0).max(120).optional(),
  batteryPct: z.number().int().min(1).max(90).optional(),
});

export const typeParams = z.strictObject({ code: typeCode });
export const typePatchBody = z.strictObject({
  name: z.string().trim().min(1).max(60).optional(),
  thresholds: thresholdsBody.optional(),
});

export const deviceParams = z.strictObject({ id: deviceId });
export const deviceBody = z.strictObject({
  id: deviceId,
  typeCode,
  model: z.string().trim().min(1).max(60).optional(),
  componentId,
  installedOn: date.optional(),
  reportPeriodSeconds: z.number().int().min(10).max(604_800).default(300),
});
export type DeviceInput = z.infer<typeof deviceBody>;
export const devicePatchBody = deviceBody
  .omit({ id: true })
  .partial()
  .extend({
    model: z.string().trim().min(1).max(60).nullable().optional(),
  });
export type DevicePatch = z.infer<typeof devicePatchBody>;

export const deviceListQuery = z.strictObject({
  componentId: componentId.optional(),
  online: z.enum(['true', 'false']).optional(),
  limit: queryInt(1, 1000).default(100),
  offset: queryInt(0).default(0),
});

export const alarmListQuery = z.strictObject({
  active: z.enum(['true', 'false']).optional(),
  kind: z.enum(ALARM_KINDS).optional(),
  limit: queryInt(1, 5000).default(500),
});

export const rawListQuery = z.strictObject({
  status: z.enum(['applied', 'duplicate', 'rejected']).optional(),
  deviceId: deviceId.optional(),
  limit: queryInt(1, 500).default(100),
});
