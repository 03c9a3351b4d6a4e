import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLOCK_STEPS } from '../workflow/states.js';
import {
  AREA_CLASSES,
  fallbackProfileKey,
  fallbackStandard,
  GBT47678_CLASSES,
  GBT47678_MAJORS,
  GBT47678_SKIPPED_CODES,
  KINDS,
  levelOfCode,
  parentCodeOf,
} from './index.js';

/** The reference file the list was copied from (test fixture; the product never reads it). */
const SOURCE = new URL('../../../test/fixtures/catalog/gbt47678-5-classes.csv', import.meta.url);

function sourceRows() {
  const [header, ...lines] = fs.readFileSync(SOURCE, 'utf8').trim().split('\n');
  expect(header).toBe('kind,code,major_code,major_name,subcategory,name');
  return lines.map((l) => {
    const [kind, code, majorCode, majorName, , name] = l.split(',');
    return { kind, code, majorCode, majorName, name };
  });
}

describe('GB/T 47678.5 list', () => {
  it('is the reference file row for row: 153 管理部件 + 250 管理事项', () => {
    expect(GBT47678_CLASSES).toEqual(sourceRows());
    expect(GBT47678_CLASSES.filter((c) => c.kind === 'component')).toHaveLength(153);
    expect(GBT47678_CLASSES.filter((c) => c.kind === 'event')).toHaveLength(250);
  });

  it('counts per 大类 as the standard has them', () => {
    const count = (kind: string) =>
      Object.fromEntries(
        Object.keys(GBT47678_MAJORS[kind as 'event']).map((m) => [
          m,
          GBT47678_CLASSES.filter((c) => c.kind === kind && c.majorCode === m).length,
        ]),
      );
    expect(count('component')).toEqual({ '01': 76, '02': 44, '03': 16, '04': 14, '05': 3 });
    expect(count('event')).toEqual({
      '01': 76,
      '02': 44,
      '03': 16,
      '04': 14,
      '05': 3,
      '06': 51,
      '07': 7,
      '08': 16,
      '09': 21,
      '10': 2,
    });
    expect(['06', '07', '08', '09', '10'].map((m) => GBT47678_MAJORS.event[m])).toEqual([
      '市容环境类',
      '宣传广告类',
      '施工管理类',
      '街面秩序类',
      '其他事项类',
    ]);
  });

  it('codes are five digits (大类 2 + 小类 3), unique per kind, valid 47678.5 小类 codes under their 大类', () => {
    for (const kind of KINDS) {
      const codes = GBT47678_CLASSES.filter((c) => c.kind === kind).map((c) => c.code);
      expect(new Set(codes).size).toBe(codes.length);
    }
    for (const c of GBT47678_CLASSES) {
      expect(c.code).toMatch(/^[0-9]{2}[0-9]{3}$/);
      expect(levelOfCode('gbt47678', c.code)).toBe('minor');
      expect(parentCodeOf('gbt47678', c.code)).toBe(c.majorCode);
      expect(GBT47678_MAJORS[c.kind][c.majorCode]).toBe(c.majorName);
    }
  });

  it('skips exactly the codes the data README lists, and nothing else inside each 大类 range', () => {
    for (const kind of KINDS) {
      const have = new Set(GBT47678_CLASSES.filter((c) => c.kind === kind).map((c) => c.code));
      const gaps: string[] = [];
      for (const major of Object.keys(GBT47678_MAJORS[kind])) {
        const minors = [...have].filter((c) => c.startsWith(major)).map((c) => Number(c.slice(2)));
        for (let i = 1; i <= Math.max(...minors); i++) {
          const code = `${major}${String(i).padStart(3, '0')}`;
          if (!have.has(code)) gaps.push(code);
        }
      }
      expect(gaps).toEqual(GBT47678_SKIPPED_CODES[kind]);
    }
    expect(GBT47678_SKIPPED_CODES.event).toEqual([
      '01016',
      '05001',
      '05004',
      '05005',
      '05006',
      '05007',
      '05008',
      '06031',
      '07005',
      '09007',
    ]);
  });

  it("events 01–05 are the components' 异常 under the same code (01066 reads 紧急报警点异常SOS)", () => {
    const components = new Map(
      GBT47678_CLASSES.filter((c) => c.kind === 'component').map((c) => [c.code, c.name]),
    );
    const problems = GBT47678_CLASSES.filter((c) => c.kind === 'event' && Number(c.majorCode) <= 5);
    expect(problems).toHaveLength(153);
    for (const e of problems) {
      const name = components.get(e.code);
      expect(e.name === `${name}异常` || (e.code === '01066' && e.name === '紧急报警点异常SOS')).toBe(true);
    }
  });

  it('every class has a complete fallback standard (all steps × A/B/C), profiles by owner', () => {
    fc.assert(
      fc.property(fc.constantFrom(...GBT47678_CLASSES), (c) => {
        const s = fallbackStandard(fallbackProfileKey(c));
        // The class's own (一般) limits are complete; 紧急/特急 rows fall back to them where absent.
        expect(s.limits.filter((l) => l.urgency === 'normal')).toHaveLength(
          CLOCK_STEPS.length * AREA_CLASSES.length,
        );
        expect(s.departmentCodes.length).toBeGreaterThan(0);
      }),
    );
    const key = (kind: string, code: string) => {
      const c = GBT47678_CLASSES.find((x) => x.kind === kind && x.code === code);
      if (!c) throw new Error(code);
      return fallbackProfileKey(c);
    };
    expect([
      key('component', '01014'),
      key('event', '01014'),
      key('component', '01017'),
      key('component', '02002'),
      key('event', '06002'),
      key('event', '09011'),
    ]).toEqual(['cover:YL', 'cover:YL', 'cover:GD', 'facility:JG', 'event:01', 'event:05']);
    expect(() => fallbackStandard('nothing:1')).toThrow(/unknown fallback profile/);
  });
});
