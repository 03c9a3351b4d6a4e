/** Properties of the 井盖 emergency limits: deadlines, overdue steps, the exception, the dashboard. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcRuns } from '../../../test/helpers/fast-check-runs.js';
import {
  type CoverLimits,
  canDeclareException,
  canRecord,
  checkLimits,
  coverState,
  dashboard,
  deadlines,
  EMERGENCY_STEPS,
  type EmergencyFlow,
  flowStatus,
  repeats,
} from './emergency.js';

const MIN = 60_000;
const t0 = new Date('2026-12-07T08:00:00Z').getTime();
const photo = ['b'.repeat(64)];

/** Limits a city may configure (checkLimits accepts them). */
const limitsArb: fc.Arbitrary<CoverLimits> = fc
  .record({
    ownerOnSiteMinutes: fc.integer({ min: 30, max: 120 }),
    repairHours: fc.integer({ min: 1, max: 12 }),
    extra: fc.integer({ min: 0, max: 48 }),
    tempShare: fc.double({ min: 0.05, max: 1, noNaN: true }),
    checkHours: fc.integer({ min: 1, max: 24 }),
  })
  .map((r) => ({
    ownerOnSiteMinutes: r.ownerOnSiteMinutes,
    temporaryCoverHours: Math.max(0.5, Math.round(r.repairHours * r.tempShare * 2) / 2),
    repairHours: r.repairHours,
    exceptionRepairHours: r.repairHours + r.extra,
    checkHours: r.checkHours,
  }))
  .filter(
    (l) => l.temporaryCoverHours <= l.repairHours && l.temporaryCoverHours * 60 >= l.ownerOnSiteMinutes,
  );

/** A flow of 0–4 steps in order, each some minutes after the one before. */
const flowArb: fc.Arbitrary<EmergencyFlow> = fc
  .record({
    gaps: fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 4 }),
    exception: fc.boolean(),
  })
  .map(({ gaps, exception }) => {
    let t = t0;
    return {
      noticedAt: new Date(t0),
      steps: gaps.map((g, i) => {
        t += g * MIN;
        return { step: EMERGENCY_STEPS[i]!, at: new Date(t), photos: photo };
      }),
      exception: exception ? { reason: '夜间封路方可施工' } : null,
    };
  });

const nowArb = fc.integer({ min: 0, max: 5 * 24 * 60 }).map((m) => new Date(t0 + m * MIN));

