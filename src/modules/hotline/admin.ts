/** Administration of hotline systems, their limit rules and the outbox (channel.manage). */
import type { Kysely } from 'kysely';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { categoryByCode } from '../cases/repo.js';
import { DEFAULT_LIMIT_RULES, limitRules } from './limits.js';
import { deliverDue } from './outbox.js';
import type { LimitRulesBody, SystemBody } from './schema.js';

function presentSystem(s: {
  id: number;
  code: string;
  name: string;
  service_user_id: number;
  base_url: string | null;
  outbound_token: string | null;
  default_category_kind: string;
  default_category_code: string;
  active: boolean;
}) {
  return {
    id: s.id,
    code: s.code,
    name: s.name,
    serviceUserId: s.service_user_id,
    baseUrl: s.base_url,
    // The token is a credential of ours at the hotline: never shown again.
    hasOutboundToken: s.outbound_token !== null,
    defaultCategory: { kind: s.default_category_kind, code: s.default_category_code },
    active: s.active,
  };
}

export async function listSystems(ctx: Ctx) {
  requirePermission(ctx.actor, 'channel.manage');
  const rows = await ctx.db.selectFrom('hotline_systems').selectAll().orderBy('code').execute();
  return { items: rows.map(presentSystem) };
}

async function checkSystemInput(db: Kysely<Database>, input: SystemBody) {
  const account = await db
    .selectFrom('users')
    .select(['id', 'kind'])
    .where('id', '=', input.serviceUserId)
    .executeTakeFirst();
  if (account?.kind !== 'service') {
    throw new AppError('APIKEY_NOT_SERVICE_ACCOUNT', { details: { serviceUserId: input.serviceUserId } });
  }
  const category = await categoryByCode(db, input.defaultCategory.kind, input.defaultCategory.code);
  if (!category) throw new AppError('CASE_CATEGORY_UNKNOWN', { details: input.defaultCategory });
}

/** Registers a hotline system (or updates the one with this code), with the default limits. */
export async function saveSystem(ctx: Ctx, input: SystemBody) {
  requirePermission(ctx.actor, 'channel.manage');
  await checkSystemInput(ctx.db, input);
  return ctx.db.transaction().execute(async (trx) => {
    const values = {
      code: input.code,
      name: input.name,
      service_user_id: input.serviceUserId,
      base_url: input.baseUrl,
      default_category_kind: input.defaultCategory.kind,
      default_category_code: input.defaultCategory.code,
      active: input.active,
    };
    const row = await trx
      .insertInto('hotline_systems')
      .values({ ...values, outbound_token: input.outboundToken })
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({
          ...values,
          ...(input.outboundToken !== null ? { outbound_token: input.outboundToken } : {}),
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((err: unknown) => {
        if ((err as { code?: string }).code === '23505') {
          throw new AppError('CONFLICT', { details: { serviceUserId: input.serviceUserId } });
        }
        throw err;
      });
    const has = await trx
      .selectFrom('hotline_limit_rules')
      .select('id')
      .where('system_id', '=', row.id)
      .executeTakeFirst();
    if (!has) {
      await trx
        .insertInto('hotline_limit_rules')
        .values(
          DEFAULT_LIMIT_RULES.map((r) => ({
            system_id: row.id,
            appeal_type: r.appealType,
            step: r.step,
            amount: r.amount,
            unit: r.unit,
            calendar_id: r.calendarId,
          })),
        )
        .execute();
    }
    await audit({ ...ctx, db: trx }, { action: 'hotline.system.save', target: `hotline-system:${row.code}` });
    return presentSystem(row);
  });
}

async function requireSystem(db: Kysely<Database>, id: number) {
  const row = await db
    .selectFrom('hotline_systems')
    .select(['id', 'code'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { details: { resource: 'hotline_system' } });
  return row;
}

export async function getLimitRules(ctx: Ctx, systemId: number) {
  requirePermission(ctx.actor, 'channel.manage');
  await requireSystem(ctx.db, systemId);
  return { rules: await limitRules(ctx.db, systemId) };
}

/** Replaces a system's rule table as a whole; every step needs a '*' row (the fallback). */
export async function replaceLimitRules(ctx: Ctx, systemId: number, input: LimitRulesBody) {
  requirePermission(ctx.actor, 'channel.manage');
  const system = await requireSystem(ctx.db, systemId);
  const missing = (['sign', 'return', 'reply'] as const).filter(
    (step) => !input.rules.some((r) => r.step === step && r.appealType === '*'),
  );
  if (missing.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      details: { missing },
      message: { zh: '每个环节都须有「*」（其他类型）规则', en: "Each step needs a '*' (any type) rule" },
    });
  }
  const calendars = new Set(
    (await ctx.db.selectFrom('working_calendars').select('id').execute()).map((c) => c.id),
  );
  const unknown = input.rules.filter((r) => !calendars.has(r.calendarId)).map((r) => r.calendarId);
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      details: { calendarId: unknown },
      message: { zh: '工作日历不存在', en: 'Unknown working calendar' },
    });
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('hotline_limit_rules').where('system_id', '=', systemId).execute();
    await trx
      .insertInto('hotline_limit_rules')
      .values(
        input.rules.map((r) => ({
          system_id: systemId,
          appeal_type: r.appealType,
          step: r.step,
          amount: r.amount,
          unit: r.unit,
          calendar_id: r.calendarId,
        })),
      )
      .execute();
    await audit(
      { ...ctx, db: trx },
      {
        action: 'hotline.limits.replace',
        target: `hotline-system:${system.code}`,
        details: { rules: input.rules },
      },
    );
  });
  return { rules: await limitRules(ctx.db, systemId) };
}

/** Calls not yet delivered (the console's view of a hotline that is down). */
export async function pendingCalls(ctx: Ctx) {
  requirePermission(ctx.actor, 'channel.manage');
  const rows = await ctx.db
    .selectFrom('hotline_outbox as x')
    .innerJoin('hotline_orders as o', 'o.id', 'x.order_id')
    .select([
      'x.id',
      'x.kind',
      'x.attempts',
      'x.next_attempt_at',
      'x.last_status',
      'x.last_error',
      'o.order_no',
    ])
    .where('x.sent_at', 'is', null)
    .orderBy('x.id')
    .limit(500)
    .execute();
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      orderNo: r.order_no,
      kind: r.kind,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at.toISOString(),
      lastStatus: r.last_status,
      lastError: r.last_error,
    })),
  };
}

/** 立即重试: every undelivered call is due now (its backoff waived), then delivered. */
export async function deliverNow(ctx: Ctx) {
  requirePermission(ctx.actor, 'channel.manage');
  await ctx.db
    .updateTable('hotline_outbox')
    .set({ next_attempt_at: new Date() })
    .where('sent_at', 'is', null)
    .execute();
  await audit(ctx, { action: 'hotline.outbox.deliver', target: 'hotline-outbox' });
  return deliverDue(ctx.db);
}
