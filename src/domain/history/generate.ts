/**
 * `generateHistory`: a deterministic, streaming year (or any span) of case histories for the demo
 * city. Days are generated one at a time from their own seeded stream, so memory stays flat
 * however many cases are asked for and the same seed always gives the same cases.
 */
import type { Urgency } from '../catalog/defaults.js';
import { mulberry32, type Random } from '../demo-city/prng.js';
import type { DemoCity } from '../demo-city/types.js';
import {
  DAY_MS,
  parseLocalDate,
  prepareCalendar,
  standardOfficeCalendar,
  supervisionCalendar,
  weekdayOf,
} from '../timelimit/calendar.js';
import type { TimeLimit } from '../timelimit/clock.js';
import { HOLIDAYS_2026, MAKEUP_WORKDAYS_2026 } from '../timelimit/fixtures.js';
import { workingDayMinutes } from '../timelimit/working-time.js';
import type { ClockStep } from '../workflow/states.js';
import { CaseBuilder } from './builder.js';
import type { Calendars } from './clock.js';
import {
  buildContext,
  type ClassInfo,
  type Context,
  cumulativeOf,
  type GridInfo,
  sample,
} from './context.js';
import { isoOf } from './iso.js';
import {
  DAY_FACTORS,
  REPORT_HOURS,
  SOURCE_WEIGHTS,
  seasonFactor,
  sourceAccepts,
  volumeSeason,
} from './profiles.js';
import { runCase } from './scenario.js';
import type { HistoryCase, HistoryCaseRecord, HistoryEvent, HistorySource } from './types.js';

export interface HistoryOptions {
  readonly city: DemoCity;
  /** First day (its local +08:00 date; the time of day is ignored). */
  readonly from: Date;
  readonly days: number;
  readonly seed: number;
  /** Mean reports per day over the span (default 2,800 ≈ 1 M a year). */
  readonly casesPerDay?: number;
  /** Events after this instant are not history yet (default: the end of the last day). */
  readonly until?: Date;
  /** Public holidays and make-up workdays, 'YYYY-MM-DD' (default: the 2026 arrangement). */
  readonly holidays?: readonly string[];
  readonly makeupWorkdays?: readonly string[];
  /**
   * Only these days of the span (0 = the first) are generated; the others are skipped without
   * changing the volume profile or the cases of the days kept (each day has its own stream).
   */
  readonly onlyDays?: ReadonlySet<number>;
}

const OFFSET_MS = 8 * 3_600_000;
const DUPLICATE_SHARE = 0.025;
const SOURCES = SOURCE_WEIGHTS.map(([s]) => s);
const SOURCE_CUMULATIVE = cumulativeOf(SOURCE_WEIGHTS.map(([, w]) => w));
const HOUR_CUMULATIVE = Object.fromEntries(
  Object.entries(REPORT_HOURS).map(([s, hours]) => [s, cumulativeOf(hours)]),
) as Record<HistorySource, Float64Array>;

function dayNumbers(dates: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const d of dates) {
    const parsed = parseLocalDate(d);
    if (!parsed) throw new RangeError(`not a YYYY-MM-DD date: ${d}`);
    out.add(parsed.dayNumber);
  }
  return out;
}

