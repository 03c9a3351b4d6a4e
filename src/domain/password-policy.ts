/** Password strength policy for local accounts. Pure; hashing lives elsewhere. */

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
const MIN_CHARACTER_CLASSES = 3;
// Shorter usernames would match by accident ("li" is inside many words).
const MIN_USERNAME_LENGTH_CHECKED = 3;

export type PasswordRule = 'length' | 'classes' | 'username' | 'common';

export interface PasswordWeakness {
  rule: PasswordRule;
  zh: string;
  en: string;
}

export type PasswordCheckResult =
  | { ok: true }
  | { ok: false; code: 'PASSWORD_WEAK'; reasons: PasswordWeakness[] };

/**
 * Well-known passwords that would otherwise pass the length and class rules; only those
 * need listing. Compared case-insensitively.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  [
    'Password123!',
    'Password@123',
    'Password@1234',
    'P@ssw0rd123',
    'P@ssw0rd1234',
    'Passw0rd!23',
    'Admin@12345',
    'Admin@123456',
    'Admin123456!',
    'Abc@1234567',
    'Abcd@123456',
    'Abc123456789!',
    'Qwerty@123456',
    'Qwerty123456!',
    'Qwer1234!@#$',
    '1qaz@WSX3edc',
    '1qaz2wsx#EDC',
    'Aa123456789!',
    'Aa@123456789',
    'Welcome@123',
    'Welcome123!',
    'Changeme@123',
    'Root@123456',
    'Test@123456',
    'Woaini@1314',
  ].map((p) => p.toLowerCase()),
);

const LOWER = /\p{Ll}/u;
const UPPER = /\p{Lu}/u;
const DIGIT = /\p{Nd}/u;

function characterClassCount(codePoints: readonly string[]): number {
  let lower = false;
  let upper = false;
  let digit = false;
  let other = false;
  for (const ch of codePoints) {
    if (LOWER.test(ch)) lower = true;
    else if (UPPER.test(ch)) upper = true;
    else if (DIGIT.test(ch)) digit = true;
    else other = true; // symbols, spaces, CJK and any other script
  }
  return [lower, upper, digit, other].filter(Boolean).length;
}

export function checkPassword(pw: string, ctx: { username?: string } = {}): PasswordCheckResult {
  const reasons: PasswordWeakness[] = [];
  // Code points, not UTF-16 units, so "密码" counts as 2 and an emoji as 1.
  const codePoints = [...pw];

  if (codePoints.length < PASSWORD_MIN_LENGTH) {
    reasons.push({
      rule: 'length',
      zh: `密码长度至少为 ${PASSWORD_MIN_LENGTH} 个字符（当前 ${codePoints.length} 个）`,
      en: `Password must be at least ${PASSWORD_MIN_LENGTH} characters long (got ${codePoints.length})`,
    });
  } else if (codePoints.length > PASSWORD_MAX_LENGTH) {
    reasons.push({
      rule: 'length',
      zh: `密码长度不能超过 ${PASSWORD_MAX_LENGTH} 个字符（当前 ${codePoints.length} 个）`,
      en: `Password must be at most ${PASSWORD_MAX_LENGTH} characters long (got ${codePoints.length})`,
    });
  }

  const classes = characterClassCount(codePoints);
  if (classes < MIN_CHARACTER_CLASSES) {
    reasons.push({
      rule: 'classes',
      zh: `密码须包含小写字母、大写字母、数字、符号中的至少 ${MIN_CHARACTER_CLASSES} 类（当前 ${classes} 类）`,
      en: `Password must mix at least ${MIN_CHARACTER_CLASSES} of: lowercase, uppercase, digits, symbols (got ${classes})`,
    });
  }

  const lowered = pw.toLowerCase();
  const username = ctx.username?.trim().toLowerCase() ?? '';
  if ([...username].length >= MIN_USERNAME_LENGTH_CHECKED && lowered.includes(username)) {
    reasons.push({
      rule: 'username',
      zh: '密码不能包含用户名',
      en: 'Password must not contain the username',
    });
  }

  if (COMMON_PASSWORDS.has(lowered)) {
    reasons.push({
      rule: 'common',
      zh: '密码过于常见，容易被猜到，请换一个',
      en: 'Password is too common and easy to guess; choose another one',
    });
  }

  return reasons.length === 0 ? { ok: true } : { ok: false, code: 'PASSWORD_WEAK', reasons };
}
