/**
 * Outsourced collection (collection.ts): team and company figures hand-computed from small
 * logs, and 巡查时间覆盖率 hand-computed from shifts around a holiday, a make-up day, midnight
 * and an open shift.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcRuns } from '../../../test/helpers/fast-check-runs.js';
import { standardOfficeCalendar } from '../timelimit/calendar.js';
import {
  type DutyShift,
  dutyMinutesByDay,
  PATROL_COVERAGE,
  patrolCoverage,
  withPatrolCoverage,
  workingDaysOf,
} from './collection.js';
import { evaluate, evaluateAll } from './evaluate.js';
import { CASES, G1, G2, JANUARY, mk } from './fixtures.js';
import { GEN_START, logsArb, SUPERVISOR_GRIDS } from './gen.js';
import type { CollectionMembership, EvaluationCase, EvaluationQuery, Figure, SubjectType } from './types.js';

const member = (team: string, company: string): CollectionMembership => ({ team, company });

function fig(cases: EvaluationCase[], q: EvaluationQuery, type: SubjectType, subject: string, key: string) {
  const r = evaluate(cases, q, type).find((s) => s.subjectId === subject);
  if (!r) throw new Error(`no ${type} ${subject}`);
  return r.indicators[key] as Figure;
}

function rate(f: Figure, num: string[], den: string[]): void {
  expect(f.kind).toBe('rate');
  expect(f.caseIds.numerator).toEqual(num);
  expect(f.caseIds.denominator).toEqual(den);
  expect(f.value).toBe(den.length === 0 ? null : num.length / den.length);
}

function count(f: Figure, ids: string[]): void {
  expect(f.kind).toBe('count');
  expect(f.caseIds.numerator).toEqual(ids);
}

describe('team and company indicators over the January fixtures', () => {
  // s1 (G1) and s2 (G2) in team TA, s3 (G3) in team TB; both teams belong to company C1.
  const q: EvaluationQuery = {
    ...JANUARY,
    collectionTeams: { s1: member('TA', 'C1'), s2: member('TA', 'C1'), s3: member('TB', 'C1') },
  };
  const ta = (key: string) => fig(CASES, q, 'collection_team', 'TA', key);
  const c1 = (key: string) => fig(CASES, q, 'collection_company', 'C1', key);

  it('a team holds the union of its members’ cases (s1: 1 8 10, s2: 3 4)', () => {
    count(ta('reportCount'), ['1', '3', '4', '8', '10']);
    count(ta('validReportCount'), ['1', '3', '4', '8']);
    rate(ta('validReportRate'), ['1', '3', '4', '8'], ['1', '3', '4', '8']); // C10 decided in February
    rate(ta('missedReportRate'), ['2', '5'], ['1', '2', '3', '4', '5', '8']);
    rate(ta('onTimeVerifyRate'), ['5', '9'], ['2', '5', '9']); // s1 verified C2 late
    rate(ta('onTimeCheckRate'), ['1', '2', '4'], ['1', '2', '4']);
  });
  it('a company holds the union of its teams (TB adds s3: C6 reported, C11 missed and verified)', () => {
    count(c1('reportCount'), ['1', '3', '4', '6', '8', '10']);
    rate(c1('validReportRate'), ['1', '3', '4', '6', '8'], ['1', '3', '4', '6', '8']);
    rate(c1('missedReportRate'), ['2', '5', '11'], ['1', '2', '3', '4', '5', '6', '8', '11']);
    rate(c1('onTimeVerifyRate'), ['5', '9', '11'], ['2', '5', '9', '11']);
  });
  it('the case engine leaves 巡查时间覆盖率 empty; teams without members do not appear', () => {
    rate(ta(PATROL_COVERAGE), [], []);
    expect(evaluate(CASES, q, 'collection_team').map((r) => r.subjectId)).toEqual(['TA', 'TB']);
    expect(evaluate(CASES, JANUARY, 'collection_company')).toEqual([]);
  });
});

describe('two supervisors of one team in one grid', () => {
  // s1 and s4 both patrol G1 (team TA), s2 patrols G2 (team TB); company C1 has both teams.
  // biome-ignore format: one event per line reads like the case history it is
  const LOG = [
    mk('1', G1, 'supervisor', '0101', [
      '01-06T09:00 report s1 new>reported run:intake@01-06T10:00',
      '01-06T09:20 intake i1 reported>pending_filing ok:intake run:file@01-06T11:00',
      '01-06T09:40 file L1 pending_filing>filed ok:file run:dispatch@01-06T11:00',
    ]),
    mk('2', G1, 'public', '0102', [
      '01-07T08:00 report c1 new>reported run:intake@01-07T09:00',
      '01-07T08:10 request_verification i1 reported>verifying ok:intake run:verify@01-07T10:00',
      '01-07T09:00 verify s4 verifying>pending_filing ok:verify run:file@01-07T11:00',
      '01-07T09:30 file L1 pending_filing>filed ok:file run:dispatch@01-07T11:00',
      '01-07T10:00 dispatch D1 filed>dispatched ok:dispatch run:sign@01-07T12:00 dept:SZ',
      '01-07T10:30 sign dept:SZ dispatched>handling ok:sign run:handle@01-08T10:30',
      '01-07T15:00 feedback dept:SZ handling>handled ok:handle run:request_check@01-07T17:00',
      '01-07T15:10 request_check i1 handled>checking ok:request_check run:check@01-07T17:00',
      '01-07T18:00 check_fail s1 checking>handling late:check run:handle@01-08T18:00',
      '01-08T09:00 feedback dept:SZ handling>handled ok:handle run:request_check@01-08T11:00',
      '01-08T09:10 request_check i1 handled>checking ok:request_check run:check@01-08T13:00',
      '01-08T10:00 check_pass s4 checking>pending_close ok:check run:close@01-08T15:00',
      '01-08T11:00 close L1 pending_close>closed ok:close',
    ]),
    mk('3', G2, 'supervisor', '0501', [
      '01-09T09:00 report s2 new>reported run:intake@01-09T10:00',
      '01-09T09:20 intake i1 reported>pending_filing ok:intake run:file@01-09T11:00',
      '01-09T09:40 file L1 pending_filing>filed ok:file run:dispatch@01-09T11:00',
    ]),
  ];
  const base: EvaluationQuery = { ...JANUARY, supervisorGrids: { s1: [G1], s4: [G1], s2: [G2] } };
  const teams = { s1: member('TA', 'C1'), s4: member('TA', 'C1'), s2: member('TB', 'C1') };
  const q: EvaluationQuery = { ...base, collectionTeams: teams };

  it('as supervisors: C2 (public, verified) is missed by both; C1, reported by s1, is no miss of s4', () => {
    rate(fig(LOG, q, 'supervisor', 's4', 'missedReportRate'), ['2'], ['2']);
    rate(fig(LOG, q, 'supervisor', 's1', 'missedReportRate'), ['2'], ['1', '2']);
    rate(fig(LOG, q, 'supervisor', 's1', 'onTimeCheckRate'), [], ['2']);
    rate(fig(LOG, q, 'supervisor', 's4', 'onTimeCheckRate'), ['2'], ['2']);
  });
  it('as a team: each case once; C1 not missed (a member reported it); C2 checked late by one member is late', () => {
    const ta = (key: string) => fig(LOG, q, 'collection_team', 'TA', key);
    count(ta('reportCount'), ['1']);
    rate(ta('missedReportRate'), ['2'], ['1', '2']);
    rate(ta('onTimeVerifyRate'), ['2'], ['2']);
    rate(ta('onTimeCheckRate'), [], ['2']);
    const c1 = (key: string) => fig(LOG, q, 'collection_company', 'C1', key);
    count(c1('reportCount'), ['1', '3']);
    rate(c1('missedReportRate'), ['2'], ['1', '2', '3']);
  });
  it('a supervisor who moved counts for his new team only, and once for the company', () => {
    const moved: EvaluationQuery = { ...base, collectionTeams: { ...teams, s1: member('TB', 'C1') } };
    const team = (id: string, key: string) => fig(LOG, moved, 'collection_team', id, key);
    count(team('TA', 'reportCount'), []);
    rate(team('TA', 'missedReportRate'), ['2'], ['2']); // s4 alone now
    rate(team('TA', 'onTimeCheckRate'), ['2'], ['2']);
    count(team('TB', 'reportCount'), ['1', '3']);
    rate(team('TB', 'missedReportRate'), ['2'], ['1', '2', '3']);
    rate(team('TB', 'onTimeCheckRate'), [], ['2']);
    const before = evaluate(LOG, q, 'collection_company');
    expect(evaluate(LOG, moved, 'collection_company')).toEqual(before);
    count(fig(LOG, moved, 'collection_company', 'C1', 'reportCount'), ['1', '3']);
  });
});

describe('team and company properties over random logs', () => {
  const DAY = 86_400_000;
  it('a one-member team has its supervisor’s case figures; a company’s reports are its teams’ union', () => {
    fc.assert(
      fc.property(
        logsArb(),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        (cases, s, d) => {
          const q: EvaluationQuery = {
            from: new Date(GEN_START + s * DAY),
            to: new Date(GEN_START + (s + d) * DAY),
            supervisorGrids: SUPERVISOR_GRIDS,
            collectionTeams: { supervisor0: member('T0', 'C'), supervisor1: member('T1', 'C') },
          };
          const all = evaluateAll(cases, q);
          for (const [sup, team] of [
            ['supervisor0', 'T0'],
            ['supervisor1', 'T1'],
          ] as const) {
            const mine = all.supervisor.find((r) => r.subjectId === sup)?.indicators ?? {};
            const theirs = all.collection_team.find((r) => r.subjectId === team)?.indicators ?? {};
            for (const [key, f] of Object.entries(mine)) expect(theirs[key], `${team} ${key}`).toEqual(f);
          }
          const union = new Set(
            all.collection_team.flatMap((r) => r.indicators.reportCount?.caseIds.numerator ?? []),
          );
          const company = all.collection_company[0]?.indicators.reportCount?.caseIds.numerator ?? [];
          expect(new Set(company)).toEqual(union);
        },
      ),
      { numRuns: fcRuns(60) },
    );
  });
});

// ---------------------------------------------------------------------------------------------

/** Local time (+08:00) in March 2026: 'DDTHH:mm'. */
const at = (s: string): Date => new Date(`2026-03-${s}:00+08:00`);
const shift = (supervisorId: string, from: string, to: string | null): DutyShift => ({
  supervisorId,
  startedAt: at(from),
  endedAt: to === null ? null : at(to),
});

