/**
 * Outsourced information collection (信息采集外包) indicators: a team (collection_team) and its
 * company (collection_company) are scored on the supervisor indicators of their members plus
 * 巡查时间覆盖率 (patrol time coverage).
 *
 * Membership is as of now (`collectionTeams`, one team per supervisor): a supervisor who moved
 * counts for his current team only, with all his work of the period, and never twice. The case
 * sets of a team or company are the union of its members' sets (supervisor.ts), so a case two
 * members worked on counts once.
 *
 * 巡查时间覆盖率 is not case based. Each (member, working day of the period) pair is scheduled;
 * it is covered when the member's duty shifts (在岗) that local day add up to at least the
 * company's contract hours. Rate = covered / scheduled, both counts of supervisor-days; the
 * figure's id lists hold `supervisorId@YYYY-MM-DD` keys instead of case ids. The case engine
 * leaves the figure empty; `patrolCoverage` computes it from duty minutes and the store merges
 * it in once.
 */

import {
  DAY_MS,
  formatLocalDate,
  MINUTE_MS,
  parseLocalDate,
  periodsOfDay,
  prepareCalendar,
  type WorkingCalendar,
} from '../timelimit/calendar.js';
import { type CaseView, gridSupervisors } from './facts.js';
import { SUPERVISOR_INDICATORS, tallySupervisorCase } from './supervisor.js';
import { byId, type IndicatorDef, rateFigure, Tally } from './tally.js';
import type { CollectionMembership, EvaluationQuery, Figure, SubjectResult } from './types.js';

export const COLLECTION_TYPES = ['collection_team', 'collection_company'] as const;
export type CollectionType = (typeof COLLECTION_TYPES)[number];

export const PATROL_COVERAGE = 'patrolCoverageRate';
/**
 * 确认造假数: the team's (company's) reports the centre confirmed as fraud after an anti-fraud
 * flag (src/domain/antifraud), by the report's time. Not from the case log: the store merges it.
 */
export const CONFIRMED_FRAUD = 'confirmedFraudCount';

export const COLLECTION_INDICATORS: readonly IndicatorDef[] = [
  ...SUPERVISOR_INDICATORS,
  {
    key: PATROL_COVERAGE,
    kind: 'rate',
    num: 'patrol:covered',
    den: 'patrol:scheduled',
    higherIsBetter: true,
    label: { zh: '巡查时间覆盖率', en: 'Patrol time coverage' },
  },
  {
    key: CONFIRMED_FRAUD,
    kind: 'count',
    set: 'fraud:confirmed',
    higherIsBetter: false,
    label: { zh: '确认造假数', en: 'Confirmed fraudulent reports' },
  },
];

const levelOf = (type: CollectionType): keyof CollectionMembership =>
  type === 'collection_team' ? 'team' : 'company';

/** Case-based indicators of every team (or company) with a member; 巡查时间覆盖率 left empty. */
export function collectionResults(
  views: readonly CaseView[],
  q: EvaluationQuery,
  type: CollectionType,
): SubjectResult[] {
  const members = q.collectionTeams ?? {};
  const level = levelOf(type);
  const t = new Tally();
  for (const m of Object.values(members)) t.touch(m[level]);
  const subjectOf = (s: string) => members[s]?.[level] ?? null;
  const bySupervisor = gridSupervisors(q);
  for (const v of views) tallySupervisorCase(t, v, q, bySupervisor, subjectOf);
  t.finish('verify', 'check');
  return t.results(type, COLLECTION_INDICATORS);
}

// ---------------------------------------------------------------------------------------------
// Patrol time coverage.

export interface DutyShift {
  readonly supervisorId: string;
  readonly startedAt: Date;
  /** null while the shift is open (still on duty). */
  readonly endedAt: Date | null;
}

/**
 * Whole minutes on duty per supervisor and local day, counting only time inside [from, to) and
 * before `now`: an open shift runs until `now`, a shift past midnight is split between its
 * days, and overlapping shifts of one supervisor count once.
 */
export function dutyMinutesByDay(
  shifts: readonly DutyShift[],
  o: { readonly from: Date; readonly to: Date; readonly now: Date; readonly utcOffsetMinutes: number },
): Record<string, Record<string, number>> {
  const start = o.from.getTime();
  const end = Math.min(o.to.getTime(), o.now.getTime());
  const offset = o.utcOffsetMinutes * MINUTE_MS;
  const bySupervisor = new Map<string, [number, number][]>();
  for (const s of shifts) {
    const a = Math.max(s.startedAt.getTime(), start);
    const b = Math.min(s.endedAt?.getTime() ?? end, end);
    if (a >= b) continue;
    const list = bySupervisor.get(s.supervisorId) ?? [];
    list.push([a, b]);
    bySupervisor.set(s.supervisorId, list);
  }
  const out: Record<string, Record<string, number>> = {};
  for (const [supervisor, intervals] of bySupervisor) {
    const ms = new Map<number, number>();
    for (const [a, b] of mergeIntervals(intervals)) {
      // Split at local midnights.
      for (let t = a; t < b; ) {
        const day = Math.floor((t + offset) / DAY_MS);
        const next = Math.min(b, (day + 1) * DAY_MS - offset);
        ms.set(day, (ms.get(day) ?? 0) + next - t);
        t = next;
      }
    }
    const days: Record<string, number> = {};
    for (const [day, total] of [...ms].sort((x, y) => x[0] - y[0]))
      days[formatLocalDate(day)] = Math.floor(total / MINUTE_MS);
    out[supervisor] = days;
  }
  return out;
}

