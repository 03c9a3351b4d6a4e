import { z } from 'zod';

export const lng = z.number().min(-180).max(180);
export const lat = z.number().min(-90).max(90);
/** A decimal number in a query string; an empty value is missing, not 0. */
export const DECIMAL = '-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)';
export const queryNumber = (schema: z.ZodNumber) =>
  z
    .string()
    .regex(new RegExp(`^${DECIMAL}$`), 'a decimal number')
    .transform(Number)
    .pipe(schema);
/** A calendar date YYYY-MM-DD that exists. */
export const isoDate = z
  .string()
  .regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'a date that exists');
// Body coordinates are JSON numbers: coercion would turn null or "" into 0.
const position = z.tuple([lng, lat]);
export const polygon = z.strictObject({
  type: z.literal('Polygon'),
  coordinates: z.array(z.array(position).min(4)).min(1).max(50),
});
