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
  limitColumn,
  limitForUrgency,
  NATIONAL_CLASSES,
  type SheetCategory,
  type StepLimit,
  URGENCIES,
  URGENCY_FALLBACK,
  URGENT_LIMIT_COLUMNS,
  type Urgency,
  validateSheet,
} from './index.js';

const minutes = (amount: number) => ({ amount, unit: 'minutes' as const });
const hours = (amount: number) => ({ amount, unit: 'working_hours' as const });
const row = (step: StepLimit['step'], urgency: Urgency, limit: StepLimit['limit']): StepLimit => ({
  step,
  areaClass: 'A',
  urgency,
  limit,
});

describe('the limit of a case by its urgency (一般 / 紧急 / 特急)', () => {
  const table: StepLimit[] = [
    row('sign', 'normal', hours(2)),
    row('sign', 'urgent', minutes(30)),
    row('sign', 'emergency', minutes(15)),
    row('handle', 'normal', hours(4)),
    row('check', 'normal', hours(4)),
    row('check', 'emergency', minutes(60)),
  ];

  it('takes the level written for the case', () => {
    expect(limitForUrgency(table, 'sign', 'A', 'normal')).toEqual({ limit: hours(2), urgency: 'normal' });
    expect(limitForUrgency(table, 'sign', 'A', 'urgent')).toEqual({ limit: minutes(30), urgency: 'urgent' });
    expect(limitForUrgency(table, 'sign', 'A', 'emergency')).toEqual({
      limit: minutes(15),
      urgency: 'emergency',
    });
  });

  it('falls back 特急 → 紧急 → 一般 where the table is blank, never to a more urgent level', () => {
    expect(limitForUrgency(table, 'handle', 'A', 'emergency')).toEqual({
      limit: hours(4),
      urgency: 'normal',
    });
    expect(limitForUrgency(table, 'handle', 'A', 'urgent')).toEqual({ limit: hours(4), urgency: 'normal' });
    // 特急 has its own 核查 limit; 紧急 has none and takes the class's own, not the 特急 one.
    expect(limitForUrgency(table, 'check', 'A', 'urgent')).toEqual({ limit: hours(4), urgency: 'normal' });
    expect(limitForUrgency(table, 'check', 'A', 'emergency')).toEqual({
      limit: minutes(60),
      urgency: 'emergency',
    });
    expect(limitForUrgency(table, 'sign', 'B', 'urgent')).toBeNull();
    expect(limitForUrgency(table, 'close', 'A', 'emergency')).toBeNull();
  });

  it('property: the chosen level is the most urgent one written at or below the case urgency', () => {
    const levelArb = fc.constantFrom(...URGENCIES);
    fc.assert(
      fc.property(fc.subarray([...URGENCIES]), levelArb, (written, asked) => {
        const limits = written.map((u, i) => row('handle', u, minutes(10 + i)));
        const got = limitForUrgency(limits, 'handle', 'A', asked);
        const allowed = URGENCY_FALLBACK[asked].filter((u) => written.includes(u));
        expect(got?.urgency ?? null).toBe(allowed[0] ?? null);
        if (got) expect(URGENCIES.indexOf(got.urgency)).toBeLessThanOrEqual(URGENCIES.indexOf(asked));
      }),
    );
  });
});

describe('the seeded table per urgency', () => {
  const classOf = (kind: string, major: string, minor: string) => {
    const c = NATIONAL_CLASSES.find((x) => x.kind === kind && x.majorCode === major && x.minorCode === minor);
    if (!c) throw new Error('missing class');
    return defaultStandard(c);
  };
  const text = (s: ReturnType<typeof defaultStandard>, step: StepLimit['step'], u: Urgency) => {
    const hit = limitForUrgency(s.limits, step, 'B', u);
    return hit ? `${formatLimit(hit.limit)}/${hit.urgency}` : null;
  };

  it('暴露垃圾 (一般): 紧急 and 特急 sign faster, 处置 keeps the class limit', () => {
    const garbage = classOf('event', '01', '02');
    expect([
      text(garbage, 'sign', 'normal'),
      text(garbage, 'sign', 'urgent'),
      text(garbage, 'sign', 'emergency'),
    ]).toEqual(['2工作时/normal', '30分钟/urgent', '15分钟/emergency']);
    expect([text(garbage, 'dispatch', 'urgent'), text(garbage, 'dispatch', 'emergency')]).toEqual([
      '15分钟/urgent',
      '10分钟/emergency',
    ]);
    expect(text(garbage, 'handle', 'emergency')).toBe('6工作时/normal');
  });

  it('a manhole cover (紧急 by nature): its own limits are already 紧急; 特急 is stricter', () => {
    const cover = classOf('component', '01', '11');
    expect(text(cover, 'sign', 'normal')).toBe('30分钟/normal');
    expect(text(cover, 'sign', 'urgent')).toBe('30分钟/normal');
    expect(text(cover, 'sign', 'emergency')).toBe('15分钟/emergency');
    expect(cover.limits.some((l) => l.urgency === 'urgent')).toBe(false);
  });
});