function checkOptions(o: HistoryOptions): void {
  if (!Number.isSafeInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
  if (!Number.isInteger(o.days) || o.days < 1)
    throw new RangeError(`days must be a positive integer, got ${o.days}`);
  if (!Number.isFinite(o.from.getTime())) throw new RangeError('from is an invalid Date');
  const perDay = o.casesPerDay ?? 1;
  if (!Number.isFinite(perDay) || perDay <= 0) throw new RangeError(`casesPerDay must be > 0, got ${perDay}`);
}

/** One report of the day, planned before any case is built so keys follow report order. */
interface Plan {
  reportedAt: number;
  source: HistorySource;
  info: ClassInfo;
  grid: GridInfo;
  key: string;
  /** For a duplicate: the first report of the same problem. */
  original?: Plan;
  /** Filled when the original is built: until when it stays open (Infinity: never closes). */
  openUntil?: number;
}

export function* generateHistory(options: HistoryOptions): Generator<HistoryCase, void, undefined> {
  checkOptions(options);
  const ctx = buildContext(options.city);
  const holidays = dayNumbers(options.holidays ?? HOLIDAYS_2026);
  const makeups = dayNumbers(options.makeupWorkdays ?? MAKEUP_WORKDAYS_2026);
  const officeCal = standardOfficeCalendar(
    [...(options.holidays ?? HOLIDAYS_2026)],
    [...(options.makeupWorkdays ?? MAKEUP_WORKDAYS_2026)],
  );
  const supervisionCal = supervisionCalendar();
  const cals: Calendars = {
    office: prepareCalendar(officeCal),
    supervision: prepareCalendar(supervisionCal),
    officeDay: workingDayMinutes(officeCal),
    supervisionDay: workingDayMinutes(supervisionCal),
  };
  const firstDay = Math.floor((options.from.getTime() + OFFSET_MS) / DAY_MS);
  const until = options.until?.getTime() ?? (firstDay + options.days) * DAY_MS - OFFSET_MS - 1;

  const factorOf = (day: number): number => {
    const weekday = weekdayOf(day);
    const doy = day - Math.floor(Date.UTC(new Date(day * DAY_MS).getUTCFullYear(), 0, 1) / DAY_MS);
    let f: number = DAY_FACTORS.workday;
    if (holidays.has(day)) f = DAY_FACTORS.holiday;
    else if (!makeups.has(day) && weekday === 6) f = DAY_FACTORS.saturday;
    else if (!makeups.has(day) && weekday === 0) f = DAY_FACTORS.sunday;
    return f * volumeSeason(doy);
  };
  let mean = 0;
  for (let d = 0; d < options.days; d++) mean += factorOf(firstDay + d) / options.days;
  const perDay = (options.casesPerDay ?? 2800) / mean;

  for (let d = 0; d < options.days; d++) {
    if (options.onlyDays && !options.onlyDays.has(d)) continue;
    const day = firstDay + d;
    const random = mulberry32((Math.imul(options.seed, 0x9e3779b1) ^ Math.imul(day, 0x85ebca6b)) >>> 0);
    const count = Math.max(0, Math.round(perDay * factorOf(day) * (0.93 + 0.14 * random())));
    yield* generateDay(ctx, cals, day, count, until, random);
  }
}

function classTables(ctx: Context, day: number): Record<HistorySource, Float64Array> {
  const doy = day - Math.floor(Date.UTC(new Date(day * DAY_MS).getUTCFullYear(), 0, 1) / DAY_MS);
  const out = {} as Record<HistorySource, Float64Array>;
  for (const source of SOURCES) {
    const table = new Float64Array(ctx.classes.length);
    let t = 0;
    ctx.classes.forEach((c, i) => {
      if (sourceAccepts(source, c.cls)) t += c.weight * seasonFactor(c.cls, doy);
      table[i] = t;
    });
    out[source] = table;
  }
  return out;
}

function* generateDay(
  ctx: Context,
  cals: Calendars,
  day: number,
  count: number,
  until: number,
  random: Random,
): Generator<HistoryCase, void, undefined> {
  const midnight = day * DAY_MS - OFFSET_MS;
  const tables = classTables(ctx, day);
  const plans: Plan[] = [];
  for (let i = 0; i < count; i++) {
    const source = SOURCES[sample(SOURCE_CUMULATIVE, random())] as HistorySource;
    const hour = sample(HOUR_CUMULATIVE[source], random());
    const reportedAt = midnight + hour * 3_600_000 + Math.floor(random() * 3600) * 1000;
    const info = ctx.classes[sample(tables[source], random())] as ClassInfo;
    const grid = ctx.grids[sample(ctx.gridCumulative, random())] as GridInfo;
    const plan: Plan = { reportedAt, source, info, grid, key: '' };
    plans.push(plan);
    if (random() < DUPLICATE_SHARE) {
      // A second report of the same problem by the public, merged into the first at intake.
      plans.push({
        reportedAt: reportedAt + (5 + Math.floor(random() * 85)) * 60_000,
        source: random() < 0.6 ? 'hotline_12345' : 'public',
        info,
        grid,
        key: '',
        original: plan,
      });
    }
  }
  // Reports after `until` (a late duplicate, or an early `until`) have not happened yet.
  const reported = plans.filter((p) => p.reportedAt <= until);
  reported.sort((a, b) => a.reportedAt - b.reportedAt);
  const date = isoOf(day * DAY_MS)
    .slice(0, 10)
    .replaceAll('-', '');
  const seqs = new Map<string, number>();
  for (const plan of reported) {
    const series = `${plan.grid.districtCode}-${date}-${plan.info.cls.kind === 'component' ? 'C' : 'E'}`;
    const n = (seqs.get(series) ?? 0) + 1;
    seqs.set(series, n);
    plan.key = `${series}-${String(n).padStart(4, '0')}`;
  }
  // Built and yielded one at a time: nothing of a case is kept once the caller moves on.
  for (const plan of reported) {
    const built = buildCase(ctx, cals, plan, until, random);
    if (built.events.length > 0) {
      const last = built.events[built.events.length - 1] as HistoryEvent;
      plan.openUntil = TERMINAL.has(last.to) ? last.at.getTime() : Number.POSITIVE_INFINITY;
    }
    yield built;
  }
}

const TERMINAL: ReadonlySet<string> = new Set(['closed', 'rejected', 'voided', 'merged']);
/** The intake operator merges a duplicate within this many minutes of its report. */
const MERGE_WITHIN_MINUTES = 30;

function buildCase(ctx: Context, cals: Calendars, plan: Plan, until: number, random: Random): HistoryCase {
  const { source, reportedAt, info, grid } = plan;
  // The case's urgency selects its limits (a few ordinary cases are reported as 紧急).
  const urgency: Urgency = info.urgency === 'normal' && random() < 0.03 ? 'urgent' : info.urgency;
  const limits = info.limits[grid.area]?.[urgency] as ReadonlyMap<ClockStep, TimeLimit>;
  const verified = source === 'supervisor' || source === 'leader';
  const b = new CaseBuilder(cals, limits, grid.actors, verified, until, random, reportedAt);
  const unit = ctx.unitFor(info, grid, random);
  // Merge only into a case still open when the duplicate is merged; a later report of a
  // problem already closed is a case of its own.
  const original = plan.original;
  const mergeable =
    original !== undefined && (original.openUntil ?? 0) > reportedAt + (MERGE_WITHIN_MINUTES + 1) * 60_000;
  runCase(b, {
    source,
    reportedAt,
    departments: [unit, ...info.departments.filter((d) => d !== unit)],
    fallback: ctx.anyDepartment,
    profile: ctx.profileOf,
    ...(mergeable ? { mergeInto: { targetCaseKey: original.key, withinMinutes: MERGE_WITHIN_MINUTES } } : {}),
  });
  const reporter =
    source === 'supervisor'
      ? grid.actors.userAt('supervisor', reportedAt)
      : source === 'public'
        ? ctx.citizen
        : undefined;
  const record: HistoryCaseRecord = {
    caseKey: plan.key,
    reportedAt: new Date(reportedAt),
    source,
    kind: info.cls.kind,
    categoryCode: info.code,
    gridCode: grid.code,
    lng: Math.round((grid.minLng + random() * grid.spanLng) * 1e6) / 1e6,
    lat: Math.round((grid.minLat + random() * grid.spanLat) * 1e6) / 1e6,
    urgency,
    reporterUsername: reporter,
  };
  return { case: record, events: b.events };
}
