/**
 * Scores a gazetteer candidate against parsed address parts: each part the query names is
 * exact, partial, missing (the candidate cannot say) or in conflict; the score is the weighted
 * share of the query that the candidate matches, so "more parts, more exactly" ranks first.
 */
import type { AddressParts } from './address.js';

export type CandidateKind = 'address' | 'poi' | 'road' | 'division';
export type PartName = 'district' | 'street' | 'community' | 'road' | 'segment' | 'number' | 'poi';
export type Verdict = 'exact' | 'partial' | 'missing' | 'conflict';

export interface Candidate {
  kind: CandidateKind;
  id: number | string;
  district?: string | null;
  street?: string | null;
  community?: string | null;
  road?: string | null;
  roadAliases?: readonly string[];
  segment?: string | null;
  number?: string | null;
  numberMain?: number | null;
  /** Place name and aliases (POIs; a division's own name). */
  name?: string | null;
  aliases?: readonly string[];
}

export interface PartMatch {
  part: PartName;
  query: string;
  found: string | null;
  verdict: Verdict;
}

export const PART_WEIGHTS: Record<PartName, number> = {
  district: 1,
  street: 1,
  community: 1,
  road: 4,
  segment: 1,
  number: 3,
  poi: 3,
};
const VERDICT_SHARE: Record<Verdict, number> = { exact: 1, partial: 0.6, missing: 0, conflict: -0.5 };
// With equal scores the more specific kind wins: a door beats the road it is on.
const KIND_ORDER: Record<CandidateKind, number> = { address: 0, poi: 1, road: 2, division: 3 };

function compareNames(query: string, found: string | null | undefined, aliases: readonly string[] = []) {
  if (!found) return { verdict: 'missing' as const, found: null };
  const q = query.toLowerCase();
  const names = [found, ...aliases];
  const lower = names.map((n) => n.toLowerCase());
  if (lower.includes(q)) return { verdict: 'exact' as const, found };
  const close = lower.findIndex((n) => n.includes(q) || q.includes(n));
  return close >= 0 ? { verdict: 'partial' as const, found } : { verdict: 'conflict' as const, found };
}

/** Administrative names match with or without their suffix: '锦江' ≈ '锦江区'. */
function compareDivision(
  query: string,
  found: string | null | undefined,
): { verdict: Verdict; found: string | null } {
  if (!found) return { verdict: 'missing', found: null };
  if (query === found) return { verdict: 'exact', found };
  const stem = (s: string) => s.replace(/(区|县|街道|镇|社区)$/, '');
  return stem(query) === stem(found) ? { verdict: 'exact', found } : { verdict: 'conflict', found };
}

function matchPart(part: PartName, query: string, c: Candidate, parts: AddressParts) {
  switch (part) {
    case 'district':
    case 'street':
    case 'community':
      return compareDivision(query, c[part]);
    case 'road':
      return compareNames(query, c.road, c.roadAliases);
    case 'segment':
      if (!c.segment) return { verdict: c.road ? ('conflict' as const) : ('missing' as const), found: null };
      return { verdict: c.segment === query ? ('exact' as const) : ('conflict' as const), found: c.segment };
    case 'number':
      if (!c.number) return { verdict: 'missing' as const, found: null };
      if (c.number === query) return { verdict: 'exact' as const, found: c.number };
      return {
        verdict: c.numberMain === parts.numberMain ? ('partial' as const) : ('conflict' as const),
        found: c.number,
      };
    case 'poi':
      return compareNames(query, c.name, c.aliases);
  }
}

export interface Scored<C extends Candidate> {
  candidate: C;
  score: number;
  matches: PartMatch[];
}

export function scoreCandidate<C extends Candidate>(parts: AddressParts, c: C): Scored<C> {
  const matches: PartMatch[] = [];
  let total = 0;
  let got = 0;
  for (const part of Object.keys(PART_WEIGHTS) as PartName[]) {
    const query = parts[part];
    if (query === undefined) continue;
    const { verdict, found } = matchPart(part, String(query), c, parts);
    matches.push({ part, query: String(query), found, verdict });
    total += PART_WEIGHTS[part];
    got += PART_WEIGHTS[part] * VERDICT_SHARE[verdict];
  }
  const score = total === 0 ? 0 : Math.max(0, got) / total;
  return { candidate: c, score: Math.round(score * 1000) / 1000, matches };
}

/** The query read as a whole place name ('宽窄巷子' is a place, not 宽窄巷 + 子). */
export function scoreAsPlace<C extends Candidate>(tail: string, parts: AddressParts, c: C): Scored<C> | null {
  if (!tail || (c.kind !== 'poi' && c.kind !== 'division')) return null;
  const whole: AddressParts = { poi: tail };
  for (const k of ['district', 'street', 'community'] as const) if (parts[k]) whole[k] = parts[k];
  return scoreCandidate(whole, c);
}

export function rankCandidates<C extends Candidate>(
  parsed: { parts: AddressParts; tail: string },
  candidates: readonly C[],
  limit: number,
): Scored<C>[] {
  const scored = candidates.map((c) => {
    const a = scoreCandidate(parsed.parts, c);
    const b = scoreAsPlace(parsed.tail, parsed.parts, c);
    return b && b.score > a.score ? b : a;
  });
  return scored
    .filter((s) => s.score > 0)
    .sort(
      (x, y) =>
        y.score - x.score ||
        KIND_ORDER[x.candidate.kind] - KIND_ORDER[y.candidate.kind] ||
        String(x.candidate.id).localeCompare(String(y.candidate.id), 'en', { numeric: true }),
    )
    .slice(0, limit);
}

const PART_LABELS: Record<PartName, { zh: string; en: string }> = {
  district: { zh: '区县', en: 'district' },
  street: { zh: '街道', en: 'street' },
  community: { zh: '社区', en: 'community' },
  road: { zh: '道路', en: 'road' },
  segment: { zh: '路段', en: 'segment' },
  number: { zh: '门牌', en: 'door number' },
  poi: { zh: '地名', en: 'place' },
};
const VERDICT_LABELS: Record<Verdict, { zh: string; en: string }> = {
  exact: { zh: '一致', en: 'matches' },
  partial: { zh: '部分一致', en: 'partly matches' },
  missing: { zh: '无对应', en: 'not known for this candidate' },
  conflict: { zh: '不一致', en: 'differs' },
};

/** '道路 红星路 一致；门牌 88号 一致（88-1号：部分一致）' and its English twin. */
export function explainMatches(matches: readonly PartMatch[]): { zh: string; en: string } {
  const say = (m: PartMatch, lang: 'zh' | 'en') => {
    const found = m.found && m.found !== m.query ? (lang === 'zh' ? `（${m.found}）` : ` (${m.found})`) : '';
    return `${PART_LABELS[m.part][lang]} ${m.query}${found} ${VERDICT_LABELS[m.verdict][lang]}`;
  };
  return { zh: matches.map((m) => say(m, 'zh')).join('；'), en: matches.map((m) => say(m, 'en')).join('; ') };
}
