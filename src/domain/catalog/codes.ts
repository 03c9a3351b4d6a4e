/**
 * Category codes of the catalog (管理部件和事件). A code is the full code within its kind:
 * 大类 (major) 'MM', 小类 (minor) 'MM' + 2 digits (GB/T 30428.2) or 3 digits (GB/T 47678.5),
 * 细类 (detail, local) the minor code + 2 digits.
 */
import type { LocalizedMessage } from '../codes.js';
import { GBT47678_SKIPPED_CODES } from './gbt47678.js';

export const SCHEMES = ['gbt30428', 'gbt47678'] as const;
export type Scheme = (typeof SCHEMES)[number];
export const DEFAULT_SCHEME: Scheme = 'gbt30428';

export const KINDS = ['component', 'event'] as const;
export type Kind = (typeof KINDS)[number];
export const KIND_LABELS: Record<Kind, string> = { component: '部件', event: '事件' };

export const LEVELS = ['major', 'minor', 'detail'] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_LABELS: Record<Level, LocalizedMessage> = {
  major: { zh: '大类', en: 'major class' },
  minor: { zh: '小类', en: 'minor class' },
  detail: { zh: '细类', en: 'detail class' },
};

export function isScheme(value: string): value is Scheme {
  return (SCHEMES as readonly string[]).includes(value);
}

export function minorDigitsOf(scheme: Scheme): 2 | 3 {
  return scheme === 'gbt30428' ? 2 : 3;
}

/** Length of a full code of `level` in `scheme`. */
export function codeLength(scheme: Scheme, level: Level): number {
  if (level === 'major') return 2;
  return level === 'minor' ? 2 + minorDigitsOf(scheme) : 4 + minorDigitsOf(scheme);
}

/** The level a code has in a scheme, or null when it is not a well-formed code of it. */
export function levelOfCode(scheme: Scheme, code: string): Level | null {
  if (!/^[0-9]+$/.test(code)) return null;
  const level = LEVELS.find((l) => codeLength(scheme, l) === code.length);
  if (!level) return null;
  // Every segment (major, minor, detail) is numbered from 1.
  const segments = [
    code.slice(0, 2),
    code.slice(2, 2 + minorDigitsOf(scheme)),
    code.slice(2 + minorDigitsOf(scheme)),
  ];
  if (segments.some((s) => s !== '' && Number(s) === 0)) return null;
  return level;
}

export function parentCodeOf(scheme: Scheme, code: string): string | null {
  const level = levelOfCode(scheme, code);
  if (level === 'minor') return code.slice(0, 2);
  if (level === 'detail') return code.slice(0, 2 + minorDigitsOf(scheme));
  return null;
}

/**
 * First major code a city may add itself: GB/T 30428.2 uses 部件 01–06 and 事件 01–05,
 * GB/T 47678.5 管理部件 01–05 and 管理事项 01–10.
 */
export const FIRST_LOCAL_MAJOR: Record<Scheme, Record<Kind, number>> = {
  gbt30428: { component: 7, event: 6 },
  gbt47678: { component: 6, event: 11 },
};

/** The scheme a full code of a 小类 or 细类 belongs to by its length (4/6 → 30428, 5/7 → 47678). */
export function schemeOfLength(code: string): Scheme | null {
  if (code.length === 4 || code.length === 6) return 'gbt30428';
  if (code.length === 5 || code.length === 7) return 'gbt47678';
  return null;
}

export type LocalCodeProblem =
  | { code: 'CATALOG_CODE_INVALID'; message: LocalizedMessage }
  | { code: 'CATALOG_PARENT_INVALID'; message: LocalizedMessage };

/**
 * Checks the code of a city's own category against its level and parent (already loaded):
 * a major needs an unused code from 07 (部件) / 06 (事件) on, a minor or detail extends its
 * parent's code by its scheme's digits.
 */
export function localCodeProblem(input: {
  scheme: Scheme;
  kind: Kind;
  level: Level;
  code: string;
  parent: { level: Level; code: string; scheme: string; kind: Kind } | null;
}): LocalCodeProblem | null {
  const { scheme, kind, level, code, parent } = input;
  const label = LEVEL_LABELS[level];
  if (levelOfCode(scheme, code) !== level) {
    const n = codeLength(scheme, level);
    return {
      code: 'CATALOG_CODE_INVALID',
      message: {
        zh: `${label.zh}代码 "${code}" 格式错误：应为${n}位数字，且各段不能全为0`,
        en: `The ${label.en} code "${code}" is malformed: expected ${n} digits with no all-zero segment`,
      },
    };
  }
  if (level === 'major') {
    if (parent !== null) {
      return {
        code: 'CATALOG_PARENT_INVALID',
        message: { zh: '大类没有上级类别', en: 'A major class has no parent' },
      };
    }
    const first = FIRST_LOCAL_MAJOR[scheme][kind];
    if (Number(code) < first) {
      const shown = String(first).padStart(2, '0');
      return {
        code: 'CATALOG_CODE_INVALID',
        message: {
          zh: `自定义${KIND_LABELS[kind]}大类代码应从 ${shown} 起（更小的代码属于国家标准）`,
          en: `A local ${kind} major class code starts at ${shown} (lower codes belong to the national standard)`,
        },
      };
    }
    return null;
  }
  const wanted: Level = level === 'minor' ? 'major' : 'minor';
  if (!parent || parent.level !== wanted || parent.scheme !== scheme || parent.kind !== kind) {
    return {
      code: 'CATALOG_PARENT_INVALID',
      message: {
        zh: `${label.zh}的上级必须是同一编码体系、同一类型的${LEVEL_LABELS[wanted].zh}`,
        en: `The parent of a ${label.en} must be a ${LEVEL_LABELS[wanted].en} of the same scheme and kind`,
      },
    };
  }
  if (!code.startsWith(parent.code)) {
    return {
      code: 'CATALOG_CODE_INVALID',
      message: {
        zh: `${label.zh}代码 "${code}" 应以上级代码 ${parent.code} 开头`,
        en: `The ${label.en} code "${code}" must start with its parent's code ${parent.code}`,
      },
    };
  }
  // Gaps in the 47678.5 numbering are the standard's (withdrawn or reserved), not free codes.
  if (scheme === 'gbt47678' && level === 'minor' && GBT47678_SKIPPED_CODES[kind].includes(code)) {
    return {
      code: 'CATALOG_CODE_INVALID',
      message: {
        zh: `代码 ${code} 是 GB/T 47678.5 跳过的编号，不能用作自定义小类`,
        en: `Code ${code} is skipped by GB/T 47678.5 and cannot be used for a local class`,
      },
    };
  }
  return null;
}
