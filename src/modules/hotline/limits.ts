/**
 * The hotline's time limits (签收 / 退单 / 办结), a rule table per hotline system and 诉求类型,
 * counted on the working calendars of the calendar module: cities differ (hours or working days,
 * 咨询 / 求助 / 投诉 classes), so the limits are data, never code.
 */
import type { Kysely } from 'kysely';
import { deadlineFor, type LimitUnit, OFFICE_CALENDAR_ID } from '../../domain/timelimit/index.js';
import type { Database } from '../../platform/db/schema.js';
import { calendarLoader } from '../cases/advance.js';
import type { AppealType, LimitStep } from './tables.js';

export interface LimitRule {
  appealType: AppealType | '*';
  step: LimitStep;
  amount: number;
  unit: LimitUnit;
  calendarId: string;
}

/**
 * The rules a new hotline system starts with (Shandong 2020 and 晴隆县 style: sign within 2
 * working hours, return within 2 working days, reply within 5 working days; 咨询 1, 投诉 10),
 * editable per system afterwards.
 */
export const DEFAULT_LIMIT_RULES: readonly LimitRule[] = [
  { appealType: '*', step: 'sign', amount: 2, unit: 'working_hours', calendarId: OFFICE_CALENDAR_ID },
  { appealType: '*', step: 'return', amount: 2, unit: 'working_days', calendarId: OFFICE_CALENDAR_ID },
  { appealType: '*', step: 'reply', amount: 5, unit: 'working_days', calendarId: OFFICE_CALENDAR_ID },
  { appealType: '咨询', step: 'reply', amount: 1, unit: 'working_days', calendarId: OFFICE_CALENDAR_ID },
  { appealType: '投诉', step: 'reply', amount: 10, unit: 'working_days', calendarId: OFFICE_CALENDAR_ID },
];

export async function limitRules(db: Kysely<Database>, systemId: number): Promise<LimitRule[]> {
  const rows = await db
    .selectFrom('hotline_limit_rules')
    .select(['appeal_type', 'step', 'amount', 'unit', 'calendar_id'])
    .where('system_id', '=', systemId)
    .orderBy('step')
    .orderBy('appeal_type')
    .execute();
  return rows.map((r) => ({
    appealType: r.appeal_type,
    step: r.step,
    amount: Number(r.amount),
    unit: r.unit,
    calendarId: r.calendar_id,
  }));
}

/** The rule for one step of one 诉求类型: its own row, else the system's '*' row. */
export function ruleFor(rules: readonly LimitRule[], type: AppealType, step: LimitStep): LimitRule | null {
  return (
    rules.find((r) => r.step === step && r.appealType === type) ??
    rules.find((r) => r.step === step && r.appealType === '*') ??
    null
  );
}

export interface OrderDeadlines {
  signDueAt: Date | null;
  returnDueAt: Date | null;
  replyDueAt: Date | null;
}

/** The order's deadlines from `start` (受理 for sign/return/reply; a 重办 restarts the reply). */
export async function orderDeadlines(
  db: Kysely<Database>,
  systemId: number,
  type: AppealType,
  start: Date,
): Promise<OrderDeadlines> {
  const rules = await limitRules(db, systemId);
  const calendar = calendarLoader(db);
  const due = async (step: LimitStep) => {
    const rule = ruleFor(rules, type, step);
    if (!rule) return null;
    return deadlineFor(await calendar(rule.calendarId), start, { amount: rule.amount, unit: rule.unit });
  };
  return { signDueAt: await due('sign'), returnDueAt: await due('return'), replyDueAt: await due('reply') };
}
