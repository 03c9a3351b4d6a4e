/**
 * GA/T 1400 (视图库) pushes: `POST …/VIID/SubscribeNotifications` with
 * `Content-Type: application/VIID+JSON` (GA/T 1400.4 §7.2.21). The notification list is read
 * into plain events (each SubImageInfoObject of a SceneObject is one event: EventSort = event
 * type, ShotTime, Data = base64 snapshot) and answered with a ResponseStatusListObject, one
 * ResponseStatusObject per notification.
 */
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import type { CameraEventInput } from './schema.js';

const subImage = z.looseObject({
  EventSort: z.union([z.number().int(), z.string().regex(/^[0-9]{1,10}$/)]),
  ShotTime: z.string().regex(/^[0-9]{14}$/, 'YYYYMMDDhhmmss'),
  Type: z.string().max(20).optional(),
  Data: z.string().max(4_000_000).optional(),
  ImageID: z.string().max(64).optional(),
  /** Vendor extension (0–1 or 0–100); absent: the platform asserts the event (1). */
  Confidence: z.number().min(0).max(100).optional(),
});

const scene = z.looseObject({
  SceneID: z.string().max(64).optional(),
  DeviceID: z.string().max(64),
  Longitude: z.number().min(-180).max(180).optional(),
  Latitude: z.number().min(-90).max(90).optional(),
  SubImageList: z.looseObject({ SubImageInfoObject: z.array(subImage).min(1).max(50) }),
});

const notification = z.looseObject({
  NotificationID: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
  SubscribeID: z.string().max(64).optional(),
  TriggerTime: z.string().optional(),
  SceneListObject: z.looseObject({ SceneObject: z.array(scene).min(1).max(100) }).optional(),
});

export const viidEnvelope = z.looseObject({
  SubscribeNotificationListObject: z.looseObject({
    SubscribeNotificationObject: z.array(notification).min(1).max(100),
  }),
});
export type ViidEnvelope = z.infer<typeof viidEnvelope>;

/** GA/T 1400 local time (UTC+8) YYYYMMDDhhmmss → ISO 8601 with offset. */
export function viidTime(t: string): string {
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}+08:00`;
}

function viidNow(): string {
  const d = new Date(Date.now() + 8 * 3_600_000);
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

const IMAGE_TYPES: Record<string, 'image/jpeg' | 'image/png' | 'image/webp'> = {
  '/9j/': 'image/jpeg',
  iVBO: 'image/png',
  UklG: 'image/webp',
};

export function eventsOfEnvelope(body: unknown): { ids: string[]; events: CameraEventInput[] } {
  const parsed = viidEnvelope.safeParse(body);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', {
      details: {
        issues: parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
    });
  }
  const ids: string[] = [];
  const events: CameraEventInput[] = [];
  for (const n of parsed.data.SubscribeNotificationListObject.SubscribeNotificationObject) {
    ids.push(n.NotificationID);
    (n.SceneListObject?.SceneObject ?? []).forEach((s, i) => {
      s.SubImageList.SubImageInfoObject.forEach((img, j) => {
        const confidence =
          img.Confidence === undefined ? 1 : img.Confidence > 1 ? img.Confidence / 100 : img.Confidence;
        const type = img.Data ? IMAGE_TYPES[img.Data.slice(0, 4)] : undefined;
        const time = viidTime(img.ShotTime);
        if (Number.isNaN(Date.parse(time))) {
          throw new AppError('VALIDATION_FAILED', { details: { field: 'ShotTime', value: img.ShotTime } });
        }
        events.push({
          eventId: `${n.NotificationID}:${s.SceneID ?? i}:${img.ImageID ?? j}`,
          deviceId: s.DeviceID,
          eventType: String(img.EventSort),
          occurredAt: time,
          confidence,
          ...(img.Data && type ? { snapshot: { contentType: type, data: img.Data } } : {}),
          ...(s.Longitude !== undefined && s.Latitude !== undefined
            ? { location: { lng: s.Longitude, lat: s.Latitude, crs: 'wgs84' as const } }
            : {}),
        });
      });
    });
  }
  return { ids, events };
}

/** GA/T 1400 StatusCode: 0 OK · 1 OtherError · 4 Invalid Operation · 8 Invalid JSON Content. */
export function responseStatus(ids: string[], statusCode: number, statusString: string) {
  return {
    ResponseStatusListObject: {
      ResponseStatusObject: (ids.length > 0 ? ids : ['']).map((id) => ({
        RequestURL: '/VIID/SubscribeNotifications',
        StatusCode: statusCode,
        StatusString: statusString,
        Id: id,
        LocalTime: viidNow(),
      })),
    },
  };
}

/** Our error as a GA/T 1400 status: input problems are Invalid JSON Content (8). */
export function viidStatusOf(err: AppError): number {
  if (err.status === 400) return 8;
  if (err.status === 401 || err.status === 403) return 4;
  return 1;
}
