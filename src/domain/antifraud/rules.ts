/**
 * The anti-fraud rules, pure: reports and position fixes in, flags out. Each rule judges one
 * sign of a report not made on site by its reporter; `detectFlags` runs them all.
 *
 * The rules look at a window of facts: reports outside `targets` are context (the earlier
 * photo, the copied report, the month's other reports) and are never flagged themselves, so a
 * scan of new reports and a batch over a period give the same flags for the same facts.
 */
import { distanceM } from './geo.js';
import { hamming } from './phash.js';
import { type Flag, flagKey, type ReportFact, type Thresholds, type TrackFix } from './types.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Earlier first; equal instants by case id, so "earlier" is a total order. */
const byTime = (a: ReportFact, b: ReportFact) =>
  a.at - b.at || (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0);

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}

// ——— Photo reuse ———

/** Bands for multi-index hashing: hashes within `d` bits agree exactly on at least one of d + 1 bands. */
function bands(maxHamming: number): Array<[number, bigint]> {
  const n = Math.min(64, maxHamming + 1);
  const out: Array<[number, bigint]> = [];
  let shift = 0;
  for (let i = 0; i < n; i++) {
    const width = Math.floor(64 / n) + (i < 64 % n ? 1 : 0);
    out.push([shift, (1n << BigInt(width)) - 1n]);
    shift += width;
  }
  return out;
}

/**
 * A photo whose dHash is within `photoMaxHamming` bits of a photo of an earlier report (another
 * case, any reporter, within the lookback): the same scene photographed again is rare; the same
 * file or a re-encoded copy of it is the sign of a report made from stock.
 */
export function photoReuse(
  reports: readonly ReportFact[],
  t: Thresholds,
  isTarget: (id: string) => boolean,
): Flag[] {
  const sorted = [...reports].sort(byTime);
  const bandDefs = bands(t.photoMaxHamming);
  const index = bandDefs.map(() => new Map<bigint, Array<{ hash: bigint; r: ReportFact }>>());
  const lookback = t.photoLookbackDays * DAY;
  const flags: Flag[] = [];
  for (const r of sorted) {
    if (isTarget(r.caseId)) {
      let best: { r: ReportFact; d: number } | null = null;
      for (const h of r.photoHashes) {
        const seen = new Set<{ hash: bigint; r: ReportFact }>();
        bandDefs.forEach(([shift, mask], b) => {
          for (const c of index[b]?.get((h >> BigInt(shift)) & mask) ?? []) {
            if (seen.has(c)) continue;
            seen.add(c);
            if (c.r.caseId === r.caseId || r.at - c.r.at > lookback) continue;
            const d = hamming(h, c.hash);
            if (d <= t.photoMaxHamming && (!best || d < best.d || (d === best.d && c.r.at < best.r.at)))
              best = { r: c.r, d };
          }
        });
      }
      const found = best as { r: ReportFact; d: number } | null;
      if (found) {
        flags.push({
          kind: 'photo_reuse',
          caseId: r.caseId,
          reporterId: r.reporterId,
          relatedCaseId: found.r.caseId,
          evidence: {
            hammingBits: found.d,
            earlierReporterId: found.r.reporterId,
            earlierAt: new Date(found.r.at).toISOString(),
          },
        });
      }
    }
    for (const h of r.photoHashes) {
      bandDefs.forEach(([shift, mask], b) => {
        const key = (h >> BigInt(shift)) & mask;
        const m = index[b] as Map<bigint, Array<{ hash: bigint; r: ReportFact }>>;
        const list = m.get(key);
        if (list) list.push({ hash: h, r });
        else m.set(key, [{ hash: h, r }]);
      });
    }
  }
  return flags;
}

// ——— Track ———

