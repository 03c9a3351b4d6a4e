/**
 * Collector anti-fraud (信息采集质量): the facts the rules read and the flags they raise.
 *
 * Outsourced collection is paid by the report, so "采集信息易失真、不及时、易瞒报、易漏报" (the seed):
 * the rules look for the signs of reports not made on site by the person who filed them. A flag
 * is a suspicion for the centre to review, never a verdict: only a confirmed flag counts in the
 * collection company's evaluation.
 */

export const FLAG_KINDS = [
  'photo_reuse',
  'off_track',
  'impossible_speed',
  'burst',
  'quota_rush',
  'copy',
] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

export const FLAG_LABELS: Readonly<Record<FlagKind, { zh: string; en: string }>> = {
  photo_reuse: { zh: '照片重复使用', en: 'Photo reused' },
  off_track: { zh: '上报位置偏离本人轨迹', en: "Report far from the reporter's track" },
  impossible_speed: { zh: '移动速度不可能', en: 'Impossible travel speed' },
  burst: { zh: '短时集中上报', en: 'Burst of reports' },
  quota_rush: { zh: '考核期末突击上报', en: 'Reports piled up before the quota deadline' },
  copy: { zh: '抄报他人上报', en: "Copy of another supervisor's report" },
};

/** A supervisor's report (上报) as the rules see it. Times are epoch milliseconds. */
export interface ReportFact {
  readonly caseId: string;
  readonly reporterId: string;
  readonly at: number;
  readonly lng: number;
  readonly lat: number;
  /** Minor class code (小类); a copy is the same problem, so the same class. */
  readonly categoryCode: string;
  /** Perceptual hashes (64-bit dHash) of the report's photos; photos not hashed yet are absent. */
  readonly photoHashes: readonly bigint[];
}

/** One fix of a supervisor's position track (patrol_positions). */
export interface TrackFix {
  readonly userId: string;
  readonly at: number;
  readonly lng: number;
  readonly lat: number;
}

/** Thresholds of the rules; every one is configurable (DEFAULT_THRESHOLDS are the product's). */
export interface Thresholds {
  /** Two photos whose dHashes differ in at most this many of 64 bits are the same scene. */
  readonly photoMaxHamming: number;
  /** How far back a reused photo is looked for. */
  readonly photoLookbackDays: number;
  /** A report farther than this from the reporter's own track at that moment is off track. */
  readonly trackMaxDistanceM: number;
  /** The track is judged only with a fix this close in time on each side (or one side) of the report. */
  readonly trackMaxGapS: number;
  /** Faster than this between consecutive positions (reports and fixes) is impossible on patrol. */
  readonly maxSpeedKmh: number;
  /** Jumps shorter than this are GPS noise, whatever the speed. */
  readonly speedMinDistanceM: number;
  /** This many reports or more by one reporter within `burstWindowMin` minutes is a burst. */
  readonly burstCount: number;
  readonly burstWindowMin: number;
  /** Quota period: reports in its last `quotaWindowHours` hours … */
  readonly quotaWindowHours: number;
  /** … at least this many … */
  readonly quotaMinReports: number;
  /**
   * … and at least this many times what the reporter's own pace over the rest of the period
   * would put there: the reports pile up before the deadline.
   */
  readonly quotaMinRatio: number;
  /**
   * … and so many that the reporter's own pace (Poisson) gives that many or more with at most
   * this probability: a quiet reporter's ordinary busy weekend is not a pile.
   */
  readonly quotaMaxPValue: number;
  /** A report of the same class this close to another supervisor's earlier one … */
  readonly copyMaxDistanceM: number;
  /** … filed at most this long after it, is a copy. */
  readonly copyWindowMin: number;
  /** Local time offset of quota periods (months end at local midnight). */
  readonly utcOffsetMinutes: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  photoMaxHamming: 6,
  photoLookbackDays: 180,
  trackMaxDistanceM: 500,
  trackMaxGapS: 600,
  maxSpeedKmh: 60,
  speedMinDistanceM: 300,
  burstCount: 6,
  burstWindowMin: 10,
  quotaWindowHours: 48,
  quotaMinReports: 10,
  quotaMinRatio: 2,
  quotaMaxPValue: 1e-4,
  copyMaxDistanceM: 30,
  copyWindowMin: 60,
  utcOffsetMinutes: 480,
};

/** A suspicion raised against one report. */
export interface Flag {
  readonly kind: FlagKind;
  readonly caseId: string;
  readonly reporterId: string;
  /** The other report it points at (the earlier photo's case, the copied case), if any. */
  readonly relatedCaseId: string | null;
  /** The figures that raised it (distance, speed, count …), shown to the reviewer. */
  readonly evidence: Readonly<Record<string, number | string>>;
}

/** One flag per (kind, case, related case): the key the store de-duplicates on. */
export const flagKey = (f: Pick<Flag, 'kind' | 'caseId' | 'relatedCaseId'>): string =>
  `${f.kind}:${f.caseId}:${f.relatedCaseId ?? ''}`;
