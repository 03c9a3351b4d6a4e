/**
 * 井盖专项 (special-supervision.md §1): cover types, defects, and the emergency flow as steps
 * with their own limits — warning / barrier on site → temporary cover → repair → check — with
 * the owner on site within a configurable limit (30 min–2 h), the repair within 6 h, or 36 h as
 * an exception with a reason (Guangzhou 2021; Tianjin: 30 min on site). Every step has photos.
 * Pure rules: no store, no clock of its own.
 */

export const COVER_TYPES = ['rain', 'sewage', 'power', 'telecom', 'gas', 'water', 'heat', 'other'] as const;
export type CoverType = (typeof COVER_TYPES)[number];
export const COVER_TYPE_LABELS: Record<CoverType, string> = {
  rain: '雨水',
  sewage: '污水',
  power: '电力',
  telecom: '通信',
  gas: '燃气',
  water: '供水',
  heat: '热力',
  other: '其他',
};

export const COVER_DEFECTS = ['missing', 'broken', 'displaced', 'loose', 'sunken', 'noisy', 'mixed'] as const;
export type CoverDefect = (typeof COVER_DEFECTS)[number];
export const DEFECT_LABELS: Record<CoverDefect, string> = {
  missing: '缺失',
  broken: '破损',
  displaced: '移位',
  loose: '松动',
  sunken: '沉塌',
  noisy: '异响',
  mixed: '混用',
};

export const EMERGENCY_STEPS = ['barrier', 'temporary_cover', 'repair', 'check'] as const;
export type EmergencyStep = (typeof EMERGENCY_STEPS)[number];

export interface CoverLimits {
  /** 权属单位 on site (and the barrier up) after the notice: 30–120 minutes. */
  ownerOnSiteMinutes: number;
  /** Temporary cover / 补缺 after the notice (Guangzhou 2017: 3 h). */
  temporaryCoverHours: number;
  /** Repair after the notice (6 h), or the exception's limit when work cannot start (36 h). */
  repairHours: number;
  exceptionRepairHours: number;
  /** The centre's check after the repair. */
  checkHours: number;
}

export const DEFAULT_COVER_LIMITS: CoverLimits = {
  ownerOnSiteMinutes: 30,
  temporaryCoverHours: 3,
  repairHours: 6,
  exceptionRepairHours: 36,
  checkHours: 2,
};

export type LimitsProblem = { field: keyof CoverLimits; message: { zh: string; en: string } } | null;

/** A city's limits are configuration; these bounds keep them within what the rules allow. */
export function checkLimits(l: CoverLimits): LimitsProblem {
  if (!(l.ownerOnSiteMinutes >= 30 && l.ownerOnSiteMinutes <= 120))
    return {
      field: 'ownerOnSiteMinutes',
      message: { zh: '到场时限应在 30 分钟至 2 小时之间', en: 'Owner on site: between 30 min and 2 h' },
    };
  if (!(l.repairHours > 0 && l.repairHours <= l.exceptionRepairHours))
    return {
      field: 'repairHours',
      message: {
        zh: '修复时限应大于 0 且不超过例外时限',
        en: 'Repair limit: above 0 and at most the exception limit',
      },
    };
  // A temporary cover due before the owner need be on site could never be on time.
  if (!(l.temporaryCoverHours * 60 >= l.ownerOnSiteMinutes && l.temporaryCoverHours <= l.repairHours))
    return {
      field: 'temporaryCoverHours',
      message: {
        zh: '临时覆盖时限应不短于到场时限、不超过修复时限',
        en: 'Temporary cover: no shorter than the on-site limit, at most the repair limit',
      },
    };
  if (!(l.checkHours > 0))
    return { field: 'checkHours', message: { zh: '核查时限应大于 0', en: 'Check limit: above 0' } };
  return null;
}

export interface StepRecord {
  step: EmergencyStep;
  at: Date;
  photos: readonly string[];
}

export interface EmergencyFlow {
  noticedAt: Date;
  steps: readonly StepRecord[];
  /** The 36 h exception (work conditions prevent the repair), with its reason. */
  exception: { reason: string } | null;
}

export type StepRefusal =
  | 'STEP_OUT_OF_ORDER'
  | 'STEP_PHOTOS_REQUIRED'
  | 'STEP_BEFORE_PREVIOUS'
  | 'EXCEPTION_REASON_REQUIRED';

