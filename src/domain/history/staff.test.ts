/** Who acts in the generated history: every grid's supervisor, the district's centre staff by shift. */
import { describe, expect, it } from 'vitest';
import { generateDemoCity } from '../demo-city/index.js';
import { type EvaluationCase, evaluate, type SubjectType } from '../evaluation/index.js';
import { onShift } from './context.js';
import { generateHistory, type HistoryCase } from './index.js';
import { HistoryChecker } from './replay.js';

const city = generateDemoCity();
const userBy = new Map(city.users.map((u) => [u.username, u]));
const FROM = new Date('2026-03-02T00:00:00+08:00');
const DAYS = 4;
const cases = [...generateHistory({ city, from: FROM, days: DAYS, seed: 3, casesPerDay: 300 })];

/** The engine's input straight from the generated data; usernames stand in for user ids. */
function asEvaluationCase(h: HistoryCase): EvaluationCase {
  const c = h.case;
  const areaClass = city.grids.find((g) => g.code === c.gridCode)?.areaClass ?? 'A';
  return {
    id: c.caseKey,
    caseNumber: c.caseKey,
    reportedAt: c.reportedAt,
    source: c.source,
    kind: c.kind,
    categoryCode: c.categoryCode,
    areaClass,
    gridCode: c.gridCode,
    communityCode: c.gridCode.slice(0, 12),
    streetCode: c.gridCode.slice(0, 9),
    districtCode: c.gridCode.slice(0, 6),
    reporterId: c.reporterUsername ?? null,
    events: h.events.map((e, i) => ({
      seq: i + 1,
      action: e.action,
      actorId: e.actorUsername ?? null,
      actorRole: e.actorRole,
      departmentCode: e.departmentCode ?? null,
      fromState: e.from,
      toState: e.to,
      at: e.at,
      payload: { ...e.payload },
    })),
  };
}

describe('onShift: the centre rota', () => {
  const at = (local: string) => Date.parse(`${local}+08:00`);
  it('day shift 08–20 h goes to person d, the night shift to person d + 1, moving on daily', () => {
    // 2026-03-02 08:00 +08:00 is UTC day 20514; 20514 mod 2 = 0, mod 3 = 0.
    const two = ['a', 'b'];
    expect(onShift(two, at('2026-03-02T08:00:00'))).toBe('a');
    expect(onShift(two, at('2026-03-02T19:59:59'))).toBe('a');
    expect(onShift(two, at('2026-03-02T20:00:00'))).toBe('b');
    expect(onShift(two, at('2026-03-03T07:59:59'))).toBe('b');
    expect(onShift(two, at('2026-03-03T08:00:00'))).toBe('b');
    expect(onShift(two, at('2026-03-03T20:00:00'))).toBe('a');
    const three = ['a', 'b', 'c'];
    const days = ['02', '03', '04'].map((d) => [
      onShift(three, at(`2026-03-${d}T12:00:00`)),
      onShift(three, at(`2026-03-${d}T23:00:00`)),
    ]);
    expect(days).toEqual([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
    ]);
    expect(onShift([], at('2026-03-02T12:00:00'))).toBeUndefined();
  });
});

describe('generated history: the demo staff at work', { timeout: 120_000 }, () => {
  it('stays valid under the replay checker', () => {
    const checker = new HistoryChecker(city);
    expect(cases.flatMap((h) => checker.check(h))).toEqual([]);
    expect(cases.length).toBeGreaterThan(1000);
  });

  it('every supervisor report has its grid supervisor as reporter, and supervisors act on their own grids', () => {
    for (const h of cases) {
      if (h.case.source === 'supervisor') {
        expect(userBy.get(h.case.reporterUsername ?? '')?.gridCodes, h.case.caseKey).toContain(
          h.case.gridCode,
        );
      }
      for (const e of h.events.filter((x) => x.actorRole === 'supervisor'))
        expect(userBy.get(e.actorUsername ?? '')?.gridCodes, h.case.caseKey).toContain(h.case.gridCode);
    }
  });

  it('centre events are done by the staff of the case district on shift', () => {
    let centre = 0;
    for (const h of cases) {
      for (const e of h.events) {
        if (!['intake', 'shift_leader', 'dispatcher'].includes(e.actorRole)) continue;
        centre++;
        const staff = city.users
          .filter((u) => u.role === e.actorRole && u.divisionCode === h.case.gridCode.slice(0, 6))
          .map((u) => u.username);
        expect(e.actorUsername).toBe(onShift(staff, e.at.getTime()));
      }
    }
    expect(centre).toBeGreaterThan(cases.length);
  });

  it('post rankings (岗位评价) compare several people in every district', () => {
    const input = cases.map(asEvaluationCase);
    const to = new Date(FROM.getTime() + DAYS * 86_400_000);
    const supervisorGrids = Object.fromEntries(
      city.users.filter((u) => u.gridCodes).map((u) => [u.username, u.gridCodes ?? []]),
    );
    const districts = city.divisions.filter((d) => d.level === 'district').map((d) => d.code);
    for (const type of [
      'intake',
      'supervisor',
      'dispatcher',
      'shift_leader',
    ] as const satisfies SubjectType[]) {
      const subjects = evaluate(input, { from: FROM, to, supervisorGrids }, type).map((r) => r.subjectId);
      for (const s of subjects) expect(userBy.get(s)?.role, `${type} ${s}`).toBe(type);
      for (const district of districts) {
        const here = subjects.filter((s) => (userBy.get(s)?.divisionCode ?? '').startsWith(district));
        expect(here.length, `${type} in ${district}: ${here.join()}`).toBeGreaterThan(1);
      }
    }
    // Every centre post of every district had work in four days of a rota.
    const intakes = evaluate(input, { from: FROM, to, supervisorGrids }, 'intake').map((r) => r.subjectId);
    expect(intakes.sort()).toEqual(
      city.users
        .filter((u) => u.role === 'intake')
        .map((u) => u.username)
        .sort(),
    );
  });
});
