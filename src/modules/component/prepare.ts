/**
 * Checks new components against the database (catalog, grids, departments, divisions, ids,
 * data scope) and allocates generated ids. Shared by POST /components and the bulk import:
 * every problem becomes a row error naming the row and the field.
 */
import type { Kysely } from 'kysely';
import { scopePrefixOf } from '../../domain/codes.js';
import {
  type CategoryScheme,
  formatComponentId,
  nextSequences,
  parseComponentId,
  schemeOfCategory,
} from '../../domain/component/ids.js';
import { type ComponentInput, type RowError, rowError } from '../../domain/component/record.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import {
  catalogMinors,
  coveringGrids,
  currentGrids,
  existing,
  lockSequences,
  type NewComponentRow,
} from './repo.js';

/** A checked component; `id`/`seq` are null until allocated inside the writing transaction. */
export type PreparedComponent = Omit<NewComponentRow, 'id' | 'seq'> & {
  row: number;
  id: string | null;
  seq: number | null;
};

/** Scope is the district prefix of the id (its division) or the component's grid. */
export function inComponentScope(actor: Actor, divisionCode: string, gridCode: string): boolean {
  return divisionCode.startsWith(actor.scopePrefix) || gridCode.startsWith(actor.scopePrefix);
}

/** Grid codes of a division start with this (a city-registered component may lie in any district). */
const gridPrefixOf = (divisionCode: string) => scopePrefixOf(divisionCode) ?? divisionCode;

const DEPARTMENT_FIELDS = [
  ['managingDepartment', 'managing'],
  ['owningDepartment', 'owning'],
  ['maintainingDepartment', 'maintaining'],
] as const;

/** Checks that need the catalog: the class must be an active minor class of its scheme. */
export function categoryProblem(
  catalog: Map<CategoryScheme, Map<string, boolean>>,
  scheme: CategoryScheme,
  categoryCode: string,
): { zh: string; en: string } | null {
  const minors = catalog.get(scheme);
  // An empty catalog (a fresh install before the catalog is loaded) constrains nothing.
  if (!minors || minors.size === 0) return null;
  const active = minors.get(categoryCode);
  if (active === undefined) {
    return {
      zh: `小类 ${categoryCode} 不在 ${scheme} 部件类别目录中`,
      en: `class ${categoryCode} is not a component class of the ${scheme} catalog`,
    };
  }
  if (!active) return { zh: `小类 ${categoryCode} 已停用`, en: `class ${categoryCode} is deactivated` };
  return null;
}

