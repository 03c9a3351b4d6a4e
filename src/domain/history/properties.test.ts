import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateDemoCity } from '../demo-city/index.js';
import { generateHistory } from './index.js';
import { isoOf } from './iso.js';
import { HistoryChecker } from './replay.js';

const city = generateDemoCity();
const DAY_MS = 86_400_000;
const JAN1 = Date.parse('2026-01-01T00:00:00+08:00');

describe('history properties', () => {
  it('any seed and start day: every case is valid and its timestamps never go backwards', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }),
        fc.integer({ min: 0, max: 364 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 10, max: 80 }),
        (seed, dayOffset, days, casesPerDay) => {
          const from = new Date(JAN1 + dayOffset * DAY_MS);
          const checker = new HistoryChecker(city);
          let n = 0;
          for (const h of generateHistory({ city, from, days, seed, casesPerDay })) {
            n++;
            expect(checker.check(h)).toEqual([]);
            const times = h.events.map((e) => e.at.getTime());
            expect(times.every((t, i) => i === 0 || t >= (times[i - 1] ?? t))).toBe(true);
            expect(h.events.length).toBeGreaterThan(0);
          }
          expect(n).toBeGreaterThan(0);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('isoOf matches Date#toISOString', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_000_000_000_000, max: 250_000_000_000_000 }), (ms) => {
        expect(isoOf(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
  });

  it('isoOf drops a fraction of a millisecond as Date does (deadlines after a resume)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 250_000_000_000_000 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (ms, fraction) => {
          expect(isoOf(ms + fraction)).toBe(new Date(ms + fraction).toISOString());
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('history edge', () => {
  it('the last day of a span never yields a case without events (late duplicates are left out)', () => {
    const from = new Date(JAN1 + 363 * DAY_MS);
    for (const seed of [-324211417, 1, 2, 3]) {
      const cases = [...generateHistory({ city, from, days: 2, seed, casesPerDay: 400 })];
      expect(cases.length).toBeGreaterThan(0);
      expect(cases.every((h) => h.events.length > 0)).toBe(true);
    }
  });
});
