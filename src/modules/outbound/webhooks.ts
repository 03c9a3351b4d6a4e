/**
 * Webhook subscriptions (per client system, with filters) and the dead-letter list, for admins.
 * The secret is made here and shown once, at creation; receivers check X-CityLoop-Signature.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { CASE_ACTIONS } from '../../domain/workflow/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../audit/service.js';

const codes = (re: RegExp) => z.array(z.string().regex(re)).max(200).default([]);

export const subscriptionBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  url: z
    .string()
    .max(1000)
    .regex(/^https?:\/\/\S+$/, 'an http(s) URL'),
  eventTypes: z.array(z.enum(CASE_ACTIONS)).max(50).default([]),
  districtCodes: codes(/^[0-9]{6}$/),
  categoryCodes: codes(/^[0-9]{2,7}$/),
  maxAttempts: z.number().int().min(1).max(50).default(8),
});
export const subscriptionPatch = subscriptionBody.partial().extend({ active: z.boolean().optional() });

const manage = (ctx: Ctx) => requirePermission(ctx.actor, 'apikey.manage');

export async function listSubscriptions(ctx: Ctx) {
  manage(ctx);
  const rows = await ctx.db
    .selectFrom('webhook_subscriptions as s')
    .select([
      's.id',
      's.name',
      's.url',
      's.event_types',
      's.district_codes',
      's.category_codes',
      's.max_attempts',
      's.active',
      's.created_at',
    ])
    .select((eb) => [
      eb
        .selectFrom('webhook_deliveries as d')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('d.subscription_id', '=', 's.id')
        .where('d.state', '=', 'pending')
        .as('pending'),
      eb
        .selectFrom('webhook_deliveries as d')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('d.subscription_id', '=', 's.id')
        .where('d.state', '=', 'dead')
        .as('dead'),
    ])
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    url: r.url,
    eventTypes: r.event_types,
    districtCodes: r.district_codes,
    categoryCodes: r.category_codes,
    maxAttempts: r.max_attempts,
    active: r.active,
    pending: Number(r.pending ?? 0),
    dead: Number(r.dead ?? 0),
    createdAt: r.created_at.toISOString(),
  }));
}

export async function createSubscription(ctx: Ctx, input: z.infer<typeof subscriptionBody>) {
  manage(ctx);
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('webhook_subscriptions')
      .values({
        name: input.name,
        url: input.url,
        secret,
        event_types: input.eventTypes,
        district_codes: input.districtCodes,
        category_codes: input.categoryCodes,
        max_attempts: input.maxAttempts,
        created_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      { ...ctx, db: trx },
      {
        action: 'webhook.create',
        target: `webhook:${row.id}`,
        details: { name: input.name, url: input.url },
      },
    );
    // The secret is shown here only.
    return { id: row.id, ...input, active: true, secret };
  });
}

export async function changeSubscription(ctx: Ctx, id: number, input: z.infer<typeof subscriptionPatch>) {
  manage(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('webhook_subscriptions')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.eventTypes !== undefined ? { event_types: input.eventTypes } : {}),
        ...(input.districtCodes !== undefined ? { district_codes: input.districtCodes } : {}),
        ...(input.categoryCodes !== undefined ? { category_codes: input.categoryCodes } : {}),
        ...(input.maxAttempts !== undefined ? { max_attempts: input.maxAttempts } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
      })
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw new AppError('WEBHOOK_SUBSCRIPTION_UNKNOWN', { details: { id } });
    await audit({ ...ctx, db: trx }, { action: 'webhook.update', target: `webhook:${id}`, details: input });
  });
  const all = await listSubscriptions(ctx);
  return all.find((s) => s.id === id);
}

/** Deliveries of a subscription in one state (the dead-letter list: state 'dead'), newest first. */
export async function listDeliveries(
  ctx: Ctx,
  id: number,
  state: 'pending' | 'delivered' | 'dead',
  limit: number,
) {
  manage(ctx);
  return deliveriesOf(ctx, 'subscription_id', id, state, limit);
}

/** The outbox rows of one subscription or one notice rule, in one state, newest first. */
export async function deliveriesOf(
  ctx: Ctx,
  target: 'subscription_id' | 'rule_id',
  id: number,
  state: 'pending' | 'delivered' | 'dead',
  limit: number,
) {
  const rows = await ctx.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('case_events as e', 'e.id', 'd.event_id')
    .innerJoin('cases as c', 'c.id', 'd.case_id')
    .select([
      'd.id',
      'd.state',
      'd.attempts',
      'd.last_status',
      'd.last_error',
      'd.next_attempt_at',
      'd.delivered_at',
      'd.created_at',
      'e.action',
      'e.seq',
      'c.number',
    ])
    .where(`d.${target}`, '=', id)
    .where('d.state', '=', state)
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    state: r.state,
    caseNumber: r.number,
    event: r.action,
    seq: r.seq,
    attempts: r.attempts,
    lastStatus: r.last_status,
    lastError: r.last_error,
    nextAttemptAt: r.next_attempt_at.toISOString(),
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  }));
}

/** Puts dead-lettered deliveries back in the outbox, with their attempts counted from zero. */
export async function redeliver(ctx: Ctx, ids: string[]) {
  manage(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable('webhook_deliveries')
      .set({ state: 'pending', attempts: 0, next_attempt_at: new Date(), locked_until: null })
      .where('id', 'in', ids)
      .where('state', '=', 'dead')
      .returning('id')
      .execute();
    if (rows.length !== ids.length) {
      const done = new Set(rows.map((r) => String(r.id)));
      throw new AppError('WEBHOOK_DELIVERY_NOT_DEAD', { details: { ids: ids.filter((i) => !done.has(i)) } });
    }
    await audit(
      { ...ctx, db: trx },
      { action: 'webhook.redeliver', target: `webhook_deliveries:${ids.length}`, details: { ids } },
    );
    return { redelivered: rows.length };
  });
}
