import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  divisionLevelOf,
  formatGridCode,
  isDivisionChildOf,
  isWithinDivision,
  scopePrefixOf,
  validateComponentCode,
  validateGridCode,
} from './codes.js';

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const nonZero = (n: number) => digits(n).filter((s) => !/^0+$/.test(s));
// A district code: 2-digit province (11–82), 2-digit city (01–99), 2-digit county (01–99).
const districtCode = fc
  .tuple(fc.integer({ min: 11, max: 82 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 }))
  .map(([p, c, d]) => `${p}${String(c).padStart(2, '0')}${String(d).padStart(2, '0')}`);
const communityCode = fc.tuple(districtCode, nonZero(3), nonZero(3)).map((p) => p.join(''));
const minorOfEitherScheme = fc.oneof(nonZero(2), nonZero(3));
const gridCode = fc.tuple(communityCode, nonZero(3)).map(([c, s]) => c + s);

describe('divisionLevelOf', () => {
  it.each([
    ['510100', 'city'],
    ['510104', 'district'],
    ['510104001', 'street'],
    ['510104001001', 'community'],
    ['510000', null],
    ['000104', null],
    ['510104000', null],
    ['510104001000', null],
    ['510100001', null], // a street must hang below a district, not a city
    ['51010', null],
    ['51010a', null],
    ['510104001001001', null],
    ['', null],
  ] as const)('%s → %s', (code, level) => {
    expect(divisionLevelOf(code)).toBe(level);
  });
});

describe('scopePrefixOf / isDivisionChildOf / isWithinDivision', () => {
  it('gives the shared descendant prefix', () => {
    expect(scopePrefixOf('510100')).toBe('5101');
    expect(scopePrefixOf('510104')).toBe('510104');
    expect(scopePrefixOf('510104001')).toBe('510104001');
    expect(scopePrefixOf('510104001001')).toBe('510104001001');
    expect(scopePrefixOf('510000')).toBeNull();
  });

  it('checks level pairing and prefix', () => {
    expect(isDivisionChildOf('510104', '510100')).toBe(true);
    expect(isDivisionChildOf('510104001', '510104')).toBe(true);
    expect(isDivisionChildOf('510104001002', '510104001')).toBe(true);
    expect(isDivisionChildOf('510104001', '510100')).toBe(false); // skips a level
    expect(isDivisionChildOf('510204', '510100')).toBe(false); // other city
    expect(isDivisionChildOf('510105001', '510104')).toBe(false);
    expect(isDivisionChildOf('510100', '510100')).toBe(false);
    expect(isDivisionChildOf('510104001001001', '510104001001')).toBe(false); // grids are no divisions
    expect(isDivisionChildOf('510104', '510000')).toBe(false);
  });

  it('tests subtree membership of any code', () => {
    expect(isWithinDivision('510104001001001', '510100')).toBe(true);
    expect(isWithinDivision('510104001001001', '510104001')).toBe(true);
    expect(isWithinDivision('510104001', '510104001')).toBe(true);
    expect(isWithinDivision('510105001001001', '510104')).toBe(false);
    expect(isWithinDivision('510104001001001', 'bogus')).toBe(false);
    expect(isWithinDivision('5101abc', '510100')).toBe(false);
  });

  it('property: every generated child is a child of its parent only', () => {
    fc.assert(
      fc.property(communityCode, (community) => {
        const street = community.slice(0, 9);
        const district = community.slice(0, 6);
        const city = `${community.slice(0, 4)}00`;
        expect(isDivisionChildOf(community, street)).toBe(true);
        expect(isDivisionChildOf(street, district)).toBe(true);
        expect(isDivisionChildOf(district, city)).toBe(true);
        expect(isDivisionChildOf(community, district)).toBe(false);
        expect(isDivisionChildOf(street, community)).toBe(false);
      }),
    );
  });
});

