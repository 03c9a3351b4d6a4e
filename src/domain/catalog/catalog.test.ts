import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLOCK_STEPS } from '../workflow/states.js';
import {
  AREA_CLASSES,
  CHECK_PHOTOS_COLUMN,
  COLUMNS,
  defaultStandard,
  exportCells,
  formatLimit,
  LIMIT_COLUMNS,
  levelOfCode,
  localCodeProblem,
  NATIONAL_CLASSES,
  parentCodeOf,
  parseLimitText,
  type SheetCategory,
  schemeOfLength,
  validateSheet,
} from './index.js';

describe('national classes', () => {
  it('are the 134 rows of the reference list, unique per kind and code', () => {
    expect(NATIONAL_CLASSES).toHaveLength(134);
    expect(NATIONAL_CLASSES.filter((c) => c.kind === 'component')).toHaveLength(85);
    const keys = NATIONAL_CLASSES.map((c) => `${c.kind}${c.majorCode}${c.minorCode}`);
    expect(new Set(keys).size).toBe(134);
    expect(
      NATIONAL_CLASSES.find((c) => c.kind === 'event' && c.majorCode === '05' && c.minorCode === '12')
        ?.minorName,
    ).toBe('非法出版物销售');
  });

  it('every class gets a complete default standard: all steps × A/B/C, conditions, departments', () => {
    for (const c of NATIONAL_CLASSES) {
      const s = defaultStandard(c);
      expect(s.limits.filter((l) => l.urgency === 'normal')).toHaveLength(
        CLOCK_STEPS.length * AREA_CLASSES.length,
      );
      expect(s.filingConditions.length).toBeGreaterThan(5);
      expect(s.closingConditions.length).toBeGreaterThan(5);
      expect(s.departmentCodes.length).toBeGreaterThan(0);
      for (const d of s.departmentCodes)
        expect(['SZ', 'HW', 'YL', 'JG', 'GS', 'RQ', 'GD', 'TX', 'ZF']).toContain(d);
    }
  });

  it('uses the typical limits: covers urgent 30 min / 6 h, 暴露垃圾 4 working hours (A) to 1 working day (C), 道路不洁 2–5 h', () => {
    const find = (kind: string, major: string, minor: string) => {
      const c = NATIONAL_CLASSES.find(
        (x) => x.kind === kind && x.majorCode === major && x.minorCode === minor,
      );
      if (!c) throw new Error('missing');
      const s = defaultStandard(c);
      const text = (step: string, area: string) => {
        const l = s.limits.find((x) => x.step === step && x.areaClass === area && x.urgency === 'normal');
        return l ? formatLimit(l.limit) : null;
      };
      return { s, text };
    };
    const cover = find('component', '01', '11');
    expect(cover.s.defaultUrgency).toBe('urgent');
    expect(cover.s.departmentCodes).toEqual(['RQ']);
    expect([cover.text('sign', 'A'), cover.text('handle', 'B')]).toEqual(['30分钟', '6小时']);
    const garbage = find('event', '01', '02');
    expect([garbage.text('handle', 'A'), garbage.text('handle', 'C')]).toEqual(['4工作时', '1工作日']);
    const road = find('event', '01', '04');
    expect([road.text('handle', 'A'), road.text('handle', 'C')]).toEqual(['2工作时', '5工作时']);
    const poster = find('event', '02', '01');
    expect([poster.text('verify', 'B'), poster.text('check', 'B'), poster.text('close', 'C')]).toEqual([
      '1工作时',
      '4工作时',
      '2工作时',
    ]);
  });
});

