/**
 * Evaluation rules written out from GB/T 30428.4 and domain.md §5, independent of the tables in
 * the code: which way each indicator points, what makes a scheme unusable, and how ties rank.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, indicatorsOf } from './evaluate.js';
import { CASES, JANUARY } from './fixtures.js';
import { rank } from './ranking.js';
import {
  bandScore,
  bandsFor,
  type EvaluationScheme,
  gradeOf,
  STANDARD_GRADES,
  schemeProblems,
  score,
} from './scheme.js';
import { SHIPPED_SCHEMES } from './schemes.js';
import { infoOf } from './tally.js';
import { type Figure, SUBJECT_TYPES } from './types.js';

/** The rates where less is better: 漏报率, 返工率, 延期率, 超期待处置率, 监督举报率. */
const LOWER_IS_BETTER = new Set([
  'missedReportRate',
  'reworkRate',
  'extensionRate',
  'overdueOpenRate',
  'publicReportRate',
]);

describe('which way an indicator points', () => {
  it('department rates: 处置率, 按期处置率, 结案率 up; 返工率, 延期率, 超期待处置率 down', () => {
    const rates = indicatorsOf('department').filter((i) => i.kind === 'rate');
    const direction = Object.fromEntries(rates.map((i) => [i.key, i.higherIsBetter]));
    expect(direction).toMatchObject({
      disposalRate: true,
      onTimeDisposalRate: true,
      closeRate: true,
      reworkRate: false,
      extensionRate: false,
      overdueOpenRate: false,
    });
  });

  it('every rate of every subject: up unless it counts a failure', () => {
    const wrong = SUBJECT_TYPES.flatMap((type) =>
      indicatorsOf(type)
        .filter((i) => i.kind === 'rate' && i.higherIsBetter === LOWER_IS_BETTER.has(i.key))
        .map((i) => `${type}.${i.key}`),
    );
    expect(wrong).toEqual([]);
    // Each of the lower-is-better rates exists somewhere (the list is not stale).
    const keys = new Set(SUBJECT_TYPES.flatMap((type) => indicatorsOf(type).map((i) => i.key)));
    for (const k of LOWER_IS_BETTER) expect(keys.has(k), k).toBe(true);
  });

  it('an indicator keeps its own direction, a count as much as a rate', () => {
    const label = { zh: '率', en: 'Rate' };
    expect(infoOf({ key: 'r', label, kind: 'rate', num: 'a', den: 'b', higherIsBetter: false })).toEqual({
      key: 'r',
      kind: 'rate',
      label,
      higherIsBetter: false,
    });
    expect(
      infoOf({ key: 'r', label, kind: 'rate', num: 'a', den: 'b', higherIsBetter: true }).higherIsBetter,
    ).toBe(true);
    expect(infoOf({ key: 'c', label, kind: 'count', set: 'a', higherIsBetter: false })).toEqual({
      key: 'c',
      kind: 'count',
      label,
      higherIsBetter: false,
    });
    expect(infoOf({ key: 'c', label, kind: 'count', set: 'a', higherIsBetter: true }).higherIsBetter).toBe(
      true,
    );
  });

  // Written out per subject type: up (true) for work done, down (false) for failures (返工,
  // 延期, 挂账, 回退/错派, 作废, 漏报, 超期, 督办) and for the problems of a place or of a
  // department's area, which the 立案数分值 bands score fewer-is-better (domain.md §5).
  const URGES = { urgedCount: false, urgedRepeatCount: false };
  const REGION_COUNTS = {
    reportCount: false,
    filedCount: false,
    dueCloseCount: false,
    suspendedCount: false,
    closedCount: true,
    ...URGES,
  };
  const SUPERVISOR_COUNTS = {
    reportCount: true,
    pendingReportCount: false,
    validReportCount: true,
    missedReportCount: false,
  };
  const INTAKE_COUNTS = { intakeCount: true };
  const SHIFT_LEADER_COUNTS = { filedCount: true, voidedCount: false, closeCount: true };
  const DISPATCHER_COUNTS = { dispatchCount: true, misdispatchCount: false, dispatchReworkCount: false };
  const COUNT_DIRECTIONS: Record<(typeof SUBJECT_TYPES)[number], Record<string, boolean>> = {
    department: {
      caseCount: false,
      dueCount: false,
      handledCount: true,
      handledOnTimeCount: true,
      handledLateCount: false,
      overdueOpenCount: false,
      dueCloseCount: false,
      reworkCount: false,
      extensionCount: false,
      suspensionCount: false,
      returnCount: false,
      ...URGES,
    },
    supervisor: SUPERVISOR_COUNTS,
    intake: INTAKE_COUNTS,
    shift_leader: SHIFT_LEADER_COUNTS,
    dispatcher: DISPATCHER_COUNTS,
    grid: REGION_COUNTS,
    community: REGION_COUNTS,
    street: REGION_COUNTS,
    district: REGION_COUNTS,
    // 确认造假数 (confirmed collector fraud, issue 17): more is worse.
    collection_team: { ...SUPERVISOR_COUNTS, confirmedFraudCount: false },
    collection_company: { ...SUPERVISOR_COUNTS, confirmedFraudCount: false },
    center: { ...INTAKE_COUNTS, ...SHIFT_LEADER_COUNTS, ...DISPATCHER_COUNTS, ...URGES },
  };

  it('a key ending in Rate is a rate, in Count a count (the catalogue says which)', () => {
    for (const type of SUBJECT_TYPES)
      for (const i of indicatorsOf(type)) {
        if (i.key.endsWith('Rate')) expect(i.kind, `${type}.${i.key}`).toBe('rate');
        if (i.key.endsWith('Count')) expect(i.kind, `${type}.${i.key}`).toBe('count');
      }
  });

  it.each(SUBJECT_TYPES)('%s: every result is of its subject type', (type) => {
    const teams = { s1: { team: 'TA', company: 'C1' }, s3: { team: 'TB', company: 'C1' } };
    const results = evaluate(CASES, { ...JANUARY, collectionTeams: teams }, type);
    expect(results.length, type).toBeGreaterThan(0);
    for (const r of results) expect(r.subjectType).toBe(type);
  });

  it.each(SUBJECT_TYPES)(
    '%s: every count points the way the rules say (返工数, 延期数, 回退数 … down)',
    (type) => {
      const counts = indicatorsOf(type).filter((i) => i.kind === 'count');
      expect(Object.fromEntries(counts.map((i) => [i.key, i.higherIsBetter]))).toEqual(
        COUNT_DIRECTIONS[type],
      );
    },
  );

  it('shipped schemes score a lower-is-better rate as 1 − rate and the others as the rate', () => {
    for (const scheme of SHIPPED_SCHEMES) {
      const info = new Map(indicatorsOf(scheme.subjectType).map((i) => [i.key, i]));
      for (const ind of scheme.indicators) {
        const i = info.get(ind.key);
        if (i?.kind !== 'rate') continue;
        expect(ind.transform, `${scheme.id} ${ind.key}`).toBe(i.higherIsBetter ? 'rate' : 'one_minus_rate');
      }
    }
  });

  it('shipped count bands score the way the count points (立案数 fewer, 受理数 / 派遣数 more)', () => {
    for (const scheme of SHIPPED_SCHEMES) {
      const info = new Map(indicatorsOf(scheme.subjectType).map((i) => [i.key, i]));
      for (const ind of scheme.indicators) {
        if (ind.transform !== 'count_band') continue;
        const up = info.get(ind.key)?.higherIsBetter;
        for (const bands of [ind.bands ?? [], ...Object.values(ind.areaClassBands ?? {})]) {
          const scores = [...bands].sort((a, b) => a.min - b.min).map((b) => b.score);
          const sorted = [...scores].sort((a, b) => (up ? a - b : b - a));
          expect(scores, `${scheme.id} ${ind.key}`).toEqual(sorted);
          expect(scores[0], `${scheme.id} ${ind.key}`).not.toBe(scores.at(-1));
        }
      }
    }
    // By hand, from domain.md §5 and the reference bands: a department with 30 cases scores
    // 100 and one with 1,200 scores 0; an intake operator with 2,500 reports 100, with 150 40.
    const department = SHIPPED_SCHEMES.find((s) => s.id === 'national-department')!;
    const caseBands = bandsFor(department.indicators.find((i) => i.key === 'caseCount')!);
    expect([bandScore(30, caseBands), bandScore(1200, caseBands)]).toEqual([100, 0]);
    const intake = SHIPPED_SCHEMES.find((s) => s.id === 'national-intake')!;
    const intakeBands = bandsFor(intake.indicators.find((i) => i.key === 'intakeCount')!);
    expect([bandScore(2500, intakeBands), bandScore(150, intakeBands)]).toEqual([100, 40]);
  });

  it('ranking by a count in its direction: the fewest 返工数 first, the most 处置数 first', () => {
    const info = new Map(indicatorsOf('department').map((i) => [i.key, i]));
    const depts = [
      { id: 'D1', reworkCount: 4, handledCount: 10 },
      { id: 'D2', reworkCount: 0, handledCount: 30 },
      { id: 'D3', reworkCount: 1, handledCount: 20 },
    ];
    const order = (key: 'reworkCount' | 'handledCount') =>
      rank(depts, (d) => d[key], { idOf: (d) => d.id, descending: info.get(key)!.higherIsBetter }).map(
        (r) => `${r.rank}:${r.item.id}`,
      );
    expect(order('reworkCount')).toEqual(['1:D2', '2:D3', '3:D1']);
    expect(order('handledCount')).toEqual(['1:D2', '2:D3', '3:D1']);
    const byExtensions = [
      { id: 'D1', n: 2 },
      { id: 'D2', n: 5 },
    ];
    const extension = indicatorsOf('department').find((i) => i.key === 'extensionCount')!;
    expect(
      rank(byExtensions, (d) => d.n, { descending: extension.higherIsBetter }).map((r) => r.item.id),
    ).toEqual(['D1', 'D2']);
  });

  it('a lower rework rate scores higher', () => {
    const scheme: EvaluationScheme = {
      id: 't',
      version: 1,
      name: { zh: '测', en: 'T' },
      subjectType: 'department',
      indicators: [{ key: 'reworkRate', weight: 1, transform: 'one_minus_rate' }],
      grades: STANDARD_GRADES,
    };
    const fig = (value: number): Record<string, Figure> => ({
      reworkRate: {
        kind: 'rate',
        value,
        numerator: 0,
        denominator: 0,
        caseIds: { numerator: [], denominator: [] },
      },
    });
    expect(score(fig(0.1), scheme).composite).toBe(90);
    expect(score(fig(0.3), scheme).composite).toBe(70);
  });
});