/** Index of the first fix at or after `at` (fixes sorted by time). */
function firstAtOrAfter(fixes: readonly TrackFix[], at: number): number {
  let lo = 0;
  let hi = fixes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((fixes[mid] as TrackFix).at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where the reporter's track puts him at `at`: between the fixes on either side (linear in
 * time), or the one fix within the gap; null when the track says nothing about that moment.
 */
export function trackPositionAt(
  fixes: readonly TrackFix[],
  at: number,
  maxGapMs: number,
): { lng: number; lat: number; gapMs: number } | null {
  const i = firstAtOrAfter(fixes, at);
  const after = fixes[i];
  const before = i > 0 ? fixes[i - 1] : undefined;
  const okBefore = before && at - before.at <= maxGapMs ? before : undefined;
  const okAfter = after && after.at - at <= maxGapMs ? after : undefined;
  if (okBefore && okAfter) {
    const span = okAfter.at - okBefore.at;
    const f = span === 0 ? 0 : (at - okBefore.at) / span;
    return {
      lng: okBefore.lng + (okAfter.lng - okBefore.lng) * f,
      lat: okBefore.lat + (okAfter.lat - okBefore.lat) * f,
      gapMs: Math.max(at - okBefore.at, okAfter.at - at),
    };
  }
  const one = okBefore ?? okAfter;
  return one ? { lng: one.lng, lat: one.lat, gapMs: Math.abs(one.at - at) } : null;
}

/** A report farther than `trackMaxDistanceM` from where the reporter's own track has him then. */
export function offTrack(
  reports: readonly ReportFact[],
  fixesByUser: ReadonlyMap<string, readonly TrackFix[]>,
  t: Thresholds,
  isTarget: (id: string) => boolean,
): Flag[] {
  const flags: Flag[] = [];
  for (const r of reports) {
    if (!isTarget(r.caseId)) continue;
    const p = trackPositionAt(fixesByUser.get(r.reporterId) ?? [], r.at, t.trackMaxGapS * 1000);
    if (!p) continue;
    const d = distanceM(r.lng, r.lat, p.lng, p.lat);
    if (d > t.trackMaxDistanceM) {
      flags.push({
        kind: 'off_track',
        caseId: r.caseId,
        reporterId: r.reporterId,
        relatedCaseId: null,
        evidence: { distanceM: Math.round(d), fixGapS: Math.round(p.gapMs / 1000) },
      });
    }
  }
  return flags;
}

/**
 * Consecutive positions of one person (his reports and his fixes, in time order) farther apart
 * than `speedMinDistanceM` and faster than `maxSpeedKmh`: nobody on patrol covers that. The
 * report at the end of such a jump is flagged — both of a pair of reports only when neither of
 * them jumps on its other side as well (then that one is the odd one out).
 */
export function impossibleSpeed(
  reports: readonly ReportFact[],
  fixesByUser: ReadonlyMap<string, readonly TrackFix[]>,
  t: Thresholds,
  isTarget: (id: string) => boolean,
): Flag[] {
  type P = { at: number; lng: number; lat: number; report: ReportFact | null };
  const flags = new Map<string, Flag>();
  for (const [user, own] of groupBy(reports, (r) => r.reporterId)) {
    const points: P[] = [
      ...own.map((r) => ({ at: r.at, lng: r.lng, lat: r.lat, report: r })),
      ...(fixesByUser.get(user) ?? []).map((f) => ({ at: f.at, lng: f.lng, lat: f.lat, report: null })),
    ].sort((a, b) => a.at - b.at || (a.report ? 1 : 0) - (b.report ? 1 : 0));
    const jump = (a: P | undefined, b: P | undefined) => {
      if (!a || !b) return null;
      const d = distanceM(a.lng, a.lat, b.lng, b.lat);
      if (d <= t.speedMinDistanceM) return null;
      const s = (b.at - a.at) / 1000;
      const kmh = s <= 0 ? Number.POSITIVE_INFINITY : (d / s) * 3.6;
      return kmh > t.maxSpeedKmh ? { d, kmh, s } : null;
    };
    const flag = (p: P, j: { d: number; kmh: number; s: number }) => {
      const r = p.report as ReportFact;
      if (!isTarget(r.caseId) || flags.has(r.caseId)) return;
      flags.set(r.caseId, {
        kind: 'impossible_speed',
        caseId: r.caseId,
        reporterId: r.reporterId,
        relatedCaseId: null,
        evidence: {
          distanceM: Math.round(j.d),
          seconds: Math.round(j.s),
          speedKmh: Number.isFinite(j.kmh) ? Math.round(j.kmh) : 'instant',
        },
      });
    };
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1] as P;
      const b = points[i] as P;
      const j = jump(a, b);
      if (!j) continue;
      if (a.report && b.report) {
        const aOdd = jump(points[i - 2], a) !== null;
        const bOdd = jump(b, points[i + 1]) !== null;
        if (aOdd || !bOdd) flag(a, j);
        if (bOdd || !aOdd) flag(b, j);
      } else if (a.report) flag(a, j);
      else if (b.report) flag(b, j);
    }
  }
  return [...flags.values()];
}

