/** Request schemas of the collection (信息采集外包) module (zod, strict: unknown fields are refused). */
import { z } from 'zod';
import { id } from '../../platform/http/ids.js';

/** Company and team codes: letters, digits, - and _ (2–40), as the table's CHECK. */
export const collectionCode = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$/, 'letters, digits, - and _ (2–40 characters)');
const name = z.string().trim().min(1).max(100);
/** Hours on duty per supervisor and working day the contract asks for (stored to 0.01 h). */
const contractDailyHours = z.number().gt(0).max(24);

export const codeParams = z.strictObject({ code: collectionCode });

export const createCompanyBody = z.strictObject({ code: collectionCode, name, contractDailyHours });
export type CreateCompanyInput = z.infer<typeof createCompanyBody>;

export const updateCompanyBody = z
  .strictObject({ name: name.optional(), contractDailyHours: contractDailyHours.optional() })
  .refine(
    (b) => b.name !== undefined || b.contractDailyHours !== undefined,
    'name or contractDailyHours is required',
  );
export type UpdateCompanyInput = z.infer<typeof updateCompanyBody>;

export const createTeamBody = z.strictObject({ code: collectionCode, companyCode: collectionCode, name });
export type CreateTeamInput = z.infer<typeof createTeamBody>;

export const updateTeamBody = z
  .strictObject({ name: name.optional(), companyCode: collectionCode.optional() })
  .refine((b) => b.name !== undefined || b.companyCode !== undefined, 'name or companyCode is required');
export type UpdateTeamInput = z.infer<typeof updateTeamBody>;

export const teamMembersBody = z.strictObject({
  userIds: z.array(id).max(1000),
});
