/** zod schemas of the monthly report API. */
import { z } from 'zod';
import { idParam, queryInt } from '../../platform/http/ids.js';

export const generateBody = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM'),
  format: z.enum(['docx', 'pdf']).default('docx'),
});
export const reportParams = z.strictObject({ id: idParam });
export const reportsQuery = z.strictObject({
  limit: queryInt(1, 200).default(50),
  offset: queryInt(0).default(0),
});
export const textParams = z.strictObject({ key: z.string().regex(/^[a-zA-Z]{2,40}$/) });
export const textBody = z.strictObject({ text: z.string().trim().min(1).max(2000).nullable() });
