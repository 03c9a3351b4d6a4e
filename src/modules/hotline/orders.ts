/**
 * The life of a 12345 work order on our side. The centre signs (签收), returns (退单, within the
 * window, which rejects the case), asks for an extension and replies (办理结果 + 公开答复); each
 * is written with its call to the hotline in one transaction (the outbox). The hotline answers
 * the extension and reports its 回访: 不满意 on a closed case reopens it (重办) as a case event.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Role } from '../../domain/access/permissions.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { actOnCase } from '../cases/commands.js';
import { type Ctx, forbiddenUnless, requirePermission } from './access.js';
import { type HotlineDeps, systemOf } from './intake.js';
import { orderDeadlines } from './limits.js';
import { enqueue } from './outbox.js';
import { presentOrder } from './presenter.js';
import type { ExtensionDecisionBody, VisitBody } from './schema.js';
import type { HotlineOrdersTable, HotlineResult, OrderStatus } from './tables.js';
import { inUnit } from './unit.js';

/** Who answers the hotline for the centre. */
const CENTRE_ROLES: readonly Role[] = ['admin', 'leader', 'shift_leader', 'dispatcher', 'intake'];

type OrderRow = Selectable<HotlineOrdersTable> & { case_number: string | null; case_state: string | null };

function orderQuery(db: Kysely<Database>, ctx: Ctx) {
  return db
    .selectFrom('hotline_orders as o')
    .leftJoin('cases as c', 'c.id', 'o.case_id')
    .selectAll('o')
    .select(['c.number as case_number', 'c.state as case_state'])
    .where(sql<boolean>`coalesce(c.grid_code, '') LIKE ${`${ctx.actor.scopePrefix}%`}`);
}

function present(row: OrderRow) {
  const { case_number, case_state, ...order } = row;
  return presentOrder(
    order,
    case_number && case_state ? { number: case_number, state: case_state } : null,
    true,
  );
}

function requireCentre(ctx: Ctx, permission: 'case.read' | 'case.act') {
  requirePermission(ctx.actor, permission);
  forbiddenUnless(CENTRE_ROLES.includes(ctx.actor.role), permission);
}

export async function listOrders(ctx: Ctx, q: { status?: OrderStatus | undefined; limit: number }) {
  requireCentre(ctx, 'case.read');
  let query = orderQuery(ctx.db, ctx).orderBy('o.received_at', 'desc').orderBy('o.id', 'desc').limit(q.limit);
  if (q.status) query = query.where('o.status', '=', q.status);
  return { items: (await query.execute()).map(present) };
}

async function loadOrder(db: Kysely<Database>, ctx: Ctx, id: number, lock: boolean): Promise<OrderRow> {
  let query = orderQuery(db, ctx).where('o.id', '=', id);
  if (lock) query = query.forUpdate('o');
  const row = await query.executeTakeFirst();
  if (!row) throw new AppError('HOTLINE_ORDER_UNKNOWN', { details: { id } });
  return row;
}

export async function getOrder(ctx: Ctx, id: number) {
  requireCentre(ctx, 'case.read');
  const row = await loadOrder(ctx.db, ctx, id, false);
  const outbox = await ctx.db
    .selectFrom('hotline_outbox')
    .select(['id', 'kind', 'attempts', 'sent_at', 'last_status', 'last_error', 'next_attempt_at'])
    .where('order_id', '=', id)
    .orderBy('id')
    .execute();
  return {
    ...present(row),
    calls: outbox.map((o) => ({
      id: Number(o.id),
      kind: o.kind,
      attempts: o.attempts,
      sentAt: o.sent_at?.toISOString() ?? null,
      lastStatus: o.last_status,
      lastError: o.last_error,
      nextAttemptAt: o.sent_at ? null : o.next_attempt_at.toISOString(),
    })),
  };
}

function requireStatus(row: OrderRow, allowed: readonly OrderStatus[]) {
  if (!allowed.includes(row.status)) {
    throw new AppError('HOTLINE_ORDER_STATE', { details: { status: row.status, allowed } });
  }
}

/** Runs one centre action on an order in one transaction with its call to the hotline. */
async function centreAction(
  ctx: Ctx,
  deps: HotlineDeps,
  id: number,
  action: string,
  work: (db: Kysely<Database>, row: OrderRow, now: Date) => Promise<void>,
) {
  requireCentre(ctx, 'case.act');
  await inUnit(ctx.db, deps.autonomous, async (db) => {
    const row = await loadOrder(db, ctx, id, true);
    await work(db, row, new Date());
    await audit({ ...ctx, db }, { action: `hotline.${action}`, target: `hotline-order:${row.id}` });
  });
  deps.outboxWritten();
  return getOrder(ctx, id);
}

