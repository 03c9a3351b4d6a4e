/**
 * The store-backed evaluation equals the pure engine on the same history: the service reads the
 * case log in chunks (here tiny ones, so chunk merging is exercised) with SQL pre-filtering; the
 * engine gets the generated cases straight from memory. Drill-down lists match their cells.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import {
  type EvaluationFilters,
  evaluateAll,
  indicatorsOf,
  patrolCoverage,
  SUBJECT_TYPES,
  withPatrolCoverage,
  workingDaysOf,
} from '../../domain/evaluation/index.js';
import { standardOfficeCalendar } from '../../domain/timelimit/index.js';
import type { ApiApp } from '../../platform/http/types.js';
import { seedHistory } from '../../seed/history.js';
import { compute, type DrillTarget, drillKey } from './compute.js';
import { periodOf } from './period.js';
import { loadReference } from './repo.js';
import { subjectsInScope } from './subjects.js';
import { engineCases, HISTORY, regenerate } from './testkit.js';

/** The office calendar of migration 0009 for January 2026 (元旦 1–3, make-up Sunday 4). */
const OFFICE_2026 = standardOfficeCalendar(['2026-01-01', '2026-01-02', '2026-01-03'], ['2026-01-04']);

describe.each(testStores())('evaluation over the store (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let auth: { authorization: string };
  let memory: Awaited<ReturnType<typeof engineCases>>;

  beforeAll(async () => {
    ts = await openTestStore(kind);
    await seedHistory(ts.store, HISTORY);
    app = await testApp(ts.store);
    auth = await bearer(app, 'leader');
    memory = await engineCases(ts.store, regenerate(HISTORY));
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  const compare = async (from: Date, to: Date, filters: EvaluationFilters) => {
    const ref = await loadReference(ts.store.db);
    const { tallies } = await compute(ts.store.db, {
      from,
      to,
      filters,
      gridPrefix: '',
      types: SUBJECT_TYPES,
      ref,
      chunk: 397,
    });
    const all = evaluateAll(memory, {
      from,
      to,
      filters,
      utcOffsetMinutes: 480,
      supervisorGrids: ref.supervisorGrids,
      departmentParents: ref.departmentParents,
      collectionTeams: ref.collectionTeams,
      subjects: subjectsInScope(ref, '', SUBJECT_TYPES),
    });
    // Nobody went on duty in this store: every scheduled supervisor-day is uncovered
    // (collection.test.ts writes shifts).
    const coverage = patrolCoverage({
      dutyMinutes: {},
      workingDays: workingDaysOf(OFFICE_2026, from, to, new Date()),
      collectionTeams: ref.collectionTeams,
      contractDailyHours: ref.contractDailyHours,
    });
    const expected = Object.fromEntries(
      SUBJECT_TYPES.map((t) => [
        t,
        t === 'collection_team' || t === 'collection_company'
          ? withPatrolCoverage(all[t], t, coverage)
          : all[t],
      ]),
    ) as typeof all;
    let cells = 0;
    for (const type of SUBJECT_TYPES) {
      const got = tallies.get(type) ?? new Map();
      expect([...got.keys()].sort(), type).toEqual(expected[type].map((r) => r.subjectId).sort());
      for (const r of expected[type]) {
        for (const [key, f] of Object.entries(r.indicators)) {
          expect(got.get(r.subjectId)?.[key], `${type} ${r.subjectId} ${key}`).toEqual({
            kind: f.kind,
            value: f.value,
            numerator: f.numerator,
            denominator: f.denominator,
          });
          cells += f.numerator;
        }
      }
    }
    expect(cells).toBeGreaterThan(100);
  };

  it('equals the pure engine for every subject type (a week inside the history, one running past it)', async () => {
    const week = periodOf('week', '2026-01-14');
    await compare(week.from, week.to, {});
  }, 60_000);

  it('equals the pure engine with filters (category, area class, source, time slot)', async () => {
    const p = periodOf('custom', '2026-01-10', '2026-01-15');
    await compare(p.from, p.to, {
      areaClasses: ['A', 'B'],
      timeSlots: [{ fromHour: 20, toHour: 10 }],
      categories: ['01', '05'],
      sources: ['supervisor', 'public', 'hotline_12345'],
    });
  }, 60_000);

  it('drill-down lists as many cases as the cell counts, for every count indicator', async () => {
    const p = periodOf('custom', '2026-01-08', '2026-01-10');
    const input = {
      from: p.from,
      to: p.to,
      filters: {},
      gridPrefix: '',
      types: SUBJECT_TYPES,
      ref: await loadReference(ts.store.db),
    };
    const { tallies } = await compute(ts.store.db, input);
    // Per type the busiest subject, and every count indicator (plus one rate's two parts) of it.
    const targets: DrillTarget[] = [];
    for (const type of SUBJECT_TYPES) {
      const infos = indicatorsOf(type);
      const first = infos[0]?.key as string;
      const top = [...(tallies.get(type) ?? new Map()).entries()].sort(
        ([, a], [, b]) => (b[first]?.numerator ?? 0) - (a[first]?.numerator ?? 0),
      )[0]?.[0] as string;
      for (const info of infos) {
        if (info.kind === 'count')
          targets.push({ type, subject: top, indicator: info.key, part: 'numerator' });
      }
      const rate = infos.find((i) => i.kind === 'rate');
      if (rate) {
        targets.push({ type, subject: top, indicator: rate.key, part: 'numerator' });
        targets.push({ type, subject: top, indicator: rate.key, part: 'denominator' });
      }
    }
    const { drilled } = await compute(ts.store.db, input, targets);
    let nonEmpty = 0;
    for (const t of targets) {
      const ids = drilled.get(drillKey(t)) ?? [];
      const cell = tallies.get(t.type)?.get(t.subject)?.[t.indicator];
      expect(ids.length, drillKey(t)).toBe(cell?.[t.part]);
      expect(new Set(ids).size).toBe(ids.length);
      if (ids.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(10);
    // The HTTP drill-down gives the same lists with case numbers.
    const base = 'period=custom&from=2026-01-08&to=2026-01-10';
    for (const t of targets
      .filter((x) => ['department', 'district', 'supervisor'].includes(x.type))
      .slice(0, 4)) {
      const d = await app.inject({
        method: 'GET',
        url: `/api/v1/evaluation/drilldown?subjectType=${t.type}&subject=${t.subject}&indicator=${t.indicator}&part=${t.part}&${base}`,
        headers: auth,
      });
      expect(d.statusCode, d.body).toBe(200);
      const body = d.json();
      expect(body.cases.map((c: { id: number }) => c.id)).toEqual(drilled.get(drillKey(t)));
      expect(body.count).toBe(body.cell?.[t.part] ?? 0);
    }
  }, 60_000);
});
