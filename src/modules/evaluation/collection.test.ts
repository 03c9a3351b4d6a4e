/**
 * Outsourced collection in the store-backed evaluation: team and company results equal the pure
 * engine plus the pure patrol coverage over the same history and shifts (the shifts are written
 * to the store and kept in memory for the engine); drill-down lists match their cells and page;
 * results, publications and .xlsx carry the two types; the stats list each category once.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { jobAnswer } from '../../../test/helpers/jobs.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import {
  COLLECTION_TYPES,
  type DutyShift,
  dutyMinutesByDay,
  evaluateAll,
  PATROL_COVERAGE,
  patrolCoverage,
  SUBJECT_TYPES,
  type SubjectType,
  withPatrolCoverage,
  workingDaysOf,
} from '../../domain/evaluation/index.js';
import { standardOfficeCalendar } from '../../domain/timelimit/index.js';
import type { ApiApp } from '../../platform/http/types.js';
import { seedHistory } from '../../seed/history.js';
import { compute } from './compute.js';
import { periodOf } from './period.js';
import { loadReference } from './repo.js';
import { engineCases, HISTORY, regenerate } from './testkit.js';

/** The office calendar of migration 0009 for January 2026 (元旦 1–3, make-up Sunday 4). */
const OFFICE_2026 = standardOfficeCalendar(['2026-01-01', '2026-01-02', '2026-01-03'], ['2026-01-04']);
const at = (s: string) => new Date(`2026-${s}:00+08:00`);

