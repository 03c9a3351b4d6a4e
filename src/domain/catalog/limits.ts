/**
 * Time limits of the standards table as people write them in a spreadsheet: "6小时" (calendar
 * hours), "4工作时" (working hours), "1工作日" (working days), "30分钟" (minutes).
 */

import type { LimitUnit, TimeLimit } from '../timelimit/index.js';
import { CLOCK_STEPS, type ClockStep, type Label } from '../workflow/states.js';

export const AREA_CLASSES = ['A', 'B', 'C'] as const;
export type AreaClass = (typeof AREA_CLASSES)[number];

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

/** Column header of one step × area class, e.g. "处置时限-A". */
export function limitColumn(step: ClockStep, area: AreaClass): string {
  return `${STEP_LABELS[step].zh}时限-${area}`;
}

export const LIMIT_COLUMNS: ReadonlyArray<{ step: ClockStep; area: AreaClass; header: string }> =
  CLOCK_STEPS.flatMap((step) =>
    AREA_CLASSES.map((area) => ({ step, area, header: limitColumn(step, area) })),
  );
