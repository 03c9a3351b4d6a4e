/** Types and helpers shared by the evaluation pages (shapes as src/modules/evaluation presents them). */
import dayjs, { type Dayjs } from 'dayjs';
import type { SubjectType as EvaluatedType } from '../../../../src/domain/evaluation/types';
import type { Role } from '../../auth/session';

export interface Label {
  zh: string;
  en: string;
}

/** The subject types in the selector's order (the server's list, ordered for readers). */
export const SUBJECT_TYPES = [
  'department',
  'center',
  'district',
  'street',
  'community',
  'grid',
  'supervisor',
  'intake',
  'shift_leader',
  'dispatcher',
  'collection_team',
  'collection_company',
] as const satisfies readonly EvaluatedType[];
export type SubjectType = (typeof SUBJECT_TYPES)[number];
type Exhaustive<T extends never> = T;
/** Compiles only while the selector offers every subject type the server evaluates. */
export type UnlistedSubjectTypes = Exhaustive<Exclude<EvaluatedType, SubjectType>>;

export const PERIOD_KINDS = ['day', 'week', 'month', 'quarter', 'year', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** Readers of the evaluation (permission evaluation.read). */
export const READERS: readonly Role[] = [
  'leader',
  'coordinator',
  'shift_leader',
  'dispatcher',
  'department',
  'admin',
];

export interface Cell {
  kind: 'count' | 'rate';
  value: number | null;
  numerator: number;
  denominator: number;
}

export interface IndicatorInfo {
  key: string;
  kind: 'count' | 'rate';
  label: Label;
  higherIsBetter: boolean;
}

export interface ResultRow {
  subjectId: string;
  subjectName: string;
  indicators: Record<string, Cell>;
  composite: number | null;
  grade: string | null;
  rank: number | null;
  tied?: boolean;
}

export interface PeriodView {
  kind: PeriodKind;
  from: string;
  to: string;
  firstDay: string;
  lastDay: string;
}

export interface Results {
  subjectType: SubjectType;
  period: PeriodView;
  scheme: { id: string; version: number; name: Label };
  indicators: IndicatorInfo[];
  rows: ResultRow[];
}

export interface SchemeView {
  id: string;
  version: number;
  name: Label;
  subjectType: SubjectType;
}

export interface Schemes {
  items: SchemeView[];
  indicators: Record<SubjectType, IndicatorInfo[]>;
}

export interface DrillCase {
  id: number;
  number: string;
  state: string;
  source: string;
  gridCode: string;
  categoryCode: string;
  categoryName: string;
  departmentCode: string | null;
  reportedAt: string;
  closedAt: string | null;
}

/** One supervisor's day behind the patrol coverage rate (巡查时间覆盖率). */
export interface DutyDay {
  userId: number;
  userName: string;
  day: string;
  dutyMinutes: number;
  /** On duty for at least the company's contracted hours that day. */
  covered: boolean;
}

/** One page of the figure's list: cases, or duty days for the patrol coverage rate. */
export interface Drilldown {
  subjectName: string;
  indicator: IndicatorInfo;
  part: 'numerator' | 'denominator';
  cell: Cell | null;
  /** All rows of the figure, not just this page. */
  count: number;
  offset: number;
  limit: number;
  cases?: DrillCase[];
  dutyDays?: DutyDay[];
}

export const DAY = 'YYYY-MM-DD';

/** The query fields of a period: a day inside it, or the first and last day of a custom span. */
export function periodQuery(
  kind: PeriodKind,
  day: Dayjs,
  range: [Dayjs, Dayjs] | null,
): { period: PeriodKind; from: string; to?: string } {
  if (kind === 'custom') {
    const [a, b] = range ?? [day.startOf('month'), day.endOf('month')];
    return { period: kind, from: a.format(DAY), to: b.format(DAY) };
  }
  return { period: kind, from: day.format(DAY) };
}

/** `n` periods of a kind back from `day` (quarters are three months). */
export function shiftPeriod(kind: Exclude<PeriodKind, 'custom'>, day: Dayjs, n: number): Dayjs {
  if (kind === 'quarter') return day.subtract(3 * n, 'month');
  return day.subtract(n, kind);
}

/** The last finished month: the default period, so a ranking can be read and published. */
export const lastMonth = () => dayjs().subtract(1, 'month').startOf('month');

export const percent = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
export const score = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(2));
