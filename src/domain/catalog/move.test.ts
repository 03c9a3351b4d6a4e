import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ClassRef, derivationText, type MoveSource, moveStatus, planMove } from './index.js';

const cls = (
  id: number,
  code: string,
  kind: 'component' | 'event' = 'event',
  scheme = 'gbt47678',
): ClassRef => ({
  id,
  scheme,
  kind,
  level: 'minor',
  code,
  name: `类${code}`,
});
const source = (id: number, code: string, targets: ClassRef[], cases = 3): MoveSource => ({
  category: cls(id, code, 'event', 'gbt30428'),
  cases,
  targets,
  via: null,
});

const T1 = cls(101, '06001');
const T2 = cls(102, '06010');
const T3 = cls(103, '06013');
const COMPONENT = cls(104, '01001', 'component');
const choices = new Map([T1, T2, T3, COMPONENT].map((c) => [c.id, c]));

describe('moving cases: status and plan', () => {
  it('one target is mapped, several ambiguous, none unmapped', () => {
    expect([moveStatus([T1]), moveStatus([T1, T2]), moveStatus([])]).toEqual([
      'mapped',
      'ambiguous',
      'unmapped',
    ]);
  });

  it('moves mapped classes by themselves; ambiguous and unmapped ones need a choice', () => {
    const sources = [source(1, '0101', [T1]), source(2, '0117', [T1, T2]), source(3, '0401', [])];
    const refused = planMove(sources, [], choices);
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.problems.map((p) => [p.categoryId, p.code])).toEqual([
        [2, 'unresolved'],
        [3, 'unresolved'],
      ]);
    const plan = planMove(
      sources,
      [
        { categoryId: 2, targetId: 102 },
        { categoryId: 3, targetId: null },
      ],
      choices,
    );
    expect(plan).toEqual({
      ok: true,
      assignments: [
        { source: sources[0]?.category, target: T1, cases: 3 },
        { source: sources[1]?.category, target: T2, cases: 3 },
        { source: sources[2]?.category, target: null, cases: 3 },
      ],
    });
  });

  it('an admin may send an unmapped class to any class of the same kind, or override a mapped one', () => {
    const sources = [source(1, '0101', [T1]), source(3, '0401', [])];
    const plan = planMove(
      sources,
      [
        { categoryId: 1, targetId: 102 },
        { categoryId: 3, targetId: 103 },
      ],
      choices,
    );
    expect(plan.ok && plan.assignments.map((a) => a.target?.code)).toEqual(['06010', '06013']);
  });

  it('refuses a target of another kind or outside the target scheme, unknown sources and duplicates', () => {
    const sources = [source(1, '0101', [T1])];
    const plan = planMove(
      sources,
      [
        { categoryId: 1, targetId: 104 },
        { categoryId: 1, targetId: 999 },
        { categoryId: 7, targetId: 101 },
        { categoryId: 1, targetId: 101 },
      ],
      choices,
    );
    expect(plan.ok).toBe(false);
    if (!plan.ok) {
      expect(plan.problems.map((p) => p.code)).toEqual(['bad_target', 'bad_target', 'not_a_source']);
      expect(plan.problems[0]?.message.zh).toContain('同一类型');
    }
    const twice = planMove(
      sources,
      [
        { categoryId: 1, targetId: 101 },
        { categoryId: 1, targetId: 102 },
      ],
      choices,
    );
    expect(!twice.ok && twice.problems.map((p) => p.code)).toEqual(['duplicate']);
  });

  it('property: a plan is ok exactly when every non-mapped class is resolved; it covers every source once and loses no case', () => {
    const targets = fc.subarray([T1, T2, T3]);
    const arb = fc
      .array(
        fc.record({
          targets,
          cases: fc.integer({ min: 1, max: 50 }),
          resolve: fc.option(fc.constantFrom(101, 102, 103, null), { nil: undefined }),
        }),
        {
          maxLength: 8,
        },
      )
      .map((rows) =>
        rows.map((r, i) => ({
          source: source(i + 1, `01${String(i + 1).padStart(2, '0')}`, r.targets, r.cases),
          resolve: r.resolve,
        })),
      );
    fc.assert(
      fc.property(arb, (rows) => {
        const sources = rows.map((r) => r.source);
        const resolutions = rows.flatMap((r) =>
          r.resolve === undefined ? [] : [{ categoryId: r.source.category.id, targetId: r.resolve }],
        );
        const plan = planMove(sources, resolutions, choices);
        const needs = rows.filter(
          (r) => r.resolve === undefined && moveStatus(r.source.targets) !== 'mapped',
        );
        expect(plan.ok).toBe(needs.length === 0);
        if (plan.ok) {
          expect(plan.assignments.map((a) => a.source.id)).toEqual(sources.map((s) => s.category.id));
          expect(plan.assignments.reduce((n, a) => n + a.cases, 0)).toBe(
            sources.reduce((n, s) => n + s.cases, 0),
          );
          for (const [i, a] of plan.assignments.entries()) {
            const r = rows[i];
            if (r?.resolve !== undefined) expect(a.target?.id ?? null).toBe(r.resolve);
            else expect(a.target).toEqual(r?.source.targets[0]);
          }
        } else {
          expect(plan.problems.map((p) => p.categoryId)).toEqual(needs.map((r) => r.source.category.id));
        }
      }),
    );
  });
});

describe('derivation text', () => {
  it('names the chosen 30428.2 class, the candidates and the rule', () => {
    const sources = [
      { kind: 'component' as const, code: '0117', name: '立杆' },
      { kind: 'component' as const, code: '0116', name: '电力设施' },
    ];
    expect(derivationText({ rule: 'mapping', sources, chosen: '0117' }).zh).toBe(
      '由 GB/T 30428.2 0117 立杆 的标准经类别对应关系推导（候选：0117 立杆、0116 电力设施；取紧急程度最高者，同级取代码最小者）',
    );
    expect(
      derivationText({
        rule: 'component',
        component: '01001',
        sources: [{ kind: 'component', code: '0101', name: '上水井盖' }],
        chosen: '0101',
      }).zh,
    ).toBe('本事项无直接对应，按其部件 01001 的对应类别 GB/T 30428.2 0101 上水井盖 推导');
    expect(derivationText({ rule: 'default', sources: [], chosen: null, profile: 'event:01' }).en).toContain(
      'No GB/T 30428.2 counterpart',
    );
  });
});