export async function prepareComponents(
  db: Kysely<Database>,
  actor: Actor,
  inputs: ReadonlyArray<{ row: number; input: ComponentInput }>,
  options: { skipCatalog?: boolean } = {},
): Promise<{ rows: PreparedComponent[]; errors: RowError[] }> {
  const errors: RowError[] = [];
  const given = inputs.map(({ input }) => input);
  const [catalog, covering, grids, departments, divisions, taken] = await Promise.all([
    catalogMinors(db),
    coveringGrids(db, given),
    currentGrids(
      db,
      given.flatMap((i) => (i.gridCode ? [i.gridCode] : [])),
    ),
    existing(
      db,
      'departments',
      given.flatMap((i) => DEPARTMENT_FIELDS.flatMap(([f]) => (i[f] ? [i[f] as string] : []))),
    ),
    existing(
      db,
      'divisions',
      given.flatMap((i) => [i.divisionCode, i.id?.slice(0, 6)].filter((c): c is string => !!c)),
    ),
    existing(
      db,
      'components',
      given.flatMap((i) => (i.id ? [i.id] : [])),
    ),
  ]);
  const seenIds = new Map<string, number>();
  const rows: PreparedComponent[] = [];

  inputs.forEach(({ row, input }, index) => {
    const before = errors.length;
    const err = (field: string, code: RowError['code'], zh: string, en: string) =>
      errors.push(rowError(row, field, code, zh, en));

    // Class and division: from the id when given, else from the fields (and the grid).
    const parsed = input.id ? parseComponentId(input.id) : null;
    if (input.id && !parsed) {
      err(
        'id',
        'COMPONENT_CODE_FORMAT',
        `部件编码 ${input.id} 格式错误`,
        `component id ${input.id} is malformed`,
      );
      return;
    }
    const categoryCode = parsed?.categoryCode ?? input.categoryCode;
    const scheme = categoryCode ? schemeOfCategory(categoryCode) : null;
    if (!categoryCode || !scheme) {
      err(
        'category',
        'COMPONENT_FIELD_INVALID',
        '缺少或格式错误的小类代码',
        'missing or malformed class code',
      );
      return;
    }
    if (parsed && input.categoryCode && input.categoryCode !== parsed.categoryCode) {
      err(
        'category',
        'COMPONENT_FIELD_INVALID',
        `小类 ${input.categoryCode} 与部件编码中的小类 ${parsed.categoryCode} 不一致`,
        `class ${input.categoryCode} differs from class ${parsed.categoryCode} in the id`,
      );
    }
    if (parsed && input.divisionCode && input.divisionCode !== parsed.divisionCode) {
      err(
        'division',
        'DIVISION_INVALID',
        `行政区划 ${input.divisionCode} 与部件编码中的区划 ${parsed.divisionCode} 不一致`,
        `division ${input.divisionCode} differs from division ${parsed.divisionCode} in the id`,
      );
    }
    const problem = options.skipCatalog ? null : categoryProblem(catalog, scheme, categoryCode);
    if (problem) err('category', 'COMPONENT_CATEGORY_UNKNOWN', problem.zh, problem.en);

    let divisionCode = parsed?.divisionCode ?? input.divisionCode;
    if (divisionCode && !divisions.has(divisionCode)) {
      err(
        parsed ? 'id' : 'division',
        'DIVISION_INVALID',
        `行政区划 ${divisionCode} 不存在`,
        `division ${divisionCode} does not exist`,
      );
    }

    // Grid: the given one must cover the point; otherwise the point picks one.
    const covers = covering[index] ?? [];
    const at = `(${input.lng}, ${input.lat})`;
    let gridCode: string | undefined;
    if (input.gridCode) {
      if (!grids.has(input.gridCode)) {
        err(
          'grid',
          'COMPONENT_GRID_INVALID',
          `单元网格 ${input.gridCode} 不存在或已停用`,
          `grid ${input.gridCode} does not exist or is retired`,
        );
      } else if (!covers.includes(input.gridCode)) {
        err(
          'grid',
          'COMPONENT_GRID_INVALID',
          `位置 ${at} 不在单元网格 ${input.gridCode} 内`,
          `position ${at} is not inside grid ${input.gridCode}`,
        );
      } else {
        gridCode = input.gridCode;
      }
    } else {
      // On a shared edge prefer a grid of the component's division, then one in the actor's scope.
      const candidates = covers.filter((g) => !divisionCode || g.startsWith(gridPrefixOf(divisionCode)));
      gridCode = candidates.find((g) => g.startsWith(actor.scopePrefix)) ?? candidates[0];
      if (!gridCode) {
        const where = divisionCode ? `行政区划 ${divisionCode} 的` : '';
        err(
          'lng',
          'COMPONENT_GRID_INVALID',
          `位置 ${at} 不在${where}任何单元网格内`,
          `position ${at} lies in no unit grid${divisionCode ? ` of division ${divisionCode}` : ''}`,
        );
      }
    }
    if (gridCode && divisionCode && !gridCode.startsWith(gridPrefixOf(divisionCode))) {
      err(
        'grid',
        'COMPONENT_GRID_INVALID',
        `单元网格 ${gridCode} 不属于行政区划 ${divisionCode}`,
        `grid ${gridCode} is not in division ${divisionCode}`,
      );
    }
    divisionCode ??= gridCode?.slice(0, 6);

    for (const [field, column] of DEPARTMENT_FIELDS) {
      const code = input[field];
      if (code && !departments.has(code)) {
        err(
          column,
          'COMPONENT_DEPARTMENT_UNKNOWN',
          `部门 ${code} 不存在`,
          `department ${code} does not exist`,
        );
      }
    }

    if (input.id) {
      const earlier = seenIds.get(input.id);
      if (taken.has(input.id)) {
        err(
          'id',
          'COMPONENT_ID_TAKEN',
          `部件编码 ${input.id} 已存在`,
          `component id ${input.id} already exists`,
        );
      } else if (earlier !== undefined) {
        err(
          'id',
          'COMPONENT_ID_TAKEN',
          `部件编码 ${input.id} 与第 ${earlier} 行重复`,
          `component id ${input.id} repeats row ${earlier}`,
        );
      }
      seenIds.set(input.id, row);
    }

    if (errors.length > before || !gridCode || !divisionCode) return;
    if (!inComponentScope(actor, divisionCode, gridCode)) {
      err(
        'grid',
        'NOT_FOUND',
        `单元网格 ${gridCode} 不在您的数据范围内`,
        `grid ${gridCode} is outside your data scope`,
      );
      return;
    }
    rows.push({
      row,
      id: input.id ?? null,
      seq: parsed?.seq ?? null,
      scheme,
      divisionCode,
      categoryCode,
      name: input.name,
      managingDepartment: input.managingDepartment ?? null,
      owningDepartment: input.owningDepartment ?? null,
      maintainingDepartment: input.maintainingDepartment ?? null,
      gridCode,
      state: input.state,
      startDate: input.startDate ?? null,
      changeDate: input.changeDate ?? null,
      dataSource: input.dataSource ?? null,
      accuracyClass: input.accuracyClass ?? null,
      note: input.note ?? null,
      lng: input.lng,
      lat: input.lat,
    });
  });
  return { rows, errors };
}