describe('validateGridCode', () => {
  it('accepts a grid of its community and returns the sequence', () => {
    expect(validateGridCode('510104001001017', '510104001001')).toEqual({ ok: true, seq: 17 });
  });

  it('names both codes when the community does not match', () => {
    expect(validateGridCode('510104001002001', '510104001001')).toEqual({
      ok: false,
      code: 'GRID_CODE_COMMUNITY_MISMATCH',
      message: {
        zh: '单元网格编码 510104001002001 与所属社区 510104001001 不一致',
        en: 'Grid code 510104001002001 does not start with its community code 510104001001',
      },
    });
  });

  it('rejects malformed codes', () => {
    for (const bad of [
      '',
      '51010400100100',
      '5101040010010011',
      '51010400100100a',
      '510104001000001',
      '510104000001001',
    ]) {
      const result = validateGridCode(bad, '510104001001');
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.code).toBe('GRID_CODE_FORMAT');
    }
    expect(validateGridCode('abc', '510104001001')).toEqual({
      ok: false,
      code: 'GRID_CODE_FORMAT',
      message: {
        zh: '单元网格编码 "abc" 格式错误：应为以社区编码 510104001001 开头的15位数字（6位区县+3位街道+3位社区+3位网格序号）',
        en: 'Grid code "abc" is malformed: expected 15 digits starting with community code 510104001001 (6 county + 3 street + 3 community + 3 grid sequence)',
      },
    });
  });

  it('rejects sequence 000', () => {
    expect(validateGridCode('510104001001000', '510104001001')).toEqual({
      ok: false,
      code: 'GRID_CODE_SEQUENCE',
      message: {
        zh: '单元网格编码 510104001001000 的网格序号 000 无效：社区 510104001001 下的序号应为 001–999',
        en: 'Grid code 510104001001000 has grid sequence 000: grids under community 510104001001 are numbered 001–999',
      },
    });
  });

  it('treats an invalid community code as a mismatch', () => {
    const result = validateGridCode('510104001001001', '510104001');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe('GRID_CODE_COMMUNITY_MISMATCH');
  });

  it('shortens very long input in messages', () => {
    const result = validateGridCode('9'.repeat(500), '510104001001');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message.en).toContain(`"${'9'.repeat(40)}…"`);
  });

  it('property: a valid grid code validates against its own community only', () => {
    fc.assert(
      fc.property(gridCode, communityCode, (grid, other) => {
        expect(validateGridCode(grid, grid.slice(0, 12))).toEqual({ ok: true, seq: Number(grid.slice(12)) });
        fc.pre(other !== grid.slice(0, 12));
        const result = validateGridCode(grid, other);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.code).toBe('GRID_CODE_COMMUNITY_MISMATCH');
          expect(result.message.zh).toContain(grid);
          expect(result.message.en).toContain(other);
        }
      }),
    );
  });

  it('property: formatGridCode round-trips through validateGridCode', () => {
    fc.assert(
      fc.property(communityCode, fc.integer({ min: 1, max: 999 }), (community, seq) => {
        expect(validateGridCode(formatGridCode(community, seq), community)).toEqual({ ok: true, seq });
      }),
    );
  });

  it('formatGridCode refuses programming errors', () => {
    expect(() => formatGridCode('510104001', 1)).toThrow(RangeError);
    expect(() => formatGridCode('510104001001', 0)).toThrow(RangeError);
    expect(() => formatGridCode('510104001001', 1000)).toThrow(RangeError);
  });
});

describe('validateComponentCode', () => {
  it('parses a 16-digit GB/T 30428.2 id', () => {
    expect(validateComponentCode('3205080101000001')).toEqual({
      ok: true,
      scheme: 'gbt30428-2',
      divisionCode: '320508',
      majorCode: '01',
      minorCode: '01',
      seq: 1,
    });
  });

  it('parses a 17-digit GB/T 47678.5 id, also at city level', () => {
    expect(validateComponentCode('51010001001000123')).toEqual({
      ok: true,
      scheme: 'gbt47678-5',
      divisionCode: '510100',
      majorCode: '01',
      minorCode: '001',
      seq: 123,
    });
  });

  it.each([
    '',
    '320508010100001', // 15 digits
    '320508010100000012', // 18 digits
    '32050801010000a1',
    '3200000101000001', // province
    '3205080001000001', // major 00
    '3205080100000001', // minor 00
    '32050801000000001', // minor 000
    '3205080101000000', // sequence 0
  ])('rejects %j', (code) => {
    const result = validateComponentCode(code);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('COMPONENT_CODE_FORMAT');
      expect(result.message.zh).toContain(`"${code}"`);
    }
  });

  it('property: generated ids of both schemes parse back into their parts', () => {
    fc.assert(
      fc.property(
        districtCode,
        nonZero(2),
        minorOfEitherScheme,
        nonZero(6),
        (division, major, minor, seq) => {
          const long = minor.length === 3;
          const result = validateComponentCode(division + major + minor + seq);
          expect(result).toEqual({
            ok: true,
            scheme: long ? 'gbt47678-5' : 'gbt30428-2',
            divisionCode: division,
            majorCode: major,
            minorCode: minor,
            seq: Number(seq),
          });
        },
      ),
    );
  });
});
