/**
 * A generated collection history with planted frauds, for the acceptance test and the bench:
 * the supervisors' reports of a generated case history (src/domain/history) made into patrols —
 * each supervisor's reports of a day are walked as a round (nearest next place, the history's
 * times in order) with a position fix every minute and a few metres of GPS noise, every photo
 * a fresh perceptual hash — and then frauds planted with their label: reused photos,
 * reports far from the reporter's track, bursts, copies of another supervisor's report, a pile
 * of reports before the month's deadline.
 */
import { mulberry32, type Random } from '../demo-city/prng.js';
import type { HistoryCase } from '../history/types.js';
import { distanceM } from './geo.js';
import type { FlagKind, ReportFact, TrackFix } from './types.js';

const MIN = 60_000;
const DAY = 86_400_000;
const OFFSET = 8 * 3_600_000;
/** Degrees per metre, near 30.6° N. */
const LAT_PER_M = 1 / 111_320;
/** A patrol by e-bike (about 12 km/h) with a couple of minutes to file each report. */
const PATROL_MPS = 12 / 3.6;
const FILING_MS = 2 * MIN;
const LNG_PER_M = 1 / (111_320 * Math.cos((30.66 * Math.PI) / 180));

export interface PlantedFraud {
  readonly caseId: string;
  readonly kind: FlagKind;
}

export interface FraudScenario {
  readonly reports: ReportFact[];
  readonly fixes: TrackFix[];
  /** Case ids of the planted frauds, with what was planted. */
  readonly planted: PlantedFraud[];
  /** Case ids of the honest reports (everything not planted). */
  readonly honest: Set<string>;
}

export interface PlantCounts {
  readonly photoReuse: number;
  readonly offTrack: number;
  readonly bursts: number;
  readonly copies: number;
  readonly quotaRushes: number;
}

const gauss = (random: Random) => {
  const u = Math.max(1e-12, random());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
};
const randomHash = (random: Random) =>
  (BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32));
const flipBits = (random: Random, h: bigint, n: number) => {
  let out = h;
  const bits = new Set<number>();
  while (bits.size < n) bits.add(Math.floor(random() * 64));
  for (const b of bits) out ^= 1n << BigInt(b);
  return out;
};

