/**
 * Validators for Chinese administrative division codes (GB/T 2260 + 3-digit street and
 * community extensions), unit grid codes (GB/T 30428.1) and component ids
 * (GB/T 30428.2 / GB/T 47678.5). Pure functions, no I/O.
 */

export type DivisionLevel = 'city' | 'district' | 'street' | 'community';

export interface LocalizedMessage {
  zh: string;
  en: string;
}

const SIX_DIGITS = /^\d{6}$/;
const NINE_DIGITS = /^\d{9}$/;
const TWELVE_DIGITS = /^\d{12}$/;
const FIFTEEN_DIGITS = /^\d{15}$/;
const ALL_DIGITS = /^\d+$/;

/** Level of a division code, or null when it is not a supported (non-province) code. */
export function divisionLevelOf(code: string): DivisionLevel | null {
  if (SIX_DIGITS.test(code)) {
    // "00xxxx" is no province; "xx0000" is a province, which this platform never scopes to.
    if (code.startsWith('00') || code.endsWith('0000')) return null;
    return code.endsWith('00') ? 'city' : 'district';
  }
  if (NINE_DIGITS.test(code)) {
    return divisionLevelOf(code.slice(0, 6)) === 'district' && !code.endsWith('000') ? 'street' : null;
  }
  if (TWELVE_DIGITS.test(code)) {
    return divisionLevelOf(code.slice(0, 9)) === 'street' && !code.endsWith('000') ? 'community' : null;
  }
  return null;
}

/**
 * The prefix every descendant code (division, grid, component of a district) shares,
 * so "is X inside division D" is `X.startsWith(scopePrefixOf(D))`.
 * Returns null for unsupported codes.
 */
export function scopePrefixOf(divisionCode: string): string | null {
  const level = divisionLevelOf(divisionCode);
  if (level === null) return null;
  // A city's districts only share its first 4 digits ("510100" → "5101" → "510104").
  return level === 'city' ? divisionCode.slice(0, 4) : divisionCode;
}

const CHILD_LEVEL: Record<DivisionLevel, DivisionLevel | null> = {
  city: 'district',
  district: 'street',
  street: 'community',
  community: null,
};

/** True when `child` is a direct child of `parent` (one level down, matching prefix). */
export function isDivisionChildOf(child: string, parent: string): boolean {
  const parentLevel = divisionLevelOf(parent);
  if (parentLevel === null) return false;
  const expected = CHILD_LEVEL[parentLevel];
  if (expected === null || divisionLevelOf(child) !== expected) return false;
  const prefix = scopePrefixOf(parent);
  return prefix !== null && child.startsWith(prefix);
}

/**
 * True when `code` (a division, grid or component code) lies inside `divisionCode`
 * or is that division itself. Used for data-scope checks.
 */
export function isWithinDivision(code: string, divisionCode: string): boolean {
  const prefix = scopePrefixOf(divisionCode);
  return prefix !== null && ALL_DIGITS.test(code) && code.startsWith(prefix);
}

// ---------------------------------------------------------------------------------------
// Unit grid codes (GB/T 30428.1): 6 county + 3 street + 3 community + 3 grid sequence.

export type GridCodeErrorCode = 'GRID_CODE_FORMAT' | 'GRID_CODE_COMMUNITY_MISMATCH' | 'GRID_CODE_SEQUENCE';

export type GridCodeResult =
  | { ok: true; seq: number }
  | { ok: false; code: GridCodeErrorCode; message: LocalizedMessage };

/** Long or odd user input is shortened so error messages stay readable. */
function quoteInput(input: string): string {
  const chars = [...input];
  const shown = chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : input;
  return `"${shown}"`;
}

