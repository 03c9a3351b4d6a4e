/**
 * Where the standards row (conditions, urgency, departments, time limits) of a GB/T 47678.5 class
 * comes from when the catalog adopts the list: the city's own GB/T 30428.2 table, through the
 * reviewed mapping. The rule is carried out in SQL (migration 0022, `catalog_derive_gbt47678`) so
 * that `cityloop migrate` applies it; this file holds its vocabulary, the fallback profiles the
 * migration embeds, and the text the console shows.
 *
 * 1. 'mapping': the 30428.2 classes mapped to the class; if several, the most urgent default
 *    (特急 > 紧急 > 一般), then the lowest code.
 * 2. 'component': an event 01–05 "<部件>异常" without a mapping of its own follows its component
 *    (same code): that component's 30428.2 sources, chosen the same way.
 * 3. 'default': nothing to follow; a seeded default profile (`fallbackProfileKey`).
 */
import type { LocalizedMessage } from '../codes.js';
import type { Kind } from './codes.js';
import { FALLBACK_STANDARDS, type StandardContent, URGENCIES, type Urgency } from './defaults.js';
import type { Gbt47678Class } from './gbt47678.js';

export const DERIVATION_RULES = ['mapping', 'component', 'default'] as const;
export type DerivationRule = (typeof DERIVATION_RULES)[number];

/** What `category_standards.derived_from` holds for a derived row (null: written by people). */
export interface DerivedFrom {
  rule: DerivationRule;
  /** The 30428.2 classes considered that had a row, in order of preference. */
  sources: Array<{ kind: Kind; code: string; name: string }>;
  /** Code of the 30428.2 class whose row was copied (null for 'default'). */
  chosen: string | null;
  /** 'component': the 47678.5 部件 code followed. */
  component?: string;
  /** 'default': the fallback profile used. */
  profile?: string;
}

/** Preference among several sources: the most urgent default first. */
export function urgencyRank(u: Urgency): number {
  return URGENCIES.indexOf(u);
}

/** 47678.5 event majors that are "<部件>异常" (same code as the component). */
export function isComponentProblem(kind: Kind, code: string): boolean {
  return kind === 'event' && Number(code.slice(0, 2)) <= 5;
}

const COVER_OWNERS: ReadonlyArray<readonly [string, string]> = [
  ['园林', 'YL'],
  ['信号灯', 'JG'],
  ['公安', 'JG'],
  ['公交', 'JG'],
  ['电缆', 'GD'],
  ['电力', 'GD'],
  ['化粪池', 'HW'],
  ['供水', 'GS'],
  ['中水', 'GS'],
  ['通信', 'TX'],
  ['电视', 'TX'],
  ['网络', 'TX'],
  ['燃气', 'RQ'],
  ['输油', 'RQ'],
];
const FACILITY_OWNER: Record<string, string> = { '01': 'SZ', '02': 'JG', '03': 'HW', '04': 'YL', '05': 'ZF' };
/** 47678.5 event majors 06–10 → the 30428.2 event major whose fallback fits. */
const EVENT_MAJOR_30428: Record<string, string> = {
  '06': '01',
  '07': '02',
  '08': '03',
  '09': '05',
  '10': '04',
};

/** The component name behind a class: "<部件>异常" → "<部件>" (01066 reads 紧急报警点异常SOS). */
function objectName(c: Gbt47678Class): string {
  return c.kind === 'event' ? c.name.replace(/异常(SOS)?$/, '') : c.name;
}

/** The fallback profile of a class: 'cover:<dept>', 'facility:<dept>' or 'event:<30428 major>'. */
export function fallbackProfileKey(c: Gbt47678Class): string {
  if (c.kind === 'component' || isComponentProblem(c.kind, c.code)) {
    const name = objectName(c);
    if (name.endsWith('井盖')) {
      const owner = COVER_OWNERS.find(([word]) => name.includes(word))?.[1] ?? 'SZ';
      return `cover:${owner}`;
    }
    return `facility:${FACILITY_OWNER[c.majorCode] ?? 'SZ'}`;
  }
  return `event:${EVENT_MAJOR_30428[c.majorCode] ?? '01'}`;
}

export function fallbackStandard(key: string): StandardContent {
  const [type, arg = ''] = key.split(':');
  if (type === 'cover') return FALLBACK_STANDARDS.cover(arg);
  if (type === 'facility') return FALLBACK_STANDARDS.facility(arg);
  if (type === 'event') return FALLBACK_STANDARDS.event(arg);
  throw new Error(`unknown fallback profile ${key}`);
}

/** One line for people: where a derived row came from. */
export function derivationText(d: DerivedFrom): LocalizedMessage {
  const list = d.sources.map((s) => `${s.code} ${s.name}`).join('、');
  const others = d.sources.length > 1 ? `（候选：${list}；取紧急程度最高者，同级取代码最小者）` : '';
  const othersEn =
    d.sources.length > 1 ? ` (candidates: ${list}; the most urgent wins, then the lowest code)` : '';
  const chosen = d.sources.find((s) => s.code === d.chosen);
  const what = chosen ? `${chosen.code} ${chosen.name}` : (d.chosen ?? '');
  if (d.rule === 'mapping') {
    return {
      zh: `由 GB/T 30428.2 ${what} 的标准经类别对应关系推导${others}`,
      en: `Derived through the class mapping from GB/T 30428.2 ${what}${othersEn}`,
    };
  }
  if (d.rule === 'component') {
    return {
      zh: `本事项无直接对应，按其部件 ${d.component ?? ''} 的对应类别 GB/T 30428.2 ${what} 推导${others}`,
      en: `No direct mapping: derived through its component ${d.component ?? ''} from GB/T 30428.2 ${what}${othersEn}`,
    };
  }
  return {
    zh: `GB/T 30428.2 中无对应类别，采用预置默认标准（${d.profile ?? ''}），请按本地规定修订`,
    en: `No GB/T 30428.2 counterpart: seeded default profile (${d.profile ?? ''}); revise it to local rules`,
  };
}