describe('巡查时间覆盖率', () => {
  // Week of Mon 2 March 2026 with a holiday on Wed 4 and a make-up workday on Sat 7.
  const cal = standardOfficeCalendar(['2026-03-04'], ['2026-03-07']);
  const from = at('02T00:00');
  const to = at('10T00:00'); // through Mon 9
  const now = at('09T10:00'); // Monday 9 is still running

  const SHIFTS: DutyShift[] = [
    shift('s1', '02T08:00', '02T16:00'), // 8 h: covered
    shift('s1', '03T08:00', '03T12:00'), // 4 h + 3 h 59 min = 7 h 59 min: short by a minute
    shift('s1', '03T13:00', '03T16:59'),
    shift('s1', '04T08:00', '04T18:00'), // the holiday: not scheduled
    shift('s1', '05T20:00', '06T06:00'), // past midnight: 4 h on the 5th, 6 h on the 6th
    shift('s1', '06T09:00', '06T11:00'), // + 2 h = 8 h on the 6th: covered
    shift('s1', '07T08:00', '07T16:30'), // the make-up Saturday: 8.5 h, covered
    shift('s1', '09T06:00', null), // still on duty: 4 h until now, the day is not judged yet
    shift('s2', '02T08:00', '02T16:00'),
    shift('s2', '02T15:00', '02T17:00'), // overlaps: 9 h, not 10
    shift('s4', '02T08:00', '02T15:30'), // 7.5 h: the other company's contract exactly
    shift('s4', '03T08:00', '03T15:29'),
    shift('s4', '08T09:00', '08T18:00'), // Sunday: not scheduled
  ];

  it('working days: weekdays minus the holiday, plus the make-up day, only those already over', () => {
    expect(workingDaysOf(cal, from, to, now)).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
    ]);
    expect(workingDaysOf(cal, from, to, at('20T00:00'))).toContain('2026-03-09');
    expect(workingDaysOf(cal, from, to, at('02T23:59'))).toEqual([]);
  });

  it('duty minutes per local day: split at midnight, open shift until now, overlaps once', () => {
    const m = dutyMinutesByDay(SHIFTS, { from, to, now, utcOffsetMinutes: 480 });
    expect(m.s1).toEqual({
      '2026-03-02': 480,
      '2026-03-03': 479,
      '2026-03-04': 600,
      '2026-03-05': 240,
      '2026-03-06': 480,
      '2026-03-07': 510,
      '2026-03-09': 240,
    });
    expect(m.s2).toEqual({ '2026-03-02': 540 });
    expect(m.s4).toEqual({ '2026-03-02': 450, '2026-03-03': 449, '2026-03-08': 540 });
    // The period's bounds clip too: from Thursday 5 the night shift counts from midnight.
    expect(dutyMinutesByDay(SHIFTS, { from: at('06T00:00'), to, now, utcOffsetMinutes: 480 }).s1).toEqual({
      '2026-03-06': 480,
      '2026-03-07': 510,
      '2026-03-09': 240,
    });
  });

  it('covered / scheduled supervisor-days per team and company', () => {
    // s1, s2 in TA and s3 (never on duty) in TB, both of C1 (8 h); s4 in TC of C2 (7.5 h).
    const collectionTeams = {
      s1: member('TA', 'C1'),
      s2: member('TA', 'C1'),
      s3: member('TB', 'C1'),
      s4: member('TC', 'C2'),
    };
    const cov = patrolCoverage({
      dutyMinutes: dutyMinutesByDay(SHIFTS, { from, to, now, utcOffsetMinutes: 480 }),
      workingDays: workingDaysOf(cal, from, to, now),
      collectionTeams,
      contractDailyHours: { C1: 8, C2: 7.5 },
    });
    const team = (id: string) => cov.figures.collection_team.get(id) as Figure;
    rate(
      team('TA'),
      ['s1@2026-03-02', 's1@2026-03-06', 's1@2026-03-07', 's2@2026-03-02'],
      [
        ...['02', '03', '05', '06', '07'].map((d) => `s1@2026-03-${d}`),
        ...['02', '03', '05', '06', '07'].map((d) => `s2@2026-03-${d}`),
      ],
    );
    expect([team('TB').numerator, team('TB').denominator]).toEqual([0, 5]);
    expect([team('TC').numerator, team('TC').denominator]).toEqual([1, 5]);
    const company = (id: string) => cov.figures.collection_company.get(id) as Figure;
    expect([company('C1').numerator, company('C1').denominator]).toEqual([4, 15]);
    expect([company('C2').numerator, company('C2').denominator]).toEqual([1, 5]);
    expect(cov.dutyDays.filter((d) => d.supervisorId === 's1')).toEqual([
      { supervisorId: 's1', day: '2026-03-02', dutyMinutes: 480, covered: true },
      { supervisorId: 's1', day: '2026-03-03', dutyMinutes: 479, covered: false },
      { supervisorId: 's1', day: '2026-03-05', dutyMinutes: 240, covered: false },
      { supervisorId: 's1', day: '2026-03-06', dutyMinutes: 480, covered: true },
      { supervisorId: 's1', day: '2026-03-07', dutyMinutes: 510, covered: true },
    ]);
    expect(cov.dutyDays).toHaveLength(20);

    // Merged into the case results: TA's case figures stay, TC (no case work) is added.
    const q: EvaluationQuery = { ...JANUARY, collectionTeams };
    const merged = withPatrolCoverage(evaluate(CASES, q, 'collection_team'), 'collection_team', cov);
    expect(merged.map((r) => r.subjectId)).toEqual(['TA', 'TB', 'TC']);
    expect(merged[0]?.indicators[PATROL_COVERAGE]?.value).toBe(4 / 10);
    expect(merged[0]?.indicators.reportCount?.numerator).toBe(5);
    expect(merged[2]?.indicators.reportCount?.numerator).toBe(0);
  });

  it('covered never exceeds scheduled; companies add up their teams', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            s: fc.constantFrom('a', 'b', 'c'),
            start: fc.integer({ min: 0, max: 9 * 24 * 60 }),
            minutes: fc.integer({ min: 0, max: 20 * 60 }),
            open: fc.boolean(),
          }),
          { maxLength: 30 },
        ),
        (specs) => {
          const shifts = specs.map((x) => ({
            supervisorId: x.s,
            startedAt: new Date(from.getTime() + x.start * 60_000),
            endedAt: x.open ? null : new Date(from.getTime() + (x.start + x.minutes) * 60_000),
          }));
          const dutyMinutes = dutyMinutesByDay(shifts, { from, to, now, utcOffsetMinutes: 480 });
          for (const days of Object.values(dutyMinutes))
            for (const m of Object.values(days)) expect(m).toBeLessThanOrEqual(1440);
          const cov = patrolCoverage({
            dutyMinutes,
            workingDays: workingDaysOf(cal, from, to, now),
            collectionTeams: { a: member('T1', 'C'), b: member('T1', 'C'), c: member('T2', 'C') },
            contractDailyHours: { C: 6 },
          });
          const c = cov.figures.collection_company.get('C') as Figure;
          const teams = [...cov.figures.collection_team.values()];
          expect(c.denominator).toBe(15);
          expect(c.numerator).toBe(teams.reduce((n, f) => n + f.numerator, 0));
          expect(c.numerator).toBe(cov.dutyDays.filter((d) => d.covered).length);
        },
      ),
      { numRuns: fcRuns(100) },
    );
  });
});

