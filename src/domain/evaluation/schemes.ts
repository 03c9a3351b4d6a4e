/**
 * Shipped schemes: the default per subject type (national standard, domain.md §5 typical
 * weights; for outsourced collection a contract scheme) and the Chengdu 金牛区 department scheme. Count bands other than 受理数 are not
 * given by the standard: the ones here are starting values a city edits.
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

export const DEPARTMENT_CASE_BANDS: readonly CountBand[] = [
  { min: 501, score: 100 },
  { min: 201, max: 500, score: 90 },
  { min: 101, max: 200, score: 75 },
  { min: 51, max: 100, score: 60 },
  { min: 1, max: 50, score: 40 },
];

/** Regions: fewer problems filed scores higher (一类 areas; a 二类 scheme would shift the bands). */
export const REGION_CASE_BANDS: readonly CountBand[] = [
  { min: 0, max: 50, score: 100 },
  { min: 51, max: 100, score: 90 },
  { min: 101, max: 200, score: 75 },
  { min: 201, max: 400, score: 60 },
  { min: 401, max: 800, score: 40 },
];

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

const REGION_DEFAULT: EvaluationScheme['indicators'] = [
  { key: 'publicReportRate', weight: 20, transform: 'one_minus_rate' },
  { key: 'filedCount', weight: 20, transform: 'count_band', bands: REGION_CASE_BANDS },
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
  grid: national('grid', '单元网格', REGION_DEFAULT),
  community: national('community', '社区', REGION_DEFAULT),
  street: national('street', '街道', REGION_DEFAULT),
  district: national('district', '区县', REGION_DEFAULT),
  collection_team: contract('collection_team', '信息采集作业组'),
  collection_company: contract('collection_company', '信息采集外包公司'),
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
