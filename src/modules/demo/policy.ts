/**
 * How the simulated staff behave: how long each post lets a case wait before acting, and which
 * way it goes (rework, return, extension …). Pure functions of the case and a random number, so
 * a case's "slowness" at a step is fixed (the same case is not fast one tick and slow the next).
 *
 * Times are compressed (a case crosses the whole loop in a quarter of an hour instead of days),
 * because a demo is watched for minutes; a share of cases is left lying at a step for much
 * longer, so the short centre limits run out and lights turn yellow and red.
 */
import type { CaseState } from '../../domain/workflow/index.js';

/** Seconds a post usually takes at each state: [min, max]. */
export const WAIT_SECONDS: Partial<Record<CaseState, readonly [number, number]>> = {
  reported: [15, 60],
  verifying: [60, 240],
  pending_filing: [15, 60],
  filed: [15, 75],
  ownership_dispute: [120, 300],
  dispatched: [30, 150],
  handling: [120, 480],
  handled: [15, 60],
  checking: [60, 240],
  pending_close: [15, 60],
  suspended: [600, 1200],
};
/** Approving or denying a pending request (回退 / 延期 / 挂账 / 作废). */
export const REQUEST_WAIT_SECONDS: readonly [number, number] = [30, 120];
/** Share of (case, step) pairs left lying this many times longer. */
export const SLOW_SHARE = 0.08;
export const SLOW_FACTOR = 25;

/** A uniform number in [0, 1) from integers (a case id and its event count): fixed per step. */
export function unitHash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x27d4eb2f, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 2 ** 32;
}

/** Milliseconds the case waits at its current step before the post acts (pace 1 = as above). */
export function waitMs(
  state: CaseState,
  pendingRequest: boolean,
  caseId: number,
  lastSeq: number,
  pace = 1,
): number | null {
  const range = pendingRequest ? REQUEST_WAIT_SECONDS : WAIT_SECONDS[state];
  if (!range) return null;
  const u = unitHash(caseId, lastSeq);
  const slow = unitHash(lastSeq, caseId) < SLOW_SHARE;
  const seconds = range[0] + u * (range[1] - range[0]);
  return (seconds * (slow ? SLOW_FACTOR : 1) * 1000) / pace;
}

/** Report channels and their shares of new reports (supervisors find most problems). */
export const CHANNEL_SHARES = [
  ['supervisor', 0.46],
  ['hotline_12345', 0.24],
  ['public', 0.12],
  ['video_ai', 0.08],
  ['iot', 0.04],
  ['media', 0.04],
  ['leader', 0.02],
] as const;
export type Channel = (typeof CHANNEL_SHARES)[number][0];

export function pickChannel(u: number): Channel {
  let t = 0;
  for (const [c, w] of CHANNEL_SHARES) {
    t += w;
    if (u < t) return c;
  }
  return 'supervisor';
}

/** Branch shares of the simulated loop. */
export const BRANCH = {
  /** Out of scope at intake (不予立案). */
  reject: 0.04,
  /** 核实不属实. */
  deny: 0.08,
  /** Department asks to return a wrongly dispatched case (回退). */
  returnRequest: 0.05,
  /** Dispatcher approves the return. */
  returnApprove: 0.8,
  /** Department asks for more time (延期). */
  extendRequest: 0.04,
  /** Department asks to suspend (挂账). */
  suspendRequest: 0.015,
  /** 核查不通过 → 返工. */
  checkFail: 0.12,
} as const;
