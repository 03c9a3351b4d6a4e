/**
 * Notice rules, for admins: which case events (an urgent case filed, a case overdue, returned, a
 * 12345 order or a sensor alarm received …), filtered by district, category, urgency and source,
 * go to which notification channel and recipients. The database puts each matching event in the
 * outbox with the event (migration 0042); the webhook worker sends it (worker.ts).
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { URGENCIES } from '../../domain/catalog/limits.js';
import { CASE_ACTIONS } from '../../domain/workflow/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { SOURCES } from '../cases/schema.js';
import { deliveriesOf } from './webhooks.js';

const phone = z.string().regex(/^\+?[0-9-]{5,20}$/);

export const ruleBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  channelId: z.number().int().positive(),
  eventTypes: z.array(z.enum(CASE_ACTIONS)).max(50).default([]),
  districtCodes: z
    .array(z.string().regex(/^[0-9]{6}$/))
    .max(200)
    .default([]),
  /** Prefixes: a 大类 code covers its 小类 and 细类. */
  categoryCodes: z
    .array(z.string().regex(/^[0-9]{2,7}$/))
    .max(200)
    .default([]),
  urgencies: z.array(z.enum(URGENCIES)).max(3).default([]),
  sources: z.array(z.enum(SOURCES)).max(SOURCES.length).default([]),
  recipients: z.array(phone).max(50).default([]),
  maxAttempts: z.number().int().min(1).max(50).default(8),
});
export const rulePatch = ruleBody.partial().extend({ active: z.boolean().optional() });
export type RuleBody = z.infer<typeof ruleBody>;

const manage = (ctx: Ctx) => requirePermission(ctx.actor, 'apikey.manage');

async function channelMustExist(ctx: Ctx, id: number) {
  const c = await ctx.db.selectFrom('notify_channels').select('id').where('id', '=', id).executeTakeFirst();
  if (!c) throw new AppError('NOTIFY_CHANNEL_UNKNOWN', { details: { id } });
}

export async function listRules(ctx: Ctx) {
  manage(ctx);
  const rows = await ctx.db
    .selectFrom('notify_rules as r')
    .innerJoin('notify_channels as n', 'n.id', 'r.channel_id')
    .select([
      'r.id',
      'r.name',
      'r.channel_id',
      'n.name as channel_name',
      'n.kind as channel_kind',
      'r.event_types',
      'r.district_codes',
      'r.category_codes',
      'r.urgencies',
      'r.sources',
      'r.recipients',
      'r.max_attempts',
      'r.active',
      'r.created_at',
    ])
    .select([
      sql<number>`(SELECT count(*) FROM webhook_deliveries d WHERE d.rule_id = r.id AND d.state = 'pending')`.as(
        'pending',
      ),
      sql<number>`(SELECT count(*) FROM webhook_deliveries d WHERE d.rule_id = r.id AND d.state = 'delivered')`.as(
        'delivered',
      ),
      sql<number>`(SELECT count(*) FROM webhook_deliveries d WHERE d.rule_id = r.id AND d.state = 'dead')`.as(
        'dead',
      ),
    ])
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    channelId: r.channel_id,
    channelName: r.channel_name,
    channelKind: r.channel_kind,
    eventTypes: r.event_types,
    districtCodes: r.district_codes,
    categoryCodes: r.category_codes,
    urgencies: r.urgencies,
    sources: r.sources,
    recipients: r.recipients,
    maxAttempts: r.max_attempts,
    active: r.active,
    pending: Number(r.pending ?? 0),
    delivered: Number(r.delivered ?? 0),
    dead: Number(r.dead ?? 0),
    createdAt: r.created_at.toISOString(),
  }));
}

export async function createRule(ctx: Ctx, input: RuleBody) {
  manage(ctx);
  await channelMustExist(ctx, input.channelId);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('notify_rules')
      .values({
        name: input.name,
        channel_id: input.channelId,
        event_types: input.eventTypes,
        district_codes: input.districtCodes,
        category_codes: input.categoryCodes,
        urgencies: input.urgencies,
        sources: input.sources,
        recipients: input.recipients,
        max_attempts: input.maxAttempts,
        created_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      { ...ctx, db: trx },
      { action: 'notify.rule.create', target: `notify_rule:${row.id}`, details: input },
    );
    return { id: row.id, ...input, active: true };
  });
}

export async function changeRule(ctx: Ctx, id: number, input: z.infer<typeof rulePatch>) {
  manage(ctx);
  if (input.channelId !== undefined) await channelMustExist(ctx, input.channelId);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('notify_rules')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.channelId !== undefined ? { channel_id: input.channelId } : {}),
        ...(input.eventTypes !== undefined ? { event_types: input.eventTypes } : {}),
        ...(input.districtCodes !== undefined ? { district_codes: input.districtCodes } : {}),
        ...(input.categoryCodes !== undefined ? { category_codes: input.categoryCodes } : {}),
        ...(input.urgencies !== undefined ? { urgencies: input.urgencies } : {}),
        ...(input.sources !== undefined ? { sources: input.sources } : {}),
        ...(input.recipients !== undefined ? { recipients: input.recipients } : {}),
        ...(input.maxAttempts !== undefined ? { max_attempts: input.maxAttempts } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
      })
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw new AppError('NOTIFY_RULE_UNKNOWN', { details: { id } });
    await audit(
      { ...ctx, db: trx },
      { action: 'notify.rule.update', target: `notify_rule:${id}`, details: input },
    );
  });
  return (await listRules(ctx)).find((r) => r.id === id);
}

/** A rule's notices in one state (dead: its dead-letter list), newest first. */
export async function ruleDeliveries(
  ctx: Ctx,
  id: number,
  state: 'pending' | 'delivered' | 'dead',
  limit: number,
) {
  manage(ctx);
  const rule = await ctx.db.selectFrom('notify_rules').select('id').where('id', '=', id).executeTakeFirst();
  if (!rule) throw new AppError('NOTIFY_RULE_UNKNOWN', { details: { id } });
  return deliveriesOf(ctx, 'rule_id', id, state, limit);
}