describe.each(testStores())('outsourced collection in the evaluation (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  const h: Record<string, { authorization: string }> = {};
  let memory: Awaited<ReturnType<typeof engineCases>>;
  const users: Record<string, string> = {};
  const shifts: DutyShift[] = [];

  beforeAll(async () => {
    ts = await openTestStore(kind);
    await seedHistory(ts.store, HISTORY);
    const db = ts.store.db;
    // Two more supervisors: B in 青羊 (team T510105, same company as the demo supervisor) also
    // patrols one grid of the demo supervisor; C in 金牛 (T510106, the other company).
    const add = async (username: string, division: string, grids: string[], team: string) => {
      const u = await db
        .insertInto('users')
        .values({
          username,
          display_name: username,
          role: 'supervisor',
          division_code: division,
          password_hash: 'x',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('supervisor_grids')
        .values(grids.map((grid_code) => ({ user_id: u.id, grid_code })))
        .execute();
      await db.insertInto('collection_team_members').values({ user_id: u.id, team_code: team }).execute();
    };
    const gridsOf = async (prefix: string, n: number) =>
      (
        await db
          .selectFrom('grids')
          .select('code')
          .where('code', 'like', `${prefix}%`)
          .orderBy('code')
          .limit(n)
          .execute()
      ).map((g) => g.code);
    // The figures below are counted by hand for the demo supervisor alone: the other demo
    // supervisors leave their teams.
    await db
      .deleteFrom('collection_team_members')
      .where('user_id', 'not in', db.selectFrom('users').select('id').where('username', '=', 'supervisor'))
      .execute();
    const shared = (
      await db.selectFrom('supervisor_grids').select('grid_code').orderBy('grid_code').limit(1).execute()
    ).map((g) => g.grid_code);
    await add('sup_b', '510105001001', [...(await gridsOf('510105', 40)), ...shared], 'T510105');
    await add('sup_c', '510106001001', await gridsOf('510106', 40), 'T510106');
    for (const u of await db.selectFrom('users').select(['id', 'username']).execute())
      users[u.username] = String(u.id);
    const s = (who: string, from: string, to: string | null) =>
      shifts.push({
        supervisorId: users[who] as string,
        startedAt: at(from),
        endedAt: to === null ? null : at(to),
      });
    s('supervisor', '01-02T08:00', '01-02T18:00'); // 元旦 holiday: not scheduled
    s('supervisor', '01-04T08:00', '01-04T17:00'); // make-up Sunday: 9 h, covered
    s('supervisor', '01-05T08:00', '01-05T12:00'); // 4 h + 4 h: covered
    s('supervisor', '01-05T13:00', '01-05T17:00');
    s('supervisor', '01-06T22:00', '01-07T07:00'); // 2 h on the 6th, 7 h on the 7th: neither
    s('supervisor', '01-08T08:00', '01-08T15:00'); // 7 h: short of 8
    s('supervisor', '01-09T09:00', null); // still on duty: 15 h on the 9th, whole days after
    s('sup_b', '01-05T08:00', '01-05T16:00');
    s('sup_b', '01-07T09:00', '01-07T16:59');
    s('sup_c', '01-05T08:00', '01-05T15:30'); // 7.5 h: the other company's contract exactly
    await db
      .insertInto('patrol_shifts')
      .values(
        shifts.map((x) => ({
          user_id: Number(x.supervisorId),
          started_at: x.startedAt,
          ended_at: x.endedAt,
        })),
      )
      .execute();
    app = await testApp(ts.store);
    for (const u of ['leader', 'shiftlead', 'dept']) h[u] = await bearer(app, u);
    memory = await engineCases(ts.store, regenerate(HISTORY));
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  const get = (user: string, url: string) =>
    app.inject({ method: 'GET', url: `/api/v1${url}`, headers: h[user] });

  const compare = async (from: Date, to: Date) => {
    const ref = await loadReference(ts.store.db);
    const types: SubjectType[] = ['supervisor', ...COLLECTION_TYPES];
    const { tallies } = await compute(ts.store.db, {
      from,
      to,
      filters: {},
      gridPrefix: '',
      types,
      ref,
      chunk: 397,
    });
    const collectionTeams = {
      [users.supervisor as string]: { team: 'T510104', company: 'JCXC' },
      [users.sup_b as string]: { team: 'T510105', company: 'JCXC' },
      [users.sup_c as string]: { team: 'T510106', company: 'RCCJ' },
    };
    expect(ref.collectionTeams).toEqual(collectionTeams);
    const now = new Date();
    const all = evaluateAll(memory, {
      from,
      to,
      utcOffsetMinutes: 480,
      supervisorGrids: ref.supervisorGrids,
      departmentParents: ref.departmentParents,
      collectionTeams,
    });
    const coverage = patrolCoverage({
      dutyMinutes: dutyMinutesByDay(shifts, { from, to, now, utcOffsetMinutes: 480 }),
      workingDays: workingDaysOf(OFFICE_2026, from, to, now),
      collectionTeams,
      contractDailyHours: { JCXC: 8, RCCJ: 7.5 },
    });
    let counted = 0;
    for (const type of types) {
      const expected =
        type === 'supervisor'
          ? all[type]
          : withPatrolCoverage(all[type], type as (typeof COLLECTION_TYPES)[number], coverage);
      const got = tallies.get(type) ?? new Map();
      expect([...got.keys()].sort(), type).toEqual(expected.map((r) => r.subjectId).sort());
      for (const r of expected) {
        for (const [key, f] of Object.entries(r.indicators)) {
          expect(got.get(r.subjectId)?.[key], `${type} ${r.subjectId} ${key}`).toEqual({
            kind: f.kind,
            value: f.value,
            numerator: f.numerator,
            denominator: f.denominator,
          });
          counted += f.numerator;
        }
      }
    }
    expect(counted).toBeGreaterThan(50);
    return tallies;
  };

  it('equals the pure engine and the pure coverage (1–11 January: holidays, a make-up day, an open shift)', async () => {
    const p = periodOf('custom', '2026-01-01', '2026-01-11');
    const tallies = await compare(p.from, p.to);
    // By hand: working days 4 (make-up), 5, 6, 7, 8, 9; the demo supervisor covered 4, 5 and 9.
    expect(tallies.get('collection_team')?.get('T510104')?.[PATROL_COVERAGE]).toEqual({
      kind: 'rate',
      value: 3 / 6,
      numerator: 3,
      denominator: 6,
    });
    // B covered the 5th (8 h) but not the 7th (7 h 59 min); JCXC = 3 + 1 of 12.
    expect(tallies.get('collection_team')?.get('T510105')?.[PATROL_COVERAGE]?.numerator).toBe(1);
    expect(tallies.get('collection_company')?.get('JCXC')?.[PATROL_COVERAGE]).toMatchObject({
      numerator: 4,
      denominator: 12,
    });
    expect(tallies.get('collection_company')?.get('RCCJ')?.[PATROL_COVERAGE]).toMatchObject({
      numerator: 1,
      denominator: 6,
    });
  }, 60_000);

  it('equals the pure engine for a week inside the history', async () => {
    const week = periodOf('week', '2026-01-14');
    const tallies = await compare(week.from, week.to);
    // The open shift covers every working day of the week.
    expect(tallies.get('collection_team')?.get('T510104')?.[PATROL_COVERAGE]).toMatchObject({
      numerator: 5,
      denominator: 5,
    });
  }, 60_000);

  const P = 'period=custom&from=2026-01-01&to=2026-01-11';
  const drill = (subjectType: string, subject: string, indicator: string, part: string, extra = '') =>
    get(
      'leader',
      `/evaluation/drilldown?subjectType=${subjectType}&subject=${subject}&indicator=${indicator}&part=${part}&${P}${extra}`,
    );

  it('drill-down of 巡查时间覆盖率 lists the supervisor-days behind the cell', async () => {
    const num = await drill('collection_team', 'T510104', PATROL_COVERAGE, 'numerator');
    expect(num.statusCode, num.body).toBe(200);
    const n = num.json();
    expect(n.subjectName).toBe('锦江区信息采集作业组');
    expect(n.cases).toEqual([]);
    expect(n.dutyDays).toEqual(
      [
        ['2026-01-04', 540],
        ['2026-01-05', 480],
        ['2026-01-09', 900],
      ].map(([day, dutyMinutes]) => ({
        userId: Number(users.supervisor),
        userName: '王监督',
        day,
        dutyMinutes,
        covered: true,
      })),
    );
    expect(n.count).toBe(n.cell.numerator);
    const den = (await drill('collection_company', 'JCXC', PATROL_COVERAGE, 'denominator')).json();
    expect(den.count).toBe(12);
    expect(den.dutyDays).toHaveLength(den.cell.denominator);
    expect(den.dutyDays.filter((d: { covered: boolean }) => d.covered)).toHaveLength(den.cell.numerator);
    // Paged like the cases: the pages put together are the whole list, count stays the total.
    const pages = await Promise.all(
      [0, 5, 10].map(async (offset) =>
        (
          await drill(
            'collection_company',
            'JCXC',
            PATROL_COVERAGE,
            'denominator',
            `&offset=${offset}&limit=5`,
          )
        ).json(),
      ),
    );
    expect(pages.map((p) => p.count)).toEqual([12, 12, 12]);
    expect(pages.map((p) => p.dutyDays.length)).toEqual([5, 5, 2]);
    expect(pages.flatMap((p) => p.dutyDays)).toEqual(den.dutyDays);
    expect(
      den.dutyDays.find(
        (d: { day: string; userName: string }) => d.day === '2026-01-07' && d.userName === 'sup_b',
      ),
    ).toEqual({
      userId: Number(users.sup_b),
      userName: 'sup_b',
      day: '2026-01-07',
      dutyMinutes: 479,
      covered: false,
    });
  }, 60_000);

  it('drill-down of a case figure matches its cell and pages (offset, limit; count is the total)', async () => {
    const full = (
      await drill('collection_company', 'JCXC', 'missedReportRate', 'denominator', '&limit=1000')
    ).json();
    expect(full.count).toBe(full.cell.denominator);
    expect(full.cases).toHaveLength(full.count);
    expect(full.count).toBeGreaterThan(5);
    expect([full.offset, full.limit]).toEqual([0, 1000]);
    const page = (
      await drill('collection_company', 'JCXC', 'missedReportRate', 'denominator', '&offset=2&limit=3')
    ).json();
    expect([page.count, page.offset, page.limit]).toEqual([full.count, 2, 3]);
    expect(page.cases.map((c: { id: number }) => c.id)).toEqual(
      full.cases.slice(2, 5).map((c: { id: number }) => c.id),
    );
    const past = (
      await drill('collection_company', 'JCXC', 'missedReportRate', 'denominator', `&offset=${full.count}`)
    ).json();
    expect([past.count, past.cases.length, past.limit]).toEqual([full.count, 0, 200]);
    // A long list: the first page holds the default 200, the count all of them.
    const long = `/evaluation/drilldown?subjectType=district&subject=510104&indicator=filedCount&period=custom&from=2026-01-05&to=2026-01-16`;
    const first = (await get('leader', long)).json();
    expect(first.count).toBe(first.cell.numerator);
    expect(first.count).toBeGreaterThan(200);
    expect(first.cases).toHaveLength(200);
    const rest = (await get('leader', `${long}&offset=200&limit=1000`)).json();
    expect(rest.cases).toHaveLength(first.count - 200);
    const ids = [...first.cases, ...rest.cases].map((c: { id: number }) => c.id);
    expect(new Set(ids).size).toBe(first.count);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    for (const bad of ['&limit=0', '&limit=1001', '&offset=-1', '&offset=x'])
      expectError(
        await drill('collection_team', 'T510104', 'reportCount', 'numerator', bad),
        400,
        'VALIDATION_FAILED',
      );
  }, 60_000);

  it('results: contract scheme, names, grades and ranks; a district reader sees his district; departments none', async () => {
    const r = await get('leader', `/evaluation/results?subjectType=collection_company&${P}`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.scheme.id).toBe('contract-collection_company');
    expect(body.indicators.map((i: { key: string }) => i.key)).toContain(PATROL_COVERAGE);
    expect(body.rows.map((x: { subjectName: string }) => x.subjectName).sort()).toEqual(
      ['蓉城城市巡查外包有限公司', '锦城信息采集服务有限公司'].sort(),
    );
    for (const x of body.rows) {
      expect(x.composite).not.toBeNull();
      expect(['A', 'B', 'C', 'D', 'E']).toContain(x.grade);
      expect(x.rank).toBeGreaterThan(0);
      const weights = x.contributions.filter((c: { points: number | null }) => c.points !== null);
      expect(weights.map((c: { key: string }) => c.key)).toContain(PATROL_COVERAGE);
    }
    // The 锦江 shift leader: the demo supervisor's team, and B's (he patrols one 锦江 grid too).
    const district = (await get('shiftlead', `/evaluation/results?subjectType=collection_team&${P}`)).json();
    expect(district.rows.map((x: { subjectId: string }) => x.subjectId)).toEqual(['T510104', 'T510105']);
    expectError(
      await get('dept', `/evaluation/results?subjectType=collection_team&${P}`),
      403,
      'EVALUATION_SUBJECT_TYPE_NOT_ALLOWED',
    );
  }, 60_000);

  it('publications freeze every subject type, the new two included, with a sheet each', async () => {
    const pub = await app.inject({
      method: 'POST',
      url: '/api/v1/evaluation/publications',
      headers: h.leader,
      payload: {
        title: '2026年1月第2周',
        period: 'week',
        from: '2026-01-06',
        subjectTypes: [...SUBJECT_TYPES],
      },
    });
    expect(pub.statusCode, pub.body).toBe(202);
    const done = await jobAnswer(app, h.leader as Record<string, string>, pub);
    expect(done.statusCode, done.body).toBe(200);
    const p = (
      await app.inject({
        method: 'GET',
        url: `/api/v1/evaluation/publications/${done.json().id}`,
        headers: h.leader,
      })
    ).json();
    expect(p.schemes.collection_team).toEqual({ schemeId: 'contract-collection_team', version: 1 });
    expect(p.tables.collection_company.map((x: { subjectName: string }) => x.subjectName)).toContain(
      '锦城信息采集服务有限公司',
    );
    const x = await app.inject({
      method: 'GET',
      url: `/api/v1/evaluation/publications/${p.id}/export`,
      headers: h.leader,
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toContain('信息采集作业组');
    expect(names).toContain('信息采集外包公司');
    const sheet = wb.getWorksheet('信息采集外包公司');
    const header = ((sheet?.getRow(1).values ?? []) as unknown[]).filter(Boolean);
    expect(header).toContain('巡查时间覆盖率(%)');
    expect((sheet?.rowCount ?? 0) - 1).toBe(p.tables.collection_company.length);
  }, 60_000);

  it('stats by category list each class once: the code with its kind, named from the catalog', async () => {
    const s = await get('leader', '/evaluation/stats?from=2026-01-05&to=2026-01-16&groupBy=category');
    expect(s.statusCode, s.body).toBe(200);
    const body = s.json();
    type Row = { key: string; kind: string; label: string; reported: number };
    const rows = [...(body.groups as Row[]), ...(body.topCategories as Row[])];
    const names = new Map(
      (await ts.store.db.selectFrom('categories').select(['kind', 'code', 'name']).execute()).map((c) => [
        `${c.kind}:${c.code}`,
        c.name,
      ]),
    );
    for (const r of rows) expect(r.label, `${r.kind}:${r.key}`).toBe(names.get(`${r.kind}:${r.key}`));
    const keys = (body.groups as Row[]).map((r) => `${r.kind}:${r.key}`);
    expect(new Set(keys).size).toBe(keys.length);
    // The same code names a component class and an event class: two rows, not one merged.
    const byCode = new Map<string, Set<string>>();
    for (const r of body.groups as Row[]) byCode.set(r.key, (byCode.get(r.key) ?? new Set()).add(r.kind));
    expect([...byCode.values()].some((k) => k.size === 2)).toBe(true);
    expect((body.groups as Row[]).reduce((n, g) => n + g.reported, 0)).toBe(body.total.reported);
    expect(body.total.kind).toBeUndefined();
  }, 60_000);
});
