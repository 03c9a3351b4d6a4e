/** zod schemas of the 井盖专项 API: the cover register, the limits, the emergency flow, the dashboard. */
import { z } from 'zod';
import {
  COVER_DEFECTS,
  COVER_STATES,
  COVER_TYPES,
  EMERGENCY_STEPS,
  ROAD_CLASSES,
} from '../../domain/covers/emergency.js';
import { idParam, queryInt } from '../../platform/http/ids.js';
import { componentId } from '../component/schema.js';

const departmentCode = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a department code');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a photo id (sha256)');
const instant = z.iso.datetime({ offset: true });

export const coverParams = z.strictObject({ componentId });
export const coverBody = z.strictObject({
  componentId,
  type: z.enum(COVER_TYPES),
  ownerDepartment: departmentCode,
  maintainerDepartment: departmentCode.nullable().optional(),
  roadClass: z.enum(ROAD_CLASSES),
  roadName: z.string().trim().min(1).max(60).nullable().optional(),
});
export type CoverInput = z.infer<typeof coverBody>;
export const coverPatchBody = coverBody.omit({ componentId: true }).partial();
export type CoverPatch = z.infer<typeof coverPatchBody>;

export const coverListQuery = z.strictObject({
  type: z.enum(COVER_TYPES).optional(),
  owner: departmentCode.optional(),
  state: z.enum(COVER_STATES).optional(),
  roadClass: z.enum(ROAD_CLASSES).optional(),
  limit: queryInt(1, 5000).default(100),
  offset: queryInt(0).default(0),
});
export type CoverListQuery = z.infer<typeof coverListQuery>;

/** Registers the covers among components of the 井盖 classes (all in scope, or the ids given). */
export const coverImportBody = z.strictObject({
  componentIds: z.array(componentId).min(1).max(5000).optional(),
  roadClass: z.enum(ROAD_CLASSES),
});

export const limitsBody = z.strictObject({
  ownerOnSiteMinutes: z.number().int().min(1).max(1440),
  temporaryCoverHours: z.number().positive().max(720),
  repairHours: z.number().positive().max(720),
  exceptionRepairHours: z.number().positive().max(720),
  checkHours: z.number().positive().max(720),
  repeatWindowDays: z.number().int().min(1).max(365),
});
export type LimitsInput = z.infer<typeof limitsBody>;

export const flowStartBody = z.strictObject({
  caseId: z.number().int().positive(),
  defect: z.enum(COVER_DEFECTS),
});

export const flowParams = z.strictObject({ caseId: idParam });
export const stepParams = z.strictObject({ caseId: idParam, step: z.enum(EMERGENCY_STEPS) });
export const stepBody = z.strictObject({
  photos: z.array(sha256).min(1).max(9),
  note: z.string().trim().min(1).max(500).optional(),
  /** When the step was done on site (an offline field app uploads later); default now. */
  at: instant.optional(),
});
export type StepInput = z.infer<typeof stepBody>;
export const exceptionBody = z.strictObject({ reason: z.string().max(500) });

export const flowListQuery = z.strictObject({
  overdue: z.enum(['true', 'false']).optional(),
  open: z.enum(['true', 'false']).optional(),
  limit: queryInt(1, 1000).default(100),
  offset: queryInt(0).default(0),
});
export type FlowListQuery = z.infer<typeof flowListQuery>;

export const dashboardQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
});

export const mapQuery = z.strictObject({
  bbox: z
    .string()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'west,south,east,north')
    .optional(),
  limit: queryInt(1, 20000).default(5000),
});

export const planBody = z
  .strictObject({
    name: z.string().trim().min(1).max(60),
    roadClass: z.enum(ROAD_CLASSES),
    frequency: z.enum(['daily', 'weekly']),
    weekday: z.number().int().min(1).max(7).optional(),
    stormChecks: z.boolean().default(true),
  })
  .refine((p) => (p.frequency === 'weekly') === (p.weekday !== undefined), {
    message: 'a weekly plan has a weekday (1–7), a daily one none',
    path: ['weekday'],
  });
export type PlanInput = z.infer<typeof planBody>;

export const generateBody = z.strictObject({
  date: z.iso.date(),
  storm: z.enum(['before', 'after']).optional(),
});

export const taskListQuery = z.strictObject({
  date: z.iso.date().optional(),
  limit: queryInt(1, 200).default(50),
});
export const taskParams = z.strictObject({ taskId: idParam });
export const resultBody = z.strictObject({
  componentId,
  result: z.enum(['ok', ...COVER_DEFECTS]),
  photos: z.array(sha256).max(9).default([]),
  note: z.string().trim().min(1).max(500).optional(),
});
export type ResultInput = z.infer<typeof resultBody>;
