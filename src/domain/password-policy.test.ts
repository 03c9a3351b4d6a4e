import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPassword, PASSWORD_MAX_LENGTH, type PasswordRule } from './password-policy.js';

function rulesOf(pw: string, username?: string): PasswordRule[] {
  const result = checkPassword(pw, username === undefined ? undefined : { username });
  return result.ok ? [] : result.reasons.map((r) => r.rule);
}

describe('checkPassword', () => {
  it('accepts a strong password', () => {
    expect(checkPassword('CityLoop@2026')).toEqual({ ok: true });
    expect(checkPassword('green-Tea-river-42', { username: 'wangjd' })).toEqual({ ok: true });
  });

  it('reports a short password with exact messages', () => {
    expect(checkPassword('Ab1!')).toEqual({
      ok: false,
      code: 'PASSWORD_WEAK',
      reasons: [
        {
          rule: 'length',
          zh: '密码长度至少为 10 个字符（当前 4 个）',
          en: 'Password must be at least 10 characters long (got 4)',
        },
      ],
    });
  });

  it('counts Unicode code points, not UTF-16 units', () => {
    // 9 code points (emoji are 2 UTF-16 units each) → too short.
    expect(rulesOf('Ab1😀😀😀😀😀😀')).toEqual(['length']);
    expect(rulesOf('城管密码Ab12345')).toEqual([]);
  });

  it('rejects passwords longer than the maximum', () => {
    expect(rulesOf(`Aa1!${'x'.repeat(PASSWORD_MAX_LENGTH - 4)}`)).toEqual([]);
    expect(rulesOf(`Aa1!${'x'.repeat(PASSWORD_MAX_LENGTH - 3)}`)).toEqual(['length']);
  });

  it('requires 3 of 4 character classes', () => {
    expect(rulesOf('abcdefghij12')).toEqual(['classes']);
    expect(rulesOf('abcdefghij12!')).toEqual([]);
    expect(rulesOf('ABCDEFGHIJ12a')).toEqual([]);
    expect(rulesOf('abcdefghijkl')).toEqual(['classes']);
    const result = checkPassword('abcdefghijkl');
    expect(result.ok ? [] : result.reasons[0]).toEqual({
      rule: 'classes',
      zh: '密码须包含小写字母、大写字母、数字、符号中的至少 3 类（当前 1 类）',
      en: 'Password must mix at least 3 of: lowercase, uppercase, digits, symbols (got 1)',
    });
  });

  it('rejects passwords containing the username, case-insensitively', () => {
    expect(rulesOf('Supervisor#2026', 'supervisor')).toEqual(['username']);
    expect(rulesOf('my-SUPERVISOR-9X', 'Supervisor')).toEqual(['username']);
    expect(rulesOf('Supervisor#2026', 'intake')).toEqual([]);
    // Very short usernames are not checked: they would match by accident.
    expect(rulesOf('Lively#Brook2026', 'li')).toEqual([]);
  });

  it('rejects common passwords, case-insensitively', () => {
    expect(rulesOf('Password123!')).toEqual(['common']);
    expect(rulesOf('admin@12345')).toEqual(['common']);
    expect(rulesOf('QWERTY@123456')).toEqual(['common']);
  });

  it('reports every failing rule at once', () => {
    expect(rulesOf('admin', 'admin')).toEqual(['length', 'classes', 'username']);
  });

  it('property: passwords of ≥10 code points with 3 classes and no username pass', () => {
    const lower = fc.constantFrom(...'abcdefghijkmnpqrstuvwxyz');
    const upper = fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZ');
    const digit = fc.constantFrom(...'23456789');
    const body = fc.array(fc.oneof(lower, upper, digit), { minLength: 7, maxLength: 40 });
    fc.assert(
      fc.property(lower, upper, digit, body, (l, u, d, rest) => {
        const pw = `${l}${u}${d}${rest.join('')}`;
        fc.pre(!pw.toLowerCase().includes('zzz'));
        expect(checkPassword(pw, { username: 'zzz' })).toEqual({ ok: true });
      }),
    );
  });

  it('property: anything under 10 code points fails on length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 9, unit: 'grapheme' }), (pw) => {
        fc.pre([...pw].length < 10);
        expect(rulesOf(pw)).toContain('length');
      }),
    );
  });
});
