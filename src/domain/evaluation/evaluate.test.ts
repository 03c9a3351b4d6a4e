/**
 * The entry points (evaluate.ts): the period is a half-open [from, to) with from < to, whichever
 * entry is used; evaluateAll answers the types asked for (all by default), each as evaluate
 * would; the catalogue and the counted sets describe the same indicators.
 */
import { describe, expect, it } from 'vitest';
import { EvaluationRangeError, evaluate, evaluateAll, indicatorDefsOf, indicatorsOf } from './evaluate.js';
import { CASES, JANUARY } from './fixtures.js';
import { SUBJECT_TYPES, type SubjectType } from './types.js';

describe('the period must be [from, to) with from < to', () => {
  const bad = new Date('not a date');
  const periods = {
    'from = to': { ...JANUARY, from: JANUARY.to },
    'from after to': { ...JANUARY, from: JANUARY.to, to: JANUARY.from },
    'from not a date': { ...JANUARY, from: bad },
    'to not a date': { ...JANUARY, to: bad },
  };

  for (const [name, q] of Object.entries(periods)) {
    it(`${name}: refused by evaluate and evaluateAll`, () => {
      expect(() => evaluate(CASES, q, 'grid')).toThrow(EvaluationRangeError);
      expect(() => evaluateAll(CASES, q)).toThrow(EvaluationRangeError);
      expect(() => evaluateAll(CASES, q, ['department'])).toThrow(EvaluationRangeError);
    });
  }

  it('a period of one millisecond is a period', () => {
    const q = { ...JANUARY, to: new Date(JANUARY.from.getTime() + 1) };
    expect(() => evaluate(CASES, q, 'grid')).not.toThrow();
  });
});

describe('evaluateAll', () => {
  it('all subject types by default, each as evaluate gives it', () => {
    const all = evaluateAll(CASES, JANUARY);
    expect(Object.keys(all).sort()).toEqual([...SUBJECT_TYPES].sort());
    for (const type of SUBJECT_TYPES) expect(all[type]).toEqual(evaluate(CASES, JANUARY, type));
  });

  it('only the types asked for', () => {
    const some = evaluateAll(CASES, JANUARY, ['street', 'dispatcher']);
    expect(Object.keys(some).sort()).toEqual(['dispatcher', 'street']);
    expect(some.street).toEqual(evaluate(CASES, JANUARY, 'street'));
  });
});

describe('subjects listed in the query', () => {
  it('a listed subject without cases gets empty figures, in id order among the others', () => {
    const q = { ...JANUARY, subjects: { street: ['510104000', '510104999'] } };
    const ids = evaluate(CASES, q, 'street').map((r) => r.subjectId);
    expect(ids).toEqual(['510104000', '510104001', '510104002', '510104999']);
    const empty = evaluate(CASES, q, 'street')[0]!;
    expect(empty.subjectType).toBe('street');
    expect(empty.indicators.filedCount?.value).toBe(0);
    expect(empty.indicators.closeRate?.value).toBeNull();
  });

  it('a listed subject that has cases is listed once; other types’ lists do not matter', () => {
    const q = { ...JANUARY, subjects: { street: ['510104001'], grid: ['510104001009009'] } };
    expect(evaluate(CASES, q, 'street').map((r) => r.subjectId)).toEqual(['510104001', '510104002']);
  });
});

it('the catalogue lists the counted indicators, key for key', () => {
  for (const type of SUBJECT_TYPES as readonly SubjectType[]) {
    expect(indicatorsOf(type).map((i) => i.key)).toEqual(indicatorDefsOf(type).map((d) => d.key));
    expect(indicatorsOf(type).length).toBeGreaterThan(0);
  }
});
