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
  if (!(l.temporaryCoverHours > 0 && l.temporaryCoverHours <= l.repairHours))
    return {
      field: 'temporaryCoverHours',
      message: { zh: '临时覆盖时限应不超过修复时限', en: 'Temporary cover: at most the repair limit' },
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
export function deadlines(flow: EmergencyFlow, limits: CoverLimits): Record<EmergencyStep, Date | null> {
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
}

export interface DashboardCell {
  type: CoverType;
  owner: string;
  open: number;
  overdue: number;
  /** Mean notice → repair over the repaired flows, minutes (null: none repaired). */
  averageRepairMinutes: number | null;
  /** Covers with two flows or more in the period. */
  repeatCovers: number;
}

/** The 井盖 dashboard: cover type × owner. */
export function dashboard(flows: readonly DashboardInput[], limits: CoverLimits, now: Date): DashboardCell[] {
  const cells = new Map<string, DashboardCell & { repairs: number[]; perCover: Map<string, number> }>();
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
      perCover: new Map<string, number>(),
    };
    const s = flowStatus(f.flow, limits, now);
    if (s.next !== null) cell.open++;
    if (s.overdue.length > 0) cell.overdue++;
    if (s.repairMinutes !== null) cell.repairs.push(s.repairMinutes);
    cell.perCover.set(f.coverId, (cell.perCover.get(f.coverId) ?? 0) + 1);
    cells.set(key, cell);
  }
  return [...cells.values()]
    .map(({ repairs, perCover, ...c }) => ({
      ...c,
      averageRepairMinutes: repairs.length
        ? Math.round(repairs.reduce((a, b) => a + b, 0) / repairs.length)
        : null,
      repeatCovers: [...perCover.values()].filter((n) => n >= 2).length,
    }))
    .sort((a, b) => a.type.localeCompare(b.type) || a.owner.localeCompare(b.owner));
}