/** The reports of one patrol day reordered as a walk: each next place the nearest not yet visited. */
function walk<T extends { lng: number; lat: number }>(places: readonly T[]): T[] {
  const left = [...places];
  const out: T[] = [];
  let here = left.shift();
  while (here) {
    out.push(here);
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    left.forEach((p, i) => {
      const d = distanceM(here!.lng, here!.lat, p.lng, p.lat);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    here = best >= 0 ? left.splice(best, 1)[0] : undefined;
  }
  return out;
}

/** Where a walker through `stops` (time-ordered) is at `at`. */
function positionOn(stops: readonly { at: number; lng: number; lat: number }[], at: number) {
  const first = stops[0] as { at: number; lng: number; lat: number };
  if (at <= first.at) return first;
  for (let i = 1; i < stops.length; i++) {
    const b = stops[i] as { at: number; lng: number; lat: number };
    if (at <= b.at) {
      const a = stops[i - 1] as { at: number; lng: number; lat: number };
      const f = b.at === a.at ? 1 : (at - a.at) / (b.at - a.at);
      return { at, lng: a.lng + (b.lng - a.lng) * f, lat: a.lat + (b.lat - a.lat) * f };
    }
  }
  return stops[stops.length - 1] as { at: number; lng: number; lat: number };
}

/** Honest patrols from the supervisors' reports of a generated history. */
export function honestPatrols(
  history: Iterable<HistoryCase>,
  seed: number,
): { reports: ReportFact[]; fixes: TrackFix[] } {
  const random = mulberry32(seed);
  const days = new Map<string, HistoryCase['case'][]>();
  for (const h of history) {
    const c = h.case;
    if (c.source !== 'supervisor' || !c.reporterUsername) continue;
    const key = `${c.reporterUsername}@${Math.floor((c.reportedAt.getTime() + OFFSET) / DAY)}`;
    const list = days.get(key);
    if (list) list.push(c);
    else days.set(key, [c]);
  }
  const reports: ReportFact[] = [];
  const fixes: TrackFix[] = [];
  for (const [key, cases] of [...days].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const user = key.slice(0, key.indexOf('@'));
    const times = cases.map((c) => c.reportedAt.getTime()).sort((a, b) => a - b);
    // The history's times in order, each pushed back until the walker can have got there.
    const stops: Array<{ c: HistoryCase['case']; at: number; lng: number; lat: number }> = [];
    for (const [i, c] of walk(cases).entries()) {
      const prev = stops[i - 1];
      const travel = prev ? (distanceM(prev.lng, prev.lat, c.lng, c.lat) / PATROL_MPS) * 1000 + FILING_MS : 0;
      stops.push({
        c,
        at: Math.max(times[i] as number, prev ? prev.at + travel : 0),
        lng: c.lng,
        lat: c.lat,
      });
    }
    for (const s of stops) {
      reports.push({
        caseId: s.c.caseKey,
        reporterId: user,
        at: s.at,
        lng: s.lng + gauss(random) * 5 * LNG_PER_M,
        lat: s.lat + gauss(random) * 5 * LAT_PER_M,
        categoryCode: s.c.categoryCode,
        photoHashes: Array.from({ length: 1 + Math.floor(random() * 2) }, () => randomHash(random)),
      });
    }
    const from = (stops[0]?.at ?? 0) - 20 * MIN;
    const to = (stops[stops.length - 1]?.at ?? 0) + 20 * MIN;
    for (let at = from; at <= to; at += MIN) {
      const p = positionOn(stops, at);
      fixes.push({
        userId: user,
        at,
        lng: p.lng + gauss(random) * 10 * LNG_PER_M,
        lat: p.lat + gauss(random) * 10 * LAT_PER_M,
      });
    }
  }
  return { reports, fixes };
}

/** Frauds planted in honest patrols, each labelled with the kind planted. */
export function plantFrauds(
  base: { reports: ReportFact[]; fixes: TrackFix[] },
  counts: PlantCounts,
  seed: number,
): FraudScenario {
  const random = mulberry32(seed ^ 0x5eed);
  const reports = [...base.reports].sort((a, b) => a.at - b.at);
  const fixes = base.fixes;
  const planted: PlantedFraud[] = [];
  const fixesOf = new Map<string, TrackFix[]>();
  for (const f of fixes) {
    const l = fixesOf.get(f.userId);
    if (l) l.push(f);
    else fixesOf.set(f.userId, [f]);
  }
  const pick = () => reports[Math.floor(random() * reports.length)] as ReportFact;
  const taken = new Set<string>();
  let serial = 0;
  const newId = (kind: string) => `planted-${kind}-${++serial}`;
  /** A fix of the reporter close to `at`, so a planted report sits on his own track. */
  const onTrack = (user: string, at: number) => {
    const own = fixesOf.get(user) ?? [];
    let best = own[0] as TrackFix;
    for (const f of own) if (Math.abs(f.at - at) < Math.abs(best.at - at)) best = f;
    return best;
  };
  const replace = (r: ReportFact, next: ReportFact, kind: FlagKind) => {
    reports[reports.indexOf(r)] = next;
    taken.add(r.caseId);
    planted.push({ caseId: r.caseId, kind });
  };
  const untaken = () => {
    for (;;) {
      const r = pick();
      if (!taken.has(r.caseId)) return r;
    }
  };

  // A photo of an earlier report (anyone's, a day to a month before) re-encoded: a few bits flip.
  for (let i = 0; i < counts.photoReuse; i++) {
    const r = untaken();
    const older = reports.filter(
      (q) => q.at < r.at - DAY && q.at > r.at - 30 * DAY && q.photoHashes.length > 0 && !taken.has(q.caseId),
    );
    const source = older[Math.floor(random() * older.length)];
    if (!source) continue;
    const copy = flipBits(random, source.photoHashes[0] as bigint, Math.floor(random() * 5));
    replace(r, { ...r, photoHashes: [copy, ...r.photoHashes.slice(1)] }, 'photo_reuse');
  }
  // Filed from elsewhere: the report's place 1–3 km from where its reporter walked.
  for (let i = 0; i < counts.offTrack; i++) {
    const r = untaken();
    const d = 1000 + random() * 2000;
    const angle = random() * 2 * Math.PI;
    replace(
      r,
      { ...r, lng: r.lng + Math.cos(angle) * d * LNG_PER_M, lat: r.lat + Math.sin(angle) * d * LAT_PER_M },
      'off_track',
    );
  }
  // Eight reports within six minutes, at the reporter's own position.
  for (let i = 0; i < counts.bursts; i++) {
    const r = untaken();
    const start = r.at + 30 * MIN;
    for (let k = 0; k < 8; k++) {
      const at = start + k * 45_000;
      const p = onTrack(r.reporterId, at);
      const id = newId('burst');
      reports.push({
        caseId: id,
        reporterId: r.reporterId,
        at,
        lng: p.lng + gauss(random) * 5 * LNG_PER_M,
        lat: p.lat + gauss(random) * 5 * LAT_PER_M,
        categoryCode: r.categoryCode,
        photoHashes: [randomHash(random)],
      });
      taken.add(id);
      planted.push({ caseId: id, kind: 'burst' });
    }
  }
  // Another supervisor's report re-filed at its place 5–40 minutes later.
  for (let i = 0; i < counts.copies; i++) {
    const q = untaken();
    const others = [...fixesOf.keys()].filter((u) => u !== q.reporterId);
    const copier = others[Math.floor(random() * others.length)] as string;
    const id = newId('copy');
    reports.push({
      caseId: id,
      reporterId: copier,
      at: q.at + (5 + random() * 35) * MIN,
      lng: q.lng + gauss(random) * 5 * LNG_PER_M,
      lat: q.lat + gauss(random) * 5 * LAT_PER_M,
      categoryCode: q.categoryCode,
      photoHashes: [randomHash(random)],
    });
    taken.add(id);
    planted.push({ caseId: id, kind: 'copy' });
  }
  // Forty reports in the last 40 hours of a month, on the reporter's own walk of those days.
  const months = [...new Set(reports.map((r) => new Date(r.at + OFFSET).toISOString().slice(0, 7)))].sort();
  for (let i = 0; i < counts.quotaRushes && months.length > 0; i++) {
    const r = untaken();
    const month = new Date(r.at + OFFSET);
    const end = Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1) - OFFSET;
    for (let k = 0; k < 40; k++) {
      const at = end - 40 * 3_600_000 + Math.floor(random() * 39 * 3_600_000);
      const p = onTrack(r.reporterId, at);
      const id = newId('quota');
      reports.push({
        caseId: id,
        reporterId: r.reporterId,
        at,
        lng: p.lng + gauss(random) * 5 * LNG_PER_M,
        lat: p.lat + gauss(random) * 5 * LAT_PER_M,
        categoryCode: r.categoryCode,
        photoHashes: [randomHash(random)],
      });
      taken.add(id);
      planted.push({ caseId: id, kind: 'quota_rush' });
    }
  }
  const honest = new Set(reports.filter((r) => !taken.has(r.caseId)).map((r) => r.caseId));
  return { reports, fixes, planted, honest };
}
