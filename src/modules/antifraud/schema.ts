/** zod schemas of the anti-fraud API: the review queue, a review, a batch scan. */
import { z } from 'zod';
import { FLAG_KINDS } from '../../domain/antifraud/types.js';
import { FLAG_STATUSES } from './tables.js';

export const flagsQuery = z.strictObject({
  status: z.enum([...FLAG_STATUSES, 'all']).default('open'),
  kind: z.enum(FLAG_KINDS).optional(),
  /** A supervisor's flags only. */
  reporterId: z.coerce.number().int().positive().optional(),
  /** Flags of reports made in [from, to). */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type FlagsQuery = z.infer<typeof flagsQuery>;

export const flagParams = z.strictObject({ id: z.coerce.number().int().positive() });

export const reviewBody = z.strictObject({
  /** confirm: fraud, counted against the reporter's collection company · dismiss: not fraud. */
  decision: z.enum(['confirm', 'dismiss']),
  reason: z.string().trim().min(1).max(500),
});
export type ReviewBody = z.infer<typeof reviewBody>;

export const scanBody = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});
export type ScanBody = z.infer<typeof scanBody>;
