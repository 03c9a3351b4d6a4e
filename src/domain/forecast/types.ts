/** A forecast over consecutive days: the point and the prediction interval, per day. */
export interface Band {
  point: number[];
  lower: number[];
  upper: number[];
}

/** A daily count series: `days[i]` (local YYYY-MM-DD, consecutive) had `counts[i]` cases. */
export interface DailySeries {
  days: string[];
  counts: number[];
}

/** Official days off (放假) and make-up workdays (调休上班), local YYYY-MM-DD. */
export interface DayKinds {
  holidays: readonly string[];
  makeups: readonly string[];
}
