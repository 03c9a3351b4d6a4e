import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateComponentCode } from '../codes.js';
import {
  COMPONENT_SEQ_MAX,
  componentIdPrefix,
  formatComponentId,
  nextSequences,
  parseComponentId,
  schemeOfCategory,
} from './ids.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
// A county (01–99) or the city itself (00) under a 2-digit province and city.
const registeringDivision = fc
  .tuple(fc.integer({ min: 11, max: 82 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 99 }))
  .map(([p, c, d]) => `${p}${pad(c, 2)}${pad(d, 2)}`);
const categoryCode = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 }))
    .map(([a, b]) => pad(a, 2) + pad(b, 2)),
  fc
    .tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 999 }))
    .map(([a, b]) => pad(a, 2) + pad(b, 3)),
);
const seq = fc.integer({ min: 1, max: COMPONENT_SEQ_MAX });

describe('component ids', () => {
  it('builds the standard example 3205080101000001 (上水井盖)', () => {
    expect(formatComponentId('320508', '0101', 1)).toBe('3205080101000001');
    expect(parseComponentId('3205080101000001')).toEqual({
      scheme: 'gbt30428',
      divisionCode: '320508',
      categoryCode: '0101',
      seq: 1,
    });
  });

  it('builds 17-digit GB/T 47678.5 ids from 3-digit minor classes', () => {
    const id = formatComponentId('510104', '01001', 42);
    expect(id).toBe('51010401001000042');
    expect(id).toHaveLength(17);
    expect(parseComponentId(id)).toEqual({
      scheme: 'gbt47678',
      divisionCode: '510104',
      categoryCode: '01001',
      seq: 42,
    });
  });

  it('every generated id validates and parses back to its parts (property)', () => {
    fc.assert(
      fc.property(registeringDivision, categoryCode, seq, (division, category, n) => {
        const id = formatComponentId(division, category, n);
        expect(id).toHaveLength(category.length === 4 ? 16 : 17);
        const v = validateComponentCode(id);
        expect(v.ok, id).toBe(true);
        expect(parseComponentId(id)).toEqual({
          scheme: schemeOfCategory(category),
          divisionCode: division,
          categoryCode: category,
          seq: n,
        });
        expect(id.startsWith(componentIdPrefix(division, category))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('different parts never give the same id (property)', () => {
    fc.assert(
      fc.property(
        fc.tuple(registeringDivision, categoryCode, seq),
        fc.tuple(registeringDivision, categoryCode, seq),
        (a, b) => {
          fc.pre(a.join('/') !== b.join('/'));
          expect(formatComponentId(...a)).not.toBe(formatComponentId(...b));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses parts that cannot make a valid id', () => {
    expect(() => formatComponentId('510104', '0101', 0)).toThrow(RangeError);
    expect(() => formatComponentId('510104', '0101', 1_000_000)).toThrow(RangeError);
    expect(() => formatComponentId('510104', '0101', 1.5)).toThrow(RangeError);
    expect(() => formatComponentId('510104001', '0101', 1)).toThrow(/city or district/);
    expect(() => formatComponentId('510000', '0101', 1)).toThrow(/city or district/);
    expect(() => formatComponentId('510104', '0001', 1)).toThrow(/minor class/);
    expect(() => formatComponentId('510104', '0100', 1)).toThrow(/minor class/);
    expect(() => formatComponentId('510104', '010', 1)).toThrow(/minor class/);
  });

  it.each([
    ['0101', 'gbt30428'],
    ['0402', 'gbt30428'],
    ['01001', 'gbt47678'],
    ['07123', 'gbt47678'],
    ['0001', null],
    ['0100', null],
    ['01000', null],
    ['01', null],
    ['010101', null],
    ['01a1', null],
  ] as const)('schemeOfCategory(%s) = %s', (code, scheme) => {
    expect(schemeOfCategory(code)).toBe(scheme);
  });

  it('parseComponentId refuses malformed ids', () => {
    for (const id of [
      '',
      '320508010100000',
      '32050801010000011a',
      '3205080000000001',
      '3205080101000000',
      '5101040010000001',
    ]) {
      expect(parseComponentId(id), id).toBeNull();
    }
  });
});

describe('nextSequences', () => {
  it('continues after the highest sequence in use', () => {
    expect(nextSequences(null, 3)).toEqual([1, 2, 3]);
    expect(nextSequences(41, 2)).toEqual([42, 43]);
    expect(nextSequences(COMPONENT_SEQ_MAX - 1, 1)).toEqual([COMPONENT_SEQ_MAX]);
  });

  it('reports exhaustion instead of overflowing into a 7th digit', () => {
    expect(nextSequences(COMPONENT_SEQ_MAX, 1)).toBeNull();
    expect(nextSequences(COMPONENT_SEQ_MAX - 1, 2)).toBeNull();
  });

  it('gives distinct, increasing sequences above the maximum (property)', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: COMPONENT_SEQ_MAX })),
        fc.integer({ min: 1, max: 500 }),
        (max, n) => {
          const seqs = nextSequences(max, n);
          if ((max ?? 0) + n > COMPONENT_SEQ_MAX) {
            expect(seqs).toBeNull();
            return;
          }
          expect(seqs).toHaveLength(n);
          seqs?.forEach((s, i) => {
            expect(s).toBe((max ?? 0) + 1 + i);
          });
        },
      ),
    );
  });
});
