import { z } from 'zod';
import { queryInt } from '../../platform/http/ids.js';

export const disputeQuery = z.strictObject({
  status: z.enum(['open', 'settled', 'cancelled', 'all']).default('open'),
  /** Departments: only disputes still waiting for my answer, before their deadline (待权属认领). */
  awaiting: z.enum(['me']).optional(),
  limit: queryInt(1, 200).default(50),
  offset: queryInt(0).default(0),
});
export type DisputeQuery = z.infer<typeof disputeQuery>;