describe('codes', () => {
  it.each([
    ['gbt30428', '01', 'major'],
    ['gbt30428', '0102', 'minor'],
    ['gbt30428', '010201', 'detail'],
    ['gbt47678', '01002', 'minor'],
    ['gbt47678', '0100201', 'detail'],
    ['gbt30428', '01002', null],
    ['gbt47678', '0102', null],
    ['gbt30428', '0100', null],
    ['gbt30428', '010200', null],
    ['gbt30428', '00', null],
    ['gbt30428', '01a2', null],
  ] as const)('%s %s → %s', (scheme, code, level) => {
    expect(levelOfCode(scheme, code)).toBe(level);
  });

  it('reads the scheme of a 小类 / 细类 code from its length, and the parent of a code', () => {
    expect(['0102', '010203', '01002', '0100203', '01', '010'].map(schemeOfLength)).toEqual([
      'gbt30428',
      'gbt30428',
      'gbt47678',
      'gbt47678',
      null,
      null,
    ]);
    expect([
      parentCodeOf('gbt47678', '0100203'),
      parentCodeOf('gbt30428', '0102'),
      parentCodeOf('gbt30428', '01'),
    ]).toEqual(['01002', '01', null]);
  });

  it('local codes: majors from 07 (部件) / 06 (事件), children extend their parent', () => {
    const major = {
      level: 'major' as const,
      code: '05',
      scheme: 'gbt30428' as const,
      kind: 'event' as const,
    };
    expect(
      localCodeProblem({ scheme: 'gbt30428', kind: 'component', level: 'major', code: '07', parent: null }),
    ).toBeNull();
    expect(
      localCodeProblem({ scheme: 'gbt30428', kind: 'event', level: 'major', code: '06', parent: null }),
    ).toBeNull();
    expect(
      localCodeProblem({ scheme: 'gbt30428', kind: 'component', level: 'major', code: '06', parent: null })
        ?.code,
    ).toBe('CATALOG_CODE_INVALID');
    expect(
      localCodeProblem({ scheme: 'gbt30428', kind: 'event', level: 'minor', code: '0513', parent: major }),
    ).toBeNull();
    expect(
      localCodeProblem({ scheme: 'gbt30428', kind: 'event', level: 'minor', code: '0613', parent: major })
        ?.code,
    ).toBe('CATALOG_CODE_INVALID');
    expect(
      localCodeProblem({ scheme: 'gbt30428', kind: 'component', level: 'minor', code: '0513', parent: major })
        ?.code,
    ).toBe('CATALOG_PARENT_INVALID');
    expect(
      localCodeProblem({ scheme: 'gbt30428', kind: 'event', level: 'detail', code: '051301', parent: major })
        ?.code,
    ).toBe('CATALOG_PARENT_INVALID');
  });

  it('GB/T 47678.5 local majors start after its own list: 管理部件 06, 管理事项 11', () => {
    const problem = (kind: 'component' | 'event', code: string) =>
      localCodeProblem({ scheme: 'gbt47678', kind, level: 'major', code, parent: null })?.code ?? null;
    expect([problem('component', '05'), problem('component', '06')]).toEqual(['CATALOG_CODE_INVALID', null]);
    expect([problem('event', '10'), problem('event', '11')]).toEqual(['CATALOG_CODE_INVALID', null]);
  });

  it('a local 47678.5 小类 may not take a code the standard skips', () => {
    const parent = (code: string) => ({
      level: 'major' as const,
      code,
      scheme: 'gbt47678',
      kind: 'event' as const,
    });
    const problem = (code: string) =>
      localCodeProblem({
        scheme: 'gbt47678',
        kind: 'event',
        level: 'minor',
        code,
        parent: parent(code.slice(0, 2)),
      })?.code ?? null;
    expect([problem('06031'), problem('09007'), problem('01016')]).toEqual([
      'CATALOG_CODE_INVALID',
      'CATALOG_CODE_INVALID',
      'CATALOG_CODE_INVALID',
    ]);
    expect([problem('06053'), problem('09023')]).toEqual([null, null]);
  });
});

describe('time-limit text', () => {
  it.each([
    ['6小时', { amount: 6, unit: 'calendar_hours' }],
    ['4工作时', { amount: 4, unit: 'working_hours' }],
    ['4 工作小时', { amount: 4, unit: 'working_hours' }],
    ['1工作日', { amount: 1, unit: 'working_days' }],
    ['2个工作日', { amount: 2, unit: 'working_days' }],
    ['30分钟', { amount: 30, unit: 'minutes' }],
    ['0.5工作日', { amount: 0.5, unit: 'working_days' }],
  ])('%s', (text, limit) => {
    expect(parseLimitText(text)).toEqual(limit);
  });

  it.each(['', '6', '小时', '六小时', '-1小时', '0小时', '1.234小时', '10001小时', '6 hours', '1天'])(
    'refuses %j',
    (text) => {
      expect(parseLimitText(text)).toBeNull();
    },
  );

  it('format → parse is the identity for valid limits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom('working_hours', 'working_days', 'calendar_hours', 'minutes' as const),
        (cents, unit) => {
          const limit = { amount: cents / 100, unit: unit as 'minutes' };
          expect(parseLimitText(formatLimit(limit))).toEqual(limit);
        },
      ),
    );
  });

  it('has one column per step × area class', () => {
    expect(LIMIT_COLUMNS).toHaveLength(30);
    expect(LIMIT_COLUMNS.find((c) => c.step === 'handle' && c.area === 'A')?.header).toBe('处置时限-A');
    expect(COLUMNS).toHaveLength(7 + 4 + 30 + 1);
  });
});