describe('井盖 emergency limits (properties)', () => {
  it('every configurable limit is accepted and orders the deadlines: on site ≤ temporary cover ≤ repair', () => {
    fc.assert(
      fc.property(limitsArb, flowArb, (limits, flow) => {
        expect(checkLimits(limits)).toBeNull();
        const d = deadlines(flow, limits);
        expect(d.barrier.getTime()).toBeLessThanOrEqual(d.temporary_cover.getTime());
        expect(d.temporary_cover.getTime()).toBeLessThanOrEqual(d.repair.getTime());
        expect(d.barrier.getTime() - t0).toBe(limits.ownerOnSiteMinutes * MIN);
      }),
      { numRuns: fcRuns(300) },
    );
  });

  it('the exception never shortens the repair limit and moves nothing else', () => {
    fc.assert(
      fc.property(limitsArb, flowArb, (limits, flow) => {
        const plain = deadlines({ ...flow, exception: null }, limits);
        const excused = deadlines({ ...flow, exception: { reason: '需封路施工' } }, limits);
        expect(excused.repair.getTime()).toBeGreaterThanOrEqual(plain.repair.getTime());
        expect(excused.barrier).toEqual(plain.barrier);
        expect(excused.temporary_cover).toEqual(plain.temporary_cover);
        expect(excused.check).toEqual(plain.check);
      }),
      { numRuns: fcRuns(300) },
    );
  });

  it('a step is overdue exactly when done after its deadline, or not done and the deadline has passed', () => {
    fc.assert(
      fc.property(limitsArb, flowArb, nowArb, (limits, flow, now) => {
        const d = deadlines(flow, limits);
        const { overdue, next } = flowStatus(flow, limits, now);
        for (const step of EMERGENCY_STEPS) {
          const due = d[step];
          const done = flow.steps.find((s) => s.step === step)?.at;
          const expected = due === null ? false : done ? done > due : now > due;
          expect(overdue.includes(step)).toBe(expected);
        }
        expect(next).toBe(EMERGENCY_STEPS[flow.steps.length] ?? null);
      }),
      { numRuns: fcRuns(500) },
    );
  });

  it('a longer limit never makes a flow more overdue (monotone in every limit)', () => {
    fc.assert(
      fc.property(limitsArb, flowArb, nowArb, fc.integer({ min: 0, max: 90 }), (limits, flow, now, more) => {
        const looser: CoverLimits = {
          ...limits,
          ownerOnSiteMinutes: Math.min(120, limits.ownerOnSiteMinutes + more),
          repairHours: limits.repairHours + 1,
          exceptionRepairHours: limits.exceptionRepairHours + 1,
          checkHours: limits.checkHours + 1,
        };
        const tight = new Set(flowStatus(flow, limits, now).overdue);
        for (const s of flowStatus(flow, looser, now).overdue) expect(tight.has(s)).toBe(true);
      }),
      { numRuns: fcRuns(300) },
    );
  });

  it('steps recorded within their minute limits leave nothing overdue and the cover normal once checked', () => {
    fc.assert(
      fc.property(
        limitsArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (limits, shares) => {
          // Each step at a share of the time left before its deadline.
          let flow: EmergencyFlow = { noticedAt: new Date(t0), steps: [], exception: null };
          for (const [i, step] of EMERGENCY_STEPS.entries()) {
            const due = deadlines(flow, limits)[step] as Date;
            const prev = flow.steps.at(-1)?.at.getTime() ?? t0;
            const at = new Date(Math.floor(prev + (due.getTime() - prev) * (shares[i] as number)));
            const record = { step, at, photos: photo };
            expect(canRecord(flow, record)).toBeNull();
            flow = { ...flow, steps: [...flow.steps, record] };
          }
          const later = new Date(t0 + 10 * 24 * 60 * MIN);
          expect(flowStatus(flow, limits, later)).toMatchObject({ next: null, overdue: [] });
          expect(coverState(flow, limits, later)).toBe('normal');
        },
      ),
      { numRuns: fcRuns(300) },
    );
  });

  it('the exception can be declared only before the repair and before the normal repair limit', () => {
    fc.assert(
      fc.property(limitsArb, flowArb, nowArb, (limits, flow, now) => {
        const refusal = canDeclareException(flow, limits, '夜间封路方可施工', now);
        const repaired = flow.steps.length >= 3;
        const late = now.getTime() > t0 + limits.repairHours * 60 * MIN;
        if (flow.exception) expect(refusal).toBe('EXCEPTION_ALREADY_TAKEN');
        else if (repaired) expect(refusal).toBe('EXCEPTION_AFTER_REPAIR');
        else if (late) expect(refusal).toBe('EXCEPTION_TOO_LATE');
        else expect(refusal).toBeNull();
        expect(canDeclareException(flow, limits, ' ', now)).toBe('EXCEPTION_REASON_REQUIRED');
      }),
      { numRuns: fcRuns(300) },
    );
  });

  it('the dashboard counts every flow once and a repeat needs two notices within the window', () => {
    const inputArb = fc.array(
      fc.record({
        coverId: fc.constantFrom('C1', 'C2', 'C3'),
        type: fc.constantFrom('rain' as const, 'gas' as const),
        owner: fc.constantFrom('SZ', 'RQ'),
        day: fc.integer({ min: 0, max: 60 }),
        flow: flowArb,
      }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(
        limitsArb,
        inputArb,
        nowArb,
        fc.integer({ min: 1, max: 30 }),
        (limits, inputs, now, days) => {
          const flows = inputs.map((x) => ({
            ...x,
            flow: { ...x.flow, noticedAt: new Date(t0 - x.day * 24 * 60 * MIN) },
          }));
          const cells = dashboard(flows, limits, now, days);
          const open = flows.filter((f) => flowStatus(f.flow, limits, now).next !== null).length;
          expect(cells.reduce((a, c) => a + c.open, 0)).toBe(open);
          for (const c of cells) {
            const mine = flows.filter((f) => f.type === c.type && f.owner === c.owner);
            const covers = new Set(mine.map((f) => f.coverId));
            const expected = [...covers].filter((id) => {
              const ds = mine.filter((f) => f.coverId === id).map((f) => f.day);
              return ds.some((a, i) => ds.some((b, j) => i !== j && Math.abs(a - b) <= days));
            }).length;
            expect(c.repeatCovers).toBe(expected);
          }
        },
      ),
      { numRuns: fcRuns(300) },
    );
    expect(repeats([new Date(t0), new Date(t0 + 3 * 86_400_000)], 2)).toBe(false);
    expect(repeats([new Date(t0), new Date(t0 + 2 * 86_400_000)], 2)).toBe(true);
  });
});
