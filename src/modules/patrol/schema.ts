/** Request schemas of the patrol module (zod, strict: unknown fields are refused). */
import { z } from 'zod';
import { CRS_VALUES } from '../../domain/geo/crs.js';
import { idParam } from '../../platform/http/ids.js';

const crs = z.enum(CRS_VALUES).default('wgs84');
const instant = z.iso.datetime({ offset: true });

export const dutyBody = z.strictObject({ on: z.boolean() });

/** One GPS fix from the field app; speed in m/s, heading in degrees clockwise from north. */
export const positionInput = z.strictObject({
  at: instant,
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  accuracyM: z.number().min(0).max(100_000).optional(),
  speed: z.number().min(0).max(100).optional(),
  heading: z.number().min(0).lt(360).optional(),
  crs,
});
export type PositionInput = z.infer<typeof positionInput>;

export const MAX_BATCH = 500;
export const positionsBody = z.strictObject({ positions: z.array(positionInput).min(1).max(MAX_BATCH) });

export const latestQuery = z.strictObject({
  crs,
  onDuty: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type LatestQuery = z.infer<typeof latestQuery>;

export const trackQuery = z.strictObject({
  userId: idParam,
  from: instant.optional(),
  to: instant.optional(),
  crs,
});
export type TrackQuery = z.infer<typeof trackQuery>;