describe('scheme validation', () => {
  const catalogue = [
    { key: 'closeRate', kind: 'rate' as const },
    { key: 'reworkRate', kind: 'rate' as const },
    { key: 'filedCount', kind: 'count' as const },
  ];
  const base: EvaluationScheme = {
    id: 'x',
    version: 1,
    name: { zh: '测', en: 'T' },
    subjectType: 'department',
    indicators: [
      { key: 'closeRate', weight: 60, transform: 'rate' },
      {
        key: 'filedCount',
        weight: 40,
        transform: 'count_band',
        bands: [
          { min: 0, max: 10, score: 100 },
          { min: 11, score: 0 },
        ],
      },
    ],
    grades: STANDARD_GRADES,
  };
  const problems = (patch: Partial<EvaluationScheme>) => schemeProblems({ ...base, ...patch }, catalogue);

  it('accepts a sound scheme', () => {
    expect(problems({})).toEqual([]);
  });

  it('an indicator listed twice', () => {
    expect(
      problems({ indicators: [...base.indicators, { key: 'closeRate', weight: 5, transform: 'rate' }] }),
    ).toEqual(['closeRate: listed twice']);
  });

  it('no indicators, no grades', () => {
    expect(problems({ indicators: [], grades: [] })).toEqual(['no indicators', 'no grades']);
  });

  it('weights must be finite and > 0', () => {
    for (const weight of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(
        problems({ indicators: [{ key: 'closeRate', weight, transform: 'rate' }] }),
        String(weight),
      ).toEqual(['closeRate: weight must be > 0']);
    }
    expect(problems({ indicators: [{ key: 'closeRate', weight: 0.5, transform: 'rate' }] })).toEqual([]);
  });

  it('band scores outside 0–100', () => {
    const withScore = (score: number) =>
      problems({
        indicators: [{ key: 'filedCount', weight: 1, transform: 'count_band', bands: [{ min: 0, score }] }],
      });
    expect(withScore(101)).toEqual(['filedCount: band score must be 0–100']);
    expect(withScore(-1)).toEqual(['filedCount: band score must be 0–100']);
    expect(withScore(100)).toEqual([]);
    expect(withScore(0)).toEqual([]);
  });

  it('an empty band (max below min), but not a one-count band', () => {
    const withBand = (min: number, max: number) =>
      problems({
        indicators: [
          { key: 'filedCount', weight: 1, transform: 'count_band', bands: [{ min, max, score: 50 }] },
        ],
      });
    expect(withBand(5, 4)).toEqual(['filedCount: band 5–4 is empty']);
    expect(withBand(5, 5)).toEqual([]);
  });

  it('a count_band without bands, in general or for an area class', () => {
    expect(
      problems({ indicators: [{ key: 'filedCount', weight: 1, transform: 'count_band', bands: [] }] }),
    ).toEqual(['filedCount: count_band needs bands']);
    expect(problems({ indicators: [{ key: 'filedCount', weight: 1, transform: 'count_band' }] })).toEqual([
      'filedCount: count_band needs bands',
    ]);
    const perClass = problems({
      indicators: [
        {
          key: 'filedCount',
          weight: 1,
          transform: 'count_band',
          bands: [{ min: 0, score: 100 }],
          areaClassBands: { A: [{ min: 0, score: 90 }], C: [] },
        },
      ],
    });
    expect(perClass).toEqual(['filedCount (area class C): needs bands']);
  });

  it('a rate scored by bands, or a count scored as a rate', () => {
    expect(
      problems({
        indicators: [
          {
            key: 'reworkRate',
            weight: 1,
            transform: 'one_minus_rate',
            areaClassBands: { A: [{ min: 0, score: 1 }] },
          },
        ],
      }),
    ).toEqual(['reworkRate: bands are for count_band only']);
    expect(problems({ indicators: [{ key: 'filedCount', weight: 1, transform: 'one_minus_rate' }] })).toEqual(
      ['filedCount: one_minus_rate does not fit a count'],
    );
  });

  it('grades listed twice, unordered, or with equal lower bounds', () => {
    const g = (...list: Array<[EvaluationScheme['grades'][number]['grade'], number]>) =>
      problems({ grades: list.map(([grade, min]) => ({ grade, min })) });
    expect(g(['A', 90], ['A', 60])).toEqual(['a grade is listed twice']);
    expect(g(['A', 60], ['B', 90])).toEqual(['grades must be listed highest first']);
    expect(g(['A', 60], ['B', 60])).toEqual(['grades must be listed highest first']);
    expect(g(['A', 90], ['B', 60], ['C', 0])).toEqual([]);
    expect(g(['A', 0])).toEqual([]);
  });
});