/** Whether `next` may be recorded now: in order, not before the previous step, with photos. */
export function canRecord(flow: EmergencyFlow, next: StepRecord): StepRefusal | null {
  const expected = EMERGENCY_STEPS[flow.steps.length];
  if (next.step !== expected) return 'STEP_OUT_OF_ORDER';
  if (next.photos.length === 0) return 'STEP_PHOTOS_REQUIRED';
  const previous = flow.steps.at(-1)?.at ?? flow.noticedAt;
  if (next.at < previous) return 'STEP_BEFORE_PREVIOUS';
  return null;
}

export function canTakeException(reason: string | null | undefined): StepRefusal | null {
  return reason && reason.trim().length >= 4 ? null : 'EXCEPTION_REASON_REQUIRED';
}

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Each step's deadline: counted from the notice, the check from the repair. */
export interface Deadlines {
  barrier: Date;
  temporary_cover: Date;
  repair: Date;
  /** Known once the repair is recorded. */
  check: Date | null;
}

export function deadlines(flow: EmergencyFlow, limits: CoverLimits): Deadlines {
  const t0 = flow.noticedAt.getTime();
  const repairHours = flow.exception ? limits.exceptionRepairHours : limits.repairHours;
  const repaired = flow.steps.find((s) => s.step === 'repair')?.at;
  return {
    barrier: new Date(t0 + limits.ownerOnSiteMinutes * MIN),
    temporary_cover: new Date(t0 + limits.temporaryCoverHours * HOUR),
    repair: new Date(t0 + repairHours * HOUR),
    check: repaired ? new Date(repaired.getTime() + limits.checkHours * HOUR) : null,
  };
}

export interface FlowStatus {
  /** The step due next, or null once checked. */
  next: EmergencyStep | null;
  /** Steps done after their deadline, or due and not done by `now`. */
  overdue: EmergencyStep[];
  /** Notice → repair, in minutes (null before the repair). */
  repairMinutes: number | null;
}

export function flowStatus(flow: EmergencyFlow, limits: CoverLimits, now: Date): FlowStatus {
  const due = deadlines(flow, limits);
  const done = new Map(flow.steps.map((s) => [s.step, s.at]));
  const overdue = EMERGENCY_STEPS.filter((step) => {
    const d = due[step];
    if (!d) return false;
    const at = done.get(step);
    return at ? at > d : now > d;
  });
  const repaired = done.get('repair');
  return {
    next: EMERGENCY_STEPS[flow.steps.length] ?? null,
    overdue,
    repairMinutes: repaired ? Math.round((repaired.getTime() - flow.noticedAt.getTime()) / MIN) : null,
  };
}

export interface DashboardInput {
  coverId: string;
  type: CoverType;
  owner: string;
  flow: EmergencyFlow;
  /** The limits in force when this flow began (a city's later change does not rewrite it). */
  limits?: CoverLimits;
}

export interface DashboardCell {
  type: CoverType;
  owner: string;
  open: number;
  overdue: number;
  /** Mean notice → repair over the repaired flows, minutes (null: none repaired). */
  averageRepairMinutes: number | null;
  /** Covers with a second flow noticed within the repeat window of an earlier one. */
  repeatCovers: number;
}

/** The 井盖 dashboard: cover type × owner. `repeatWindowDays`: a cover again within N days repeats. */
export function dashboard(
  flows: readonly DashboardInput[],
  limits: CoverLimits,
  now: Date,
  repeatWindowDays = Number.POSITIVE_INFINITY,
): DashboardCell[] {
  const cells = new Map<string, DashboardCell & { repairs: number[]; perCover: Map<string, Date[]> }>();
  for (const f of flows) {
    const key = `${f.type} ${f.owner}`;
    const cell = cells.get(key) ?? {
      type: f.type,
      owner: f.owner,
      open: 0,
      overdue: 0,
      averageRepairMinutes: null,
      repeatCovers: 0,
      repairs: [],
      perCover: new Map<string, Date[]>(),
    };
    const s = flowStatus(f.flow, f.limits ?? limits, now);
    if (s.next !== null) cell.open++;
    if (s.overdue.length > 0) cell.overdue++;
    if (s.repairMinutes !== null) cell.repairs.push(s.repairMinutes);
    cell.perCover.set(f.coverId, [...(cell.perCover.get(f.coverId) ?? []), f.flow.noticedAt]);
    cells.set(key, cell);
  }
  return [...cells.values()]
    .map(({ repairs, perCover, ...c }) => ({
      ...c,
      averageRepairMinutes: repairs.length
        ? Math.round(repairs.reduce((a, b) => a + b, 0) / repairs.length)
        : null,
      repeatCovers: [...perCover.values()].filter((ts) => repeats(ts, repeatWindowDays)).length,
    }))
    .sort((a, b) => a.type.localeCompare(b.type) || a.owner.localeCompare(b.owner));
}

