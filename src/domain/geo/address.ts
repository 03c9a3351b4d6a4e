/**
 * Chinese address text → parts (GB/T 30428.3 地理编码 style: 区/县 → 街道/镇 → 社区 → 道路 + 路段 →
 * 门牌号, or a place name). Small, regex-based and pure: the ranking decides between readings.
 */
import { chineseOrdinal, parseChineseNumber } from './numerals.js';

export interface AddressParts {
  /** '锦江区' */
  district?: string;
  /** '府南街道' */
  street?: string;
  /** '红星路社区' */
  community?: string;
  /** Road name without its segment: '红星路', '人民南路', '蜀都大道'. */
  road?: string;
  /** Canonical segment: '二段' (from 二段 or 2段), '东段'. */
  segment?: string;
  /** Canonical door number '88号' / '88-1号' and its main number 88. */
  number?: string;
  numberMain?: number;
  /** What is left: a place (POI) name or part of one ('IFS', '华西医院'). */
  poi?: string;
  /** Building, unit, floor, room after the door number ('3栋2单元'): kept, not matched. */
  detail?: string;
}

export interface ParsedAddress {
  /** The text as compared: NFKC (full-width → half-width), spaces collapsed, country/province/city dropped. */
  normalised: string;
  parts: AddressParts;
  /** The text after the administrative parts: the whole thing may be a place name ('宽窄巷子'). */
  tail: string;
}

const HAN = '\\u4e00-\\u9fa5';
const SEGMENT_SRC = `(?:[一二三四五六七八九十]{1,3}|\\d{1,2})段|[东西南北中]段`;
const SEGMENT = new RegExp(`^(${SEGMENT_SRC})`);
const ROAD_SUFFIX = '大道|大街|路|街|巷|胡同';

const PATTERNS = {
  country: /^中华人民共和国|^中国/,
  province: new RegExp(`^[${HAN}]{2,7}?(?:省|自治区)`),
  // '成都市' but not the 市 inside names such as 盐市口, 海椒市社区, 东糠市街.
  city: new RegExp(`^[${HAN}]{2,3}市(?![口场街路巷社区里桥坝])`),
  // 区/县 but not 社区 or 小区 (residential estates).
  district: new RegExp(`^[${HAN}]{2,5}?(?<![社小园])(?:区|县)`),
  street: new RegExp(`^[${HAN}]{2,8}?(?:街道|镇)`),
  community: new RegExp(`^[${HAN}]{2,8}?社区`),
  road: new RegExp(`^([${HAN}]{1,12}?(?:${ROAD_SUFFIX}))(${SEGMENT_SRC})?`),
  number: /^(\d{1,5}|[零〇一二两三四五六七八九十百千]{1,8})(?:(?:-|之|号附|附)(\d{1,4}))?号/,
  bareNumber: /^(\d{1,5})(?:-(\d{1,4}))?$/,
} as const;

const DETAIL = /(?:[\dA-Za-z]+(?:栋|幢|号楼|单元|楼|层|室|座))+$/;
// Words that say where relative to the place, not which place.
const NEAR = /(附近|旁边|对面|门口|周边|一带)$/;

/** NFKC folds full-width letters, digits and '－' to ASCII; whitespace collapses to one space. */
export function normaliseAddress(text: string): string {
  let s = text
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, ' ')
    .trim();
  s = s
    .replace(/[—–－~～]/g, '-')
    .replace(/[，,。;；]/g, ' ')
    .trim();
  for (const p of [PATTERNS.country, PATTERNS.province, PATTERNS.city]) s = s.replace(p, '').trim();
  return s;
}

/** '2段' → '二段'; '东段' stays. */
export function canonicalSegment(segment: string): string {
  const m = /^(\d{1,2})段$/.exec(segment);
  return m ? `${chineseOrdinal(Number(m[1]))}段` : segment;
}

