/**
 * What the collaboration platform (权属确认) adds to the workflow actions send_to_collaboration,
 * claim, decline and settle_ownership: inputs checked before the state machine decides, and the
 * dispute rows written in the same transaction as the case event.
 */
import type { Kysely } from 'kysely';
import type { CaseAction } from '../../domain/workflow/index.js';
import type { Ctx } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import type { CaseRow } from '../cases/repo.js';
import type { ActionInput } from '../cases/schema.js';
import { chinaDateOf } from '../catalog/lookup.js';
import { departmentsByCodes } from '../dispatch/repo.js';
import { recordDecisionRule } from '../dispatch/rules.js';
import { candidateClaim, type DisputeRow, openDispute } from './repo.js';

type Db = Kysely<Database>;

const MAX_CLAIM_DAYS = 30;
/** When neither the dispatcher nor the standards give a claim limit. */
const FALLBACK_CLAIM_HOURS = 24;

export interface CollabPlan {
  candidates: Array<{ id: number; code: string; name: string }>;
  claimDeadline: Date | null;
  dispute: DisputeRow | null;
  claim: Awaited<ReturnType<typeof candidateClaim>>;
  attachments: string[];
}

/** Checks the collaboration inputs of an action (400s), before the state machine decides. */
export async function prepareCollab(
  db: Db,
  ctx: Ctx,
  row: CaseRow,
  action: CaseAction,
  input: ActionInput,
  now: Date,
): Promise<CollabPlan> {
  const plan: CollabPlan = {
    candidates: [],
    claimDeadline: null,
    dispute: null,
    claim: undefined,
    attachments: [],
  };
  if (action === 'send_to_collaboration') {
    const codes = input.candidateDepartmentCodes ?? [];
    const found = await departmentsByCodes(db, codes);
    const ok = found.filter((d) => row.grid_code.startsWith(d.scope_prefix));
    const bad = codes.filter((c) => !ok.some((d) => d.code === c));
    if (codes.length === 0 || bad.length > 0) {
      throw new AppError('COLLAB_CANDIDATES_INVALID', {
        details: { unknownOrOutOfArea: bad },
        message: {
          zh: `候选部门不存在、已停用或辖区不含案卷位置：${bad.join('、')}`,
          en: `Candidate departments unknown, inactive or not serving the case's area: ${bad.join(', ')}`,
        },
      });
    }
    plan.candidates = ok.map((d) => ({ id: d.id, code: d.code, name: d.name }));
    if (input.claimDeadline !== undefined) {
      const at = new Date(input.claimDeadline);
      if (!(at > now) || at.getTime() - now.getTime() > MAX_CLAIM_DAYS * 86_400_000) {
        throw new AppError('COLLAB_DEADLINE_INVALID', { details: { claimDeadline: input.claimDeadline } });
      }
      plan.claimDeadline = at;
    }
  }
  if (action === 'claim' || action === 'decline' || action === 'settle_ownership') {
    plan.dispute = (await openDispute(db, row.id, true)) ?? null;
    plan.claim = await candidateClaim(db, ctx.actor, row.id);
  }
  if (action === 'settle_ownership' && input.jointMeeting) {
    const shas = [...new Set(input.jointMeeting.attachments)];
    const found = await db.selectFrom('media').select('sha256').where('sha256', 'in', shas).execute();
    const missing = shas.filter((s) => !found.some((f) => f.sha256 === s));
    if (missing.length > 0)
      throw new AppError('COLLAB_ATTACHMENT_UNKNOWN', { details: { attachments: missing } });
    if (input.jointMeeting.heldOn > chinaDateOf(now)) {
      throw new AppError('VALIDATION_FAILED', {
        details: { heldOn: input.jointMeeting.heldOn },
        message: { zh: '联席会议日期不能晚于今天', en: 'The joint meeting cannot be in the future' },
      });
    }
    plan.attachments = shas;
  }
  return plan;
}

