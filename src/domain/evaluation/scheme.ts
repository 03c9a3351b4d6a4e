/**
 * Evaluation schemes as data (indicators, weights, count bands, grade boundaries) and scoring.
 *
 * Points per indicator (0–100): 'rate' → rate × 100, 'one_minus_rate' → (1 − rate) × 100,
 * 'count_band' → the score of the band the count falls in (0 when none); a count indicator may
 * give bands per area class (一类 A / 二类 B / 三类 C), used for a subject of that class.
 *
 * Empty rates: a rate with an empty denominator (0/0, nothing to judge) has no points — never
 * 100, never 0. The composite is Σ weight × points / Σ weight over the indicators that have
 * points, so an empty rate is left out and the other weights are rescaled: a subject is neither
 * rewarded nor punished for work it never had. A count alone never makes a score: when a
 * scheme has rate indicators and none of them has data, the subject gets no composite and no
 * grade (it is listed, unranked) — a grid with no case and a department with no work are not
 * "100". A scheme of counts only is scored on its counts.
 */
import type { AreaClass, Figure, SubjectType } from './types.js';

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
  /** count_band: the bands of any subject without bands of its own area class. */
  readonly bands?: readonly CountBand[];
  /** count_band: bands per area class (一类 A, 二类 B, 三类 C) of the subject. */
  readonly areaClassBands?: Readonly<Partial<Record<AreaClass, readonly CountBand[]>>>;
}

/** What scoring needs to know about the subject besides its figures. */
export interface SubjectContext {
  /** Regions: the area class whose count bands apply (see areaClassBands). */
  readonly areaClass?: AreaClass | null;
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

const AREA_CLASSES: readonly AreaClass[] = ['A', 'B', 'C'];

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

/** The bands of a count indicator for a subject: its area class's own, else the general ones. */
export function bandsFor(ind: SchemeIndicator, ctx: SubjectContext = {}): readonly CountBand[] {
  const own = ctx.areaClass ? ind.areaClassBands?.[ctx.areaClass] : undefined;
  return own ?? ind.bands ?? [];
}

function pointsOf(ind: SchemeIndicator, value: number | null, ctx: SubjectContext): number | null {
  if (value === null) return null;
  switch (ind.transform) {
    case 'rate':
      return value * 100;
    case 'one_minus_rate':
      return (1 - value) * 100;
    case 'count_band':
      return bandScore(value, bandsFor(ind, ctx));
  }
}

/** Rounded to 4 decimals so equal inputs give equal, comparable scores across runtimes. */
const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

export function gradeOf(composite: number, grades: EvaluationScheme['grades']): Grade | null {
  return [...grades].sort((a, b) => b.min - a.min).find((g) => composite >= g.min)?.grade ?? null;
}

export function score(
  indicators: Readonly<Record<string, Figure>>,
  scheme: EvaluationScheme,
  ctx: SubjectContext = {},
): Score {
  const raw = scheme.indicators.map((ind) => {
    const value = indicators[ind.key]?.value ?? null;
    return { ind, value, points: pointsOf(ind, value, ctx) };
  });
  const rates = raw.filter((r) => r.ind.transform !== 'count_band');
  const judged = rates.length === 0 || rates.some((r) => r.points !== null);
  const weightSum = judged ? raw.reduce((s, r) => s + (r.points === null ? 0 : r.ind.weight), 0) : 0;
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
    const perClass = Object.entries(ind.areaClassBands ?? {});
    if (wantsCount && (ind.bands ?? []).length === 0) out.push(`${ind.key}: count_band needs bands`);
    if (!wantsCount && (ind.bands !== undefined || perClass.length > 0))
      out.push(`${ind.key}: bands are for count_band only`);
    for (const [cls, bands] of [['', ind.bands ?? []] as const, ...perClass]) {
      const where = cls ? ` (area class ${cls})` : '';
      if (cls && !AREA_CLASSES.includes(cls as AreaClass)) out.push(`${ind.key}: unknown area class ${cls}`);
      if (cls && (bands ?? []).length === 0) out.push(`${ind.key}${where}: needs bands`);
      for (const b of bands ?? []) {
        if (b.max !== undefined && b.max < b.min)
          out.push(`${ind.key}${where}: band ${b.min}–${b.max} is empty`);
        if (b.score < 0 || b.score > 100) out.push(`${ind.key}${where}: band score must be 0–100`);
      }
    }
  }
  const mins = scheme.grades.map((g) => g.min);
  if (scheme.grades.length === 0) out.push('no grades');
  if (new Set(scheme.grades.map((g) => g.grade)).size !== scheme.grades.length)
    out.push('a grade is listed twice');
  if (mins.some((m, i) => i > 0 && m >= mins[i - 1]!)) out.push('grades must be listed highest first');
  return out;
}