describe('sheet', () => {
  const cats: SheetCategory[] = [
    { id: 1, kind: 'event', level: 'major', code: '01', name: '市容环境', active: true },
    { id: 2, kind: 'event', level: 'minor', code: '0102', name: '暴露垃圾', active: true },
    { id: 3, kind: 'event', level: 'detail', code: '010201', name: '沿街暴露垃圾', active: true },
    { id: 4, kind: 'event', level: 'minor', code: '0103', name: '积存垃圾渣土', active: false },
  ];
  const ctx = {
    scheme: 'gbt30428' as const,
    categories: new Map(cats.map((c) => [`${c.kind}:${c.code}`, c])),
    departmentCodes: new Set(['HW', 'ZF']),
  };
  const standard = defaultStandard(NATIONAL_CLASSES.find((c) => c.kind === 'event' && c.minorCode === '02')!);
  const base = exportCells([
    {
      kind: 'event',
      major: { code: '01', name: '市容环境' },
      minor: { code: '0102', name: '暴露垃圾' },
      detail: null,
      mappedCode: '01002',
      standard,
    },
    {
      kind: 'event',
      major: { code: '01', name: '市容环境' },
      minor: { code: '0102', name: '暴露垃圾' },
      detail: { code: '010201', name: '沿街暴露垃圾' },
      mappedCode: null,
      standard: null,
    },
  ]);

  it('reads back what it exports; a class without a standard stays without', () => {
    const v = validateSheet(base, ctx);
    expect(v).toEqual({
      ok: true,
      rows: [
        { row: 2, categoryId: 2, standard },
        { row: 3, categoryId: 3, standard: null },
      ],
    });
  });

  it('核查须拍照 is written as 是 / 否, read back, optional on import, and anything else is an error', () => {
    const header = base[0] as string[];
    const col = header.indexOf(CHECK_PHOTOS_COLUMN);
    expect(col).toBeGreaterThan(0);
    // An event class of the seeded table asks for no photos; the class without a standard has no cell.
    expect(base[1]?.[col]).toBe('否');
    expect(base[2]?.[col]).toBeNull();
    const withYes = base.map((r, i) => (i === 1 ? r.map((cell, j) => (j === col ? '是' : cell)) : [...r]));
    const yes = validateSheet(withYes, ctx);
    expect(yes.ok && yes.rows[0]?.standard?.checkPhotos).toBe(true);
    // A sheet from before the column: no photos asked, nothing else changes.
    const without = base.map((r) => r.filter((_, j) => j !== col));
    const old = validateSheet(without, ctx);
    expect(old).toEqual({
      ok: true,
      rows: [
        { row: 2, categoryId: 2, standard: { ...standard, checkPhotos: false } },
        { row: 3, categoryId: 3, standard: null },
      ],
    });
    const bad = base.map((r, i) => (i === 1 ? r.map((cell, j) => (j === col ? '需要' : cell)) : [...r]));
    const v = validateSheet(bad, ctx);
    expect(v.ok ? [] : v.errors.map((e) => [e.row, e.column, e.code, e.value])).toEqual([
      [2, CHECK_PHOTOS_COLUMN, 'CHECK_PHOTOS_INVALID', '需要'],
    ]);
  });

  it('the seeded table asks for check photos for 部件 (a repaired facility is shown) and not for 事件', () => {
    const componentClass = NATIONAL_CLASSES.find((c) => c.kind === 'component')!;
    expect(defaultStandard(componentClass).checkPhotos).toBe(true);
    expect(standard.checkPhotos).toBe(false);
  });

  it('reports header problems alone when class columns are missing', () => {
    const header = [...COLUMNS.filter((c) => c !== '小类代码'), '备注'];
    const v = validateSheet([header, ['事件']], ctx);
    expect(v.ok ? [] : v.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [1, '备注', 'COLUMN_UNKNOWN'],
      [1, '小类代码', 'COLUMN_MISSING'],
    ]);
  });

  it('checks kind, names, parents, inactive classes and empty files', () => {
    const rows = base.map((r) => [...r]);
    const edit = (i: number, column: string, value: string | null) => {
      (rows[i] as (string | null)[])[COLUMNS.indexOf(column)] = value;
    };
    edit(1, '小类名称', '垃圾');
    edit(2, '类型', '设施');
    rows.push([...(rows[1] as (string | null)[])]);
    edit(3, '小类代码', '0103');
    edit(3, '小类名称', '积存垃圾渣土');
    const v = validateSheet(rows, ctx);
    expect(v.ok ? [] : v.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, '小类名称', 'NAME_MISMATCH'],
      [3, '类型', 'KIND_INVALID'],
      [4, '小类代码', 'CATEGORY_INACTIVE'],
    ]);
    const empty = validateSheet([[...COLUMNS], []], ctx);
    expect(empty.ok ? null : empty.errors[0]?.code).toBe('NO_ROWS');
  });
});
