/**
 * Shipped schemes: the default per subject type (national standard, domain.md §5 typical
 * weights; for outsourced collection a contract scheme) and the Chengdu 金牛区 department scheme.
 * Count bands other than 受理数 and the grid's 立案数 are not given by the standard: the ones
 * here are starting values a city edits.
 *
 * `version` is the number a fresh database gives a scheme (modules/evaluation/schemes.ts writes
 * it when the scheme has no version yet). A database that already held an earlier shipped
 * definition got the correction as its next version (migrations/0020), never an edit in place.
 */
import { type CountBand, type EvaluationScheme, STANDARD_GRADES } from './scheme.js';
import type { SubjectType } from './types.js';

/** 受理数分值 (domain.md §5): > 2000 → 100, 1201–2000 → 90, 501–1200 → 75, 301–500 → 60, 101–300 → 40. */
export const INTAKE_COUNT_BANDS: readonly CountBand[] = [
  { min: 2001, score: 100 },
  { min: 1201, max: 2000, score: 90 },
  { min: 501, max: 1200, score: 75 },
  { min: 301, max: 500, score: 60 },
  { min: 101, max: 300, score: 40 },
];

export const DISPATCH_COUNT_BANDS: readonly CountBand[] = [
  { min: 2001, score: 100 },
  { min: 1201, max: 2000, score: 90 },
  { min: 501, max: 1200, score: 75 },
  { min: 301, max: 500, score: 60 },
  { min: 101, max: 300, score: 40 },
];

/**
 * Departments' 立案数分值: the fewer cases a department's area produces, the higher the score
 * (0–50 → 100 … ≥ 1000 → 0, as the reference sets it). Shipped inverted before migration 0020.
 */
export const DEPARTMENT_CASE_BANDS: readonly CountBand[] = [
  { min: 0, max: 50, score: 100 },
  { min: 51, max: 100, score: 90 },
  { min: 101, max: 200, score: 75 },
  { min: 201, max: 500, score: 60 },
  { min: 501, max: 999, score: 40 },
  { min: 1000, score: 0 },
];

/** Six bands, fewer cases scoring higher: [upper bound of 100, 90, 75, 60, 40]; beyond → 0. */
const fewerIsBetter = (tops: readonly [number, number, number, number, number]): CountBand[] => {
  const scores = [100, 90, 75, 60, 40] as const;
  const out: CountBand[] = [];
  let min = 0;
  tops.forEach((max, i) => {
    out.push({ min, max, score: scores[i] as number });
    min = max + 1;
  });
  out.push({ min, score: 0 });
  return out;
};

/**
 * Regions' 立案数分值, per region level and area class: fewer problems filed scores higher.
 * The grid's 一类 bands are the reference's (0 → 100, 1–2 → 90, 3–4 → 75, 5–6 → 60, 7–8 → 40,
 * ≥ 9 → 0). 一类 (A, core) areas are held to the stricter bands; 二类 (B) and 三类 (C) allow
 * about half as many again. Larger regions scale with the grids they hold. The bands are for a
 * month's evaluation.
 */
export const REGION_CASE_BANDS = {
  grid: { A: fewerIsBetter([0, 2, 4, 6, 8]), B: fewerIsBetter([1, 3, 6, 9, 12]) },
  community: { A: fewerIsBetter([5, 10, 20, 30, 40]), B: fewerIsBetter([8, 15, 30, 45, 60]) },
  street: { A: fewerIsBetter([50, 100, 200, 300, 400]), B: fewerIsBetter([75, 150, 300, 450, 600]) },
  district: {
    A: fewerIsBetter([300, 600, 1200, 1800, 2400]),
    B: fewerIsBetter([450, 900, 1800, 2700, 3600]),
  },
} as const satisfies Record<string, { A: readonly CountBand[]; B: readonly CountBand[] }>;

const national = (
  subjectType: SubjectType,
  zh: string,
  indicators: EvaluationScheme['indicators'],
): EvaluationScheme => ({
  id: `national-${subjectType}`,
  version: 1,
  name: { zh: `国标默认方案（${zh}）`, en: `National standard default (${subjectType})` },
  subjectType,
  indicators,
  grades: STANDARD_GRADES,
});

/**
 * 外包合同考核方案 (domain.md §5 "contract scheme"): the supervisor weights with 巡查时间覆盖率
 * added. The standard has no scheme for outsourced collection, so this is the default of the
 * two collection types (NATIONAL_SCHEMES is "the default per type").
 */
const contract = (subjectType: SubjectType, zh: string): EvaluationScheme => ({
  id: `contract-${subjectType}`,
  version: 1,
  name: { zh: `外包合同考核方案（${zh}）`, en: `Outsourcing contract scheme (${subjectType})` },
  subjectType,
  indicators: [
    { key: 'validReportRate', weight: 30, transform: 'rate' },
    { key: 'missedReportRate', weight: 20, transform: 'one_minus_rate' },
    { key: 'onTimeVerifyRate', weight: 15, transform: 'rate' },
    { key: 'onTimeCheckRate', weight: 15, transform: 'rate' },
    { key: 'patrolCoverageRate', weight: 20, transform: 'rate' },
  ],
  grades: STANDARD_GRADES,
});