/** Refusals that need the decision to have passed first (a non-candidate gets the guard's message). */
export function checkCollabTiming(action: CaseAction, plan: CollabPlan, now: Date): void {
  if (action !== 'claim' && action !== 'decline') return;
  const claim = plan.claim;
  if (!claim) return;
  if (claim.response !== 'pending') {
    throw new AppError('COLLAB_ALREADY_ANSWERED', {
      details: { department: claim.code, response: claim.response },
    });
  }
  if (now > claim.claim_deadline) {
    throw new AppError('COLLAB_CLAIM_DEADLINE_PASSED', {
      details: { claimDeadline: claim.claim_deadline.toISOString() },
    });
  }
}

/** Event payload additions of a collaboration action. */
export function collabPayload(
  action: CaseAction,
  input: ActionInput,
  plan: CollabPlan,
): Record<string, unknown> {
  if (action === 'send_to_collaboration') {
    // null: the claim limit of the case's standard (the clock deadline in this event).
    return {
      candidates: plan.candidates.map((c) => c.code),
      claimDeadline: plan.claimDeadline?.toISOString() ?? null,
    };
  }
  if ((action === 'claim' || action === 'decline') && plan.claim) return { candidate: plan.claim.code };
  if (action === 'settle_ownership') {
    return {
      mode: input.jointMeeting ? 'joint_meeting' : 'online',
      ...(input.jointMeeting ? { jointMeeting: input.jointMeeting } : {}),
      updateResponsibility: input.updateResponsibility === true,
    };
  }
  return {};
}

/** Writes the dispute rows after the case event (same transaction). */
export async function recordCollab(
  ctx: Ctx,
  row: CaseRow,
  t: {
    action: CaseAction;
    to: string;
    input: ActionInput;
    plan: CollabPlan;
    department: { id: number; code: string } | null;
    stepDeadline: Date | null;
    now: Date;
  },
): Promise<void> {
  const { db, actor } = ctx;
  const userId = actor.userId > 0 ? actor.userId : null;
  const { action, input, plan, now } = t;
  if (action === 'send_to_collaboration') {
    const deadline =
      plan.claimDeadline ?? t.stepDeadline ?? new Date(now.getTime() + FALLBACK_CLAIM_HOURS * 3_600_000);
    const dispute = await db
      .insertInto('ownership_disputes')
      .values({
        case_id: row.id,
        reason: input.reason ?? '',
        claim_deadline: deadline,
        opened_by: userId,
        opened_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('ownership_claims')
      .values(plan.candidates.map((c) => ({ dispute_id: dispute.id, department_id: c.id })))
      .execute();
    return;
  }
  if ((action === 'claim' || action === 'decline') && plan.claim) {
    await db
      .updateTable('ownership_claims')
      .set({
        response: action === 'claim' ? 'claimed' : 'declined',
        reason: input.reason ?? null,
        responded_by: userId,
        responded_at: now,
      })
      .where('dispute_id', '=', plan.claim.dispute_id)
      .where('department_id', '=', plan.claim.department_id)
      .execute();
    return;
  }
  if (action === 'settle_ownership' && plan.dispute && t.department) {
    const ruleId = input.updateResponsibility
      ? await recordDecisionRule(ctx, {
          categoryId: row.category_id,
          areaCode: row.district_code,
          departmentCode: t.department.code,
          note: `权属确认 ${row.number}${input.jointMeeting ? '（联席会议）' : ''}`,
          caseNumber: row.number,
        })
      : null;
    const meeting = input.jointMeeting;
    await db
      .updateTable('ownership_disputes')
      .set({
        status: 'settled',
        decision_mode: meeting ? 'joint_meeting' : 'online',
        decided_department_id: t.department.id,
        decision_reason: input.reason ?? null,
        meeting_held_on: meeting?.heldOn ?? null,
        meeting_minutes: meeting?.minutes ?? null,
        meeting_attachments: meeting ? plan.attachments : null,
        responsibility_rule_id: ruleId,
        decided_by: userId,
        decided_at: now,
        closed_at: now,
      })
      .where('id', '=', plan.dispute.id)
      .execute();
    return;
  }
  // Leaving the platform any other way (作废) closes the dispute without a decision.
  if (row.state === 'ownership_dispute' && t.to !== 'ownership_dispute') {
    await db
      .updateTable('ownership_disputes')
      .set({ status: 'cancelled', closed_at: now })
      .where('case_id', '=', row.id)
      .where('status', '=', 'open')
      .execute();
  }
}
