/**
 * Moving a city's cases from one code scheme to the other (e.g. GB/T 30428.2 → GB/T 47678.5).
 * The preview lists every class that has cases to move with its targets through the mapping;
 * a class with one target moves there, one with several (a split) or none needs the admin's
 * choice: a class of the target scheme and the same kind, or "keep" (the cases stay under their
 * class, which evaluation still finds through the mapping). Pure: the module loads the facts.
 */
import type { LocalizedMessage } from '../codes.js';
import type { Kind, Level } from './codes.js';

export const MOVE_SCOPES = ['open', 'all'] as const;
/** 'open': cases not yet ended; 'all': their history too. */
export type MoveScope = (typeof MOVE_SCOPES)[number];

export type MoveStatus = 'mapped' | 'ambiguous' | 'unmapped';

export interface ClassRef {
  id: number;
  scheme: string;
  kind: Kind;
  level: Level;
  code: string;
  name: string;
}

export interface MoveSource {
  category: ClassRef;
  /** Cases to move under this class (within the scope). */
  cases: number;
  /** Classes of the target scheme the mapping offers, by code. */
  targets: ClassRef[];
  /** Set when the targets are those of another class (a 细类's 小类, a retired code's counterpart). */
  via: ClassRef | null;
}

/** The admin's choice for one source class: a target class id, or null to keep it where it is. */
export interface Resolution {
  categoryId: number;
  targetId: number | null;
}

export function moveStatus(targets: readonly ClassRef[]): MoveStatus {
  if (targets.length === 1) return 'mapped';
  return targets.length === 0 ? 'unmapped' : 'ambiguous';
}

export interface MoveProblem {
  categoryId: number;
  code: 'unresolved' | 'not_a_source' | 'bad_target' | 'duplicate';
  message: LocalizedMessage;
}

export type MovePlan =
  | { ok: true; assignments: Array<{ source: ClassRef; target: ClassRef | null; cases: number }> }
  | { ok: false; problems: MoveProblem[] };

/**
 * Checks the admin's resolutions against the preview and returns where every source class goes.
 * `choices` are the classes a resolution may name (active 小类/细类 of the target scheme).
 * A resolution may also override a mapped class (e.g. pick 06013 道路破损 for a class the
 * mapping sends elsewhere); every ambiguous or unmapped class needs one.
 */
export function planMove(
  sources: readonly MoveSource[],
  resolutions: readonly Resolution[],
  choices: ReadonlyMap<number, ClassRef>,
): MovePlan {
  const problems: MoveProblem[] = [];
  const bySource = new Map(sources.map((s) => [s.category.id, s]));
  const chosen = new Map<number, number | null>();
  for (const r of resolutions) {
    const source = bySource.get(r.categoryId);
    if (!source) {
      problems.push({
        categoryId: r.categoryId,
        code: 'not_a_source',
        message: {
          zh: `类别 ${r.categoryId} 没有待迁移的案卷`,
          en: `Class ${r.categoryId} has no cases to move`,
        },
      });
      continue;
    }
    if (chosen.has(r.categoryId)) {
      problems.push({
        categoryId: r.categoryId,
        code: 'duplicate',
        message: {
          zh: `类别 ${source.category.code} 给出了多个选择`,
          en: `Class ${source.category.code} is resolved more than once`,
        },
      });
      continue;
    }
    if (r.targetId !== null) {
      const target = choices.get(r.targetId);
      if (!target || target.kind !== source.category.kind) {
        problems.push({
          categoryId: r.categoryId,
          code: 'bad_target',
          message: {
            zh: `类别 ${source.category.code} 的目标必须是目标编码体系中同一类型的有效小类或细类`,
            en: `The target of ${source.category.code} must be an active class of the same kind in the target scheme`,
          },
        });
        continue;
      }
    }
    chosen.set(r.categoryId, r.targetId);
  }
  const assignments: Array<{ source: ClassRef; target: ClassRef | null; cases: number }> = [];
  for (const s of sources) {
    if (chosen.has(s.category.id)) {
      const id = chosen.get(s.category.id) ?? null;
      assignments.push({
        source: s.category,
        target: id === null ? null : (choices.get(id) ?? null),
        cases: s.cases,
      });
      continue;
    }
    const status = moveStatus(s.targets);
    if (status === 'mapped') {
      assignments.push({ source: s.category, target: s.targets[0] ?? null, cases: s.cases });
      continue;
    }
    problems.push({
      categoryId: s.category.id,
      code: 'unresolved',
      message:
        status === 'ambiguous'
          ? {
              zh: `${s.category.code} ${s.category.name} 对应多个类别（${s.targets.map((t) => t.code).join('、')}），请选择一个`,
              en: `${s.category.code} maps to several classes (${s.targets.map((t) => t.code).join(', ')}): choose one`,
            }
          : {
              zh: `${s.category.code} ${s.category.name} 没有对应类别，请指定目标或选择保留原类别`,
              en: `${s.category.code} has no counterpart: choose a target or keep the class`,
            },
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, assignments };
}
