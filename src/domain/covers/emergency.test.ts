import { describe, expect, it } from 'vitest';
import {
  canRecord,
  canTakeException,
  checkLimits,
  coverState,
  coverTypeOfCategory,
  DEFAULT_COVER_LIMITS,
  dashboard,
  deadlines,
  type EmergencyFlow,
  flowStatus,
} from './emergency.js';

const t0 = new Date('2026-12-07T08:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const photo = ['a'.repeat(64)];
const flow = (
  steps: Array<[EmergencyFlow['steps'][number]['step'], number]>,
  exception = false,
): EmergencyFlow => ({
  noticedAt: t0,
  steps: steps.map(([step, m]) => ({ step, at: at(m), photos: photo })),
  exception: exception ? { reason: '需封路施工，夜间方可作业' } : null,
});

describe('井盖 emergency flow', () => {
  it('takes the steps in order, each with photos, none before the one before', () => {
    const f = flow([['barrier', 20]]);
    expect(canRecord(f, { step: 'repair', at: at(30), photos: photo })).toBe('STEP_OUT_OF_ORDER');
    expect(canRecord(f, { step: 'temporary_cover', at: at(30), photos: [] })).toBe('STEP_PHOTOS_REQUIRED');
    expect(canRecord(f, { step: 'temporary_cover', at: at(10), photos: photo })).toBe('STEP_BEFORE_PREVIOUS');
    expect(canRecord(f, { step: 'temporary_cover', at: at(30), photos: photo })).toBeNull();
    expect(canRecord(flow([]), { step: 'barrier', at: at(5), photos: photo })).toBeNull();
  });

  it('gives each step its limit: owner on site, temporary cover, repair in 6 h or 36 h by exception, check after repair', () => {
    const d = deadlines(flow([]), DEFAULT_COVER_LIMITS);
    expect(d).toEqual({ barrier: at(30), temporary_cover: at(180), repair: at(360), check: null });
    expect(deadlines(flow([], true), DEFAULT_COVER_LIMITS).repair).toEqual(at(36 * 60));
    expect(
      deadlines(
        flow([
          ['barrier', 10],
          ['temporary_cover', 60],
          ['repair', 300],
        ]),
        DEFAULT_COVER_LIMITS,
      ).check,
    ).toEqual(at(420));
    expect(deadlines(flow([]), { ...DEFAULT_COVER_LIMITS, ownerOnSiteMinutes: 120 }).barrier).toEqual(
      at(120),
    );
  });

  it('the exception needs a reason; limits stay within what the rules allow', () => {
    expect(canTakeException('')).toBe('EXCEPTION_REASON_REQUIRED');
    expect(canTakeException('  ')).toBe('EXCEPTION_REASON_REQUIRED');
    expect(canTakeException('需封路施工')).toBeNull();
    expect(checkLimits(DEFAULT_COVER_LIMITS)).toBeNull();
    expect(checkLimits({ ...DEFAULT_COVER_LIMITS, ownerOnSiteMinutes: 20 })?.field).toBe(
      'ownerOnSiteMinutes',
    );
    expect(checkLimits({ ...DEFAULT_COVER_LIMITS, ownerOnSiteMinutes: 121 })?.field).toBe(
      'ownerOnSiteMinutes',
    );
    expect(checkLimits({ ...DEFAULT_COVER_LIMITS, repairHours: 40 })?.field).toBe('repairHours');
  });

  it('tells the next step, the overdue ones and the repair time', () => {
    const late = flow([
      ['barrier', 45],
      ['temporary_cover', 120],
    ]);
    expect(flowStatus(late, DEFAULT_COVER_LIMITS, at(200))).toEqual({
      next: 'repair',
      overdue: ['barrier'],
      repairMinutes: null,
    });
    expect(flowStatus(late, DEFAULT_COVER_LIMITS, at(361)).overdue).toEqual(['barrier', 'repair']);
    // The exception moves the repair's limit to 36 h.
    expect(
      flowStatus(
        flow(
          [
            ['barrier', 10],
            ['temporary_cover', 60],
          ],
          true,
        ),
        DEFAULT_COVER_LIMITS,
        at(600),
      ).overdue,
    ).toEqual([]);
    const done = flow([
      ['barrier', 10],
      ['temporary_cover', 60],
      ['repair', 240],
      ['check', 300],
    ]);
    expect(flowStatus(done, DEFAULT_COVER_LIMITS, at(10_000))).toEqual({
      next: null,
      overdue: [],
      repairMinutes: 240,
    });
  });

  it('sums the dashboard by cover type × owner: open, overdue, average repair time, repeat covers', () => {
    const done = (m: number) =>
      flow([
        ['barrier', 10],
        ['temporary_cover', 60],
        ['repair', m],
        ['check', m + 30],
      ]);
    const cells = dashboard(
      [
        { coverId: 'C1', type: 'rain', owner: 'SZ', flow: done(200) },
        { coverId: 'C1', type: 'rain', owner: 'SZ', flow: done(300) },
        { coverId: 'C2', type: 'rain', owner: 'SZ', flow: flow([['barrier', 50]]) },
        { coverId: 'C3', type: 'gas', owner: 'RQ', flow: flow([]) },
      ],
      DEFAULT_COVER_LIMITS,
      at(100),
    );
    expect(cells).toEqual([
      { type: 'gas', owner: 'RQ', open: 1, overdue: 1, averageRepairMinutes: null, repeatCovers: 0 },
      { type: 'rain', owner: 'SZ', open: 1, overdue: 1, averageRepairMinutes: 250, repeatCovers: 1 },
    ]);
  });

  it('reads the cover type of a 部件 class in either scheme, and nothing else as a cover', () => {
    expect(coverTypeOfCategory('0103')).toBe('rain');
    expect(coverTypeOfCategory('0104')).toBe('rain');
    expect(coverTypeOfCategory('0111')).toBe('gas');
    expect(coverTypeOfCategory('01011')).toBe('gas');
    expect(coverTypeOfCategory('0114')).toBe('other');
    expect(coverTypeOfCategory('0118')).toBeNull();
    expect(coverTypeOfCategory('0209')).toBeNull();
  });

  it('colours a cover by its flow: normal, open, made safe, overdue', () => {
    expect(coverState(null, DEFAULT_COVER_LIMITS, at(10))).toBe('normal');
    expect(coverState(flow([]), DEFAULT_COVER_LIMITS, at(10))).toBe('open');
    expect(coverState(flow([]), DEFAULT_COVER_LIMITS, at(31))).toBe('overdue');
    const safe = flow([
      ['barrier', 10],
      ['temporary_cover', 60],
    ]);
    expect(coverState(safe, DEFAULT_COVER_LIMITS, at(100))).toBe('made_safe');
    expect(coverState(safe, DEFAULT_COVER_LIMITS, at(361))).toBe('overdue');
    // A temporary cover due before the owner must be on site is refused as configuration.
    expect(
      checkLimits({ ...DEFAULT_COVER_LIMITS, ownerOnSiteMinutes: 120, temporaryCoverHours: 1 })?.field,
    ).toBe('temporaryCoverHours');
  });
});
