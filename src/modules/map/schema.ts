import { z } from 'zod';

const DECIMAL = '-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)';

/** Path parameters of a tile; ranges are checked by the service for a precise message. */
export const tileParams = z.strictObject({
  layer: z.string().max(40),
  z: z.string().max(10),
  x: z.string().max(10),
  y: z.string().max(10),
});

export const geojsonParams = z.strictObject({ layer: z.string().max(40) });

export const geojsonQuery = z.strictObject({
  bbox: z
    .string()
    .regex(new RegExp(`^${DECIMAL},${DECIMAL},${DECIMAL},${DECIMAL}$`), 'west,south,east,north')
    .transform((s) => s.split(',').map(Number) as [number, number, number, number])
    .refine(
      ([w, s, e, n]) => w >= -180 && e <= 180 && s >= -90 && n <= 90 && w <= e && s <= n,
      'west ≤ east and south ≤ north, in WGS84 degrees',
    )
    .optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

// Body coordinates are JSON numbers: coercion would turn null or "" into 0.
const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
export const locateBody = z.strictObject({ points: z.array(position).min(1).max(1000) });

/** Tiles take no query parameters; anything else is refused rather than silently ignored. */
export const tileQuery = z.strictObject({});
