/**
 * Rankings with ties (standard competition ranking: 1, 2, 2, 4). Scores are compared after
 * rounding to `decimals`, so two subjects whose published scores look equal share a rank.
 * Subjects without a score come last, unranked.
 */
import { byId } from './tally.js';

export interface Ranked<T> {
  readonly rank: number | null;
  readonly tied: boolean;
  readonly item: T;
}

export function rank<T>(
  items: readonly T[],
  scoreOf: (item: T) => number | null,
  opts: {
    readonly decimals?: number;
    readonly idOf?: (item: T) => string;
    readonly descending?: boolean;
  } = {},
): Ranked<T>[] {
  const factor = 10 ** (opts.decimals ?? 2);
  const dir = opts.descending === false ? 1 : -1;
  const keyed = items.map((item) => {
    const s = scoreOf(item);
    return { item, key: s === null || !Number.isFinite(s) ? null : Math.round(s * factor) };
  });
  keyed.sort((a, b) => {
    if (a.key === null || b.key === null)
      return a.key === b.key ? tieBreak(a.item, b.item) : a.key === null ? 1 : -1;
    return a.key !== b.key ? dir * (a.key - b.key) : tieBreak(a.item, b.item);
  });
  function tieBreak(a: T, b: T): number {
    return opts.idOf ? byId(opts.idOf(a), opts.idOf(b)) : 0;
  }
  const counts = new Map<number, number>();
  for (const k of keyed) if (k.key !== null) counts.set(k.key, (counts.get(k.key) ?? 0) + 1);
  let position = 0;
  let previous: number | null = null;
  let currentRank = 0;
  return keyed.map(({ item, key }) => {
    if (key === null) return { rank: null, tied: false, item };
    position++;
    if (key !== previous) currentRank = position;
    previous = key;
    return { rank: currentRank, tied: (counts.get(key) ?? 0) > 1, item };
  });
}