describe('grades', () => {
  it('the lowest bound a composite reaches, bounds inclusive', () => {
    expect(gradeOf(90, STANDARD_GRADES)).toBe('A');
    expect(gradeOf(89.9999, STANDARD_GRADES)).toBe('B');
    expect(gradeOf(75, STANDARD_GRADES)).toBe('B');
    expect(gradeOf(60, STANDARD_GRADES)).toBe('C');
    expect(gradeOf(40, STANDARD_GRADES)).toBe('D');
    expect(gradeOf(0, STANDARD_GRADES)).toBe('E');
    expect(gradeOf(-1, STANDARD_GRADES)).toBeNull();
    // Listed in any order.
    expect(gradeOf(80, [...STANDARD_GRADES].reverse())).toBe('B');
  });
});

describe('ranking ties', () => {
  const items = [
    { id: 'b', s: 80 },
    { id: 'a', s: 80 },
    { id: 'c', s: 80.004 }, // 80.00 at two decimals: tied
    { id: 'd', s: 80.006 }, // 80.01: ahead
  ];

  it('ties (at the published two decimals) share a rank and are listed by id', () => {
    const out = rank(items, (x) => x.s, { idOf: (x) => x.id }).map((r) => [r.item.id, r.rank, r.tied]);
    expect(out).toEqual([
      ['d', 1, false],
      ['a', 2, true],
      ['b', 2, true],
      ['c', 2, true],
    ]);
  });

  it('more decimals split the tie', () => {
    const out = rank(items, (x) => x.s, { idOf: (x) => x.id, decimals: 3 }).map((r) => [r.item.id, r.rank]);
    expect(out).toEqual([
      ['d', 1],
      ['c', 2],
      ['a', 3],
      ['b', 3],
    ]);
  });

  it('without ids, ties keep their input order; unscored (null, NaN, ∞) come last, by id', () => {
    const out = rank(items, (x) => x.s).map((r) => r.item.id);
    expect(out).toEqual(['d', 'b', 'a', 'c']);
    const withNone = [
      { id: 'z', s: Number.NaN },
      { id: 'y', s: null },
      { id: 'x', s: 10 },
      { id: 'w', s: Number.POSITIVE_INFINITY },
    ];
    expect(rank(withNone, (x) => x.s, { idOf: (x) => x.id }).map((r) => [r.item.id, r.rank, r.tied])).toEqual(
      [
        ['x', 1, false],
        ['w', null, false],
        ['y', null, false],
        ['z', null, false],
      ],
    );
  });

  it('ascending: the lowest figure ranks first, ties still by id', () => {
    const out = rank(
      [
        { id: 'q', v: 0.2 },
        { id: 'p', v: 0.2 },
        { id: 'r', v: 0.1 },
      ],
      (x) => x.v,
      { idOf: (x) => x.id, descending: false },
    ).map((r) => [r.item.id, r.rank]);
    expect(out).toEqual([
      ['r', 1],
      ['p', 2],
      ['q', 2],
    ]);
  });
});