/** '88', '88号', '88-1号', '88号附1号', '八十八号' → { text: '88号' / '88-1号', main: 88 }. */
export function normaliseDoorNumber(input: string): { text: string; main: number } | null {
  const s = input
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[—–－]/g, '-');
  const withSuffix = s.endsWith('号') ? s : `${s}号`;
  const m = PATTERNS.number.exec(withSuffix);
  if (!m || m[0].length !== withSuffix.length) return null;
  const mainText = m[1] as string;
  const main = /^\d+$/.test(mainText) ? Number(mainText) : parseChineseNumber(mainText);
  if (main === null || main < 1 || main > 99_999) return null;
  const sub = m[2] === undefined ? null : Number(m[2]);
  if (sub !== null && sub < 1) return null;
  return { text: sub === null ? `${main}号` : `${main}-${sub}号`, main };
}

/** A road's stored name split for matching: '红星路二段' → { base: '红星路', segment: '二段' }. */
export function parseRoadName(name: string): { base: string; segment: string | null } {
  const s = name.normalize('NFKC').replace(/\s+/g, '');
  const m = new RegExp(`^(.+?)(${SEGMENT_SRC})$`).exec(s);
  if (m?.[1]) return { base: m[1], segment: canonicalSegment(m[2] as string) };
  return { base: s, segment: null };
}

type Step = (rest: string, parts: AddressParts) => string | null;

const take =
  (key: 'district' | 'street' | 'community', re: RegExp): Step =>
  (rest, parts) => {
    if (parts[key] !== undefined) return null;
    const m = re.exec(rest);
    if (!m) return null;
    parts[key] = m[0];
    return rest.slice(m[0].length);
  };

const STEPS: Step[] = [
  take('district', PATTERNS.district),
  take('street', PATTERNS.street),
  take('community', PATTERNS.community),
  (rest, parts) => {
    if (parts.road !== undefined) return null;
    const m = PATTERNS.road.exec(rest);
    if (!m) return null;
    parts.road = m[1] as string;
    if (m[2]) parts.segment = canonicalSegment(m[2]);
    return rest.slice(m[0].length);
  },
  (rest, parts) => {
    if (parts.road === undefined || parts.segment !== undefined) return null;
    const m = SEGMENT.exec(rest);
    if (!m) return null;
    parts.segment = canonicalSegment(m[1] as string);
    return rest.slice(m[0].length);
  },
  (rest, parts) => {
    if (parts.number !== undefined) return null;
    const m = PATTERNS.number.exec(rest) ?? (parts.road ? PATTERNS.bareNumber.exec(rest) : null);
    if (!m) return null;
    const door = normaliseDoorNumber(m[0]);
    if (!door) return null;
    parts.number = door.text;
    parts.numberMain = door.main;
    return rest.slice(m[0].length);
  },
];

/** Parses one whitespace-free token, filling parts not yet known; returns what it could not read. */
function parseToken(token: string, parts: AddressParts): string {
  let rest = token;
  for (let progress = true; progress && rest; ) {
    progress = false;
    for (const step of STEPS) {
      const next = step(rest, parts);
      if (next !== null) {
        rest = next;
        progress = true;
        break;
      }
    }
  }
  return rest;
}

export function parseAddress(text: string): ParsedAddress {
  const normalised = normaliseAddress(text);
  const parts: AddressParts = {};
  const leftovers: string[] = [];
  for (const token of normalised.split(' ').filter(Boolean)) {
    const rest = parseToken(token, parts);
    if (rest) leftovers.push(rest);
  }
  let poi = leftovers.join('').replace(NEAR, '').trim();
  const detail = DETAIL.exec(poi);
  if (detail) {
    parts.detail = detail[0];
    poi = poi.slice(0, detail.index);
  }
  if (poi) parts.poi = poi;
  return { normalised, parts, tail: stripAdministrative(normalised.replace(/ /g, '')).replace(NEAR, '') };
}

/** Drops leading 区/街道/社区 so what remains can be compared with place names. */
function stripAdministrative(text: string): string {
  let rest = text;
  for (let changed = true; changed; ) {
    changed = false;
    for (const re of [PATTERNS.district, PATTERNS.street, PATTERNS.community]) {
      const m = re.exec(rest);
      if (m) {
        rest = rest.slice(m[0].length);
        changed = true;
      }
    }
  }
  return rest;
}
