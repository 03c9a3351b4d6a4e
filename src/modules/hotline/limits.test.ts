/** The rule lookup and the retry schedule, without a database. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMIT_RULES, ruleFor } from './limits.js';
import { BASE_BACKOFF_MS, backoffMs, MAX_BACKOFF_MS } from './outbox.js';

describe('hotline limit rules', () => {
  it("takes the 诉求类型's own row, else the system's '*' row", () => {
    expect(ruleFor(DEFAULT_LIMIT_RULES, '咨询', 'reply')).toMatchObject({ amount: 1, unit: 'working_days' });
    expect(ruleFor(DEFAULT_LIMIT_RULES, '投诉', 'reply')).toMatchObject({ amount: 10, unit: 'working_days' });
    expect(ruleFor(DEFAULT_LIMIT_RULES, '求助', 'reply')).toMatchObject({ appealType: '*', amount: 5 });
    expect(ruleFor(DEFAULT_LIMIT_RULES, '咨询', 'sign')).toMatchObject({
      appealType: '*',
      amount: 2,
      unit: 'working_hours',
    });
    expect(ruleFor([], '咨询', 'sign')).toBeNull();
  });
});

describe('outbox backoff', () => {
  it('doubles from the base after each failed attempt, up to the cap', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([1, 2, 4, 8].map((f) => f * BASE_BACKOFF_MS));
    expect(backoffMs(40)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(0)).toBe(BASE_BACKOFF_MS);
  });
});
