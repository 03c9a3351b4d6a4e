/** zod schemas of the responsibility table API (责任分解表). */
import { z } from 'zod';
import { KINDS, SCHEMES } from '../../domain/catalog/index.js';
import { idParam, queryInt } from '../../platform/http/ids.js';
import { isoDate } from '../grid/schema.js';

const departmentCodes = z
  .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'a department code'))
  .min(1)
  .max(10)
  .refine((a) => new Set(a).size === a.length, 'each department once');
const note = z.string().trim().min(1).max(500);

export const ruleId = z.strictObject({
  id: idParam,
});

export const createRuleBody = z.strictObject({
  kind: z.enum(KINDS),
  categoryCode: z.string().regex(/^[0-9]{4,7}$/, 'a 小类 or 细类 code'),
  /** Default: the deployment's active code scheme. */
  scheme: z.enum(SCHEMES).optional(),
  areaCode: z.string().regex(/^[0-9]{6}([0-9]{3}){0,2}$/, 'a city, district, street or community code'),
  areaClass: z.enum(['A', 'B', 'C']).nullable().default(null),
  departmentCodes,
  note: note.nullable().default(null),
  validFrom: isoDate.nullable().default(null),
  validTo: isoDate.nullable().default(null),
});
export type CreateRuleInput = z.infer<typeof createRuleBody>;

export const updateRuleBody = z
  .strictObject({
    departmentCodes: departmentCodes.optional(),
    note: note.nullable().optional(),
    validFrom: isoDate.nullable().optional(),
    validTo: isoDate.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'at least one field to change');
export type UpdateRuleInput = z.infer<typeof updateRuleBody>;

export const listRulesQuery = z.strictObject({
  kind: z.enum(KINDS).optional(),
  categoryCode: z
    .string()
    .regex(/^[0-9]{4,7}$/)
    .optional(),
  areaCode: z
    .string()
    .regex(/^[0-9]{6}([0-9]{3}){0,2}$/)
    .optional(),
  departmentCode: z.string().max(40).optional(),
  limit: queryInt(1, 500).default(100),
  offset: queryInt(0).default(0),
});
export type ListRulesQuery = z.infer<typeof listRulesQuery>;
