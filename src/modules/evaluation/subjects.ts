/**
 * Which subjects a reader's evaluation lists, whether or not they had a case in the period, and
 * the area class a region is scored with. A reader whose cases are the grids under `gridPrefix`
 * ('' = the whole city) sees:
 * - grids: the current ones (valid_to IS NULL) under the prefix; communities, streets and
 *   districts: the divisions under it; 数字城管中心: one per district under it;
 * - departments: the active ones whose division is inside the reader's area or contains it
 *   (a city department works in every district);
 * - supervisors: enabled, with a grid under the prefix or a division inside the area; intake
 *   operators, shift leaders, dispatchers: enabled, with a division inside the area.
 * Subjects outside these lists still appear when they have cases in the reader's scope.
 */
import type { AreaClass, SubjectType } from '../../domain/evaluation/index.js';
import type { Reference } from './repo.js';

type Subjects = Partial<Record<SubjectType, string[]>>;

const REGION_LEVELS = { community: 'community', street: 'street', district: 'district' } as const;
const POSTS = ['supervisor', 'intake', 'shift_leader', 'dispatcher'] as const;

export function subjectsInScope(ref: Reference, gridPrefix: string, types: readonly SubjectType[]): Subjects {
  const inside = (prefix: string | undefined) => prefix?.startsWith(gridPrefix) === true;
  const out: Subjects = {};
  const divisionsAt = (level: string) =>
    [...ref.divisionLevels]
      .filter(([code, l]) => l === level && inside(ref.divisionPrefixes.get(code)))
      .map(([code]) => code)
      .sort();
  for (const type of types) {
    if (type === 'grid') out.grid = [...ref.gridAreaClasses.keys()].filter((g) => g.startsWith(gridPrefix));
    else if (type === 'community' || type === 'street' || type === 'district')
      out[type] = divisionsAt(REGION_LEVELS[type]);
    else if (type === 'center') out.center = divisionsAt('district');
    else if (type === 'department')
      out.department = [...ref.departmentScopes]
        .filter(([, prefix]) => prefix.startsWith(gridPrefix) || gridPrefix.startsWith(prefix))
        .map(([code]) => code)
        .sort();
    else if ((POSTS as readonly string[]).includes(type)) {
      const inArea = (user: string) =>
        inside(ref.divisionPrefixes.get(ref.userDivisions.get(user) ?? '')) ||
        (type === 'supervisor' && (ref.supervisorGrids[user] ?? []).some((g) => g.startsWith(gridPrefix)));
      out[type] = [...ref.userRoles]
        .filter(([user, role]) => role === type && inArea(user))
        .map(([user]) => user)
        .sort((a, b) => Number(a) - Number(b));
    }
  }
  return out;
}

const RANK: Record<AreaClass, number> = { A: 0, B: 1, C: 2 };
const CODE_LENGTH = { community: 12, street: 9, district: 6 } as const;

/**
 * The area class each region of a type is scored with (its count bands): a grid's own; a
 * community's, street's or district's the class most of its current grids have, a tie going to
 * the higher class (一类 before 二类). Other subject types have none.
 */
export function areaClasses(ref: Reference, type: SubjectType): Map<string, AreaClass> {
  if (type === 'grid') return ref.gridAreaClasses;
  if (type !== 'community' && type !== 'street' && type !== 'district') return new Map();
  const counts = new Map<string, Record<AreaClass, number>>();
  for (const [grid, cls] of ref.gridAreaClasses) {
    const region = grid.slice(0, CODE_LENGTH[type]);
    const c = counts.get(region) ?? { A: 0, B: 0, C: 0 };
    c[cls]++;
    counts.set(region, c);
  }
  const out = new Map<string, AreaClass>();
  for (const [region, c] of counts) {
    const best = (Object.keys(c) as AreaClass[]).sort((a, b) => c[b] - c[a] || RANK[a] - RANK[b])[0];
    if (best) out.set(region, best);
  }
  return out;
}
