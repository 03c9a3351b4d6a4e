/** Request schemas of the geocode module (zod, strict: unknown fields are refused). */
import { z } from 'zod';
import { CRS_VALUES } from '../../domain/geo/crs.js';
import { idParam, queryInt } from '../../platform/http/ids.js';

const DECIMAL = '-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)';
/** A decimal number in a query string; an empty value is missing, not 0. */
const queryNumber = (schema: z.ZodNumber) =>
  z
    .string()
    .regex(new RegExp(`^${DECIMAL}$`), 'a decimal number')
    .transform(Number)
    .pipe(schema);

export const crs = z.enum(CRS_VALUES).default('wgs84');
const lng = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
const booleanQuery = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const reverseQuery = z.strictObject({ lng: queryNumber(lng), lat: queryNumber(lat), crs });

export const searchQuery = z.strictObject({
  q: z.string().trim().min(1).max(200),
  limit: queryInt(1, 50).default(10),
  district: z
    .string()
    .regex(/^[0-9]{6}$/)
    .optional(),
  crs,
});

export const kindParam = z.enum(['roads', 'addresses', 'pois']);
export const idParams = z.strictObject({
  kind: kindParam,
  id: idParam,
});

export const listQuery = z.strictObject({
  bbox: z
    .string()
    .regex(new RegExp(`^${DECIMAL},${DECIMAL},${DECIMAL},${DECIMAL}$`), 'west,south,east,north')
    .transform((s) => s.split(',').map(Number) as [number, number, number, number])
    .refine(
      ([w, s, e, n]) => w >= -180 && e <= 180 && s >= -90 && n <= 90 && w <= e && s <= n,
      'west ≤ east and south ≤ north, in WGS84 degrees',
    )
    .optional(),
  q: z.string().trim().min(1).max(60).optional(),
  category: z.string().trim().min(1).max(20).optional(),
  roadId: idParam.optional(),
  limit: queryInt(1, 1000).default(100),
  offset: queryInt(0).default(0),
});

const position = z.tuple([lng, lat]);
const geometry = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('Point'), coordinates: position }),
  z.strictObject({ type: z.literal('LineString'), coordinates: z.array(position).min(2).max(5000) }),
]);
const properties = z.record(z.string(), z.unknown());

/** A single entry is a GeoJSON Feature; its properties are checked per kind by the domain. */
export const entryBody = z.strictObject({
  type: z.literal('Feature'),
  geometry,
  properties,
  crs,
});
export const patchBody = z
  .strictObject({ geometry: geometry.optional(), properties: properties.optional(), crs })
  .refine((b) => b.geometry !== undefined || b.properties !== undefined, 'nothing to change');

export const importQuery = z.strictObject({
  kind: kindParam,
  dryRun: booleanQuery.default(false),
  crs,
});
export const importBody = z.strictObject({
  type: z.literal('FeatureCollection'),
  // Each feature is validated row by row so errors can name its index and field.
  features: z.array(z.unknown()).min(1).max(20_000),
});