// ——— Timing ———

/** `burstCount` or more reports of one reporter within `burstWindowMin` minutes: all of them. */
export function bursts(
  reports: readonly ReportFact[],
  t: Thresholds,
  isTarget: (id: string) => boolean,
): Flag[] {
  const flags = new Map<string, Flag>();
  const window = t.burstWindowMin * MIN;
  for (const own of groupBy(reports, (r) => r.reporterId).values()) {
    own.sort(byTime);
    let j = 0;
    for (let i = 0; i < own.length; i++) {
      j = Math.max(j, i);
      while (j + 1 < own.length && (own[j + 1] as ReportFact).at - (own[i] as ReportFact).at <= window) j++;
      const n = j - i + 1;
      if (n < t.burstCount) continue;
      for (let k = i; k <= j; k++) {
        const r = own[k] as ReportFact;
        const had = flags.get(r.caseId);
        if (!isTarget(r.caseId) || (had && (had.evidence.count as number) >= n)) continue;
        flags.set(r.caseId, {
          kind: 'burst',
          caseId: r.caseId,
          reporterId: r.reporterId,
          relatedCaseId: null,
          evidence: {
            count: n,
            windowMin: t.burstWindowMin,
            from: new Date((own[i] as ReportFact).at).toISOString(),
          },
        });
      }
    }
  }
  return [...flags.values()];
}

/** End (exclusive, epoch ms) of the local calendar month holding `at`. */
export function quotaPeriodEnd(at: number, utcOffsetMinutes: number): number {
  const offset = utcOffsetMinutes * MIN;
  const local = new Date(at + offset);
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - offset;
}

/**
 * 考核期末突击上报: in a monthly quota period, at least `quotaMinReports` reports fall in its
 * last `quotaWindowHours`, and at least `quotaMinRatio` times as many as the reporter's pace over
 * the rest of the month would put there. All the reports of that window are flagged.
 */
export function quotaRush(
  reports: readonly ReportFact[],
  t: Thresholds,
  isTarget: (id: string) => boolean,
): Flag[] {
  const flags: Flag[] = [];
  const windowMs = t.quotaWindowHours * HOUR;
  const byPeriod = groupBy(reports, (r) => `${r.reporterId}@${quotaPeriodEnd(r.at, t.utcOffsetMinutes)}`);
  for (const own of byPeriod.values()) {
    const end = quotaPeriodEnd((own[0] as ReportFact).at, t.utcOffsetMinutes);
    const start = quotaPeriodStart(end, t.utcOffsetMinutes);
    const late = own.filter((r) => r.at >= end - windowMs);
    const restMs = Math.max(HOUR, end - windowMs - start);
    const expected = ((own.length - late.length) / restMs) * windowMs;
    if (late.length < t.quotaMinReports || late.length < t.quotaMinRatio * expected) continue;
    const p = poissonTail(late.length, expected);
    if (p > t.quotaMaxPValue) continue;
    for (const r of late) {
      if (!isTarget(r.caseId)) continue;
      flags.push({
        kind: 'quota_rush',
        caseId: r.caseId,
        reporterId: r.reporterId,
        relatedCaseId: null,
        evidence: {
          inWindow: late.length,
          expected: Math.round(expected * 10) / 10,
          pValue: Number(p.toPrecision(2)),
          windowHours: t.quotaWindowHours,
          deadline: new Date(end).toISOString(),
        },
      });
    }
  }
  return flags;
}

