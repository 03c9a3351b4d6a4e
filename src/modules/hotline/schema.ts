/** zod schemas of the 12345 hotline API: what the hotline sends, what the centre does, admin. */
import { z } from 'zod';
import { LIMIT_UNITS, type LimitUnit } from '../../domain/timelimit/index.js';
import {
  APPEAL_TYPES,
  HOTLINE_RESULTS,
  HOTLINE_URGENCIES,
  LIMIT_STEPS,
  ORDER_STATUSES,
  SATISFACTIONS,
} from './tables.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.iso.datetime({ offset: true });
const unit = z.enum(LIMIT_UNITS as [LimitUnit, ...LimitUnit[]]);
export const orderNo = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a 12345 工单编号 (letters, digits, - and _)');

/** An attachment: an image inline (base64, stored in media and put on the case) or a link. */
const attachment = z.union([
  z.strictObject({
    name: text(200),
    contentType: z.enum(['image/jpeg', 'image/png', 'image/webp']),
    data: z.base64().max(8 * 1024 * 1024),
  }),
  z.strictObject({ name: text(200), url: z.url({ protocol: /^https?$/ }).max(2000) }),
]);

/** 12345 工单 as the hotline sends it (field names: integration.md §1.1). */
export const workOrderBody = z.strictObject({
  /** 工单编号 */
  orderNo,
  /** 受理时间 */
  acceptedAt: instant,
  /** 诉求人 and phone (kept on the case, never shown to the public). */
  appellant: z.strictObject({
    name: text(60).optional(),
    phone: z
      .string()
      .regex(/^\+?[0-9-]{5,20}$/)
      .optional(),
  }),
  /** 诉求内容 */
  content: text(2000),
  /** 诉求类型 */
  appealType: z.enum(APPEAL_TYPES),
  address: text(200),
  /** Coordinates when the hotline has them; otherwise the address is looked up. */
  location: z
    .strictObject({
      lng: z.number().min(-180).max(180),
      lat: z.number().min(-90).max(90),
      crs: z.enum(['wgs84', 'gcj02', 'bd09']).default('wgs84'),
    })
    .optional(),
  /** 承办单位 as the hotline names it. */
  organizer: text(100).optional(),
  /** 办理时限 set by the hotline (wins over the rule table's reply limit). */
  dueAt: instant.optional(),
  /** 紧急程度 */
  urgency: z.enum(HOTLINE_URGENCIES).default('一般'),
  /** Our 小类 / 细类, when the hotline's bridge classifies; else the system's default. */
  category: z
    .strictObject({ kind: z.enum(['component', 'event']), code: z.string().regex(/^[0-9]{4,7}$/) })
    .optional(),
  attachments: z.array(attachment).max(9).default([]),
});
export type WorkOrderBody = z.infer<typeof workOrderBody>;

/** 回访 result from the hotline. */
export const visitBody = z.strictObject({
  visitId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  satisfaction: z.enum(SATISFACTIONS),
  comment: text(1000).optional(),
  visitedAt: instant,
});
export type VisitBody = z.infer<typeof visitBody>;

/** The hotline's answer to our extension request. */
export const extensionDecisionBody = z.strictObject({
  approved: z.boolean(),
  /** The new 办理时限 when approved. */
  dueAt: instant.optional(),
  comment: text(500).optional(),
});
export type ExtensionDecisionBody = z.infer<typeof extensionDecisionBody>;

export const orderNoParams = z.strictObject({ orderNo });
export const orderIdParams = z.strictObject({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

export const returnBody = z.strictObject({ reason: text(1000) });
export const extensionBody = z.strictObject({
  amount: z.number().positive().max(100),
  unit,
  reason: text(1000),
});
export const replyBody = z.strictObject({ result: z.enum(HOTLINE_RESULTS), publicReply: text(2000) });

export const ordersQuery = z.strictObject({
  status: z.enum(ORDER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const systemBody = z.strictObject({
  code: z.string().regex(/^[a-z0-9_-]{2,40}$/),
  name: text(100),
  serviceUserId: z.number().int().min(1).max(2_147_483_647),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable()
    .default(null),
  outboundToken: z.string().min(8).max(200).nullable().default(null),
  defaultCategory: z.strictObject({
    kind: z.enum(['component', 'event']),
    code: z.string().regex(/^[0-9]{4,7}$/),
  }),
  active: z.boolean().default(true),
});
export type SystemBody = z.infer<typeof systemBody>;

export const limitRulesBody = z.strictObject({
  rules: z
    .array(
      z.strictObject({
        appealType: z.enum(['*', ...APPEAL_TYPES]),
        step: z.enum(LIMIT_STEPS),
        amount: z.number().positive().max(1000),
        unit,
        calendarId: z.string().min(1).max(40),
      }),
    )
    .min(1)
    .max(50)
    .refine(
      (rules) => new Set(rules.map((r) => `${r.appealType}|${r.step}`)).size === rules.length,
      'each (appealType, step) once',
    ),
});
export type LimitRulesBody = z.infer<typeof limitRulesBody>;
