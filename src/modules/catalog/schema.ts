import { z } from 'zod';
import {
  AREA_CLASSES,
  isValidAmount,
  KINDS,
  LEVELS,
  MAX_TEXT,
  MOVE_SCOPES,
  SCHEMES,
  URGENCIES,
} from '../../domain/catalog/index.js';
import { LIMIT_UNITS, parseLocalDate } from '../../domain/timelimit/index.js';
import { CLOCK_STEPS } from '../../domain/workflow/states.js';
import { id, idParam } from '../../platform/http/ids.js';

export const scheme = z.enum(SCHEMES);
export const kind = z.enum(KINDS);
export const level = z.enum(LEVELS);
export const areaClass = z.enum(AREA_CLASSES);
export const step = z.enum(CLOCK_STEPS);
const name = z.string().trim().min(1).max(60);
const date = z.string().refine((s) => parseLocalDate(s) !== null, 'a calendar date YYYY-MM-DD');
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const noQuery = z.strictObject({});
export const idParams = z.strictObject({ id: idParam });
export const standardParams = z.strictObject({ id: idParam, categoryId: idParam });
export const mappingParams = z.strictObject({ fromId: idParam, toId: idParam });

export const treeQuery = z.strictObject({
  scheme: scheme.optional(),
  kind: kind.optional(),
  level: level.optional(),
  q: z.string().trim().min(1).max(60).optional(),
  includeInactive: flag.default(false),
});

export const createCategoryBody = z.strictObject({
  scheme: scheme.optional(),
  kind,
  level,
  code: z.string().max(10),
  name,
  parentId: id.optional(),
});

export const updateCategoryBody = z
  .strictObject({ name: name.optional(), active: z.boolean().optional() })
  .refine((b) => b.name !== undefined || b.active !== undefined, 'name or active is required');

export const mappingQuery = z.strictObject({ kind: kind.optional() });
const note = z.string().trim().min(1).max(500);
/** Ids in JSON bodies are JSON integers: no coercion of strings or arrays. */
export const mappingBody = z.strictObject({ fromId: id, toId: id, note: note.optional() });
export const unmappedBody = z.strictObject({ note });

export const moveQuery = z.strictObject({
  to: scheme,
  scope: z.enum(MOVE_SCOPES).default('open'),
});
export const moveBody = z.strictObject({
  to: scheme,
  scope: z.enum(MOVE_SCOPES),
  resolutions: z
    .array(z.strictObject({ categoryId: id, targetId: id.nullable() }))
    .max(2000)
    .default([]),
  expectCases: z.number().int().min(0).max(100_000_000).optional(),
});

export const createVersionBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  note: z.string().max(2000).optional(),
  fromVersionId: id.optional(),
});
export const updateVersionBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    note: z.string().max(2000).nullable().optional(),
  })
  .refine((b) => b.name !== undefined || b.note !== undefined, 'name or note is required');
export const publishBody = z.strictObject({ effectiveFrom: date });

export const standardsQuery = z.strictObject({ kind: kind.optional(), scheme: scheme.optional() });

const timeLimit = z.strictObject({
  amount: z.number().refine(isValidAmount, 'a positive number ≤ 10000 with at most 2 decimals'),
  unit: z.enum(LIMIT_UNITS as ['working_hours', 'working_days', 'calendar_hours', 'minutes']),
});
export const standardPatchBody = z
  .strictObject({
    filingConditions: z.string().trim().max(MAX_TEXT).optional(),
    closingConditions: z.string().trim().max(MAX_TEXT).optional(),
    defaultUrgency: z.enum(URGENCIES).optional(),
    departmentCodes: z.array(z.string().min(1).max(40)).max(20).optional(),
    /** 核查须拍照: the supervisor's 核查 must carry photos. */
    checkPhotos: z.boolean().optional(),
    timeLimits: z.partialRecord(step, z.partialRecord(areaClass, timeLimit.nullable())).optional(),
    /** 紧急 / 特急 limits, same shape; a blank level falls back 特急 → 紧急 → 一般. */
    urgentTimeLimits: z
      .partialRecord(
        z.enum(['urgent', 'emergency']),
        z.partialRecord(step, z.partialRecord(areaClass, timeLimit.nullable())),
      )
      .optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'at least one field is required');

export const exportQuery = z.strictObject({ scheme: scheme.optional() });
export const importQuery = z.strictObject({
  scheme: scheme.optional(),
  name: z.string().trim().min(1).max(100).optional(),
});

export const lookupQuery = z
  .strictObject({
    categoryId: idParam.optional(),
    code: z
      .string()
      .regex(/^[0-9]{2,9}$/)
      .optional(),
    kind: kind.optional(),
    scheme: scheme.optional(),
    areaClass,
    step,
    urgency: z.enum(URGENCIES).optional(),
    at: z.iso.datetime({ offset: true }).optional(),
    versionId: idParam.optional(),
  })
  .refine((q) => (q.categoryId !== undefined) !== (q.code !== undefined), 'categoryId or code (not both)')
  .refine((q) => q.code === undefined || q.kind !== undefined, 'code needs kind')
  .refine((q) => q.at === undefined || q.versionId === undefined, 'at or versionId (not both)');