const region = (level: keyof typeof REGION_CASE_BANDS): EvaluationScheme['indicators'] => [
  { key: 'publicReportRate', weight: 20, transform: 'one_minus_rate' },
  {
    key: 'filedCount',
    weight: 20,
    transform: 'count_band',
    bands: REGION_CASE_BANDS[level].B,
    areaClassBands: { A: REGION_CASE_BANDS[level].A, B: REGION_CASE_BANDS[level].B },
  },
  { key: 'closeRate', weight: 30, transform: 'rate' },
  { key: 'onTimeCloseRate', weight: 30, transform: 'rate' },
];

export const NATIONAL_SCHEMES: Readonly<Record<SubjectType, EvaluationScheme>> = {
  department: national('department', '专业部门', [
    { key: 'caseCount', weight: 10, transform: 'count_band', bands: DEPARTMENT_CASE_BANDS },
    { key: 'closeRate', weight: 30, transform: 'rate' },
    { key: 'onTimeDisposalRate', weight: 30, transform: 'rate' },
    { key: 'reworkRate', weight: 30, transform: 'one_minus_rate' },
  ]),
  supervisor: national('supervisor', '监督员', [
    { key: 'validReportRate', weight: 40, transform: 'rate' },
    { key: 'missedReportRate', weight: 20, transform: 'one_minus_rate' },
    { key: 'onTimeVerifyRate', weight: 20, transform: 'rate' },
    { key: 'onTimeCheckRate', weight: 20, transform: 'rate' },
  ]),
  intake: national('intake', '受理员', [
    { key: 'intakeCount', weight: 25, transform: 'count_band', bands: INTAKE_COUNT_BANDS },
    { key: 'onTimeVerifyDispatchRate', weight: 40, transform: 'rate' },
    { key: 'onTimeCheckDispatchRate', weight: 35, transform: 'rate' },
  ]),
  shift_leader: national('shift_leader', '值班长', [
    { key: 'onTimeFilingRate', weight: 25, transform: 'rate' },
    { key: 'accurateFilingRate', weight: 40, transform: 'rate' },
    { key: 'onTimeCloseRate', weight: 35, transform: 'rate' },
  ]),
  dispatcher: national('dispatcher', '派遣员', [
    { key: 'dispatchCount', weight: 20, transform: 'count_band', bands: DISPATCH_COUNT_BANDS },
    { key: 'onTimeDispatchRate', weight: 40, transform: 'rate' },
    { key: 'accurateDispatchRate', weight: 40, transform: 'rate' },
  ]),
  grid: national('grid', '单元网格', region('grid')),
  community: national('community', '社区', region('community')),
  street: national('street', '街道', region('street')),
  district: national('district', '区县', region('district')),
  collection_team: contract('collection_team', '信息采集作业组'),
  collection_company: contract('collection_company', '信息采集外包公司'),
  // 数字城管中心: the posts' timeliness and accuracy as a whole (starting weights).
  center: national('center', '数字城管中心', [
    { key: 'onTimeVerifyDispatchRate', weight: 15, transform: 'rate' },
    { key: 'onTimeFilingRate', weight: 20, transform: 'rate' },
    { key: 'accurateFilingRate', weight: 15, transform: 'rate' },
    { key: 'onTimeDispatchRate', weight: 20, transform: 'rate' },
    { key: 'accurateDispatchRate', weight: 15, transform: 'rate' },
    { key: 'onTimeCloseRate', weight: 15, transform: 'rate' },
  ]),
};

/** 成都市金牛区: 处置率 ×30 + 按期处置率 ×20 + (1 − 返工率) ×20 + (1 − 超期待处置率) ×20 + (1 − 延期率) ×10. */
export const JINNIU_DEPARTMENT_SCHEME: EvaluationScheme = {
  id: 'chengdu-jinniu-department',
  version: 1,
  name: { zh: '成都市金牛区专业部门评价方案', en: 'Chengdu Jinniu district, departments' },
  subjectType: 'department',
  indicators: [
    { key: 'disposalRate', weight: 30, transform: 'rate' },
    { key: 'onTimeDisposalRate', weight: 20, transform: 'rate' },
    { key: 'reworkRate', weight: 20, transform: 'one_minus_rate' },
    { key: 'overdueOpenRate', weight: 20, transform: 'one_minus_rate' },
    { key: 'extensionRate', weight: 10, transform: 'one_minus_rate' },
  ],
  grades: STANDARD_GRADES,
};

export const SHIPPED_SCHEMES: readonly EvaluationScheme[] = [
  ...Object.values(NATIONAL_SCHEMES),
  JINNIU_DEPARTMENT_SCHEME,
];
