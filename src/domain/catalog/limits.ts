/**
 * Time limits of the standards table as people write them in a spreadsheet: "6小时" (calendar
 * hours), "4工作时" (working hours), "1工作日" (working days), "30分钟" (minutes); and which
 * limit a case of a given urgency (一般 / 紧急 / 特急) runs on.
 */

import type { LimitUnit, TimeLimit } from '../timelimit/index.js';
import { CLOCK_STEPS, type ClockStep, type Label } from '../workflow/states.js';

export const AREA_CLASSES = ['A', 'B', 'C'] as const;
export type AreaClass = (typeof AREA_CLASSES)[number];

export const URGENCIES = ['normal', 'urgent', 'emergency'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const URGENCY_LABELS: Record<Urgency, string> = { normal: '一般', urgent: '紧急', emergency: '特急' };

/** One limit of the table: a step, an area class and the urgency level it is written for. */
export interface StepLimit {
  step: ClockStep;
  areaClass: AreaClass;
  /** The level the limit is written for; 'normal' is the class's own (一般) limit. */
  urgency: Urgency;
  limit: TimeLimit;
}

/**
 * Where the table gives no limit for a case's urgency, the next less urgent level that has one
 * applies: 特急 → 紧急 → 一般. A city writes only the stricter limits it has; a step it leaves
 * blank for 紧急 keeps the class's own limit rather than running without one.
 */
export const URGENCY_FALLBACK: Record<Urgency, readonly Urgency[]> = {
  normal: ['normal'],
  urgent: ['urgent', 'normal'],
  emergency: ['emergency', 'urgent', 'normal'],
};

export interface ChosenLimit {
  limit: TimeLimit;
  /** The level whose limit was taken: the case's own, or a less urgent one by fallback. */
  urgency: Urgency;
}

/** The limit of a step and area class for a case of the given urgency, or null if none applies. */
export function limitForUrgency(
  limits: readonly StepLimit[],
  step: ClockStep,
  areaClass: AreaClass,
  urgency: Urgency,
): ChosenLimit | null {
  for (const level of URGENCY_FALLBACK[urgency]) {
    const hit = limits.find((l) => l.step === step && l.areaClass === areaClass && l.urgency === level);
    if (hit) return { limit: hit.limit, urgency: level };
  }
  return null;
}

export const STEP_LABELS: Record<ClockStep, Label> = {
  intake: { zh: '受理', en: 'Intake' },
  verify: { zh: '核实', en: 'Verify' },
  file: { zh: '立案', en: 'File' },
  dispatch: { zh: '派遣', en: 'Dispatch' },
  claim: { zh: '认领', en: 'Claim' },
  sign: { zh: '签收', en: 'Sign' },
  handle: { zh: '处置', en: 'Handle' },
  request_check: { zh: '核查派发', en: 'Request check' },
  check: { zh: '核查', en: 'Check' },
  close: { zh: '结案', en: 'Close' },
};

/** Canonical suffix of each unit (what export writes). */
export const UNIT_SUFFIX: Record<LimitUnit, string> = {
  working_hours: '工作时',
  working_days: '工作日',
  calendar_hours: '小时',
  minutes: '分钟',
};

// Longer suffixes first so "工作小时" is not read as "小时".
const SUFFIXES: ReadonlyArray<readonly [string, LimitUnit]> = [
  ['个工作小时', 'working_hours'],
  ['工作小时', 'working_hours'],
  ['工作时', 'working_hours'],
  ['个工作日', 'working_days'],
  ['工作日', 'working_days'],
  ['个小时', 'calendar_hours'],
  ['小时', 'calendar_hours'],
  ['分钟', 'minutes'],
];

export const MAX_LIMIT_AMOUNT = 10000;

/** A positive amount with at most two decimals, up to {@link MAX_LIMIT_AMOUNT}. */
export function isValidAmount(amount: number): boolean {
  return (
    Number.isFinite(amount) &&
    amount > 0 &&
    amount <= MAX_LIMIT_AMOUNT &&
    Math.abs(Math.round(amount * 100) - amount * 100) < 1e-9
  );
}

export function parseLimitText(text: string): TimeLimit | null {
  const t = text.replace(/\s+/g, '');
  const hit = SUFFIXES.find(([suffix]) => t.endsWith(suffix));
  if (!hit) return null;
  const number = t.slice(0, t.length - hit[0].length);
  if (!/^[0-9]+(\.[0-9]{1,2})?$/.test(number)) return null;
  const amount = Number(number);
  return isValidAmount(amount) ? { amount, unit: hit[1] } : null;
}

export function formatLimit(limit: TimeLimit): string {
  // Number → shortest decimal form: 6 → "6", 0.5 → "0.5".
  return `${String(Number(limit.amount))}${UNIT_SUFFIX[limit.unit]}`;
}

/**
 * Column header of one step × area class × urgency: "处置时限-A" for the class's own (一般)
 * limit, "处置时限-A-紧急" / "处置时限-A-特急" for the stricter ones.
 */
export function limitColumn(step: ClockStep, area: AreaClass, urgency: Urgency = 'normal'): string {
  const base = `${STEP_LABELS[step].zh}时限-${area}`;
  return urgency === 'normal' ? base : `${base}-${URGENCY_LABELS[urgency]}`;
}

export interface LimitColumn {
  step: ClockStep;
  area: AreaClass;
  urgency: Urgency;
  header: string;
}

const columnsOf = (urgency: Urgency): LimitColumn[] =>
  CLOCK_STEPS.flatMap((step) =>
    AREA_CLASSES.map((area) => ({ step, area, urgency, header: limitColumn(step, area, urgency) })),
  );

/** The class's own limits: required columns of the sheet. */
export const LIMIT_COLUMNS: readonly LimitColumn[] = columnsOf('normal');
/** 紧急 and 特急 limits: optional columns, written on export only for the levels a version uses. */
export const URGENT_LIMIT_COLUMNS: readonly LimitColumn[] = [
  ...columnsOf('urgent'),
  ...columnsOf('emergency'),
];
