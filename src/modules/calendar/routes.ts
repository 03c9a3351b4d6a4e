import { z } from 'zod';
import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { getCalendar, listCalendars, replaceCalendarYear, updateCalendarHours } from './service.js';

// Shape only; validateCalendar (domain) judges ranges and overlaps with zh/en messages.
const periods = z.array(z.tuple([z.number(), z.number()])).max(12);
const day = z.strictObject({ date: z.string().max(10), note: z.string().min(1).max(60).optional() });
const calendarId = z.strictObject({ id: z.string().regex(/^[a-z][a-z0-9_-]{1,39}$/) });

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
}
