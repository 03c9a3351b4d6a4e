/**
 * Reading the collaboration platform: the coordinators' queue of open disputes (with claims and
 * deadlines), the candidate departments' queue (待权属认领), and the disputes of one case.
 */

import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { notFound } from '../../platform/errors.js';
import { pageInfo } from '../../platform/http/paging.js';
import { findCase, visibleTo } from '../cases/repo.js';
import { claimsOf } from './repo.js';
import type { DisputeQuery } from './schema.js';

function disputeQuery(ctx: Ctx) {
  return ctx.db
    .selectFrom('ownership_disputes as od')
    .innerJoin('cases as c', 'c.id', 'od.case_id')
    .innerJoin('categories as cat', 'cat.id', 'c.category_id')
    .leftJoin('departments as dd', 'dd.id', 'od.decided_department_id')
    .leftJoin('users as ob', 'ob.id', 'od.opened_by')
    .leftJoin('users as db', 'db.id', 'od.decided_by')
    .selectAll('od')
    .select([
      'c.number',
      'c.state as case_state',
      'c.address',
      'c.district_code',
      'c.grid_code',
      'cat.code as category_code',
      'cat.name as category_name',
      'dd.code as decided_code',
      'dd.name as decided_name',
      'ob.display_name as opened_by_name',
      'db.display_name as decided_by_name',
    ])
    .where(visibleTo(ctx.actor));
}

type DisputeRow = Awaited<ReturnType<ReturnType<typeof disputeQuery>['execute']>>[number];

async function present(ctx: Ctx, rows: DisputeRow[], now: Date) {
  const claims = await claimsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const mine = (path: string) =>
    ctx.actor.departmentPath !== null && path.startsWith(ctx.actor.departmentPath);
  return rows.map((r) => {
    const own = claims.filter((c) => c.dispute_id === r.id);
    return {
      id: r.id,
      case: {
        id: r.case_id,
        number: r.number,
        state: r.case_state,
        category: { code: r.category_code, name: r.category_name },
        address: r.address,
        districtCode: r.district_code,
        gridCode: r.grid_code,
      },
      status: r.status,
      reason: r.reason,
      openedAt: r.opened_at.toISOString(),
      openedBy: r.opened_by_name,
      claimDeadline: r.claim_deadline.toISOString(),
      deadlinePassed: now > r.claim_deadline,
      candidates: own.map((c) => ({
        department: { code: c.code, name: c.name },
        response: c.response,
        reason: c.reason,
        respondedBy: c.responded_by_name,
        respondedAt: c.responded_at?.toISOString() ?? null,
        mine: mine(c.path),
      })),
      decision:
        r.status === 'settled'
          ? {
              mode: r.decision_mode,
              department: { code: r.decided_code, name: r.decided_name },
              reason: r.decision_reason,
              jointMeeting:
                r.decision_mode === 'joint_meeting'
                  ? {
                      heldOn: r.meeting_held_on,
                      minutes: r.meeting_minutes,
                      attachments: (r.meeting_attachments ?? []).map((sha256) => ({
                        sha256,
                        url: `/api/v1/media/${sha256}`,
                      })),
                    }
                  : null,
              responsibilityRuleId: r.responsibility_rule_id,
              decidedBy: r.decided_by_name,
              decidedAt: r.decided_at?.toISOString() ?? null,
            }
          : null,
    };
  });
}

/** Disputes in my scope; a department sees those it is a candidate in (`awaiting=me`: still to answer). */
export async function listDisputes(ctx: Ctx, q: DisputeQuery) {
  requirePermission(ctx.actor, 'case.read');
  const now = new Date();
  let query = disputeQuery(ctx);
  if (q.status !== 'all') query = query.where('od.status', '=', q.status);
  const path = ctx.actor.departmentPath;
  if (ctx.actor.role === 'department' && path !== null) {
    query = query.where('od.id', 'in', (eb) => {
      let sub = eb
        .selectFrom('ownership_claims as oc')
        .innerJoin('departments as cd', 'cd.id', 'oc.department_id')
        .select('oc.dispute_id')
        .where('cd.path', 'like', `${path}%`);
      if (q.awaiting === 'me') sub = sub.where('oc.response', '=', 'pending');
      return sub;
    });
    if (q.awaiting === 'me') query = query.where('od.claim_deadline', '>', now);
  }
  const [rows, count] = await Promise.all([
    query.orderBy('od.claim_deadline').orderBy('od.id').limit(q.limit).offset(q.offset).execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    ...pageInfo(Number(count.n), q.limit, q.offset),
    queue:
      ctx.actor.role === 'department'
        ? { zh: '待权属认领', en: 'Ownership to claim' }
        : { zh: '待权属确认', en: 'Ownership to settle' },
    items: await present(ctx, rows, now),
  };
}

/** Every dispute of one case, latest first. */
export async function caseDisputes(ctx: Ctx, caseId: number) {
  requirePermission(ctx.actor, 'case.read');
  if (!(await findCase(ctx.db, ctx.actor, caseId))) throw notFound('case');
  const rows = await disputeQuery(ctx).where('od.case_id', '=', caseId).orderBy('od.id', 'desc').execute();
  return { items: await present(ctx, rows, new Date()) };
}
