/**
 * Evaluation schemes as data (indicators, weights, count bands, grade boundaries) and scoring.
 *
 * Points per indicator (0–100): 'rate' → rate × 100, 'one_minus_rate' → (1 − rate) × 100,
 * 'count_band' → the score of the band the count falls in (0 when none). The composite is
 * Σ weight × points / Σ weight over the indicators that have a value: a rate with an empty
 * denominator (nothing to judge) is left out and the other weights are rescaled, so a subject
 * is neither rewarded nor punished for work it never had. No value at all → no score, no grade.
 */
import type { Figure, SubjectType } from './types.js';

export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Grade = (typeof GRADES)[number];

export type Transform = 'rate' | 'one_minus_rate' | 'count_band';

/** A count in [min, max] (max absent = no upper bound) scores `score`. */
export interface CountBand {
  readonly min: number;
  readonly max?: number;
  readonly score: number;
}

export interface SchemeIndicator {
  readonly key: string;
  readonly weight: number;
  readonly transform: Transform;
  readonly bands?: readonly CountBand[];
}

export interface EvaluationScheme {
  readonly id: string;
  readonly version: number;
  readonly name: { readonly zh: string; readonly en: string };
  readonly subjectType: SubjectType;
  readonly indicators: readonly SchemeIndicator[];
  /** Lowest composite of each grade, highest grade first. */
  readonly grades: readonly { readonly grade: Grade; readonly min: number }[];
}

export interface Contribution {
  readonly key: string;
  readonly weight: number;
  readonly transform: Transform;
  /** The indicator's value (rate or count); null when it has none. */
  readonly value: number | null;
  /** 0–100, null when left out. */
  readonly points: number | null;
  /** weight × points / Σ weight of the indicators with a value: the contributions add up to the composite. */
  readonly contribution: number | null;
}

export interface Score {
  readonly composite: number | null;
  readonly grade: Grade | null;
  readonly contributions: readonly Contribution[];
}

export const STANDARD_GRADES: EvaluationScheme['grades'] = [
  { grade: 'A', min: 90 },
  { grade: 'B', min: 75 },
  { grade: 'C', min: 60 },
  { grade: 'D', min: 40 },
  { grade: 'E', min: 0 },
];

export function bandScore(count: number, bands: readonly CountBand[]): number {
  const band = bands.find((b) => count >= b.min && (b.max === undefined || count <= b.max));
  return band?.score ?? 0;
}

function pointsOf(ind: SchemeIndicator, value: number | null): number | null {
  if (value === null) return null;
  switch (ind.transform) {
    case 'rate':
      return value * 100;
    case 'one_minus_rate':
      return (1 - value) * 100;
    case 'count_band':
      return bandScore(value, ind.bands ?? []);
  }
}

/** Rounded to 4 decimals so equal inputs give equal, comparable scores across runtimes. */
const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

export function gradeOf(composite: number, grades: EvaluationScheme['grades']): Grade | null {
  return [...grades].sort((a, b) => b.min - a.min).find((g) => composite >= g.min)?.grade ?? null;
}

export function score(indicators: Readonly<Record<string, Figure>>, scheme: EvaluationScheme): Score {
  const raw = scheme.indicators.map((ind) => {
    const value = indicators[ind.key]?.value ?? null;
    return { ind, value, points: pointsOf(ind, value) };
  });
  const weightSum = raw.reduce((s, r) => s + (r.points === null ? 0 : r.ind.weight), 0);
  const contributions: Contribution[] = raw.map(({ ind, value, points }) => ({
    key: ind.key,
    weight: ind.weight,
    transform: ind.transform,
    value,
    points: points === null ? null : round4(points),
    contribution: points === null || weightSum === 0 ? null : round4((ind.weight * points) / weightSum),
  }));
  if (weightSum === 0) return { composite: null, grade: null, contributions };
  const composite = round4(
    raw.reduce((s, r) => s + (r.points === null ? 0 : r.ind.weight * r.points), 0) / weightSum,
  );
  return { composite, grade: gradeOf(composite, scheme.grades), contributions };
}

/** Problems that make a scheme unusable (empty = valid), given the subject type's indicator catalogue. */
export function schemeProblems(
  scheme: EvaluationScheme,
  catalogue: readonly { key: string; kind: 'count' | 'rate' }[],
): string[] {
  const out: string[] = [];
  if (scheme.indicators.length === 0) out.push('no indicators');
  const seen = new Set<string>();
  for (const ind of scheme.indicators) {
    const known = catalogue.find((c) => c.key === ind.key);
    if (!known) out.push(`${ind.key}: unknown indicator for ${scheme.subjectType}`);
    if (seen.has(ind.key)) out.push(`${ind.key}: listed twice`);
    seen.add(ind.key);
    if (!(ind.weight > 0) || !Number.isFinite(ind.weight)) out.push(`${ind.key}: weight must be > 0`);
    const wantsCount = ind.transform === 'count_band';
    if (known && (known.kind === 'count') !== wantsCount)
      out.push(`${ind.key}: ${ind.transform} does not fit a ${known.kind}`);
    if (wantsCount && (ind.bands ?? []).length === 0) out.push(`${ind.key}: count_band needs bands`);
    for (const b of ind.bands ?? []) {
      if (b.max !== undefined && b.max < b.min) out.push(`${ind.key}: band ${b.min}–${b.max} is empty`);
      if (b.score < 0 || b.score > 100) out.push(`${ind.key}: band score must be 0–100`);
    }
  }
  const mins = scheme.grades.map((g) => g.min);
  if (scheme.grades.length === 0) out.push('no grades');
  if (new Set(scheme.grades.map((g) => g.grade)).size !== scheme.grades.length)
    out.push('a grade is listed twice');
  if (mins.some((m, i) => i > 0 && m >= mins[i - 1]!)) out.push('grades must be listed highest first');
  return out;
}
