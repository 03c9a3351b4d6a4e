/**
 * Dispatch suggestions (派遣建议): the departments that should handle a case, ranked, each with
 * the reason shown to the dispatcher. Sources, in order: the ownership of the component the case
 * names (部件权属), then the responsibility table from the most specific area to the city.
 */
import type { Kysely } from 'kysely';
import type { Label } from '../../domain/workflow/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { notFound } from '../../platform/errors.js';
import { type CaseRow, findCase } from '../cases/repo.js';
import { chinaDateOf } from '../catalog/lookup.js';
import { componentRow } from '../component/repo.js';
import { departmentsByCodes, matchingRules, type RuleRow, ruleCategories } from './repo.js';

const LEVEL_RANK: Record<string, number> = { community: 4, street: 3, district: 2, city: 1 };
const LEVEL_LABEL: Record<string, Label> = {
  minor: { zh: '小类', en: 'class' },
  detail: { zh: '细类', en: 'detail class' },
};

interface Candidate {
  code: string;
  source: 'component' | 'rule';
  reason: (name: string) => Label;
  rule?: RuleRow;
}

/** Most specific area first; then the case's own class before its counterpart or parent; then A/B/C-specific. */
export function rankRules(rules: readonly RuleRow[], categoryOrder: readonly number[]): RuleRow[] {
  const catIndex = (id: number) => {
    const i = categoryOrder.indexOf(id);
    return i < 0 ? categoryOrder.length : i;
  };
  return [...rules].sort(
    (a, b) =>
      (LEVEL_RANK[b.area_level] ?? 0) - (LEVEL_RANK[a.area_level] ?? 0) ||
      catIndex(a.category_id) - catIndex(b.category_id) ||
      Number(b.area_class !== null) - Number(a.area_class !== null) ||
      a.id - b.id,
  );
}

function ruleReason(r: RuleRow): (name: string) => Label {
  const level = LEVEL_LABEL[r.category_level] ?? { zh: '类别', en: 'class' };
  const cls = r.area_class
    ? { zh: `（${r.area_class}类区域）`, en: ` (area class ${r.area_class})` }
    : { zh: '', en: '' };
  return (name) => ({
    zh: `责任分解表：${level.zh} ${r.category_code} 在 ${r.area_name}${cls.zh} → ${name}`,
    en: `Responsibility table: ${level.en} ${r.category_code} in ${r.area_name}${cls.en} → ${name}`,
  });
}

async function componentCandidates(db: Kysely<Database>, componentCode: string): Promise<Candidate[]> {
  const c = await componentRow(db, componentCode);
  if (!c) return [];
  const roles = [
    [c.owning_department_code, { zh: '权属单位', en: 'owner' }],
    [c.maintaining_department_code, { zh: '养护单位', en: 'maintainer' }],
    [c.managing_department_code, { zh: '主管部门', en: 'managing department' }],
  ] as const;
  return roles.flatMap(([code, role]): Candidate[] =>
    code
      ? [
          {
            code,
            source: 'component',
            reason: (name) => ({
              zh: `部件权属：部件 ${c.id} 的${role.zh} → ${name}`,
              en: `Component ownership: ${role.en} of component ${c.id} → ${name}`,
            }),
          },
        ]
      : [],
  );
}

/** Ranked departments for a case (no access checks: callers check theirs). */
export async function suggestionsFor(db: Kysely<Database>, row: CaseRow, now = new Date()) {
  const candidates: Candidate[] = row.component_code ? await componentCandidates(db, row.component_code) : [];
  const categoryIds = await ruleCategories(db, row.category_id);
  const rules = await matchingRules(db, {
    categoryIds,
    gridCode: row.grid_code,
    areaClass: row.area_class,
    day: chinaDateOf(now),
  });
  for (const r of rankRules(rules, categoryIds)) {
    for (const code of r.department_codes)
      candidates.push({ code, source: 'rule', reason: ruleReason(r), rule: r });
  }
  const departments = await departmentsByCodes(db, [...new Set(candidates.map((c) => c.code))]);
  const byCode = new Map(departments.map((d) => [d.code, d]));
  const seen = new Set<string>();
  const items = [];
  for (const c of candidates) {
    const d = byCode.get(c.code);
    // Inactive departments and those serving another area are never suggested.
    if (!d || seen.has(c.code) || !row.grid_code.startsWith(d.scope_prefix)) continue;
    seen.add(c.code);
    items.push({
      rank: items.length + 1,
      department: { code: d.code, name: d.name },
      source: c.source,
      reason: c.reason(d.name),
      rule: c.rule
        ? {
            id: c.rule.id,
            category: { code: c.rule.category_code, level: c.rule.category_level },
            area: { code: c.rule.area_code, name: c.rule.area_name, level: c.rule.area_level },
            areaClass: c.rule.area_class,
          }
        : null,
    });
  }
  return items;
}

export async function dispatchSuggestions(ctx: Ctx, caseId: number) {
  requirePermission(ctx.actor, 'case.read');
  const row = await findCase(ctx.db, ctx.actor, caseId);
  if (!row) throw notFound('case');
  return {
    caseId: row.id,
    number: row.number,
    category: { code: row.category_code, name: row.category_name },
    componentCode: row.component_code,
    items: await suggestionsFor(ctx.db, row),
  };
}