describe('the sheet per urgency', () => {
  const cats: SheetCategory[] = [
    { id: 1, kind: 'event', level: 'major', code: '01', name: '市容环境', active: true },
    { id: 2, kind: 'event', level: 'minor', code: '0102', name: '暴露垃圾', active: true },
  ];
  const ctx = {
    scheme: 'gbt30428' as const,
    categories: new Map(cats.map((c) => [`${c.kind}:${c.code}`, c])),
    departmentCodes: new Set(['HW']),
  };
  const garbage = defaultStandard(
    NATIONAL_CLASSES.find((c) => c.kind === 'event' && c.majorCode === '01' && c.minorCode === '02')!,
  );
  const exportRow = (standard: typeof garbage) => ({
    kind: 'event' as const,
    major: { code: '01', name: '市容环境' },
    minor: { code: '0102', name: '暴露垃圾' },
    detail: null,
    mappedCode: null,
    standard,
  });

  it('names the stricter columns "签收时限-A-紧急" / "…-特急", 60 of them, all optional', () => {
    expect(limitColumn('sign', 'A', 'urgent')).toBe('签收时限-A-紧急');
    expect(limitColumn('handle', 'C', 'emergency')).toBe('处置时限-C-特急');
    expect(limitColumn('handle', 'C')).toBe('处置时限-C');
    expect(URGENT_LIMIT_COLUMNS).toHaveLength(2 * CLOCK_STEPS.length * AREA_CLASSES.length);
    for (const c of URGENT_LIMIT_COLUMNS) expect(COLUMNS).not.toContain(c.header);
  });

  it('exports the levels in use after the fixed columns and reads them back', () => {
    const cells = exportCells([exportRow(garbage)]);
    const header = cells[0] as string[];
    expect(header.slice(0, COLUMNS.length)).toEqual([...COLUMNS]);
    // 60 stricter limit columns, then 核查须拍照 last.
    expect(header).toHaveLength(COLUMNS.length + 61);
    expect(header.at(-1)).toBe(CHECK_PHOTOS_COLUMN);
    expect(cells[1]?.[header.indexOf('签收时限-A-紧急')]).toBe('30分钟');
    expect(cells[1]?.[header.indexOf('处置时限-A-紧急')]).toBeNull();
    expect(validateSheet(cells, ctx)).toEqual({
      ok: true,
      rows: [{ row: 2, categoryId: 2, standard: garbage }],
    });
  });

  it('writes no stricter columns for a table that has none; a sheet without them is still valid', () => {
    const plain = { ...garbage, limits: garbage.limits.filter((l) => l.urgency === 'normal') };
    const cells = exportCells([exportRow(plain)]);
    expect(cells[0]).toEqual([...COLUMNS, CHECK_PHOTOS_COLUMN]);
    expect(validateSheet(cells, ctx)).toEqual({
      ok: true,
      rows: [{ row: 2, categoryId: 2, standard: plain }],
    });
  });

  it('checks a stricter cell like any other and refuses a level it does not know', () => {
    const cells = exportCells([exportRow(garbage)]).map((r) => [...r]);
    const header = cells[0] as string[];
    (cells[1] as (string | null)[])[header.indexOf('签收时限-B-特急')] = '一刻钟';
    header.push('签收时限-A-一般');
    const v = validateSheet(cells, ctx);
    expect(v.ok ? [] : v.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [1, '签收时限-A-一般', 'COLUMN_UNKNOWN'],
      [2, '签收时限-B-特急', 'TIME_LIMIT_INVALID'],
    ]);
  });
});