function mergeIntervals(list: [number, number][]): [number, number][] {
  const sorted = [...list].sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

/**
 * The working days ('YYYY-MM-DD') of the calendar inside [from, to) that are over by `now`: a
 * day still running (or to come) is not judged yet, as a supervisor may still reach his hours.
 * With the office calendar: weekdays, minus holidays, plus make-up workdays (调休).
 */
export function workingDaysOf(cal: WorkingCalendar, from: Date, to: Date, now: Date): string[] {
  const p = prepareCalendar(cal);
  const until = Math.min(to.getTime(), now.getTime());
  const out: string[] = [];
  for (let day = Math.ceil((from.getTime() + p.offsetMs) / DAY_MS); ; day++) {
    const dayStart = day * DAY_MS - p.offsetMs;
    if (dayStart + DAY_MS > until) break;
    if (periodsOfDay(p, day).length > 0) out.push(formatLocalDate(day));
  }
  return out;
}

export interface PatrolCoverageInput {
  /** Supervisor id → local day → whole minutes on duty (`dutyMinutesByDay`). */
  readonly dutyMinutes: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly workingDays: readonly string[];
  readonly collectionTeams: Readonly<Record<string, CollectionMembership>>;
  /** Company code → contract hours per supervisor and working day. */
  readonly contractDailyHours: Readonly<Record<string, number>>;
}

/** One scheduled supervisor-day. */
export interface DutyDay {
  readonly supervisorId: string;
  readonly day: string;
  readonly dutyMinutes: number;
  readonly covered: boolean;
}

export interface PatrolCoverage {
  /** Every scheduled supervisor-day, by supervisor then day. */
  readonly dutyDays: readonly DutyDay[];
  /** 巡查时间覆盖率 per subject, for every team and company with a scheduled member. */
  readonly figures: Readonly<Record<CollectionType, ReadonlyMap<string, Figure>>>;
}

export const dutyDayKey = (d: { supervisorId: string; day: string }): string => `${d.supervisorId}@${d.day}`;

export function patrolCoverage(input: PatrolCoverageInput): PatrolCoverage {
  const dutyDays: DutyDay[] = [];
  const sets = {
    collection_team: new Map<string, { covered: Set<string>; scheduled: Set<string> }>(),
    collection_company: new Map<string, { covered: Set<string>; scheduled: Set<string> }>(),
  };
  const days = [...new Set(input.workingDays)].filter((d) => parseLocalDate(d) !== null).sort();
  const supervisors = Object.keys(input.collectionTeams).sort();
  for (const supervisorId of supervisors) {
    const m = input.collectionTeams[supervisorId] as CollectionMembership;
    const hours = input.contractDailyHours[m.company];
    // A company without contract hours schedules nothing (the database requires them).
    if (hours === undefined || !(hours > 0)) continue;
    for (const day of days) {
      const dutyMinutes = input.dutyMinutes[supervisorId]?.[day] ?? 0;
      const d: DutyDay = { supervisorId, day, dutyMinutes, covered: dutyMinutes >= hours * 60 };
      dutyDays.push(d);
      for (const type of COLLECTION_TYPES) {
        const subject = m[levelOf(type)];
        const s = sets[type].get(subject) ?? { covered: new Set<string>(), scheduled: new Set<string>() };
        s.scheduled.add(dutyDayKey(d));
        if (d.covered) s.covered.add(dutyDayKey(d));
        sets[type].set(subject, s);
      }
    }
  }
  const figuresOf = (type: CollectionType) =>
    new Map([...sets[type]].map(([subject, s]) => [subject, rateFigure(s.covered, s.scheduled)]));
  return {
    dutyDays,
    figures: {
      collection_team: figuresOf('collection_team'),
      collection_company: figuresOf('collection_company'),
    },
  };
}

/**
 * The case-based results of a collection type with 巡查时间覆盖率 filled in from `coverage`
 * (subjects with scheduled days but no case work are added with empty case figures): what the
 * store computes, for tests and callers holding the whole case log.
 */
export function withPatrolCoverage(
  results: readonly SubjectResult[],
  type: CollectionType,
  coverage: PatrolCoverage,
): SubjectResult[] {
  const figures = coverage.figures[type];
  const out = new Map(results.map((r) => [r.subjectId, r]));
  for (const subject of figures.keys()) {
    if (out.has(subject)) continue;
    const blank = new Tally();
    blank.touch(subject);
    out.set(subject, blank.results(type, COLLECTION_INDICATORS)[0] as SubjectResult);
  }
  return [...out.values()]
    .sort((a, b) => byId(a.subjectId, b.subjectId))
    .map((r) => {
      const f = figures.get(r.subjectId);
      return f ? { ...r, indicators: { ...r.indicators, [PATROL_COVERAGE]: f } } : r;
    });
}
