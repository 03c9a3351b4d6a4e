import { z } from 'zod';

export const disputeQuery = z.strictObject({
  status: z.enum(['open', 'settled', 'cancelled', 'all']).default('open'),
  /** Departments: only disputes still waiting for my answer, before their deadline (待权属认领). */
  awaiting: z.enum(['me']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type DisputeQuery = z.infer<typeof disputeQuery>;
