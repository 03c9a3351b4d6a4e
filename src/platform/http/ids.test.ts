/** The shared id rule: canonical decimal integers within the column's range, nothing else. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BIGINT_ID_MAX, bigIdParam, INT4_MAX, id, idParam, int4, queryInt } from './ids.js';

describe('ids (pure)', () => {
  it('every integer in range is accepted: as a JSON number in a body, as its decimal text in a path', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: INT4_MAX }), (n) => {
        expect(id.parse(n)).toBe(n);
        expect(idParam.parse(String(n))).toBe(n);
      }),
    );
    expect(id.parse(INT4_MAX)).toBe(INT4_MAX);
    expect(bigIdParam.parse(String(BIGINT_ID_MAX))).toBe(BIGINT_ID_MAX);
  });

  it('past the column range, zero and negatives are refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: INT4_MAX + 1, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(id.safeParse(n).success).toBe(false);
        expect(idParam.safeParse(String(n)).success).toBe(false);
        expect(bigIdParam.parse(String(n))).toBe(n);
      }),
    );
    for (const v of [0, -1, 2 ** 31, 2 ** 53]) expect(id.safeParse(v).success, String(v)).toBe(false);
    for (const v of ['0', '-1', '2147483648', '99999999999999999']) {
      expect(idParam.safeParse(v).success, v).toBe(false);
    }
    expect(bigIdParam.safeParse('9007199254740992').success).toBe(false);
    expect(int4(1).safeParse(2 ** 31).success).toBe(false);
  });

  it('in a path or query, every other spelling of a number is refused (hex, exponent, sign, leading zero, fraction, blanks)', () => {
    for (const v of ['0x368', '872e0', '+872', '0872', '872.0', ' 872', '872 ', '8_72', '0b1', '', '١٢']) {
      expect(idParam.safeParse(v).success, v).toBe(false);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (s) => {
        const canonical = /^[1-9][0-9]*$/.test(s) && Number(s) <= INT4_MAX;
        expect(idParam.safeParse(s).success).toBe(canonical);
      }),
    );
    expect(idParam.safeParse('0x368').error?.issues[0]?.message).toMatch(/digits only/);
  });

  it('in a body, only a JSON integer is an id: arrays, strings, booleans, null, fractions, objects are not', () => {
    for (const v of [[1], ['1'], '1', true, null, 1.5, { id: 1 }, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(id.safeParse(v).success, JSON.stringify(v)).toBe(false);
    }
    expect(id.safeParse([1]).error?.issues[0]?.message).toMatch(/integer from 1/);
  });

  it('query counts follow the same rule within their own bounds', () => {
    const limit = queryInt(1, 200).default(50);
    expect(limit.parse(undefined)).toBe(50);
    expect(limit.parse('200')).toBe(200);
    for (const v of ['0', '201', '1e2', '0x10', ' 5', '05', '5.0', '']) {
      expect(limit.safeParse(v).success, v).toBe(false);
    }
    expect(queryInt(0).parse('0')).toBe(0);
  });
});