/** 签收: idempotent (a second click changes nothing); late if after the hotline's limit. */
export function signOrder(ctx: Ctx, deps: HotlineDeps, id: number) {
  return centreAction(ctx, deps, id, 'sign', async (db, row, now) => {
    if (row.status === 'signed') return;
    requireStatus(row, ['received']);
    await db
      .updateTable('hotline_orders')
      .set({ status: 'signed', signed_at: now })
      .where('id', '=', row.id)
      .execute();
    await enqueue(db, {
      systemId: row.system_id,
      orderId: row.id,
      orderNo: row.order_no,
      kind: 'sign',
      key: 'sign',
      payload: { signedAt: now.toISOString(), late: row.sign_due_at !== null && now > row.sign_due_at },
    });
  });
}

/** 退单: within the return window, with a reason; the case is not filed (不予立案). */
export function returnOrder(ctx: Ctx, deps: HotlineDeps, id: number, reason: string) {
  return centreAction(ctx, deps, id, 'return', async (db, row, now) => {
    requireStatus(row, ['received', 'signed']);
    if (row.return_due_at && now > row.return_due_at) {
      throw new AppError('HOTLINE_RETURN_WINDOW_PASSED', { details: { returnDueAt: row.return_due_at } });
    }
    if (row.case_id)
      await actOnCase({ ...ctx, db }, row.case_id, 'reject', {
        version: await versionOf(db, row.case_id),
        reason,
      });
    await db
      .updateTable('hotline_orders')
      .set({ status: 'returned', returned_at: now, return_reason: reason })
      .where('id', '=', row.id)
      .execute();
    await enqueue(db, {
      systemId: row.system_id,
      orderId: row.id,
      orderNo: row.order_no,
      kind: 'return',
      key: 'return',
      payload: { reason, returnedAt: now.toISOString() },
    });
  });
}

/** 延期申请 to the hotline; its answer comes back through `decideExtension`. */
export function askExtension(
  ctx: Ctx,
  deps: HotlineDeps,
  id: number,
  input: { amount: number; unit: string; reason: string },
) {
  return centreAction(ctx, deps, id, 'extension', async (db, row, now) => {
    requireStatus(row, ['signed', 'reopened']);
    const asked = { ...input, askedAt: now.toISOString(), round: row.round, decision: null };
    await db
      .updateTable('hotline_orders')
      .set({ extension_asked: JSON.stringify(asked) })
      .where('id', '=', row.id)
      .execute();
    const count = await db
      .selectFrom('hotline_outbox')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('order_id', '=', row.id)
      .where('kind', '=', 'extension')
      .executeTakeFirstOrThrow();
    await enqueue(db, {
      systemId: row.system_id,
      orderId: row.id,
      orderNo: row.order_no,
      kind: 'extension',
      key: `extension:${Number(count.n) + 1}`,
      payload: {
        ...input,
        currentDueAt: row.reply_due_at?.toISOString() ?? null,
        askedAt: now.toISOString(),
      },
    });
  });
}

const FINISHED_FOR: Record<HotlineResult, readonly string[]> = {
  解决: ['closed'],
  未解决: ['closed'],
  部分解决: ['closed'],
  不办理退单: ['rejected', 'voided'],
};

/** 办理结果 + 公开答复内容, once the case is finished; one reply per round (重办 opens the next). */
export function replyOrder(
  ctx: Ctx,
  deps: HotlineDeps,
  id: number,
  input: { result: HotlineResult; publicReply: string },
) {
  return centreAction(ctx, deps, id, 'reply', async (db, row, now) => {
    requireStatus(row, ['signed', 'reopened']);
    if (!row.case_state || !FINISHED_FOR[input.result].includes(row.case_state)) {
      throw new AppError('HOTLINE_CASE_NOT_FINISHED', {
        details: { caseState: row.case_state, result: input.result },
      });
    }
    await db
      .updateTable('hotline_orders')
      .set({ status: 'replied', replied_at: now, result: input.result, public_reply: input.publicReply })
      .where('id', '=', row.id)
      .execute();
    await enqueue(db, {
      systemId: row.system_id,
      orderId: row.id,
      orderNo: row.order_no,
      kind: 'reply',
      key: `reply:${row.round}`,
      payload: {
        result: input.result,
        publicReply: input.publicReply,
        repliedAt: now.toISOString(),
        round: row.round,
        late: row.reply_due_at !== null && now > row.reply_due_at,
      },
    });
  });
}

