/**
 * Evaluation periods in local time (+08:00, the city's offset): a day, the ISO week (Monday
 * first), month, quarter or year containing `from`, or a custom span of whole days [from, to].
 */
import type { AreaClass, EvaluationFilters, TimeSlot } from '../../domain/evaluation/index.js';
import { AppError } from '../../platform/errors.js';
import type { PeriodKind } from './schema.js';

export const UTC_OFFSET_MINUTES = 480;
const OFFSET_MS = UTC_OFFSET_MINUTES * 60_000;
const DAY_MS = 86_400_000;

export interface Period {
  kind: PeriodKind;
  from: Date;
  to: Date;
  /** 'YYYY-MM-DD' of the first and the last day (inclusive), for people. */
  firstDay: string;
  lastDay: string;
}

const invalid = (details: Record<string, unknown>) => new AppError('EVALUATION_PERIOD_INVALID', { details });

function dayOf(text: string, field: string): number {
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== text)
    throw invalid({ [field]: text, reason: 'not a calendar date' });
  return ms / DAY_MS;
}

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

export function periodOf(kind: PeriodKind, fromText: string, toText?: string): Period {
  const d = dayOf(fromText, 'from');
  const date = new Date(d * DAY_MS);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  let first: number;
  let next: number;
  switch (kind) {
    case 'day':
      first = d;
      next = d + 1;
      break;
    case 'week': {
      first = d - ((date.getUTCDay() + 6) % 7);
      next = first + 7;
      break;
    }
    case 'month':
      first = Date.UTC(y, m, 1) / DAY_MS;
      next = Date.UTC(y, m + 1, 1) / DAY_MS;
      break;
    case 'quarter': {
      const q = Math.floor(m / 3) * 3;
      first = Date.UTC(y, q, 1) / DAY_MS;
      next = Date.UTC(y, q + 3, 1) / DAY_MS;
      break;
    }
    case 'year':
      first = Date.UTC(y, 0, 1) / DAY_MS;
      next = Date.UTC(y + 1, 0, 1) / DAY_MS;
      break;
    case 'custom': {
      if (!toText) throw invalid({ to: null, reason: 'a custom period needs to' });
      first = d;
      next = dayOf(toText, 'to') + 1;
      if (next <= first) throw invalid({ from: fromText, to: toText, reason: 'to is before from' });
      if (next - first > 366) throw invalid({ from: fromText, to: toText, reason: 'longer than a year' });
      break;
    }
  }
  if (kind !== 'custom' && toText !== undefined)
    throw invalid({ to: toText, reason: 'to is only for custom periods' });
  return {
    kind,
    from: new Date(first * DAY_MS - OFFSET_MS),
    to: new Date(next * DAY_MS - OFFSET_MS),
    firstDay: isoDay(first),
    lastDay: isoDay(next - 1),
  };
}

/** Query filters → engine filters (time slots 'HH-HH', local hours [from, to)). */
export function filtersOf(q: {
  categoryCode?: string[] | undefined;
  areaClass?: string[] | undefined;
  source?: string[] | undefined;
  timeSlot?: string[] | undefined;
}): EvaluationFilters {
  const slots: TimeSlot[] = (q.timeSlot ?? []).map((s) => {
    const [a, b] = s.split('-').map(Number) as [number, number];
    if (a === b % 24 || a > 23 || b > 24)
      throw new AppError('EVALUATION_FILTER_INVALID', {
        details: { timeSlot: s, reason: 'empty or past 24' },
      });
    return { fromHour: a, toHour: b % 24 };
  });
  return {
    ...(q.categoryCode?.length ? { categories: q.categoryCode } : {}),
    ...(q.areaClass?.length ? { areaClasses: q.areaClass as AreaClass[] } : {}),
    ...(q.source?.length ? { sources: q.source } : {}),
    ...(slots.length ? { timeSlots: slots } : {}),
  };
}
