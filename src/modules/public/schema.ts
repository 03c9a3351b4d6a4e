/** zod schemas of the citizen portal API. */
import { z } from 'zod';
import { CRS_VALUES } from '../../domain/geo/crs.js';
import { queryInt } from '../../platform/http/ids.js';
import { CITIZEN_CATEGORY_KEYS } from './categories.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 returned by POST /public/media');
export const phone = z.string().regex(/^1[3-9][0-9]{9}$/, '11 位手机号 / an 11-digit mobile number');
export const trackingCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-HJKMNP-TV-Z]{10}$/, '10 位查询码 / a 10-character tracking code');

export const reportBody = z
  .strictObject({
    /** A citizen category (GET /public/categories)… */
    category: z.enum(CITIZEN_CATEGORY_KEYS).optional(),
    /** …or a catalog 小类/细类 code of the active scheme with its kind. */
    categoryCode: z
      .string()
      .regex(/^[0-9]{4,7}$/)
      .optional(),
    kind: z.enum(['component', 'event']).optional(),
    description: text(1000),
    location: z
      .strictObject({
        lng: z.number().min(-180).max(180),
        lat: z.number().min(-90).max(90),
        crs: z.enum(CRS_VALUES).default('wgs84'),
      })
      .optional(),
    address: text(200).optional(),
    photos: z.array(sha256).max(6).default([]),
    phone: phone.optional(),
    /** With PUBLIC_PHONE_VERIFY: the id from POST /public/verify-phone and the code sent by SMS. */
    phoneVerification: z.strictObject({ id: z.uuid(), code: z.string().regex(/^[0-9]{6}$/) }).optional(),
  })
  .refine((b) => (b.category === undefined) !== (b.categoryCode === undefined), {
    message: 'category or categoryCode, exactly one',
    path: ['category'],
  })
  .refine((b) => b.categoryCode === undefined || b.kind !== undefined, {
    message: 'kind is required with categoryCode',
    path: ['kind'],
  });
export type ReportBody = z.infer<typeof reportBody>;

const SATISFACTION_WORDS = { 满意: 5, 基本满意: 3, 不满意: 1 } as const;
export const ratingBody = z.strictObject({
  /** 1–5, or the three words of the usual hotline survey (满意 5, 基本满意 3, 不满意 1). */
  satisfaction: z.union([
    z.number().int().min(1).max(5),
    z.enum(['满意', '基本满意', '不满意']).transform((w) => SATISFACTION_WORDS[w]),
  ]),
  comment: text(500).optional(),
});

export const verifyPhoneBody = z.strictObject({ phone });

/** A coordinate as plain decimal text (no hex, exponent, blanks): no coercion of whatever Number() takes. */
const bboxPart = z
  .string()
  .regex(/^-?(0|[1-9][0-9]{0,2})(\.[0-9]{1,15})?$/, 'a decimal number')
  .transform(Number);
export const listQuery = z.strictObject({
  limit: queryInt(1, 100).default(20),
  offset: queryInt(0, 10_000).default(0),
  districtCode: z
    .string()
    .regex(/^[0-9]{6}$/)
    .optional(),
  state: z.enum(['open', 'closed', 'all']).default('all'),
});

export const mapQuery = z.strictObject({
  /** west,south,east,north in WGS84, at most 0.5° on a side. */
  bbox: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.tuple([bboxPart, bboxPart, bboxPart, bboxPart]))
    .refine(
      ([w, s, e, n]) => w < e && s < n && e - w <= 0.5 && n - s <= 0.5,
      'west<east, south<north, ≤ 0.5°',
    ),
  limit: queryInt(1, 2000).default(500),
});

export const statsQuery = z.strictObject({
  days: queryInt(1, 366).default(30),
});

export const moderationQuery = z.strictObject({
  state: z.enum(['pending', 'approved', 'rejected']).default('pending'),
  limit: queryInt(1, 200).default(50),
  offset: queryInt(0).default(0),
});

export const moderationDecision = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reason: text(500).optional(),
  /** With an approved description: also show the report's photos on the public map. */
  publishPhotos: z.boolean().default(false),
});
