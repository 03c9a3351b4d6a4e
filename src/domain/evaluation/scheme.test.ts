/** Scores, grades and rankings on the January fixtures (hand-computed composites). */
import { describe, expect, it } from 'vitest';
import { evaluate, indicatorsOf } from './evaluate.js';
import { CASES, FEBRUARY, G1, JANUARY } from './fixtures.js';
import { rank } from './ranking.js';
import {
  bandScore,
  type EvaluationScheme,
  gradeOf,
  STANDARD_GRADES,
  schemeProblems,
  score,
} from './scheme.js';
import {
  DEPARTMENT_CASE_BANDS,
  INTAKE_COUNT_BANDS,
  JINNIU_DEPARTMENT_SCHEME,
  NATIONAL_SCHEMES,
  REGION_CASE_BANDS,
  SHIPPED_SCHEMES,
} from './schemes.js';
import { SUBJECT_TYPES } from './types.js';

const indicatorsFor = (type: Parameters<typeof evaluate>[2], subject: string, q = JANUARY) =>
  evaluate(CASES, q, type).find((r) => r.subjectId === subject)!.indicators;

describe('score', () => {
  it('Jinniu: HW = 30·1/3 + 20·1/3 + 20·(1−1/3) + 20·(1−2/3) + 10·1 = 46.6667 → D', () => {
    const s = score(indicatorsFor('department', 'HW'), JINNIU_DEPARTMENT_SCHEME);
    expect(s.composite).toBe(46.6667);
    expect(s.grade).toBe('D');
    expect(s.contributions.map((c) => c.contribution)).toEqual([10, 6.6667, 13.3333, 6.6667, 10]);
  });
  it('Jinniu: SZ = 30 + 20·0.5 + 20 + 20 + 10·(2/3) = 86.6667 → B; YL 100 → A; SZ-01 70 → C', () => {
    expect(score(indicatorsFor('department', 'SZ'), JINNIU_DEPARTMENT_SCHEME)).toMatchObject({
      composite: 86.6667,
      grade: 'B',
    });
    expect(score(indicatorsFor('department', 'YL'), JINNIU_DEPARTMENT_SCHEME).composite).toBe(100);
    expect(score(indicatorsFor('department', 'SZ-01'), JINNIU_DEPARTMENT_SCHEME).grade).toBe('C');
  });
  it('national department: SZ = 10·100 (立案数 4 → band 0–50 → 100) + 30·1 + 30·0.5 + 30·(1 − 0) = 85 → B', () => {
    const s = score(indicatorsFor('department', 'SZ'), NATIONAL_SCHEMES.department);
    expect(s.composite).toBe(85);
    expect(s.grade).toBe('B');
    expect(s.contributions[0]).toMatchObject({ key: 'caseCount', value: 4, points: 100 });
  });
  it('national grid, area class bands: G1 in February (1 case filed, open) = 20·100 + 20·band + 30·0 + 30·0', () => {
    const g1 = indicatorsFor('grid', G1, FEBRUARY);
    // 一类 (A): 1 case → 90, composite 38 (E); 二类 (B) and 三类 (C, the general bands): 1 → 100, 40 (D).
    expect(score(g1, NATIONAL_SCHEMES.grid, { areaClass: 'A' })).toMatchObject({ composite: 38, grade: 'E' });
    expect(score(g1, NATIONAL_SCHEMES.grid, { areaClass: 'B' })).toMatchObject({ composite: 40, grade: 'D' });
    expect(score(g1, NATIONAL_SCHEMES.grid, { areaClass: 'C' }).composite).toBe(40);
    expect(score(g1, NATIONAL_SCHEMES.grid).composite).toBe(40);
  });
  it('empty rates: a grid or department with nothing to judge gets no score, though its count band says 100', () => {
    const q = { ...JANUARY, subjects: { grid: ['510104001001003'], department: ['QX'] } };
    const grid = evaluate(CASES, q, 'grid').find((r) => r.subjectId === '510104001001003')!;
    const s = score(grid.indicators, NATIONAL_SCHEMES.grid, { areaClass: 'A' });
    expect(s).toMatchObject({ composite: null, grade: null });
    expect(s.contributions.find((c) => c.key === 'filedCount')).toMatchObject({
      value: 0,
      points: 100,
      contribution: null,
    });
    expect(s.contributions.find((c) => c.key === 'closeRate')).toMatchObject({ value: null, points: null });
    const dept = evaluate(CASES, q, 'department').find((r) => r.subjectId === 'QX')!;
    expect(score(dept.indicators, NATIONAL_SCHEMES.department).composite).toBeNull();
  });
  it('a scheme of counts only is scored on its counts', () => {
    const countsOnly: EvaluationScheme = {
      ...NATIONAL_SCHEMES.department,
      indicators: [{ key: 'caseCount', weight: 1, transform: 'count_band', bands: DEPARTMENT_CASE_BANDS }],
    };
    const q = { ...JANUARY, subjects: { department: ['QX'] } };
    const dept = evaluate(CASES, q, 'department').find((r) => r.subjectId === 'QX')!;
    expect(score(dept.indicators, countsOnly)).toMatchObject({ composite: 100, grade: 'A' });
  });
  it('a rate with nothing to judge is left out and the weights rescaled: s3 = (40·100 + 20·50 + 20·100)/80 = 87.5', () => {
    const s = score(indicatorsFor('supervisor', 's3'), NATIONAL_SCHEMES.supervisor);
    expect(s.composite).toBe(87.5);
    expect(s.contributions[3]).toMatchObject({
      key: 'onTimeCheckRate',
      value: null,
      points: null,
      contribution: null,
    });
    expect(s.contributions.reduce((sum, c) => sum + (c.contribution ?? 0), 0)).toBeCloseTo(87.5, 3);
  });
  it('no value at all → no composite and no grade (HW in February, voided case gone)', () => {
    expect(score(indicatorsFor('department', 'HW', FEBRUARY), JINNIU_DEPARTMENT_SCHEME)).toMatchObject({
      composite: null,
      grade: null,
    });
  });
  it('立案数分值: fewer cases score higher — departments 0–50 → 100 … ≥ 1000 → 0', () => {
    expect(
      [0, 50, 51, 100, 101, 200, 201, 500, 501, 999, 1000, 5000].map((n) =>
        bandScore(n, DEPARTMENT_CASE_BANDS),
      ),
    ).toEqual([100, 100, 90, 90, 75, 75, 60, 60, 40, 40, 0, 0]);
  });
  it('立案数分值 of grids: 一类 as the reference (0 → 100, 1–2 → 90, 3–4 → 75, 5–6 → 60, 7–8 → 40, ≥ 9 → 0), 二类 looser', () => {
    const a = REGION_CASE_BANDS.grid.A;
    const b = REGION_CASE_BANDS.grid.B;
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 30].map((n) => bandScore(n, a))).toEqual([
      100, 90, 90, 75, 75, 60, 60, 40, 40, 0, 0,
    ]);
    expect([0, 1, 2, 3, 4, 6, 7, 9, 10, 12, 13].map((n) => bandScore(n, b))).toEqual([
      100, 100, 90, 90, 75, 75, 60, 60, 40, 40, 0,
    ]);
    // Each level has its own: 9 cases are the worst for a 一类 grid and the best for a community.
    expect(bandScore(9, REGION_CASE_BANDS.community.A)).toBe(90);
    expect(bandScore(60, REGION_CASE_BANDS.street.A)).toBe(90);
    expect(bandScore(60, REGION_CASE_BANDS.district.A)).toBe(100);
    expect(bandScore(2401, REGION_CASE_BANDS.district.A)).toBe(0);
    expect(bandScore(2401, REGION_CASE_BANDS.district.B)).toBe(60);
    for (const level of ['grid', 'community', 'street', 'district'] as const) {
      const f = NATIONAL_SCHEMES[level].indicators.find((i) => i.key === 'filedCount')!;
      expect(f.areaClassBands).toEqual({ A: REGION_CASE_BANDS[level].A, B: REGION_CASE_BANDS[level].B });
      expect(f.bands).toEqual(REGION_CASE_BANDS[level].B);
    }
  });
  it('count bands of domain.md §5 and the grade boundaries', () => {
    expect(
      [2500, 2001, 2000, 1201, 1200, 501, 500, 301, 300, 101, 100, 0].map((n) =>
        bandScore(n, INTAKE_COUNT_BANDS),
      ),
    ).toEqual([100, 100, 90, 90, 75, 75, 60, 60, 40, 40, 0, 0]);
    expect([100, 90, 89.99, 75, 74.9, 60, 59, 40, 39.9, 0].map((x) => gradeOf(x, STANDARD_GRADES))).toEqual([
      'A',
      'A',
      'B',
      'B',
      'C',
      'C',
      'D',
      'D',
      'E',
      'E',
    ]);
  });
});

describe('schemes', () => {
  it('every shipped scheme is valid against its subject type catalogue and weighs 100', () => {
    for (const s of SHIPPED_SCHEMES) {
      expect(schemeProblems(s, indicatorsOf(s.subjectType))).toEqual([]);
      expect(s.indicators.reduce((sum, i) => sum + i.weight, 0)).toBe(100);
    }
    expect(Object.keys(NATIONAL_SCHEMES).sort()).toEqual([...SUBJECT_TYPES].sort());
  });
  it('the weights of domain.md §5, written out', () => {
    const weights = (s: EvaluationScheme) => s.indicators.map((i) => `${i.key} ${i.weight} ${i.transform}`);
    // 立案数分值 10% + 结案率 30% + 按期处置率 30% + (1 − 返工率) 30%.
    expect(weights(NATIONAL_SCHEMES.department)).toEqual([
      'caseCount 10 count_band',
      'closeRate 30 rate',
      'onTimeDisposalRate 30 rate',
      'reworkRate 30 one_minus_rate',
    ]);
    // 有效上报率 40% + (1 − 漏报率) 20% + 按时核实率 20% + 按时核查率 20%.
    expect(weights(NATIONAL_SCHEMES.supervisor)).toEqual([
      'validReportRate 40 rate',
      'missedReportRate 20 one_minus_rate',
      'onTimeVerifyRate 20 rate',
      'onTimeCheckRate 20 rate',
    ]);
    // 受理数分值 25% + 核实按时派发率 40% + 核查按时派发率 35%.
    expect(weights(NATIONAL_SCHEMES.intake)).toEqual([
      'intakeCount 25 count_band',
      'onTimeVerifyDispatchRate 40 rate',
      'onTimeCheckDispatchRate 35 rate',
    ]);
    // 按时立案率 25% + 准确立案率 40% + 按时结案率 35%.
    expect(weights(NATIONAL_SCHEMES.shift_leader)).toEqual([
      'onTimeFilingRate 25 rate',
      'accurateFilingRate 40 rate',
      'onTimeCloseRate 35 rate',
    ]);
    // 派遣数分值 20% + 按时派遣率 40% + 准确派遣率 40%.
    expect(weights(NATIONAL_SCHEMES.dispatcher)).toEqual([
      'dispatchCount 20 count_band',
      'onTimeDispatchRate 40 rate',
      'accurateDispatchRate 40 rate',
    ]);
    // 金牛区: 处置率 ×30 + 按期处置率 ×20 + (1 − 返工率) ×20 + (1 − 超期待处置率) ×20 + (1 − 延期率) ×10.
    expect(weights(JINNIU_DEPARTMENT_SCHEME)).toEqual([
      'disposalRate 30 rate',
      'onTimeDisposalRate 20 rate',
      'reworkRate 20 one_minus_rate',
      'overdueOpenRate 20 one_minus_rate',
      'extensionRate 10 one_minus_rate',
    ]);
    // Regions: 监督举报率 (lower is better), 立案数 by count bands, 结案率, 按期结案率.
    for (const level of ['grid', 'community', 'street', 'district'] as const)
      expect(NATIONAL_SCHEMES[level].indicators.map((i) => `${i.key} ${i.transform}`)).toEqual([
        'publicReportRate one_minus_rate',
        'filedCount count_band',
        'closeRate rate',
        'onTimeCloseRate rate',
      ]);
    // Every default is graded A 90, B 75, C 60, D 40, E below.
    for (const s of SHIPPED_SCHEMES)
      expect(s.grades.map((g) => `${g.grade}${g.min}`)).toEqual(['A90', 'B75', 'C60', 'D40', 'E0']);
  });
  it('the default of a type is national-<type>, a contract scheme for outsourced collection', () => {
    for (const type of SUBJECT_TYPES) {
      const s = NATIONAL_SCHEMES[type];
      expect([s.subjectType, s.version]).toEqual([type, 1]);
      expect(s.id).toBe(type.startsWith('collection_') ? `contract-${type}` : `national-${type}`);
    }
    expect(JINNIU_DEPARTMENT_SCHEME).toMatchObject({
      id: 'chengdu-jinniu-department',
      subjectType: 'department',
    });
    expect(SHIPPED_SCHEMES.map((s) => s.id)).toEqual([
      ...Object.values(NATIONAL_SCHEMES).map((s) => s.id),
      'chengdu-jinniu-department',
    ]);
  });
  it('reports broken schemes', () => {
    const bad: EvaluationScheme = {
      ...JINNIU_DEPARTMENT_SCHEME,
      indicators: [
        { key: 'nope', weight: 10, transform: 'rate' },
        { key: 'dueCount', weight: 0, transform: 'rate' },
        { key: 'closeRate', weight: 10, transform: 'count_band' },
      ],
      grades: [
        { grade: 'B', min: 60 },
        { grade: 'A', min: 90 },
      ],
    };
    expect(schemeProblems(bad, indicatorsOf('department'))).toEqual([
      'nope: unknown indicator for department',
      'dueCount: weight must be > 0',
      'dueCount: rate does not fit a count',
      'closeRate: count_band does not fit a rate',
      'closeRate: count_band needs bands',
      'grades must be listed highest first',
    ]);
  });
  it('reports broken area class bands', () => {
    const bad: EvaluationScheme = {
      ...NATIONAL_SCHEMES.grid,
      indicators: [
        {
          key: 'filedCount',
          weight: 10,
          transform: 'count_band',
          bands: [{ min: 0, score: 100 }],
          areaClassBands: { A: [{ min: 3, max: 1, score: 50 }], B: [], D: [{ min: 0, score: 101 }] } as never,
        },
        { key: 'closeRate', weight: 10, transform: 'rate', bands: [{ min: 0, score: 100 }] },
      ],
    };
    expect(schemeProblems(bad, indicatorsOf('grid'))).toEqual([
      'filedCount (area class A): band 3–1 is empty',
      'filedCount (area class B): needs bands',
      'filedCount: unknown area class D',
      'filedCount (area class D): band score must be 0–100',
      'closeRate: bands are for count_band only',
    ]);
  });
});

describe('rank', () => {
  it('Jinniu January: YL 1, SZ 2, SZ-01 3, HW 4', () => {
    const scored = evaluate(CASES, JANUARY, 'department').map((r) => ({
      id: r.subjectId,
      s: score(r.indicators, JINNIU_DEPARTMENT_SCHEME).composite,
    }));
    expect(rank(scored, (x) => x.s, { idOf: (x) => x.id }).map((r) => [r.item.id, r.rank])).toEqual([
      ['YL', 1],
      ['SZ', 2],
      ['SZ-01', 3],
      ['HW', 4],
    ]);
  });
  it('ties share a rank and the next rank skips (1, 2, 2, 4); unscored come last unranked', () => {
    const items = [
      { id: 'a', s: 80 },
      { id: 'b', s: 90 },
      { id: 'c', s: 80.001 },
      { id: 'd', s: null },
      { id: 'e', s: 70 },
    ];
    const out = rank(items, (x) => x.s, { idOf: (x) => x.id }).map((r) => [r.item.id, r.rank, r.tied]);
    expect(out).toEqual([
      ['b', 1, false],
      ['a', 2, true],
      ['c', 2, true],
      ['e', 4, false],
      ['d', null, false],
    ]);
  });
  it('ascending order for lower-is-better figures', () => {
    const out = rank([{ v: 0.3 }, { v: 0.1 }], (x) => x.v, { descending: false }).map((r) => r.item.v);
    expect(out).toEqual([0.1, 0.3]);
  });
});
