/**
 * The knobs of a realistic year (all data): category weights and seasons, the source mix and
 * report hours, and how departments differ. Figures are plausible for a Chinese 数字城管 centre,
 * not measured; they only have to make evaluations and charts look like the real thing.
 */
import type { NationalClass } from '../catalog/classes.js';
import type { HistorySource } from './types.js';

/** Share of reports per source (supervisor ≈ 60 %, 12345 ≈ 20 %). */
export const SOURCE_WEIGHTS: ReadonlyArray<readonly [HistorySource, number]> = [
  ['supervisor', 0.6],
  ['hotline_12345', 0.2],
  ['public', 0.09],
  ['video_ai', 0.06],
  ['iot', 0.03],
  ['leader', 0.01],
  ['media', 0.01],
];

/** Relative weights of the frequent 小类 ("e0102" = 事件 01 02); others default by kind. */
const HOT: Record<string, number> = {
  e0201: 14, // 非法小广告
  e0102: 10, // 暴露垃圾
  e0504: 9, // 店外经营
  e0506: 8, // 非机动车乱停放
  e0505: 7, // 机动车乱停放
  e0507: 7, // 乱堆物堆料
  e0501: 6, // 无照经营游商
  e0104: 6, // 道路不洁
  e0103: 5, // 积存垃圾渣土
  e0110: 4, // 道路破损
  e0106: 3, // 绿地脏乱
  e0510: 3, // 露天烧烤
  e0204: 3, // 街头散发广告
  e0302: 3, // 工地扬尘
  e0406: 2, // 道路积水
  e0404: 2, // 下水道堵塞或破损
  e0116: 2, // 油烟污染
  e0101: 2, // 私搭乱建
  c0118: 4, // 路灯
  c0305: 4, // 垃圾箱
  c0307: 3, // 广告牌匾
  c0402: 3, // 行道树
  c0405: 3, // 绿地
  c0211: 2, // 交通护栏
  c0209: 2, // 交通标志牌
  c0501: 2, // 宣传栏
};
const DEFAULT_EVENT_WEIGHT = 0.8;
const DEFAULT_COMPONENT_WEIGHT = 0.35;

/** Summer peak (July): rubbish, waterlogging, barbecues, drains, fumes. */
const SUMMER = new Set(['e0102', 'e0406', 'e0510', 'e0404', 'e0116', 'e0508', 'e0402']);
/** Winter peak (January): ice, burning leaves, dust, heating pipes, vagrancy. */
const WINTER = new Set(['e0407', 'e0115', 'e0302', 'e0405', 'e0502', 'e0305']);

export function classKey(c: NationalClass): string {
  return `${c.kind === 'component' ? 'c' : 'e'}${c.majorCode}${c.minorCode}`;
}

export function baseWeight(c: NationalClass): number {
  return HOT[classKey(c)] ?? (c.kind === 'event' ? DEFAULT_EVENT_WEIGHT : DEFAULT_COMPONENT_WEIGHT);
}

/** Seasonal factor of a class on day-of-year `doy` (0-based). */
export function seasonFactor(c: NationalClass, doy: number): number {
  const key = classKey(c);
  if (SUMMER.has(key)) return 1 + 0.7 * Math.cos((2 * Math.PI * (doy - 196)) / 365);
  if (WINTER.has(key)) return 1 + 0.6 * Math.cos((2 * Math.PI * (doy - 15)) / 365);
  return 1;
}

/** Which classes a source can report: cameras see street order, sensors see covers and water. */
export function sourceAccepts(source: HistorySource, c: NationalClass): boolean {
  const key = classKey(c);
  if (source === 'iot') return key.startsWith('c01') || key === 'e0406' || key === 'e0402' || key === 'e0404';
  if (source === 'video_ai')
    return key.startsWith('e05') || key === 'e0102' || key === 'e0103' || key === 'e0201';
  return true;
}

/** Report hours (0–23, local) per source; relative weights. */
const PATROL = [0, 0, 0, 0, 0, 0, 0, 0, 6, 10, 10, 8, 3, 3, 8, 10, 9, 7, 4, 3, 2, 0, 0, 0];
const CITIZEN = [1, 0.5, 0.3, 0.2, 0.2, 0.5, 1, 3, 5, 6, 6, 5, 4, 4, 5, 5, 5, 5, 5, 6, 6, 5, 3, 2];
const MACHINE = [2, 2, 2, 2, 2, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 5, 4, 3, 2];
const OFFICE = [0, 0, 0, 0, 0, 0, 0, 0, 4, 8, 8, 6, 1, 1, 6, 8, 8, 4, 1, 0, 0, 0, 0, 0];

export const REPORT_HOURS: Record<HistorySource, readonly number[]> = {
  supervisor: PATROL,
  hotline_12345: CITIZEN,
  public: CITIZEN,
  video_ai: MACHINE,
  iot: MACHINE,
  leader: OFFICE,
  media: CITIZEN,
};

/** Daily volume factors: fewer reports on weekends and public holidays. */
export const DAY_FACTORS = { workday: 1, saturday: 0.72, sunday: 0.62, holiday: 0.55 } as const;
/** Overall volume peaks in summer (more outdoor activity, rain). */
export function volumeSeason(doy: number): number {
  return 1 + 0.12 * Math.cos((2 * Math.PI * (doy - 196)) / 365);
}

/** How a department works: speed and the share of each branch among its cases. */
export interface DepartmentProfile {
  /** Multiplier of handling durations (1 = typical). */
  readonly slowness: number;
  /** Probability that a step of this department runs past its deadline. */
  readonly late: number;
  readonly rework: number;
  readonly return: number;
  readonly extension: number;
  readonly suspension: number;
}

/** By top-level department code; street offices are 'JD'. Sub-units jitter around their parent. */
export const DEPARTMENT_BASE: Record<string, DepartmentProfile> & { JD: DepartmentProfile } = {
  SZ: { slowness: 1.3, late: 0.08, rework: 0.06, return: 0.03, extension: 0.04, suspension: 0.015 },
  HW: { slowness: 0.7, late: 0.03, rework: 0.04, return: 0.015, extension: 0.015, suspension: 0.005 },
  YL: { slowness: 1.1, late: 0.05, rework: 0.05, return: 0.02, extension: 0.03, suspension: 0.01 },
  JG: { slowness: 1.0, late: 0.05, rework: 0.04, return: 0.04, extension: 0.025, suspension: 0.01 },
  GS: { slowness: 0.8, late: 0.04, rework: 0.035, return: 0.03, extension: 0.02, suspension: 0.01 },
  RQ: { slowness: 0.7, late: 0.03, rework: 0.03, return: 0.025, extension: 0.015, suspension: 0.01 },
  GD: { slowness: 0.9, late: 0.04, rework: 0.035, return: 0.03, extension: 0.02, suspension: 0.01 },
  TX: { slowness: 1.6, late: 0.12, rework: 0.07, return: 0.06, extension: 0.05, suspension: 0.02 },
  ZF: { slowness: 1.2, late: 0.07, rework: 0.06, return: 0.05, extension: 0.03, suspension: 0.012 },
  JD: { slowness: 1.1, late: 0.06, rework: 0.05, return: 0.035, extension: 0.03, suspension: 0.01 },
};
