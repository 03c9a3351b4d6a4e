/**
 * Case sets per subject, and the figures built from them. Every indicator is a named set (a
 * count) or a pair of sets (a rate), so a figure's number is by construction the length of the
 * case list behind it.
 */
import type { Label } from '../workflow/states.js';
import type { Figure, IndicatorInfo, SubjectResult, SubjectType } from './types.js';

/**
 * `higherIsBetter` is stated for every indicator, counts included, from what it counts:
 * - a failure or a sign of one (返工, 延期, 挂账, 回退/错派, 作废, 漏报, 超期, 督办, 待定) points
 *   down, as its rate does (返工率, 延期率 …, GB/T 30428.4 scores them as 1 − rate);
 * - the problems of a place or of a department's area (a region's 上报数 / 立案数, a
 *   department's 立案数, 应处置数, 应结案数) point down: the 立案数分值 bands score fewer
 *   cases higher (schemes.ts);
 * - work done by the subject (受理数, 派遣数, a post's 立案数 and 结案数, 处置数, 按期处置数, a
 *   supervisor's 上报数 and 有效上报数) points up: the 受理数分值 / 派遣数分值 bands score more higher.
 */
export type IndicatorDef =
  | {
      readonly key: string;
      readonly label: Label;
      readonly kind: 'count';
      readonly set: string;
      readonly higherIsBetter: boolean;
    }
  | {
      readonly key: string;
      readonly label: Label;
      readonly kind: 'rate';
      readonly num: string;
      readonly den: string;
      readonly higherIsBetter: boolean;
    };

export function infoOf(def: IndicatorDef): IndicatorInfo {
  return { key: def.key, kind: def.kind, label: def.label, higherIsBetter: def.higherIsBetter };
}

export class Tally {
  private readonly sets = new Map<string, Map<string, Set<string>>>();

  /** Makes the subject appear in the results even with no cases. */
  touch(subject: string): void {
    if (!this.sets.has(subject)) this.sets.set(subject, new Map());
  }

  add(subject: string | null | undefined, set: string, caseId: string): void {
    if (subject === null || subject === undefined) return;
    this.touch(subject);
    const bySet = this.sets.get(subject)!;
    const ids = bySet.get(set) ?? new Set<string>();
    ids.add(caseId);
    bySet.set(set, ids);
  }

  /**
   * Records a timed piece of work: the case joins `all`, and `late` if this event was late;
   * `finish` later makes "on time" = all minus late (on time only if every such event was).
   */
  judge(subject: string | null | undefined, all: string, caseId: string, late: boolean): void {
    this.add(subject, all, caseId);
    if (late) this.add(subject, `${all}:late`, caseId);
  }

  /** `${all}:onTime` = `all` minus `${all}:late`, for every subject. */
  finish(...all: string[]): void {
    for (const a of all) this.derive(`${a}:onTime`, a, `${a}:late`);
  }

  get(subject: string, set: string): ReadonlySet<string> {
    return this.sets.get(subject)?.get(set) ?? new Set();
  }

  subjects(): string[] {
    return [...this.sets.keys()].sort(byId);
  }

  /** set `name` = `a` minus `b`, for every subject. */
  derive(name: string, a: string, b: string, op: 'minus' | 'union' = 'minus'): void {
    for (const subject of this.sets.keys()) {
      const left = this.get(subject, a);
      const right = this.get(subject, b);
      const ids =
        op === 'minus' ? [...left].filter((id) => !right.has(id)) : [...new Set([...left, ...right])];
      for (const id of ids) this.add(subject, name, id);
    }
  }

  /** The figures of every subject, in subject order. */
  figures(defs: readonly IndicatorDef[]): [string, Record<string, Figure>][] {
    return this.subjects().map((subjectId) => {
      const indicators: Record<string, Figure> = {};
      for (const def of defs) {
        indicators[def.key] =
          def.kind === 'count'
            ? countFigure(this.get(subjectId, def.set))
            : rateFigure(this.get(subjectId, def.num), this.get(subjectId, def.den));
      }
      return [subjectId, indicators];
    });
  }

  results(type: SubjectType, defs: readonly IndicatorDef[]): SubjectResult[] {
    return this.figures(defs).map(([subjectId, indicators]) => ({
      subjectType: type,
      subjectId,
      indicators,
    }));
  }
}

const COLLATOR = new Intl.Collator('en', { numeric: true });
const PLAIN_NUMBER = /^[1-9][0-9]*$/;
/**
 * Case ids in numeric order. Plain integer ids (every stored case) compare by length then
 * text, which is what the collator does for them but without its cost: sorting was most of
 * a yearly evaluation's time (bench/evaluation.ts).
 */
export const byId = (a: string, b: string): number =>
  PLAIN_NUMBER.test(a) && PLAIN_NUMBER.test(b)
    ? a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
    : COLLATOR.compare(a, b);

const sortedIds = (ids: ReadonlySet<string>): string[] => [...ids].sort(byId);

/**
 * The case lists are sorted only when read: an evaluation of all subjects reads the numbers of
 * hundreds of thousands of figures and the lists of the one a drill-down asks for, and sorting
 * every list was most of a large evaluation's time (bench/evaluation.ts).
 */
function lazyLists(num: ReadonlySet<string>, den: ReadonlySet<string>): Figure['caseIds'] {
  let numerator: string[] | undefined;
  let denominator: string[] | undefined;
  const numeratorList = (): string[] => {
    numerator ??= sortedIds(num);
    return numerator;
  };
  return {
    get numerator() {
      return numeratorList();
    },
    get denominator() {
      denominator ??= num === den ? numeratorList() : sortedIds(den);
      return denominator;
    },
  };
}

export function countFigure(ids: ReadonlySet<string>): Figure {
  return {
    kind: 'count',
    value: ids.size,
    numerator: ids.size,
    denominator: ids.size,
    caseIds: lazyLists(ids, ids),
  };
}

export function rateFigure(num: ReadonlySet<string>, den: ReadonlySet<string>): Figure {
  return {
    kind: 'rate',
    value: den.size === 0 ? null : num.size / den.size,
    numerator: num.size,
    denominator: den.size,
    caseIds: lazyLists(num, den),
  };
}
