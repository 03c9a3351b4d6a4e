import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateDemoCity } from '../demo-city/index.js';
import { office2026 } from '../timelimit/fixtures.js';
import { centreCalendar, isWorkingInstant } from '../timelimit/index.js';
import { generateHistory, type HistoryCase } from './index.js';
import { HistoryChecker } from './replay.js';

const city = generateDemoCity();
const JAN1 = new Date('2026-01-01T00:00:00+08:00');

function take(n: number, seed: number, casesPerDay = 2000, from = JAN1): HistoryCase[] {
  const out: HistoryCase[] = [];
  for (const h of generateHistory({ city, from, days: 366, seed, casesPerDay })) {
    out.push(h);
    if (out.length >= n) break;
  }
  return out;
}

const hashOf = (cases: readonly HistoryCase[]) =>
  createHash('sha256').update(JSON.stringify(cases)).digest('hex');

describe('generateHistory: validity', { timeout: 120_000 }, () => {
  it('every event of 8,000 cases is accepted by decide() when replayed with facts from the data', () => {
    const checker = new HistoryChecker(city);
    // Holidays (元旦) and ordinary summer weeks.
    const cases = [...take(4000, 11, 2500), ...take(4000, 11, 2500, new Date('2026-06-29T00:00:00+08:00'))];
    const problems = cases.flatMap((h) => checker.check(h));
    expect(problems).toEqual([]);
    expect(cases).toHaveLength(8000);
    // The sample covers the branches, so the replay above really exercised them.
    const actions = new Set(cases.flatMap((h) => h.events.map((e) => e.action)));
    for (const a of [
      'self_handle',
      'merge',
      'reject',
      'deny',
      'check_fail',
      'return_approve',
      'extend_approve',
      'suspend_approve',
      'resume',
      'void_approve',
      'settle_ownership',
      'overdue',
      'close',
    ] as const) {
      expect(actions, a).toContain(a);
    }
  });

  it('the checker catches a tampered history', () => {
    const [h] = take(40, 3).filter((x) => x.events.some((e) => e.action === 'file'));
    if (!h) throw new Error('no filed case');
    const events = h.events.filter((e) => e.action !== 'file');
    expect(new HistoryChecker(city).check({ ...h, events }).length).toBeGreaterThan(0);
    const back = h.events.map((e, i) => (i === 1 ? { ...e, at: new Date(0) } : e));
    expect(new HistoryChecker(city).check({ ...h, events: back }).join()).toMatch(/back in time/);
  });

  it('leaves events after `until` out: late cases stay open', () => {
    const from = new Date('2026-03-02T00:00:00+08:00');
    const until = new Date('2026-03-02T18:00:00+08:00');
    const cases = [...generateHistory({ city, from, days: 1, seed: 5, casesPerDay: 400, until })];
    expect(cases.length).toBeGreaterThan(300);
    const events = cases.flatMap((h) => h.events);
    expect(events.every((e) => e.at.getTime() <= until.getTime())).toBe(true);
    expect(cases.some((h) => h.events.at(-1)?.to === 'handling' || h.events.at(-1)?.to === 'reported')).toBe(
      true,
    );
    const checker = new HistoryChecker(city);
    expect(cases.flatMap((h) => checker.check(h))).toEqual([]);
  });

  it('rejects bad options', () => {
    const bad = (o: Partial<Parameters<typeof generateHistory>[0]>) => () =>
      generateHistory({ city, from: JAN1, days: 1, seed: 1, ...o }).next();
    expect(bad({ days: 0 })).toThrow(RangeError);
    expect(bad({ days: 1.5 })).toThrow(RangeError);
    expect(bad({ seed: 0.5 })).toThrow(RangeError);
    expect(bad({ casesPerDay: -1 })).toThrow(RangeError);
    expect(bad({ from: new Date(Number.NaN) })).toThrow(RangeError);
    expect(bad({ holidays: ['2026-13-01'] })).toThrow(RangeError);
  });
});