/**
 * Gives every component without an id the next free sequence of its division and class.
 * Call inside the writing transaction: the sequence locks last until it commits.
 */
export async function allocateIds(
  db: Kysely<Database>,
  rows: readonly PreparedComponent[],
): Promise<NewComponentRow[]> {
  const maxima = await lockSequences(db, rows);
  const byPrefix = new Map<string, PreparedComponent[]>();
  for (const r of rows) {
    const key = `${r.divisionCode}${r.categoryCode}`;
    // Explicit ids of the same file count as used.
    if (r.seq !== null) maxima.set(key, Math.max(maxima.get(key) ?? 0, r.seq));
    else byPrefix.set(key, [...(byPrefix.get(key) ?? []), r]);
  }
  const assigned = new Map<PreparedComponent, { id: string; seq: number }>();
  for (const [key, pending] of byPrefix) {
    const first = pending[0] as PreparedComponent;
    const seqs = nextSequences(maxima.get(key) ?? null, pending.length);
    if (!seqs) {
      throw new AppError('COMPONENT_SEQUENCE_EXHAUSTED', {
        details: {
          divisionCode: first.divisionCode,
          categoryCode: first.categoryCode,
          needed: pending.length,
        },
        message: {
          zh: `行政区划 ${first.divisionCode} 小类 ${first.categoryCode} 的部件序号已用完`,
          en: `No free sequence left for class ${first.categoryCode} in division ${first.divisionCode}`,
        },
      });
    }
    pending.forEach((r, i) => {
      const seq = seqs[i] as number;
      assigned.set(r, { id: formatComponentId(r.divisionCode, r.categoryCode, seq), seq });
    });
  }
  return rows.map((prepared) => {
    const { row: _row, ...r } = prepared;
    const a = assigned.get(prepared);
    return { ...r, id: r.id ?? (a?.id as string), seq: r.seq ?? (a?.seq as number) };
  });
}
