/** The anti-fraud rules one by one, and their properties (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcRuns } from '../../../test/helpers/fast-check-runs.js';
import { distanceM } from './geo.js';
import { dHash, hamming } from './phash.js';
import {
  bursts,
  copies,
  detectFlags,
  photoReuse,
  poissonTail,
  quotaPeriodEnd,
  trackPositionAt,
} from './rules.js';
import { type ReportFact, DEFAULT_THRESHOLDS as T, type TrackFix } from './types.js';

const MIN = 60_000;
const T0 = Date.parse('2026-03-10T09:00:00+08:00');
const LNG = 104.07;
const LAT = 30.66;
/** Metres east / north to degrees near the demo city. */
const east = (m: number) => m / (111_320 * Math.cos((LAT * Math.PI) / 180));
const north = (m: number) => m / 111_320;
const all = () => true;

let n = 0;
const report = (o: Partial<ReportFact> = {}): ReportFact => ({
  caseId: `c${++n}`,
  reporterId: 'u1',
  at: T0,
  lng: LNG,
  lat: LAT,
  categoryCode: '0101',
  photoHashes: [],
  ...o,
});
const fix = (at: number, dx = 0, dy = 0, userId = 'u1'): TrackFix => ({
  userId,
  at,
  lng: LNG + east(dx),
  lat: LAT + north(dy),
});

describe('perceptual hash', () => {
  it('dHash sets a bit where a pixel is brighter than its right neighbour', () => {
    const grey = Array.from({ length: 72 }, (_, i) => (i % 9 === 0 ? 200 : 10));
    const h = dHash(grey);
    // Each row: first pair 1 (200 > 10), the other seven 0.
    expect(h).toBe(BigInt(`0b${'10000000'.repeat(8)}`));
    expect(() => dHash([1, 2, 3])).toThrow(RangeError);
  });

  it('Hamming distance is a metric on 64-bit hashes', () => {
    const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    fc.assert(
      fc.property(u64, u64, u64, (a, b, c) => {
        expect(hamming(a, a)).toBe(0);
        expect(hamming(a, b)).toBe(hamming(b, a));
        expect(hamming(a, b)).toBeLessThanOrEqual(64);
        expect(hamming(a, c)).toBeLessThanOrEqual(hamming(a, b) + hamming(b, c));
        expect(hamming(a, BigInt.asIntN(64, b))).toBe(hamming(a, b));
      }),
      { numRuns: fcRuns(300) },
    );
  });
});

describe('photo reuse', () => {
  it('flags the later report of a near-same photo, with the earlier case; not the first, not far bits', () => {
    const h = 0x0123456789abcdefn;
    const first = report({ photoHashes: [h] });
    const again = report({ at: T0 + 86_400_000, reporterId: 'u2', photoHashes: [h ^ 0b1011n] });
    const other = report({ at: T0 + 2 * 86_400_000, photoHashes: [h ^ 0xffffn] });
    const flags = photoReuse([again, first, other], T, all);
    expect(flags).toEqual([
      expect.objectContaining({ kind: 'photo_reuse', caseId: again.caseId, relatedCaseId: first.caseId }),
    ]);
    expect(flags[0]?.evidence.hammingBits).toBe(3);
    // Beyond the lookback it is not looked for.
    const late = report({ at: T0 + (T.photoLookbackDays + 1) * 86_400_000, photoHashes: [h] });
    expect(photoReuse([first, late], T, all)).toEqual([]);
  });

  it('the banded index finds exactly what comparing every pair finds', () => {
    const hash = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(hash, fc.nat(63), fc.integer({ min: 0, max: 10 })), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 0, max: 10 }),
        (items, maxBits) => {
          // Each report: a base hash or a copy of an earlier one with some bits flipped.
          const reports: ReportFact[] = [];
          items.forEach(([h, pick, flips], i) => {
            let x = h;
            const src = reports[pick % Math.max(1, reports.length)];
            if (src && pick % 2 === 0) {
              x = src.photoHashes[0] as bigint;
              for (let b = 0; b < flips; b++) x ^= 1n << BigInt((b * 7 + i) % 64);
            }
            reports.push(report({ at: T0 + i * MIN, photoHashes: [x] }));
          });
          const t = { ...T, photoMaxHamming: maxBits };
          const got = new Set(photoReuse(reports, t, all).map((f) => f.caseId));
          const want = new Set(
            reports
              .filter((r, i) =>
                reports
                  .slice(0, i)
                  .some((q) => hamming(q.photoHashes[0] as bigint, r.photoHashes[0] as bigint) <= maxBits),
              )
              .map((r) => r.caseId),
          );
          expect(got).toEqual(want);
        },
      ),
      { numRuns: fcRuns(200) },
    );
  });
});

