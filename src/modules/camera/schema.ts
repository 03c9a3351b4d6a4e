/** zod schemas of the camera API: events (plain JSON and GA/T 1400), registry, mapping, review. */
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
/** Checked by the service (CAMERA_DEVICE_ID_INVALID names the event), so only bounded here. */
const deviceId = z.string().max(64);

const snapshot = z.union([
  z.strictObject({
    contentType: z.enum(['image/jpeg', 'image/png', 'image/webp']),
    data: z.base64().max(4_000_000),
  }),
  z.strictObject({ url: z.url({ protocol: /^https?$/ }).max(2000) }),
]);

/** One event of a video-analysis platform (plain JSON webhook). */
export const cameraEvent = z.strictObject({
  /** The platform's own id of the event: the same id again is a replay. */
  eventId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/),
  deviceId,
  /** The platform's event code (e.g. GA/T 1400 EventSort 660, Dahua 893). */
  eventType: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/),
  occurredAt: z.iso.datetime({ offset: true }),
  /** 0–1 (a platform sending percentages divides by 100). */
  confidence: z.number().min(0).max(1),
  snapshot: snapshot.optional(),
  /** Where the problem is; default: the camera's registered position. */
  location: z
    .strictObject({
      lng: z.number().min(-180).max(180),
      lat: z.number().min(-90).max(90),
      crs: z.enum(['wgs84', 'gcj02', 'bd09']).default('wgs84'),
    })
    .optional(),
});
export type CameraEventInput = z.infer<typeof cameraEvent>;

export const eventsBody = z.strictObject({
  /** The platform's code space for eventType ('*' mappings apply to every platform). */
  vendor: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/)
    .optional(),
  events: z.array(cameraEvent).min(1).max(1000),
});
export type EventsBody = z.infer<typeof eventsBody>;

export const cameraBody = z.strictObject({
  name: text(100),
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  view: text(200).optional(),
  districtCode: z.string().regex(/^[0-9]{6}$/),
  active: z.boolean().default(true),
});
export type CameraBody = z.infer<typeof cameraBody>;
export const deviceParams = z.strictObject({ deviceId });

export const mappingBody = z.strictObject({
  vendor: z
    .string()
    .regex(/^(\*|[a-z0-9_-]{1,40})$/)
    .default('*'),
  eventCode: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/),
  label: text(60),
  category: z.strictObject({ kind: z.enum(['component', 'event']), code: z.string().regex(/^[0-9]{4,7}$/) }),
  minConfidence: z.number().min(0).max(1),
  mergeRadiusM: z.number().int().min(1).max(1000).default(30),
  active: z.boolean().default(true),
});
export type MappingBody = z.infer<typeof mappingBody>;

export const eventIdParams = z.strictObject({
  id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});
export const reviewQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });
