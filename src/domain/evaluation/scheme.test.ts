/** Scores, grades and rankings on the January fixtures (hand-computed composites). */
import { describe, expect, it } from 'vitest';
import { evaluate, indicatorsOf } from './evaluate.js';
import { CASES, FEBRUARY, JANUARY } from './fixtures.js';
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
  INTAKE_COUNT_BANDS,
  JINNIU_DEPARTMENT_SCHEME,
  NATIONAL_SCHEMES,
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
  it('national department: SZ = 10·40 (立案数 4 → band 40) + 30·1 + 30·0.5 + 30·1 = 79 → B', () => {
    const s = score(indicatorsFor('department', 'SZ'), NATIONAL_SCHEMES.department);
    expect(s.composite).toBe(79);
    expect(s.grade).toBe('B');
    expect(s.contributions[0]).toMatchObject({ key: 'caseCount', value: 4, points: 40 });
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
