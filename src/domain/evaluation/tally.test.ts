/** Case sets per subject and the figures built from them (tally.ts), by hand. */
import { describe, expect, it } from 'vitest';
import { byId, countFigure, rateFigure, Tally } from './tally.js';

describe('byId: case ids in numeric order', () => {
  it('plain integers by value; others by natural order', () => {
    expect(['10', '9', '100', '11', '2'].sort(byId)).toEqual(['2', '9', '10', '11', '100']);
    expect(byId('12', '12')).toBe(0);
    expect(byId('12', '13')).toBeLessThan(0);
    expect(byId('13', '12')).toBeGreaterThan(0);
    expect(['SZ-10', 'SZ-9', 'HW', 'C2', 'C10'].sort(byId)).toEqual(['C2', 'C10', 'HW', 'SZ-9', 'SZ-10']);
    // A leading zero is not a plain integer: natural order still puts it by value.
    expect(['010', '9'].sort(byId)).toEqual(['9', '010']);
    // Only ids made of digits alone are compared by length: a letter anywhere means natural order.
    expect(['B1', 'A10'].sort(byId)).toEqual(['A10', 'B1']);
    expect(['10', '2B'].sort(byId)).toEqual(['2B', '10']);
    expect(['9Z', '1ZZ'].sort(byId)).toEqual(['1ZZ', '9Z']);
    expect(['A', '10'].sort(byId)).toEqual(['10', 'A']);
    expect(['10', 'A'].sort(byId)).toEqual(['10', 'A']);
  });
});

describe('figures', () => {
  it('a count: its size, with its sorted list', () => {
    const f = countFigure(new Set(['10', '2', '33']));
    expect(f).toMatchObject({ kind: 'count', value: 3, numerator: 3, denominator: 3 });
    expect(f.caseIds.numerator).toEqual(['2', '10', '33']);
    expect(f.caseIds.denominator).toEqual(['2', '10', '33']);
  });

  it('a rate: numerator / denominator, none on an empty denominator', () => {
    const f = rateFigure(new Set(['3']), new Set(['3', '1', '20', '4']));
    expect(f).toMatchObject({ kind: 'rate', value: 0.25, numerator: 1, denominator: 4 });
    expect(f.caseIds.numerator).toEqual(['3']);
    expect(f.caseIds.denominator).toEqual(['1', '3', '4', '20']);
    expect(rateFigure(new Set(), new Set())).toMatchObject({ value: null, numerator: 0, denominator: 0 });
    expect(rateFigure(new Set(), new Set(['1'])).value).toBe(0);
  });
});

describe('Tally', () => {
  it('collects sets per subject, ignores a missing subject, lists touched subjects too', () => {
    const t = new Tally();
    t.add('B', 'filed', '2');
    t.add('B', 'filed', '2');
    t.add('A', 'filed', '1');
    t.add(null, 'filed', '3');
    t.add(undefined, 'filed', '4');
    t.touch('C');
    t.touch('A');
    expect(t.subjects()).toEqual(['A', 'B', 'C']);
    expect([...t.get('B', 'filed')]).toEqual(['2']);
    expect([...t.get('C', 'filed')]).toEqual([]);
    expect([...t.get('nobody', 'filed')]).toEqual([]);
  });

  it('judge + finish: on time only if every judged act was on time', () => {
    const t = new Tally();
    t.judge('D', 'sign', '1', false);
    t.judge('D', 'sign', '2', true);
    t.judge('D', 'sign', '3', false);
    t.judge('D', 'sign', '3', true); // signed twice, once late
    t.judge('E', 'sign', '9', false);
    t.finish('sign');
    expect([...t.get('D', 'sign')].sort()).toEqual(['1', '2', '3']);
    expect([...t.get('D', 'sign:late')].sort()).toEqual(['2', '3']);
    expect([...t.get('D', 'sign:onTime')]).toEqual(['1']);
    expect([...t.get('E', 'sign:onTime')]).toEqual(['9']);
  });

  it('derive: minus and union', () => {
    const t = new Tally();
    for (const id of ['1', '2', '3']) t.add('D', 'a', id);
    for (const id of ['3', '4']) t.add('D', 'b', id);
    t.derive('a-b', 'a', 'b');
    t.derive('a+b', 'a', 'b', 'union');
    expect([...t.get('D', 'a-b')].sort()).toEqual(['1', '2']);
    expect([...t.get('D', 'a+b')].sort()).toEqual(['1', '2', '3', '4']);
  });

  it('results: every subject with every indicator, counts and rates', () => {
    const t = new Tally();
    t.add('D2', 'due', '1');
    t.add('D2', 'due', '2');
    t.add('D2', 'closed', '2');
    t.touch('D1');
    const label = { zh: '测', en: 'T' };
    const results = t.results('department', [
      { key: 'dueCount', kind: 'count', set: 'due', higherIsBetter: false, label },
      { key: 'closeRate', kind: 'rate', num: 'closed', den: 'due', higherIsBetter: true, label },
    ]);
    expect(
      results.map((r) => [
        r.subjectType,
        r.subjectId,
        r.indicators.dueCount?.value,
        r.indicators.closeRate?.value,
      ]),
    ).toEqual([
      ['department', 'D1', 0, null],
      ['department', 'D2', 2, 0.5],
    ]);
  });
});