/** P(X ≥ k) for X ~ Poisson(λ), summed in log space (k is at most a few hundred). */
export function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  // P(X ≥ k) = 1 − Σ_{i<k} e^−λ λ^i / i!; for the small tails asked about, sum from k upward.
  let logTerm = -lambda + k * Math.log(lambda) - logFactorial(k);
  let sum = 0;
  for (let i = k; i < k + 1000; i++) {
    const term = Math.exp(logTerm);
    sum += term;
    if (term < sum * 1e-12) break;
    logTerm += Math.log(lambda) - Math.log(i + 1);
  }
  return Math.min(1, sum);
}

function logFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}

/** Start of the local month that ends (exclusive) at `end`. */
function quotaPeriodStart(end: number, utcOffsetMinutes: number): number {
  const offset = utcOffsetMinutes * MIN;
  const local = new Date(end - 1 + offset);
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - offset;
}

// ——— Copy ———

/** Cell size of the spatial buckets for copies, in degrees (~110 m north–south). */
const CELL_DEG = 0.001;

/**
 * A report of the same class within `copyMaxDistanceM` of another supervisor's report filed at
 * most `copyWindowMin` earlier: "found" by reading the other's report, not on patrol.
 */
export function copies(
  reports: readonly ReportFact[],
  t: Thresholds,
  isTarget: (id: string) => boolean,
): Flag[] {
  const sorted = [...reports].sort(byTime);
  const cells = new Map<string, ReportFact[]>();
  const cellOf = (lng: number, lat: number) => `${Math.floor(lng / CELL_DEG)}:${Math.floor(lat / CELL_DEG)}`;
  const window = t.copyWindowMin * MIN;
  const flags: Flag[] = [];
  for (const r of sorted) {
    if (isTarget(r.caseId)) {
      const cx = Math.floor(r.lng / CELL_DEG);
      const cy = Math.floor(r.lat / CELL_DEG);
      let best: { q: ReportFact; d: number } | null = null;
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          for (const q of cells.get(`${cx + dx}:${cy + dy}`) ?? []) {
            if (q.reporterId === r.reporterId || q.categoryCode !== r.categoryCode) continue;
            if (r.at - q.at > window || r.at <= q.at) continue;
            const d = distanceM(r.lng, r.lat, q.lng, q.lat);
            if (d <= t.copyMaxDistanceM && (!best || q.at > best.q.at)) best = { q, d };
          }
        }
      }
      const found = best as { q: ReportFact; d: number } | null;
      if (found) {
        flags.push({
          kind: 'copy',
          caseId: r.caseId,
          reporterId: r.reporterId,
          relatedCaseId: found.q.caseId,
          evidence: {
            distanceM: Math.round(found.d),
            minutesAfter: Math.round((r.at - found.q.at) / MIN),
            earlierReporterId: found.q.reporterId,
          },
        });
      }
    }
    const k = cellOf(r.lng, r.lat);
    const list = cells.get(k);
    if (list) list.push(r);
    else cells.set(k, [r]);
  }
  return flags;
}

// ——— All ———

export interface DetectInput {
  readonly reports: readonly ReportFact[];
  readonly fixes: readonly TrackFix[];
  /** The reports to judge (default: all); the others are context. */
  readonly targets?: ReadonlySet<string>;
  readonly thresholds: Thresholds;
}

/** Every rule over the facts: one flag per (kind, case, related case), in a stable order. */
export function detectFlags(input: DetectInput): Flag[] {
  const t = input.thresholds;
  const targets = input.targets;
  const isTarget = targets ? (id: string) => targets.has(id) : () => true;
  const fixesByUser = groupBy(input.fixes, (f) => f.userId);
  for (const list of fixesByUser.values()) list.sort((a, b) => a.at - b.at);
  const all = [
    ...photoReuse(input.reports, t, isTarget),
    ...offTrack(input.reports, fixesByUser, t, isTarget),
    ...impossibleSpeed(input.reports, fixesByUser, t, isTarget),
    ...bursts(input.reports, t, isTarget),
    ...quotaRush(input.reports, t, isTarget),
    ...copies(input.reports, t, isTarget),
  ];
  const out = new Map<string, Flag>();
  for (const f of all) if (!out.has(flagKey(f))) out.set(flagKey(f), f);
  return [...out.values()].sort((a, b) => (flagKey(a) < flagKey(b) ? -1 : flagKey(a) > flagKey(b) ? 1 : 0));
}
