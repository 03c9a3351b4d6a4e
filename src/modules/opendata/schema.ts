import { z } from 'zod';

export const FORMATS = ['csv', 'geojson', 'json'] as const;
export type OpenDataFormat = (typeof FORMATS)[number];

export const downloadParams = z.strictObject({ format: z.enum(FORMATS) });
export const downloadQuery = z.strictObject({
  /** A local (+08:00) calendar month. */
  month: z.string().regex(/^20[0-9]{2}-(0[1-9]|1[0-2])$/, 'a month, YYYY-MM'),
});