export function validateGridCode(code: string, communityCode: string): GridCodeResult {
  if (!FIFTEEN_DIGITS.test(code) || divisionLevelOf(code.slice(0, 12)) !== 'community') {
    const shown = quoteInput(code);
    return {
      ok: false,
      code: 'GRID_CODE_FORMAT',
      message: {
        zh: `单元网格编码 ${shown} 格式错误：应为以社区编码 ${communityCode} 开头的15位数字（6位区县+3位街道+3位社区+3位网格序号）`,
        en: `Grid code ${shown} is malformed: expected 15 digits starting with community code ${communityCode} (6 county + 3 street + 3 community + 3 grid sequence)`,
      },
    };
  }
  // An invalid community code can never be a prefix of a valid grid code, so it lands here too.
  if (divisionLevelOf(communityCode) !== 'community' || !code.startsWith(communityCode)) {
    return {
      ok: false,
      code: 'GRID_CODE_COMMUNITY_MISMATCH',
      message: {
        zh: `单元网格编码 ${code} 与所属社区 ${communityCode} 不一致`,
        en: `Grid code ${code} does not start with its community code ${communityCode}`,
      },
    };
  }
  const seq = Number(code.slice(12));
  if (seq === 0) {
    return {
      ok: false,
      code: 'GRID_CODE_SEQUENCE',
      message: {
        zh: `单元网格编码 ${code} 的网格序号 000 无效：社区 ${communityCode} 下的序号应为 001–999`,
        en: `Grid code ${code} has grid sequence 000: grids under community ${communityCode} are numbered 001–999`,
      },
    };
  }
  return { ok: true, seq };
}

/** Builds a grid code; throws on programming errors (bad community code or sequence). */
export function formatGridCode(communityCode: string, seq: number): string {
  if (divisionLevelOf(communityCode) !== 'community') {
    throw new RangeError(`Not a community code: ${communityCode}`);
  }
  if (!Number.isInteger(seq) || seq < 1 || seq > 999) {
    throw new RangeError(`Grid sequence out of range 1–999: ${seq}`);
  }
  return `${communityCode}${String(seq).padStart(3, '0')}`;
}

// ---------------------------------------------------------------------------------------
// Component (部件) ids: GB/T 30428.2 uses 6+2+2+6 = 16 digits, GB/T 47678.5 uses
// 6+2+3+6 = 17 digits. Both schemes live side by side in the catalog.

export type ComponentCodeScheme = 'gbt30428-2' | 'gbt47678-5';

export interface ComponentCodeParts {
  scheme: ComponentCodeScheme;
  divisionCode: string;
  majorCode: string;
  minorCode: string;
  seq: number;
}

export type ComponentCodeResult =
  | ({ ok: true } & ComponentCodeParts)
  | { ok: false; code: 'COMPONENT_CODE_FORMAT'; message: LocalizedMessage };

export function validateComponentCode(code: string): ComponentCodeResult {
  const parts = parseComponentCode(code);
  if (parts !== null) return { ok: true, ...parts };
  const shown = quoteInput(code);
  return {
    ok: false,
    code: 'COMPONENT_CODE_FORMAT',
    message: {
      zh: `部件编码 ${shown} 格式错误：应为16位（6位行政区划+2位大类+2位小类+6位序号）或17位（6+2+3+6）数字，且各段不能全为0`,
      en: `Component code ${shown} is malformed: expected 16 digits (6 division + 2 major + 2 minor + 6 sequence) or 17 digits (6+2+3+6), with no all-zero segment`,
    },
  };
}

function parseComponentCode(code: string): ComponentCodeParts | null {
  if (!ALL_DIGITS.test(code) || (code.length !== 16 && code.length !== 17)) return null;
  const minorLength = code.length - 14;
  const divisionCode = code.slice(0, 6);
  const majorCode = code.slice(6, 8);
  const minorCode = code.slice(8, 8 + minorLength);
  const seq = Number(code.slice(8 + minorLength));
  // Components are registered by a city or a district, never by a street or province.
  const level = divisionLevelOf(divisionCode);
  if (level !== 'city' && level !== 'district') return null;
  if (Number(majorCode) === 0 || Number(minorCode) === 0 || seq === 0) return null;
  return {
    scheme: code.length === 16 ? 'gbt30428-2' : 'gbt47678-5',
    divisionCode,
    majorCode,
    minorCode,
    seq,
  };
}
