/**
 * 运行统计 (statistics.ts): which cases a span holds, how filters and the local time apply, and
 * the groups' figures, by hand from small logs.
 */
import { describe, expect, it } from 'vitest';
import { G1, G2, mk } from './fixtures.js';
import { localHourOf, statistics } from './statistics.js';

const t = (s: string): Date => new Date(`2026-${s}:00+08:00`);

// Reported at the span's edges and in between; all in G1 unless noted.
const before = mk('1', G1, 'supervisor', '0101', ['01-01T23:59 report s1 new>reported']);
const atFrom = mk('2', G1, 'supervisor', '0101', ['01-02T00:00 report s1 new>reported']);
const lateNight = mk('3', G1, 'hotline', '0501', ['01-10T23:30 report c1 new>reported']);
const closed = mk('4', G2, 'supervisor', '0101', ['01-12T09:00 self_handle s2 new>closed']);
const filedOpen = mk('5', G2, 'supervisor', '0101', [
  '01-12T09:00 report s2 new>reported',
  '01-12T10:00 file L1 reported>filed',
]);
const atTo = mk('6', G1, 'supervisor', '0101', ['02-01T00:00 report s1 new>reported']);
const CASES = [before, atFrom, lateNight, closed, filedOpen, atTo];
const SPAN = { from: t('01-02T00:00'), to: t('02-01T00:00'), asOf: t('02-10T00:00') };

const byGrid = (v: { c: { gridCode: string } }) => [v.c.gridCode];
const reported = (groups: ReturnType<typeof statistics>) =>
  Object.fromEntries(groups.map((g) => [g.key, g.indicators.reportCount?.caseIds.numerator]));

describe('statistics', () => {
  it('the span is half-open: a case reported at `from` is in, one at `to` or before `from` is out', () => {
    expect(reported(statistics(CASES, SPAN, byGrid))).toEqual({
      [G1]: ['2', '3'],
      [G2]: ['4', '5'],
    });
  });

  it('filters apply: only the component cases (category 01)', () => {
    expect(reported(statistics(CASES, { ...SPAN, filters: { categories: ['01'] } }, byGrid))).toEqual({
      [G1]: ['2'],
      [G2]: ['4', '5'],
    });
  });

  it('time slots are local hours, +08:00 unless the query says otherwise', () => {
    const night = { timeSlots: [{ fromHour: 23, toHour: 24 }] };
    expect(reported(statistics(CASES, { ...SPAN, filters: night }, byGrid))).toEqual({ [G1]: ['3'] });
    // At UTC, C3 was reported at 15:30, so the 23:00 slot holds nothing.
    expect(statistics(CASES, { ...SPAN, filters: night, utcOffsetMinutes: 0 }, byGrid)).toEqual([]);
  });

  it('handling hours: filing → closing of the closed cases; a group without one has 0 of 0', () => {
    const groups = statistics(CASES, SPAN, byGrid);
    expect(groups.map((g) => [g.key, g.handlingHours])).toEqual([
      [G1, { sum: 0, count: 0 }],
      [G2, { sum: 0, count: 1 }], // C4 self-handled: filed and closed at once
    ]);
  });

  it('a case counts in every group it names, and in none when it names none', () => {
    const groups = statistics(CASES, SPAN, (v) => (v.id === '5' ? ['x', 'y'] : []));
    expect(reported(groups)).toEqual({ x: ['5'], y: ['5'] });
  });
});

describe('localHourOf', () => {
  it('the local hour of the report: +08:00 by default', () => {
    expect(localHourOf(lateNight)).toBe(23);
    expect(localHourOf(lateNight, 0)).toBe(15);
    expect(localHourOf(atFrom)).toBe(0);
    expect(localHourOf(atFrom, -60)).toBe(15);
  });
});
