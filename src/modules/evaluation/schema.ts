/** zod schemas of the evaluation API (query strings are text: lists are comma-separated). */
import { z } from 'zod';
import { SUBJECT_TYPES } from '../../domain/evaluation/index.js';
import { idParam, queryInt } from '../../platform/http/ids.js';

export const PERIOD_KINDS = ['day', 'week', 'month', 'quarter', 'year', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const list = (item: RegExp, what: string) =>
  z
    .string()
    .max(500)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0),
    )
    .refine((xs) => xs.every((x) => item.test(x)), `a comma-separated list of ${what}`);

export const periodFields = {
  period: z.enum(PERIOD_KINDS).default('month'),
  /** A day inside the period (day … year), or its first day (custom). */
  from: date,
  /** Last day of a custom period (inclusive). */
  to: date.optional(),
};

export const filterFields = {
  categoryCode: list(/^[0-9]{2,7}$/, 'category codes (大类 / 小类 prefixes)').optional(),
  areaClass: list(/^[ABC]$/, 'area classes A, B, C').optional(),
  source: list(/^[a-z0-9_]{2,20}$/, 'sources').optional(),
  /** Local hours [from, to), e.g. 08-12,18-22; a slot may wrap past midnight (22-06). */
  timeSlot: list(/^([01]?[0-9]|2[0-4])-([01]?[0-9]|2[0-4])$/, 'hour ranges like 08-12').optional(),
};

export const subjectType = z.enum(SUBJECT_TYPES);

export const resultsQuery = z.strictObject({
  subjectType,
  ...periodFields,
  ...filterFields,
  scheme: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{1,62}$/)
    .optional(),
  schemeVersion: queryInt(1).optional(),
});
export type ResultsQuery = z.infer<typeof resultsQuery>;

export const drilldownQuery = z.strictObject({
  subjectType,
  subject: z.string().min(1).max(60),
  indicator: z.string().regex(/^[a-zA-Z]{2,40}$/),
  part: z.enum(['numerator', 'denominator']).default('numerator'),
  /** A page of the case list; `count` in the answer is the whole list's length. */
  offset: queryInt(0, 10_000_000).default(0),
  limit: queryInt(1, 1000).default(200),
  ...periodFields,
  ...filterFields,
});
export type DrilldownQuery = z.infer<typeof drilldownQuery>;

const band = z.strictObject({
  min: z.number().int().min(0),
  max: z.number().int().min(0).optional(),
  score: z.number().min(0).max(100),
});
export const schemeContent = {
  name: z.strictObject({ zh: z.string().trim().min(1).max(100), en: z.string().trim().min(1).max(100) }),
  indicators: z
    .array(
      z.strictObject({
        key: z.string().regex(/^[a-zA-Z]{2,40}$/),
        weight: z.number().positive().max(1000),
        transform: z.enum(['rate', 'one_minus_rate', 'count_band']),
        bands: z.array(band).max(20).optional(),
        /** Bands per area class (一类 A, 二类 B, 三类 C) of the subject, over `bands`. */
        areaClassBands: z
          .strictObject({
            A: z.array(band).max(20).optional(),
            B: z.array(band).max(20).optional(),
            C: z.array(band).max(20).optional(),
          })
          .optional(),
      }),
    )
    .min(1)
    .max(30),
  grades: z
    .array(z.strictObject({ grade: z.enum(['A', 'B', 'C', 'D', 'E']), min: z.number().min(0).max(100) }))
    .min(1)
    .max(5),
  note: z.string().trim().max(500).optional(),
};
export const createSchemeBody = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{1,62}$/, 'lower-case letters, digits and -'),
  subjectType,
  ...schemeContent,
});
export type CreateSchemeInput = z.infer<typeof createSchemeBody>;
export const schemeVersionBody = z.strictObject(schemeContent);
export type SchemeVersionInput = z.infer<typeof schemeVersionBody>;
export const schemeParams = z.strictObject({ id: z.string().regex(/^[a-z0-9][a-z0-9_-]{1,62}$/) });
export const schemesQuery = z.strictObject({ subjectType: subjectType.optional() });

export const publishBody = z.strictObject({
  title: z.string().trim().min(1).max(100),
  period: z.enum(PERIOD_KINDS),
  from: date,
  to: date.optional(),
  /** Default: every subject type. */
  subjectTypes: z.array(subjectType).min(1).max(SUBJECT_TYPES.length).optional(),
  /** Scheme per subject type (default: the national one); its latest version is used. */
  schemes: z.record(z.string(), z.string().regex(/^[a-z0-9][a-z0-9_-]{1,62}$/)).optional(),
});
export type PublishInput = z.infer<typeof publishBody>;
export const publicationParams = z.strictObject({
  id: idParam,
});
export const publicationQuery = z.strictObject({ subjectType: subjectType.optional() });
export const publicationsQuery = z.strictObject({
  limit: queryInt(1, 500).default(100),
  offset: queryInt(0).default(0),
});

export const STAT_GROUPS = ['source', 'category', 'district', 'street', 'status', 'hour'] as const;
export const statsQuery = z.strictObject({
  from: date,
  /** Last day, inclusive. */
  to: date,
  groupBy: z.enum(STAT_GROUPS).default('source'),
  ...filterFields,
});
export type StatsQuery = z.infer<typeof statsQuery>;