describe('track and speed', () => {
  it('interpolates the track between fixes and says nothing beyond the gap', () => {
    const fixes = [fix(T0, 0), fix(T0 + 2 * MIN, 200)];
    const p = trackPositionAt(fixes, T0 + MIN, 600_000);
    expect(distanceM(p!.lng, p!.lat, LNG + east(100), LAT)).toBeLessThan(1);
    expect(trackPositionAt(fixes, T0 + 60 * MIN, 600_000)).toBeNull();
  });

  it('flags a report 2 km from where the track has its reporter, and its impossible speed; not one on the track', () => {
    const fixes = [fix(T0 - MIN), fix(T0 + MIN, 50)];
    const onTrack = report({ at: T0 - 30_000, lng: LNG + east(10) });
    const far = report({ at: T0, lng: LNG + east(2000) });
    const flags = detectFlags({ reports: [onTrack, far], fixes, thresholds: T });
    expect(flags.map((f) => `${f.kind}:${f.caseId}`).sort()).toEqual(
      [`impossible_speed:${far.caseId}`, `off_track:${far.caseId}`].sort(),
    );
    // Without a fix within the gap, off_track does not judge (no track, no verdict).
    expect(
      detectFlags({ reports: [far], fixes: [fix(T0 - 60 * MIN)], thresholds: T }).map((f) => f.kind),
    ).toEqual([]);
  });

  it('a walk at a patrol pace never trips speed or track (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 30, max: 600 }), fc.double({ min: 0, max: 2 * Math.PI, noNaN: true })),
          {
            minLength: 2,
            maxLength: 40,
          },
        ),
        (steps) => {
          // Walking at 5 km/h in random directions, a fix per step, a report at every other fix.
          let x = 0;
          let y = 0;
          let at = T0;
          const fixes: TrackFix[] = [];
          const reports: ReportFact[] = [];
          steps.forEach(([s, angle], i) => {
            at += s * 1000;
            x += Math.cos(angle) * (5 / 3.6) * s;
            y += Math.sin(angle) * (5 / 3.6) * s;
            fixes.push(fix(at, x, y));
            if (i % 2 === 0) reports.push(report({ at, lng: LNG + east(x + 5), lat: LAT + north(y) }));
          });
          const kinds = detectFlags({ reports, fixes, thresholds: { ...T, burstCount: 1000 } }).map(
            (f) => f.kind,
          );
          expect(kinds).toEqual([]);
        },
      ),
      { numRuns: fcRuns(200) },
    );
  });
});

describe('timing', () => {
  it('a burst: six reports within ten minutes flag all six; five do not', () => {
    const six = Array.from({ length: 6 }, (_, i) => report({ at: T0 + i * 90_000 }));
    expect(bursts(six, T, all).map((f) => f.caseId)).toEqual(six.map((r) => r.caseId));
    expect(bursts(six.slice(0, 5), T, all)).toEqual([]);
  });

  it('quota rush: a pile in the last 48 hours against the month pace; a steady month is clean', () => {
    const end = quotaPeriodEnd(T0, T.utcOffsetMinutes);
    expect(new Date(end).toISOString()).toBe('2026-03-31T16:00:00.000Z');
    const steady = Array.from({ length: 62 }, (_, i) =>
      report({ at: end - 31 * 86_400_000 + i * 12 * 3_600_000 }),
    );
    const pile = Array.from({ length: 30 }, (_, i) => report({ at: end - 40 * 3_600_000 + i * 60 * MIN }));
    const flags = detectFlags({ reports: [...steady, ...pile], fixes: [], thresholds: T }).filter(
      (f) => f.kind === 'quota_rush',
    );
    expect(flags.map((f) => f.caseId)).toEqual(expect.arrayContaining(pile.map((r) => r.caseId)));
    expect(detectFlags({ reports: steady, fixes: [], thresholds: T })).toEqual([]);
    expect(poissonTail(0, 3)).toBe(1);
    expect(poissonTail(10, 2)).toBeCloseTo(4.65e-5, 6);
  });
});

describe('copies', () => {
  it("flags another supervisor's report of the same class at the same place within the hour", () => {
    const q = report({ reporterId: 'u2' });
    const copy = report({ at: T0 + 10 * MIN, lng: LNG + east(8) });
    const otherClass = report({ at: T0 + 12 * MIN, categoryCode: '0202' });
    const tooLate = report({ at: T0 + 90 * MIN, reporterId: 'u3' });
    const own = report({ at: T0 + 5 * MIN, reporterId: 'u2', lng: LNG + east(500) });
    const flags = copies([copy, q, otherClass, tooLate, own], T, all);
    expect(flags.map((f) => [f.caseId, f.relatedCaseId])).toEqual([[copy.caseId, q.caseId]]);
  });
});

describe('detectFlags', () => {
  const arbReports = fc.array(
    fc.record({
      reporter: fc.constantFrom('u1', 'u2', 'u3'),
      minute: fc.integer({ min: 0, max: 3 * 24 * 60 }),
      dx: fc.integer({ min: -3000, max: 3000 }),
      dy: fc.integer({ min: -3000, max: 3000 }),
      cat: fc.constantFrom('0101', '0102'),
      hash: fc.bigInt({ min: 0n, max: 255n }),
    }),
    { maxLength: 40 },
  );

  it('judging some reports gives exactly their flags of judging all (the scan of new reports = the batch)', () => {
    fc.assert(
      fc.property(arbReports, fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), (rows, pick) => {
        const reports = rows.map((r, i) =>
          report({
            caseId: `r${i}`,
            reporterId: r.reporter,
            at: T0 + r.minute * MIN,
            lng: LNG + east(r.dx),
            lat: LAT + north(r.dy),
            categoryCode: r.cat,
            photoHashes: [r.hash],
          }),
        );
        const fixes = rows.map((r, i) => fix(T0 + r.minute * MIN + 30_000, r.dy, r.dx, r.reporter + (i % 2)));
        const full = detectFlags({ reports, fixes, thresholds: T });
        const targets = new Set(reports.filter((_, i) => pick[i]).map((r) => r.caseId));
        const part = detectFlags({ reports, fixes, thresholds: T, targets });
        expect(part).toEqual(full.filter((f) => targets.has(f.caseId)));
        // Flags are unique per (kind, case, related case).
        const keys = full.map((f) => `${f.kind}:${f.caseId}:${f.relatedCaseId}`);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: fcRuns(200) },
    );
  });
});
