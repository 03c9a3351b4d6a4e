/**
 * Category codes of the catalog (管理部件和事件). A code is the full code within its kind:
 * 大类 (major) 'MM', 小类 (minor) 'MM' + 2 digits (GB/T 30428.2) or 3 digits (GB/T 47678.5),
 * 细类 (detail, local) the minor code + 2 digits.
 */
import type { LocalizedMessage } from '../codes.js';

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
 * The GB/T 47678.5 code of a GB/T 30428.2 code by zero-padding the minor part (MM → 0MM). The
 * official 47678.5 list is not public here: this derivation is illustrative until it is imported.
 */
export function paddedCode(code30428: string): string {
  if (code30428.length <= 2) return code30428;
  return `${code30428.slice(0, 2)}0${code30428.slice(2)}`;
}

/** First major code a city may add itself (the national list uses 01–06 / 01–05). */
export const FIRST_LOCAL_MAJOR: Record<Kind, number> = { component: 7, event: 6 };

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
  parent: { level: Level; code: string; scheme: Scheme; kind: Kind } | null;
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
    const first = FIRST_LOCAL_MAJOR[kind];
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
  return null;
}