describe('ranking unscored subjects', () => {
  // A subject without a figure (a rate with nothing to judge) is never ranked, whichever way
  // the figure points: not first when the lowest figure ranks first, not above a score of 0
  // or below.
  const items = [
    { id: 'a', v: null },
    { id: 'b', v: 0.3 },
    { id: 'c', v: 0.1 },
    { id: 'd', v: Number.NaN },
  ];
  const ranked = (descending: boolean, list = items) =>
    rank(list, (x) => x.v, { idOf: (x) => x.id, descending }).map((r) => [r.item.id, r.rank]);

  it('ascending (lower is better): unscored last', () => {
    expect(ranked(false)).toEqual([
      ['c', 1],
      ['b', 2],
      ['a', null],
      ['d', null],
    ]);
  });

  it('descending with zero and negative figures: unscored still last', () => {
    const list = [
      { id: 'a', v: null },
      { id: 'b', v: -5 },
      { id: 'c', v: 0 },
    ];
    expect(ranked(true, list)).toEqual([
      ['c', 1],
      ['b', 2],
      ['a', null],
    ]);
  });
});

describe('scoring (GB/T 30428.4: weighted points of 0–100)', () => {
  const fig = (value: number | null): Figure => ({
    kind: value === null || value <= 1 ? 'rate' : 'count',
    value,
    numerator: 0,
    denominator: 0,
    caseIds: { numerator: [], denominator: [] },
  });
  const scheme = (indicators: EvaluationScheme['indicators']): EvaluationScheme => ({
    id: 's',
    version: 1,
    name: { zh: '测', en: 'T' },
    subjectType: 'grid',
    indicators,
    grades: STANDARD_GRADES,
  });

  it('a rate without data is left out and the other weights rescaled', () => {
    const s = scheme([
      { key: 'closeRate', weight: 60, transform: 'rate' },
      { key: 'reworkRate', weight: 40, transform: 'one_minus_rate' },
    ]);
    const r = score({ closeRate: fig(0.5), reworkRate: fig(null) }, s);
    expect(r.composite).toBe(50);
    expect(r.grade).toBe('D');
    expect(r.contributions).toEqual([
      { key: 'closeRate', weight: 60, transform: 'rate', value: 0.5, points: 50, contribution: 50 },
      {
        key: 'reworkRate',
        weight: 40,
        transform: 'one_minus_rate',
        value: null,
        points: null,
        contribution: null,
      },
    ]);
    const both = score({ closeRate: fig(1), reworkRate: fig(0.25) }, s);
    // 60 × 100 + 40 × 75 = 9000 over 100.
    expect(both.composite).toBe(90);
    expect(both.grade).toBe('A');
    expect(both.contributions.map((c) => c.contribution)).toEqual([60, 30]);
  });

  it('counts alone never make a score when the scheme has rates; a counts-only scheme is scored', () => {
    const bands = [
      { min: 0, max: 0, score: 100 },
      { min: 1, max: 2, score: 90 },
      { min: 3, score: 0 },
    ];
    const mixed = scheme([
      { key: 'closeRate', weight: 50, transform: 'rate' },
      { key: 'filedCount', weight: 50, transform: 'count_band', bands },
    ]);
    const none = score({ closeRate: fig(null), filedCount: fig(2) }, mixed);
    expect(none).toMatchObject({ composite: null, grade: null });
    expect(none.contributions.map((c) => [c.points, c.contribution])).toEqual([
      [null, null],
      [90, null],
    ]);
    const countsOnly = scheme([{ key: 'filedCount', weight: 50, transform: 'count_band', bands }]);
    expect(score({ filedCount: fig(2) }, countsOnly)).toMatchObject({ composite: 90, grade: 'A' });
    expect(score({ filedCount: fig(7) }, countsOnly)).toMatchObject({ composite: 0, grade: 'E' });
    expect(score({}, countsOnly)).toMatchObject({ composite: null, grade: null });
  });

  it('composites and points are rounded to 4 decimals', () => {
    const s = scheme([{ key: 'closeRate', weight: 1, transform: 'rate' }]);
    const r = score({ closeRate: fig(1 / 3) }, s);
    expect(r.composite).toBe(33.3333);
    expect(r.contributions[0]?.points).toBe(33.3333);
  });
});

