import { z } from 'zod';
import { queryInt } from '../../platform/http/ids.js';

const day = z.iso.date();
export const categoryKey = z
  .string()
  .regex(/^(\*|(event|component):[0-9]{2})$/, "'*' or kind:大类, e.g. event:01");
export const areaCode = z
  .string()
  .regex(/^(\*|[0-9]{6}|[0-9]{9})$/, "'*' (the city), a district or a street code");

export const listQuery = z.strictObject({
  categoryKey: categoryKey.optional(),
  areaCode: areaCode.optional(),
  method: z.enum(['prophet', 'baseline']).optional(),
});
export type ListQuery = z.infer<typeof listQuery>;

export const seriesQuery = z.strictObject({
  categoryKey,
  areaCode,
  /** Days of history shown before the forecast. */
  days: queryInt(7, 366).default(56),
});
export type SeriesQuery = z.infer<typeof seriesQuery>;

export const runBody = z
  .strictObject({
    asOf: day.optional(),
    historyDays: z.number().int().min(28).max(1100).default(365),
    minMean: z.number().min(0.1).max(10_000).default(3),
    maxSeries: z.number().int().min(1).max(500).default(100),
    horizon: z.number().int().min(7).max(56).default(28),
  })
  .default({ historyDays: 365, minMean: 3, maxSeries: 100, horizon: 28 });
export type RunBody = z.infer<typeof runBody>;

export const alertsQuery = z
  .strictObject({
    from: day.optional(),
    to: day.optional(),
    categoryKey: categoryKey.optional(),
    areaCode: areaCode.optional(),
    limit: queryInt(1, 200).default(50),
    offset: queryInt(0, 100_000).default(0),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['to'] });
export type AlertsQuery = z.infer<typeof alertsQuery>;

export const checkBody = z.strictObject({ day: day.optional() }).default({});