async function versionOf(db: Kysely<Database>, caseId: number): Promise<number> {
  const row = await db
    .selectFrom('cases')
    .select('version')
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
  return row.version;
}

async function hotlineOrder(db: Kysely<Database>, systemId: number, orderNo: string) {
  const row = await db
    .selectFrom('hotline_orders as o')
    .leftJoin('cases as c', 'c.id', 'o.case_id')
    .selectAll('o')
    .select(['c.number as case_number', 'c.state as case_state'])
    .where('o.system_id', '=', systemId)
    .where('o.order_no', '=', orderNo)
    .forUpdate('o')
    .executeTakeFirst();
  if (!row) throw new AppError('HOTLINE_ORDER_UNKNOWN', { details: { orderNo } });
  return row;
}

function presentForHotline(row: OrderRow) {
  const { case_number, case_state, ...order } = row;
  return presentOrder(
    order,
    case_number && case_state ? { number: case_number, state: case_state } : null,
    false,
  );
}

/**
 * 回访 from the hotline. 不满意 on a closed case reopens it (重办, a case event by the hotline's
 * account) and opens a new round with a new reply limit; any other result finishes the order.
 * The same visit id again changes nothing.
 */
export async function receiveVisit(ctx: Ctx, deps: HotlineDeps, orderNo: string, body: VisitBody) {
  requirePermission(ctx.actor, 'case.act');
  const system = await systemOf(ctx);
  const row = await inUnit(ctx.db, deps.autonomous, async (db) => {
    const order = await hotlineOrder(db, system.id, orderNo);
    const seen = await db
      .selectFrom('hotline_visits')
      .select('visit_id')
      .where('order_id', '=', order.id)
      .where('visit_id', '=', body.visitId)
      .executeTakeFirst();
    if (seen) return order;
    requireStatus(order, ['replied']);
    const now = new Date();
    const reopen = body.satisfaction === '不满意' && order.case_state === 'closed' && order.case_id !== null;
    if (reopen && order.case_id !== null) {
      await actOnCase({ ...ctx, db }, order.case_id, 'reopen', {
        version: await versionOf(db, order.case_id),
        reason: `12345回访不满意（工单 ${order.order_no}）${body.comment ? `：${body.comment}` : ''}`.slice(
          0,
          1000,
        ),
      });
    }
    const due = reopen ? await orderDeadlines(db, system.id, order.appeal_type, now) : null;
    await db
      .insertInto('hotline_visits')
      .values({
        order_id: order.id,
        visit_id: body.visitId,
        satisfaction: body.satisfaction,
        comment: body.comment ?? null,
        visited_at: body.visitedAt,
        round: order.round,
        reopened: reopen,
      })
      .execute();
    await db
      .updateTable('hotline_orders')
      .set({
        satisfaction: body.satisfaction,
        ...(reopen
          ? {
              status: 'reopened',
              round: order.round + 1,
              reply_due_at: due?.replyDueAt ?? null,
              extension_asked: null,
            }
          : { status: 'finished' }),
      })
      .where('id', '=', order.id)
      .execute();
    await audit(
      { ...ctx, db },
      { action: 'hotline.visit', target: `hotline-order:${order.id}`, details: body },
    );
    return hotlineOrder(db, system.id, orderNo);
  });
  return presentForHotline(row);
}

/** The hotline's answer to our extension request: approved moves the reply limit. */
export async function decideExtension(
  ctx: Ctx,
  deps: HotlineDeps,
  orderNo: string,
  body: ExtensionDecisionBody,
) {
  requirePermission(ctx.actor, 'case.act');
  const system = await systemOf(ctx);
  const row = await inUnit(ctx.db, deps.autonomous, async (db) => {
    const order = await hotlineOrder(db, system.id, orderNo);
    const asked = order.extension_asked as Record<string, unknown> | null;
    if (!asked || asked.decision) throw new AppError('HOTLINE_EXTENSION_NOT_ASKED');
    if (body.approved && !body.dueAt) {
      throw new AppError('VALIDATION_FAILED', {
        details: { field: 'dueAt' },
        message: { zh: '同意延期须给出新的办理时限', en: 'An approved extension needs the new dueAt' },
      });
    }
    await db
      .updateTable('hotline_orders')
      .set({
        extension_asked: JSON.stringify({ ...asked, decision: body }),
        ...(body.approved && body.dueAt ? { reply_due_at: new Date(body.dueAt) } : {}),
      })
      .where('id', '=', order.id)
      .execute();
    await audit(
      { ...ctx, db },
      { action: 'hotline.extension_decision', target: `hotline-order:${order.id}` },
    );
    return hotlineOrder(db, system.id, orderNo);
  });
  return presentForHotline(row);
}
