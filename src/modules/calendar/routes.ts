import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DEPARTMENT_CLOCK_STARTS } from '../../domain/timelimit/index.js';
import { CLOCK_STEPS } from '../../domain/workflow/states.js';
import { requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { getClockRules, updateClockRules } from './clock-rules.js';
import {
  CSV_TYPE,
  HOLIDAY_FILE_LIMIT,
  type HolidayFileFormat,
  holidayTemplateCsv,
  holidayTemplateXlsx,
  XLSX_TYPE,
} from './holiday-file.js';
import { holidayCoverage, importHolidayYear } from './holidays.js';
import { getCalendar, listCalendars, replaceCalendarYear, updateCalendarHours } from './service.js';

// Shape only; validateCalendar (domain) judges ranges and overlaps with zh/en messages.
const periods = z.array(z.tuple([z.number(), z.number()])).max(12);
const day = z.strictObject({ date: z.string().max(10), note: z.string().min(1).max(60).optional() });
const calendarId = z.strictObject({ id: z.string().regex(/^[a-z][a-z0-9_-]{1,39}$/) });
const yearParam = z
  .string()
  .regex(/^20[0-9]{2}$/)
  .transform(Number);
const fileUpload = z
  .any()
  .meta({ type: 'string', format: 'binary', description: 'The CSV or .xlsx file as the raw body' });

/** The uploaded table and its format; any other content type is refused before any work. */
function holidayFile(request: FastifyRequest): { format: HolidayFileFormat; body: Buffer } {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (!Buffer.isBuffer(request.body) || (type !== CSV_TYPE && type !== XLSX_TYPE)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { details: { expected: [CSV_TYPE, XLSX_TYPE] } });
  }
  return { format: type === CSV_TYPE ? 'csv' : 'xlsx', body: request.body };
}

/** Working calendars (工作日历), editable by admins. */
export async function calendarRoutes(app: ApiApp, { store }: Deps) {
  const tags = ['calendar'];
  app.get('/calendars', { schema: { tags, summary: 'Working calendars' } }, async (request) =>
    listCalendars(ctxOf(store.db, request)),
  );
  app.get(
    '/calendars/:id',
    {
      schema: {
        tags,
        summary: 'One working calendar with its holidays and make-up workdays',
        params: calendarId,
      },
    },
    async (request) => getCalendar(ctxOf(store.db, request), request.params.id),
  );
  app.put(
    '/calendars/:id',
    {
      schema: {
        tags,
        summary: 'Replace the weekly hours of a calendar (admin)',
        params: calendarId,
        body: z.strictObject({
          name: z.string().min(1).max(60),
          utcOffsetMinutes: z.number().int(),
          weeklyHours: z.strictObject({
            0: periods,
            1: periods,
            2: periods,
            3: periods,
            4: periods,
            5: periods,
            6: periods,
          }),
          makeupHours: periods.nullable().default(null),
        }),
      },
    },
    async (request) => updateCalendarHours(ctxOf(store.db, request), request.params.id, request.body),
  );
  app.put(
    '/calendars/:id/years/:year',
    {
      schema: {
        tags,
        summary: "Replace one year's holidays and make-up workdays (published yearly)",
        params: z.strictObject({
          id: calendarId.shape.id,
          year: z
            .string()
            .regex(/^20[0-9]{2}$/)
            .transform(Number),
        }),
        body: z.strictObject({
          holidays: z.array(day).max(366),
          makeupWorkdays: z.array(day).max(366),
        }),
      },
    },
    async (request) =>
      replaceCalendarYear(ctxOf(store.db, request), request.params.id, request.params.year, request.body),
  );

  app.get(
    '/calendars/coverage/holidays',
    {
      schema: {
        tags,
        summary:
          'Calendars that keep public holidays and the current or next year they have no data for (admin)',
      },
    },
    async (request) => holidayCoverage(ctxOf(store.db, request)),
  );
  app.get(
    '/calendars/templates/holidays',
    {
      schema: {
        tags,
        summary: "Template of the State Council notice's table (docs/holiday-import.md)",
        querystring: z.strictObject({
          format: z.enum(['csv', 'xlsx']).default('xlsx'),
          year: yearParam.optional(),
        }),
      },
    },
    async (request, reply) => {
      requirePermission(ctxOf(store.db, request).actor, 'calendar.read');
      const year = request.query.year ?? new Date().getFullYear() + 1;
      const name = `holidays-${year}-template.${request.query.format}`;
      reply.header('content-disposition', `attachment; filename="${name}"`);
      if (request.query.format === 'csv') {
        return reply.header('content-type', `${CSV_TYPE}; charset=utf-8`).send(holidayTemplateCsv(year));
      }
      return reply.header('content-type', XLSX_TYPE).send(await holidayTemplateXlsx(year));
    },
  );
  app.get(
    '/clock-rules',
    {
      schema: {
        tags,
        summary: 'Clock rules in force (calendar per step, department clock start) and their history',
      },
    },
    async (request) => getClockRules(ctxOf(store.db, request)),
  );
  app.put(
    '/clock-rules',
    {
      schema: {
        tags,
        summary: 'Change the clock rules (admin); a new version, applied to steps that start afterwards',
        body: z
          .strictObject({
            departmentClockFrom: z.enum(DEPARTMENT_CLOCK_STARTS).optional(),
            stepCalendars: z.partialRecord(z.enum(CLOCK_STEPS), calendarId.shape.id).optional(),
            note: z.string().trim().min(1).max(200).optional(),
          })
          .refine(
            (b) => b.departmentClockFrom !== undefined || b.stepCalendars !== undefined,
            'departmentClockFrom or stepCalendars is required',
          ),
      },
    },
    async (request) => updateClockRules(ctxOf(store.db, request), request.body),
  );

  // Holiday tables arrive as the raw body: parsers scoped to this route.
  await app.register(async (upload) => {
    for (const type of [CSV_TYPE, XLSX_TYPE]) {
      upload.addContentTypeParser(
        type,
        { parseAs: 'buffer', bodyLimit: HOLIDAY_FILE_LIMIT },
        (_r, body, done) => done(null, body),
      );
    }
    (upload as ApiApp).post(
      '/calendars/:id/years/:year/import',
      {
        bodyLimit: HOLIDAY_FILE_LIMIT,
        schema: {
          tags,
          summary:
            "Import one year's holidays and make-up workdays from the State Council notice as a table (text/csv or .xlsx raw body, ≤ 1 MB); all rows are checked, nothing is written unless all are valid",
          params: z.strictObject({ id: calendarId.shape.id, year: yearParam }),
          querystring: z.strictObject({
            dryRun: z
              .enum(['true', 'false'])
              .default('false')
              .transform((v) => v === 'true'),
          }),
          consumes: [CSV_TYPE, XLSX_TYPE],
          body: fileUpload,
        },
      },
      async (request) =>
        importHolidayYear(
          ctxOf(store.db, request),
          request.params.id,
          request.params.year,
          holidayFile(request),
          request.query.dryRun,
        ),
    );
  });
}