describe('generateHistory: determinism', { timeout: 120_000 }, () => {
  it('the same seed gives the same cases; another seed gives others', () => {
    const a = hashOf(take(3000, 42));
    expect(hashOf(take(3000, 42))).toBe(a);
    expect(hashOf(take(3000, 43))).not.toBe(a);
  });

  it('case keys are unique and follow report order per district, day and kind', () => {
    const cases = take(5000, 9);
    const keys = cases.map((h) => h.case.caseKey);
    expect(new Set(keys).size).toBe(keys.length);
    const first = cases[0]?.case.caseKey ?? '';
    expect(first).toMatch(/^[0-9]{6}-20260101-[CE]-0001$/);
  });
});

describe('generateHistory: realism over a year (seed 2026, 250 reports a day)', { timeout: 120_000 }, () => {
  const cases = [...generateHistory({ city, from: JAN1, days: 365, seed: 2026, casesPerDay: 250 })];
  const localDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000);
  const share = (pred: (h: HistoryCase) => boolean, of: (h: HistoryCase) => boolean = () => true) => {
    const pool = cases.filter(of);
    return pool.filter(pred).length / pool.length;
  };
  const did = (h: HistoryCase, action: string) => h.events.some((e) => e.action === action);
  const dispatched = (h: HistoryCase) => did(h, 'dispatch') || did(h, 'settle_ownership');

  it('volume: about casesPerDay × days, fewer on weekends', () => {
    expect(cases.length).toBeGreaterThan(250 * 365 * 0.95);
    expect(cases.length).toBeLessThan(250 * 365 * 1.08);
    const perDay = new Map<string, number>();
    for (const h of cases) {
      const k = localDay(h.case.reportedAt).toISOString().slice(0, 10);
      perDay.set(k, (perDay.get(k) ?? 0) + 1);
    }
    const weekend: number[] = [];
    const weekday: number[] = [];
    for (const [k, n] of perDay)
      (([0, 6] as number[]).includes(new Date(k).getUTCDay()) ? weekend : weekday).push(n);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(`weekday mean ${mean(weekday).toFixed(0)}, weekend mean ${mean(weekend).toFixed(0)}`);
    expect(mean(weekend)).toBeLessThan(mean(weekday) * 0.8);
  });

  it('seasons: 暴露垃圾, 道路积水 and 露天烧烤 peak in summer; 焚烧树叶垃圾 in winter', () => {
    const month = (h: HistoryCase) => localDay(h.case.reportedAt).getUTCMonth();
    const summer = (h: HistoryCase) => [5, 6, 7].includes(month(h));
    const winter = (h: HistoryCase) => [0, 1, 11].includes(month(h));
    for (const code of ['0102', '0406', '0510']) {
      const is = (h: HistoryCase) => h.case.kind === 'event' && h.case.categoryCode === code;
      expect(share(is, summer), code).toBeGreaterThan(share(is, winter) * 1.5);
    }
    const burning = (h: HistoryCase) => h.case.kind === 'event' && h.case.categoryCode === '0115';
    expect(share(burning, winter)).toBeGreaterThan(share(burning, summer) * 1.5);
  });

  it('source mix: supervisors ≈ 60 %, 12345 ≈ 20 %, the rest public, cameras, sensors', () => {
    const of = (s: string) => share((h) => h.case.source === s);
    expect(of('supervisor')).toBeGreaterThan(0.56);
    expect(of('supervisor')).toBeLessThan(0.64);
    expect(of('hotline_12345')).toBeGreaterThan(0.18);
    expect(of('hotline_12345')).toBeLessThan(0.24);
    for (const s of ['public', 'video_ai', 'iot', 'leader', 'media']) expect(of(s), s).toBeGreaterThan(0.004);
  });

  it('branch shares lie in the intended bands', () => {
    const rates = {
      rework: share((h) => did(h, 'check_fail'), dispatched),
      return: share((h) => did(h, 'return_approve'), dispatched),
      extension: share((h) => did(h, 'extend_request'), dispatched),
      suspension: share((h) => did(h, 'suspend_approve'), dispatched),
      void: share(
        (h) => did(h, 'void_approve'),
        (h) => did(h, 'file'),
      ),
      rejectPublic: share(
        (h) => did(h, 'reject'),
        (h) => !['supervisor', 'leader'].includes(h.case.source),
      ),
      merged: share((h) => did(h, 'merge')),
      overdue: share((h) => did(h, 'overdue')),
      selfHandled: share((h) => did(h, 'self_handle')),
    };
    console.log(rates);
    expect(rates.rework).toBeGreaterThan(0.03);
    expect(rates.rework).toBeLessThan(0.08);
    expect(rates.return).toBeGreaterThan(0.02);
    expect(rates.return).toBeLessThan(0.05);
    expect(rates.extension).toBeGreaterThan(0.02);
    expect(rates.extension).toBeLessThan(0.04);
    expect(rates.suspension).toBeGreaterThan(0.005);
    expect(rates.suspension).toBeLessThan(0.02);
    expect(rates.void).toBeGreaterThan(0.005);
    expect(rates.void).toBeLessThan(0.02);
    expect(rates.rejectPublic).toBeGreaterThan(0.07);
    expect(rates.rejectPublic).toBeLessThan(0.14);
    expect(rates.merged).toBeGreaterThan(0.01);
    expect(rates.merged).toBeLessThan(0.04);
    expect(rates.overdue).toBeGreaterThan(0.02);
    expect(rates.overdue).toBeLessThan(0.3);
  });

  it('departments differ: 通信 units run late more often than 环卫 units', () => {
    const lateHandle = (h: HistoryCase) =>
      h.events.some((e) => e.payload.steps?.some((s) => s.step === 'handle' && s.late));
    const deptOf = (h: HistoryCase) => h.events.find((e) => e.action === 'sign')?.departmentCode ?? '';
    const tx = share(lateHandle, (h) => deptOf(h).startsWith('TX'));
    const hw = share(lateHandle, (h) => deptOf(h).startsWith('HW'));
    console.log(`late handling: TX ${tx.toFixed(3)}, HW ${hw.toFixed(3)}`);
    expect(tx).toBeGreaterThan(hw * 1.5);
  });

  it('timing: patrol reports 08–21 h; the centre files and dispatches in its duty hours, every day', () => {
    const hour = (d: Date) => localDay(d).getUTCHours();
    const patrol = cases.filter((h) => h.case.source === 'supervisor');
    expect(patrol.every((h) => hour(h.case.reportedAt) >= 8 && hour(h.case.reportedAt) < 21)).toBe(true);
    // Emergencies run on calendar time (the centre answers them at night too); the rest on the
    // centre's duty calendar, 08:00–21:00 every day including weekends and holidays.
    const centre = cases
      .filter((h) => h.case.urgency === 'normal')
      .flatMap((h) => h.events.filter((e) => e.action === 'file' || e.action === 'dispatch'));
    const duty = centreCalendar();
    const inHours = centre.filter((e) => isWorkingInstant(duty, new Date(e.at.getTime() - 1))).length;
    expect(inHours / centre.length).toBeGreaterThan(0.97);
    // …so some of that work falls outside office hours (evenings, weekends, holidays).
    const office = office2026();
    const outsideOffice = centre.filter(
      (e) => !isWorkingInstant(office, new Date(e.at.getTime() - 1)),
    ).length;
    expect(outsideOffice / centre.length).toBeGreaterThan(0.2);
  });
});

describe('generateHistory: speed', { timeout: 120_000 }, () => {
  it('streams 100,000 cases (rate printed, not asserted)', () => {
    const t0 = performance.now();
    let n = 0;
    let events = 0;
    for (const h of generateHistory({ city, from: JAN1, days: 40, seed: 1, casesPerDay: 2500 })) {
      n++;
      events += h.events.length;
    }
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `history generator: ${n} cases, ${events} events in ${seconds.toFixed(2)} s = ${(n / seconds).toFixed(0)} cases/s`,
    );
    expect(n).toBeGreaterThan(95_000);
    expect(events).toBeGreaterThan(n * 5);
  });
});
