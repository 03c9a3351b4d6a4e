/**
 * What the public sees of a case: a plain status, the public steps of the timeline, and never a
 * staff name, a reporter's name or phone, or an exact position.
 */
import type { CaseAction, CaseState, Label } from '../../domain/workflow/index.js';

export const PUBLIC_STATUSES = {
  reported: { zh: '已上报，待受理', en: 'Reported, awaiting intake' },
  accepted: { zh: '已受理，核实中', en: 'Accepted, being verified' },
  filed: { zh: '已立案', en: 'Filed' },
  handling: { zh: '处置中', en: 'Being handled' },
  handled: { zh: '已处置，待核查', en: 'Handled, awaiting check' },
  closed: { zh: '已办结', en: 'Closed' },
  rejected: { zh: '不予立案', en: 'Not filed' },
  voided: { zh: '已撤销', en: 'Withdrawn' },
  merged: { zh: '已与其他上报合并处理', en: 'Merged with another report' },
} as const satisfies Record<string, Label>;
export type PublicStatus = keyof typeof PUBLIC_STATUSES;

const STATUS_OF: Record<CaseState, PublicStatus> = {
  reported: 'reported',
  verifying: 'accepted',
  pending_filing: 'accepted',
  rejected: 'rejected',
  filed: 'filed',
  dispatched: 'handling',
  ownership_dispute: 'handling',
  handling: 'handling',
  // Suspended (挂账) cases wait for conditions; to the public they are still being handled.
  suspended: 'handling',
  handled: 'handled',
  checking: 'handled',
  pending_close: 'handled',
  closed: 'closed',
  voided: 'voided',
  merged: 'merged',
};

export function publicStatus(state: string) {
  const status = STATUS_OF[state as CaseState] ?? 'handling';
  return { status, label: PUBLIC_STATUSES[status] };
}

export const PUBLIC_STEPS = {
  reported: { zh: '已上报', en: 'Reported' },
  accepted: { zh: '已受理', en: 'Accepted' },
  filed: { zh: '已立案', en: 'Filed' },
  rejected: { zh: '不予立案', en: 'Not filed' },
  dispatched: { zh: '已派遣至责任单位', en: 'Sent to the responsible department' },
  handled: { zh: '责任单位已处置', en: 'Handled by the department' },
  closed: { zh: '已办结', en: 'Closed' },
  voided: { zh: '已撤销', en: 'Withdrawn' },
  merged: { zh: '已合并处理', en: 'Merged' },
} as const satisfies Record<string, Label>;
export type PublicStep = keyof typeof PUBLIC_STEPS;

/** Workflow actions the public timeline shows; every other action is internal. */
const STEP_OF: Partial<Record<CaseAction, PublicStep>> = {
  report: 'reported',
  intake: 'accepted',
  request_verification: 'accepted',
  file: 'filed',
  reject: 'rejected',
  dispatch: 'dispatched',
  settle_ownership: 'dispatched',
  feedback: 'handled',
  self_handle: 'handled',
  close: 'closed',
  void_approve: 'voided',
  merge: 'merged',
};

export function publicTimeline(events: Array<{ action: string; at: Date; reason: string | null }>) {
  const out: Array<{ step: PublicStep; label: Label; at: string; reason?: string }> = [];
  for (const e of events) {
    const step = STEP_OF[e.action as CaseAction];
    // Repeats in a row (受理 then 派发核实; a re-dispatch after a return) read as one step.
    if (!step || out.at(-1)?.step === step) continue;
    out.push({
      step,
      label: PUBLIC_STEPS[step],
      at: e.at.toISOString(),
      // Why a report was not filed is the one staff text the citizen is owed.
      ...(step === 'rejected' && e.reason ? { reason: e.reason } : {}),
    });
  }
  return out;
}

/** ~11 m: 4 decimals of a degree, so a public point does not pinpoint a door. */
export const roundCoord = (x: number) => Math.round(x * 1e4) / 1e4;
