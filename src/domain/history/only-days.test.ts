/** `onlyDays`: the demo writes a span one day at a time (newest first) and must get the same cases. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateDemoCity } from '../demo-city/index.js';
import { generateHistory, type HistoryCase } from './index.js';

const city = generateDemoCity();
const from = new Date('2026-03-02T00:00:00+08:00');
const until = new Date('2026-03-06T15:00:00+08:00');
const span = { city, from, days: 5, seed: 3, casesPerDay: 25, until };
const dayOf = (h: HistoryCase) => h.case.caseKey.split('-')[1];

describe('generateHistory: onlyDays', { timeout: 120_000 }, () => {
  const all = [...generateHistory(span)];

  it('each day alone gives exactly that day of the whole span, whatever order the days are asked in', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 1 }), (order) => {
        const parts = order.flatMap((d) => [...generateHistory({ ...span, onlyDays: new Set([d]) })]);
        const days = new Set(parts.map(dayOf));
        expect(days.size).toBe(order.length);
        const expected = all.filter((h) => days.has(dayOf(h)));
        expect(JSON.stringify([...parts].sort((a, b) => a.case.caseKey.localeCompare(b.case.caseKey)))).toBe(
          JSON.stringify([...expected].sort((a, b) => a.case.caseKey.localeCompare(b.case.caseKey))),
        );
      }),
      { numRuns: 8 },
    );
  });

  it('an empty selection generates nothing', () => {
    expect([...generateHistory({ ...span, onlyDays: new Set() })]).toEqual([]);
    expect(all.length).toBeGreaterThan(50);
  });
});