describe('巡查时间覆盖率: the edges of its definition', () => {
  const cal = standardOfficeCalendar([], []);
  const from = at('02T00:00'); // Monday 2 March
  const to = at('07T00:00'); // through Friday 6
  const now = at('20T00:00');
  const opts = { from, to, now, utcOffsetMinutes: 480 };

  it('overlapping shifts count once in whatever order they come', () => {
    // 08–12, 10–14 and 13–17 overlap into one 08–17 stretch: 9 h, not 12 h.
    const late = [shift('s1', '02T13:00', '02T17:00'), shift('s1', '02T10:00', '02T14:00')];
    const early = shift('s1', '02T08:00', '02T12:00');
    expect(dutyMinutesByDay([...late, early], opts).s1).toEqual({ '2026-03-02': 540 });
    expect(dutyMinutesByDay([late[1]!, early, late[0]!], opts).s1).toEqual({ '2026-03-02': 540 });
  });

  it('a supervisor with no time inside [from, to) before now has no days', () => {
    const m = dutyMinutesByDay(
      [
        shift('s1', '02T08:00', '02T09:00'),
        shift('s2', '01T08:00', '02T00:00'), // ends as the period begins
        shift('s3', '07T00:00', '07T08:00'), // begins as it ends
        shift('s4', '19T00:00', null), // open, but begun after the period
      ],
      opts,
    );
    expect(m).toEqual({ s1: { '2026-03-02': 60 } });
  });

  it('working days are whole local days inside [from, to): a day begun before `from` is not one', () => {
    expect(workingDaysOf(cal, at('02T10:00'), to, now)).toEqual([
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
    ]);
    expect(workingDaysOf(cal, from, to, now)).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
    ]);
  });

  it('a company without contract hours (none given, or 0) schedules nothing', () => {
    const cov = patrolCoverage({
      dutyMinutes: { s1: { '2026-03-02': 600 }, s2: { '2026-03-02': 600 }, s3: { '2026-03-02': 600 } },
      workingDays: ['2026-03-02'],
      collectionTeams: { s1: member('T1', 'C1'), s2: member('T2', 'C2'), s3: member('T3', 'C3') },
      contractDailyHours: { C1: 8, C2: 0 },
    });
    expect(cov.dutyDays.map((d) => d.supervisorId)).toEqual(['s1']);
    expect([...cov.figures.collection_team.keys()]).toEqual(['T1']);
    expect([...cov.figures.collection_company.keys()]).toEqual(['C1']);
  });

  it('supervisor-days by supervisor then day, each day once; a day that is no date is not scheduled', () => {
    const cov = patrolCoverage({
      dutyMinutes: { s2: { '2026-03-03': 480 } },
      workingDays: ['2026-03-03', '2026-03-02', 'Monday', '2026-02-30', '2026-03-03'],
      collectionTeams: { s2: member('T1', 'C1'), s1: member('T1', 'C1') },
      contractDailyHours: { C1: 8 },
    });
    expect(cov.dutyDays.map((d) => `${d.supervisorId}@${d.day}:${d.covered}`)).toEqual([
      's1@2026-03-02:false',
      's1@2026-03-03:false',
      's2@2026-03-02:false',
      's2@2026-03-03:true',
    ]);
    const t1 = cov.figures.collection_team.get('T1') as Figure;
    expect([t1.numerator, t1.denominator]).toEqual([1, 4]);
  });

  it('a team with scheduled days but no case work is added with empty case figures, in id order', () => {
    const cov = patrolCoverage({
      dutyMinutes: { s9: { '2026-03-02': 480 } },
      workingDays: ['2026-03-02'],
      collectionTeams: { s9: member('T0', 'C9') },
      contractDailyHours: { C9: 8 },
    });
    const q: EvaluationQuery = {
      ...JANUARY,
      collectionTeams: { s1: member('TA', 'CA'), s2: member('TB', 'CA') },
    };
    const merged = withPatrolCoverage(evaluate(CASES, q, 'collection_team'), 'collection_team', cov);
    expect(merged.map((r) => r.subjectId)).toEqual(['T0', 'TA', 'TB']);
    expect(merged[0]?.subjectType).toBe('collection_team');
    expect(merged[0]?.indicators.reportCount?.value).toBe(0);
    expect(merged[0]?.indicators[PATROL_COVERAGE]?.value).toBe(1);
    expect(merged[1]?.indicators.reportCount?.value).toBe(3); // s1: C1, C8, C10
    expect(merged[1]?.indicators[PATROL_COVERAGE]?.value).toBeNull();
  });
});
