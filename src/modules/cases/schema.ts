/** zod schemas of the cases API: intake, one body per action, queue query. */
import { z } from 'zod';
import { LIMIT_UNITS, type LimitUnit } from '../../domain/timelimit/index.js';
import { CASE_ACTIONS, CASE_STATES, type CaseAction, QUEUES } from '../../domain/workflow/index.js';
import { id, int4, queryInt } from '../../platform/http/ids.js';
import { isoDate } from '../grid/schema.js';

export const SOURCES = [
  'supervisor',
  'public',
  'hotline_12345',
  'video_ai',
  'iot',
  'leader',
  'media',
  'open311',
] as const;
export type Source = (typeof SOURCES)[number];

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 returned by POST /media');
const photos = z.array(sha256).min(1).max(9);
const text = (max: number) => z.string().trim().min(1).max(max);

export const createCaseBody = z.strictObject({
  source: z.enum(SOURCES),
  kind: z.enum(['component', 'event']),
  categoryCode: z.string().regex(/^[0-9]{4,7}$/, 'a 小类 or 细类 code'),
  componentCode: z
    .string()
    .regex(/^[0-9]{16,17}$/)
    .optional(),
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  address: text(200),
  description: text(2000),
  urgency: z.enum(['normal', 'urgent', 'emergency']).default('normal'),
  photos: z.array(sha256).max(9).default([]),
  reporterName: text(60).optional(),
  reporterPhone: z
    .string()
    .regex(/^\+?[0-9-]{5,20}$/)
    .optional(),
});
export type CreateCaseInput = z.infer<typeof createCaseBody>;

/** 自行处置: a supervisor's own report (source implied) with before- and after-photos. */
export const selfHandleBody = createCaseBody.omit({ source: true }).extend({
  photos: photos,
  afterPhotos: photos,
});

/** Actions reachable through POST /cases/:id/actions/:action (report: POST /cases; overdue: the sweeper). */
export const ENDPOINT_ACTIONS = CASE_ACTIONS.filter(
  (a): a is Exclude<CaseAction, 'report' | 'self_handle' | 'overdue'> =>
    a !== 'report' && a !== 'self_handle' && a !== 'overdue',
);
export type EndpointAction = (typeof ENDPOINT_ACTIONS)[number];

const base = { version: int4(1), reason: text(1000).optional() };
const unit = z.enum(LIMIT_UNITS as [LimitUnit, ...LimitUnit[]]);
const amount = z.number().positive().max(1000);

const BODIES: Partial<Record<EndpointAction, z.ZodType>> = {
  dispatch: z.strictObject({ ...base, departmentCode: z.string().min(1).max(40).optional() }),
  send_to_collaboration: z.strictObject({
    ...base,
    candidateDepartmentCodes: z
      .array(z.string().min(1).max(40))
      .min(1)
      .max(10)
      .refine((a) => new Set(a).size === a.length, 'each department once'),
    /** Default: the claim limit of the case's standard (时限 of step 'claim'). */
    claimDeadline: z.iso.datetime({ offset: true }).optional(),
  }),
  settle_ownership: z.strictObject({
    ...base,
    departmentCode: z.string().min(1).max(40).optional(),
    /** Make the decided department the first choice for this class in the case's district. */
    updateResponsibility: z.boolean().default(false),
    /** An offline decision of a joint meeting (联席会议): date, minutes and scanned attachments. */
    jointMeeting: z
      .strictObject({
        heldOn: isoDate,
        minutes: text(5000),
        attachments: z.array(sha256).min(1).max(5),
      })
      .optional(),
  }),
  // A supervisor's answer to a 核实 task may carry the photos taken on site (kept in the event).
  verify: z.strictObject({ ...base, photos: photos.optional() }),
  deny: z.strictObject({ ...base, photos: photos.optional() }),
  feedback: z.strictObject({ ...base, photos: photos.optional() }),
  check_pass: z.strictObject({ ...base, photos: photos.optional() }),
  check_fail: z.strictObject({ ...base, photos: photos.optional() }),
  extend_request: z.strictObject({ ...base, amount, unit }),
  extend_approve: z.strictObject({ ...base, amount: amount.optional(), unit: unit.optional() }),
  merge: z.strictObject({ ...base, targetCaseId: id.optional() }),
  assign_handler: z.strictObject({ ...base, handlerId: id }),
};
const plain = z.strictObject(base);

export interface ActionInput {
  version: number;
  reason?: string;
  departmentCode?: string;
  photos?: string[];
  amount?: number;
  unit?: LimitUnit;
  targetCaseId?: number;
  handlerId?: number;
  candidateDepartmentCodes?: string[];
  claimDeadline?: string;
  updateResponsibility?: boolean;
  jointMeeting?: { heldOn: string; minutes: string; attachments: string[] };
}

export function actionBody(action: EndpointAction): z.ZodType {
  return BODIES[action] ?? plain;
}

const digits = (n: string, what: string) => z.string().regex(new RegExp(`^[0-9]{${n}}$`), what);
/** A day (YYYY-MM-DD, local +08:00) or an instant with an offset. */
const dayOrInstant = z.union([isoDate, z.iso.datetime({ offset: true })]);

/**
 * GET /cases (and the export, which takes the same filters). Every filter is optional and they
 * combine with AND; `stateIn`, when given, replaces `state` (an explicit list of states wins).
 * Area codes match the case's grid code by prefix (GB/T 2260 + GB/T 30428.1 codes nest).
 */
export const queueQuery = z.strictObject({
  queue: z.enum(QUEUES).optional(),
  state: z.enum(['open', 'all']).default('open'),
  limit: queryInt(1, 200).default(50),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/)
    .optional(),
  /** Rows to skip (page-numbered tables); not together with `cursor`. */
  offset: queryInt(0, 100_000).optional(),
  /** Case number prefix, or text anywhere in the address or description. */
  q: z.string().trim().min(1).max(100).optional(),
  kind: z.enum(['component', 'event']).optional(),
  /** 大类 (2 digits), 小类 (4) or 细类 code: the category code starts with it. */
  categoryCode: digits('2,7', 'a category code (2–7 digits)').optional(),
  source: z.enum(SOURCES).optional(),
  districtCode: digits('6', 'a district code (6 digits)').optional(),
  streetCode: digits('9', 'a street code (9 digits)').optional(),
  communityCode: digits('12', 'a community code (12 digits)').optional(),
  gridCode: digits('6,15', 'a grid code or its prefix (6–15 digits)').optional(),
  light: z.enum(['green', 'yellow', 'red']).optional(),
  /** Comma-separated states, e.g. `handling,handled`. */
  stateIn: z
    .string()
    .max(300)
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(CASE_STATES)).min(1).max(CASE_STATES.length))
    .optional(),
  reportedFrom: dayOrInstant.optional(),
  reportedTo: dayOrInstant.optional(),
  urgency: z.enum(['normal', 'urgent', 'emergency']).optional(),
  /** The case's department or any unit under it. */
  departmentCode: z.string().trim().min(1).max(40).optional(),
  /** `me`: only the cases I reported (a supervisor's 我的上报). */
  reportedBy: z.enum(['me']).optional(),
});
export type QueueQuery = z.infer<typeof queueQuery>;