/** Two notices of one cover within `days` of each other. */
export function repeats(noticed: readonly Date[], days: number): boolean {
  const t = noticed.map((d) => d.getTime()).sort((a, b) => a - b);
  for (let i = 1; i < t.length; i++)
    if ((t[i] as number) - (t[i - 1] as number) <= days * 24 * HOUR) return true;
  return false;
}

/**
 * The 36 h exception is declared while it can still matter: before the repair, and before the
 * normal repair limit has run out (a late declaration would excuse a lateness already incurred).
 */
export type ExceptionRefusal =
  | 'EXCEPTION_REASON_REQUIRED'
  | 'EXCEPTION_ALREADY_TAKEN'
  | 'EXCEPTION_AFTER_REPAIR'
  | 'EXCEPTION_TOO_LATE';

export function canDeclareException(
  flow: EmergencyFlow,
  limits: CoverLimits,
  reason: string | null | undefined,
  now: Date,
): ExceptionRefusal | null {
  if (canTakeException(reason)) return 'EXCEPTION_REASON_REQUIRED';
  if (flow.exception) return 'EXCEPTION_ALREADY_TAKEN';
  if (flow.steps.some((s) => s.step === 'repair' || s.step === 'check')) return 'EXCEPTION_AFTER_REPAIR';
  if (now.getTime() > flow.noticedAt.getTime() + limits.repairHours * HOUR) return 'EXCEPTION_TOO_LATE';
  return null;
}

/** Who records a step: the cover's owner (or maintainer) on site, the supervisor for the check. */
export function stepRecorder(step: EmergencyStep): 'owner' | 'supervisor' {
  return step === 'check' ? 'supervisor' : 'owner';
}

/** A cover on the map: no open flow, a flow running, made safe (temporarily covered), overdue. */
export const COVER_STATES = ['normal', 'open', 'made_safe', 'overdue'] as const;
export type CoverState = (typeof COVER_STATES)[number];

export function coverState(flow: EmergencyFlow | null, limits: CoverLimits, now: Date): CoverState {
  if (!flow) return 'normal';
  const s = flowStatus(flow, limits, now);
  if (s.next === null) return 'normal';
  if (s.overdue.length > 0) return 'overdue';
  return flow.steps.some((x) => x.step === 'temporary_cover') ? 'made_safe' : 'open';
}

/** 城市道路等级 (CJJ 37): what the inspection frequency depends on. */
export const ROAD_CLASSES = ['expressway', 'arterial', 'secondary', 'branch'] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];
export const ROAD_CLASS_LABELS: Record<RoadClass, string> = {
  expressway: '快速路',
  arterial: '主干路',
  secondary: '次干路',
  branch: '支路',
};

/**
 * The cover type of a 部件 class (GB/T 30428.2 公用设施 井盖 minor classes; a GB/T 47678.5
 * 5-digit code `01001` is read as `0101`). Null: the class is not a manhole cover.
 */
const TYPE_OF_MINOR: Record<string, CoverType> = {
  '0101': 'water',
  '0102': 'sewage',
  '0103': 'rain',
  '0104': 'rain',
  '0105': 'power',
  '0106': 'power',
  '0107': 'telecom',
  '0108': 'telecom',
  '0109': 'telecom',
  '0110': 'heat',
  '0111': 'gas',
  '0112': 'other',
  '0114': 'other',
};
export const COVER_CATEGORY_CODES = Object.keys(TYPE_OF_MINOR);

export function coverTypeOfCategory(code: string): CoverType | null {
  const minor = code.length === 5 && code[2] === '0' ? code.slice(0, 2) + code.slice(3) : code;
  return TYPE_OF_MINOR[minor] ?? null;
}