describe('count bands', () => {
  const bands = [
    { min: 0, max: 50, score: 100 },
    { min: 51, max: 100, score: 80 },
    { min: 1000, score: 0 },
  ];

  it('a count scores the band it falls in, bounds inclusive; open-ended top; none → 0', () => {
    expect([0, 50, 51, 100, 101, 999, 1000, 5000].map((n) => bandScore(n, bands))).toEqual([
      100, 100, 80, 80, 0, 0, 0, 0,
    ]);
    expect(bandScore(3, [])).toBe(0);
    expect(bandScore(500, [{ min: 0, score: 70 }])).toBe(70);
  });

  it('an area class uses its own bands, else the general ones', () => {
    const ind = {
      key: 'filedCount',
      weight: 1,
      transform: 'count_band' as const,
      bands,
      areaClassBands: { A: [{ min: 0, score: 1 }] },
    };
    expect(bandsFor(ind, { areaClass: 'A' })).toEqual([{ min: 0, score: 1 }]);
    expect(bandsFor(ind, { areaClass: 'B' })).toBe(bands);
    expect(bandsFor(ind, { areaClass: null })).toBe(bands);
    expect(bandsFor(ind)).toBe(bands);
    expect(bandsFor({ key: 'x', weight: 1, transform: 'count_band' })).toEqual([]);
    // An area class given, but the indicator has general bands only.
    expect(bandsFor({ key: 'x', weight: 1, transform: 'count_band', bands }, { areaClass: 'A' })).toBe(bands);
    const grid = { ...ind, areaClassBands: { A: [{ min: 0, max: 0, score: 100 }] } };
    const scheme: EvaluationScheme = {
      id: 'g',
      version: 1,
      name: { zh: '测', en: 'T' },
      subjectType: 'grid',
      indicators: [grid],
      grades: STANDARD_GRADES,
    };
    const figure: Figure = {
      kind: 'count',
      value: 0,
      numerator: 0,
      denominator: 0,
      caseIds: { numerator: [], denominator: [] },
    };
    expect(score({ filedCount: figure }, scheme, { areaClass: 'A' }).composite).toBe(100);
    expect(score({ filedCount: { ...figure, value: 60 } }, scheme, { areaClass: 'B' }).composite).toBe(80);
  });
});
