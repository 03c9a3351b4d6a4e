/** The simulated staff's waits and channels: fixed per (case, step), within their ranges. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHANNEL_SHARES,
  pickChannel,
  REQUEST_WAIT_SECONDS,
  SLOW_FACTOR,
  SLOW_SHARE,
  WAIT_SECONDS,
  waitMs,
} from './policy.js';

describe('demo policy', () => {
  it('a wait is the same on every tick, within its range or its slow multiple, and pace divides it', () => {
    const states = Object.keys(WAIT_SECONDS) as (keyof typeof WAIT_SECONDS)[];
    fc.assert(
      fc.property(
        fc.constantFrom(...states),
        fc.boolean(),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 10_000 }),
        (state, pending, id, seq) => {
          const w = waitMs(state, pending, id, seq) as number;
          expect(waitMs(state, pending, id, seq)).toBe(w);
          const [lo, hi] = pending
            ? REQUEST_WAIT_SECONDS
            : (WAIT_SECONDS[state] as readonly [number, number]);
          const ok =
            (w >= lo * 1000 && w <= hi * 1000) ||
            (w >= lo * 1000 * SLOW_FACTOR && w <= hi * 1000 * SLOW_FACTOR);
          expect(ok).toBe(true);
          expect(waitMs(state, pending, id, seq, 4)).toBeCloseTo(w / 4, 6);
        },
      ),
    );
  });

  it('terminal states have no wait; about the slow share of steps is left lying', () => {
    expect(waitMs('closed', false, 1, 1)).toBeNull();
    let slow = 0;
    const n = 20_000;
    for (let id = 1; id <= n; id++) if ((waitMs('filed', false, id, 5) as number) > 75_000) slow++;
    expect(slow / n).toBeGreaterThan(SLOW_SHARE * 0.8);
    expect(slow / n).toBeLessThan(SLOW_SHARE * 1.2);
  });

  it('channels follow their shares', () => {
    const counts = new Map<string, number>();
    const n = 10_000;
    for (let i = 0; i < n; i++) {
      const c = pickChannel(i / n);
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    for (const [c, share] of CHANNEL_SHARES)
      expect(Math.abs((counts.get(c) ?? 0) / n - share)).toBeLessThan(0.002);
  });
});
