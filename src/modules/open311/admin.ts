/**
 * What admins edit for Open311: the client systems (an API key each, with its rate limit), the
 * services' keywords, description and attributes, and the state → status table.
 */
import { z } from 'zod';
import { CASE_STATES } from '../../domain/workflow/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { attributesOf, findService } from './services.js';
import { DATATYPES, EXTENDED_STATUSES } from './tables.js';

const text = (max: number) => z.string().trim().min(1).max(max);

export const clientBody = z.strictObject({
  apiKeyId: z.number().int().positive(),
  name: text(100),
  rateLimitPerMinute: z.number().int().min(1).max(100_000).default(120),
});
export const clientPatch = z.strictObject({
  name: text(100).optional(),
  rateLimitPerMinute: z.number().int().min(1).max(100_000).optional(),
  active: z.boolean().optional(),
});
export const serviceBody = z.strictObject({
  keywords: z.array(text(40)).max(20).default([]),
  description: text(500).nullable().default(null),
  hidden: z.boolean().default(false),
});
const choice = z.strictObject({ key: text(100), name: text(200) });
export const attributeItem = z
  .strictObject({
    code: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
    variable: z.boolean().default(true),
    datatype: z.enum(DATATYPES),
    required: z.boolean().default(false),
    datatypeDescription: text(200).nullable().default(null),
    order: z.number().int().min(1).max(1000),
    description: text(500),
    values: z.array(choice).max(200).default([]),
  })
  .refine((a) => (a.datatype.endsWith('valuelist') ? a.values.length > 0 : a.values.length === 0), {
    message: 'values are given for a list datatype, and only for one',
    path: ['values'],
  })
  .refine((a) => new Set(a.values.map((v) => v.key)).size === a.values.length, {
    message: 'each value key once',
    path: ['values'],
  });
export const attributesBody = z
  .array(attributeItem)
  .max(50)
  .refine((list) => new Set(list.map((a) => a.code)).size === list.length, 'each attribute code once');
export const statusBody = z.strictObject({
  status: z.enum(['open', 'closed']),
  extended: z.enum(EXTENDED_STATUSES),
  notes: text(200).nullable().default(null),
});
export const stateParam = z.strictObject({ state: z.enum(CASE_STATES) });

export async function listClients(ctx: Ctx) {
  requirePermission(ctx.actor, 'apikey.manage');
  const rows = await ctx.db
    .selectFrom('open311_clients as c')
    .innerJoin('api_keys as k', 'k.id', 'c.api_key_id')
    .select([
      'c.id',
      'c.name',
      'c.api_key_id',
      'k.prefix',
      'k.revoked_at',
      'c.rate_limit_per_minute',
      'c.active',
    ])
    .select((eb) =>
      eb
        .selectFrom('open311_requests as r')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('r.client_id', '=', 'c.id')
        .as('requests'),
    )
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    apiKeyId: r.api_key_id,
    keyPrefix: r.prefix,
    keyRevoked: r.revoked_at !== null,
    rateLimitPerMinute: r.rate_limit_per_minute,
    active: r.active,
    requests: Number(r.requests ?? 0),
  }));
}

export async function createClient(ctx: Ctx, input: z.infer<typeof clientBody>) {
  requirePermission(ctx.actor, 'apikey.manage');
  const key = await ctx.db
    .selectFrom('api_keys')
    .select(['id', 'revoked_at'])
    .where('id', '=', input.apiKeyId)
    .executeTakeFirst();
  if (!key || key.revoked_at) throw new AppError('NOT_FOUND', { details: { resource: 'api_key' } });
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('open311_clients')
      .values({
        api_key_id: input.apiKeyId,
        name: input.name,
        rate_limit_per_minute: input.rateLimitPerMinute,
        created_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
      })
      .onConflict((oc) => oc.column('api_key_id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) throw new AppError('OPEN311_CLIENT_KEY_TAKEN', { details: { apiKeyId: input.apiKeyId } });
    await audit(
      { ...ctx, db: trx },
      { action: 'georeport.client.create', target: `open311_client:${row.id}`, details: input },
    );
    return { id: row.id, ...input, active: true };
  });
}

export async function changeClient(ctx: Ctx, id: number, input: z.infer<typeof clientPatch>) {
  requirePermission(ctx.actor, 'apikey.manage');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('open311_clients')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.rateLimitPerMinute !== undefined
          ? { rate_limit_per_minute: input.rateLimitPerMinute }
          : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
      })
      .where('id', '=', id)
      .returning(['id', 'name', 'rate_limit_per_minute', 'active'])
      .executeTakeFirst();
    if (!row) throw new AppError('OPEN311_CLIENT_UNKNOWN', { details: { id } });
    await audit(
      { ...ctx, db: trx },
      { action: 'georeport.client.update', target: `open311_client:${id}`, details: input },
    );
    return { id: row.id, name: row.name, rateLimitPerMinute: row.rate_limit_per_minute, active: row.active };
  });
}

async function serviceOrThrow(ctx: Ctx, code: string) {
  const service = await findService(ctx.db, code, true);
  if (!service) throw new AppError('OPEN311_SERVICE_UNKNOWN', { details: { service_code: code } });
  return service;
}

export async function adminService(ctx: Ctx, code: string) {
  requirePermission(ctx.actor, 'catalog.read');
  const service = await serviceOrThrow(ctx, code);
  const { categoryId, kind, ...shown } = service;
  return { ...shown, attributes: await attributesOf(ctx.db, categoryId) };
}

export async function changeService(ctx: Ctx, code: string, input: z.infer<typeof serviceBody>) {
  requirePermission(ctx.actor, 'catalog.write');
  const service = await serviceOrThrow(ctx, code);
  await ctx.db.transaction().execute(async (trx) => {
    const values = {
      keywords: input.keywords,
      description: input.description,
      hidden: input.hidden,
      updated_at: new Date(),
    };
    await trx
      .insertInto('open311_services')
      .values({ category_id: service.categoryId, ...values })
      .onConflict((oc) => oc.column('category_id').doUpdateSet(values))
      .execute();
    await audit(
      { ...ctx, db: trx },
      { action: 'georeport.service.update', target: `open311_service:${code}`, details: input },
    );
  });
  return adminService(ctx, code);
}

/** Replaces the service definition's attributes as a whole (the console edits the list). */
export async function setAttributes(ctx: Ctx, code: string, input: z.infer<typeof attributesBody>) {
  requirePermission(ctx.actor, 'catalog.write');
  const service = await serviceOrThrow(ctx, code);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('open311_attributes').where('category_id', '=', service.categoryId).execute();
    if (input.length > 0) {
      await trx
        .insertInto('open311_attributes')
        .values(
          input.map((a) => ({
            category_id: service.categoryId,
            code: a.code,
            variable: a.variable,
            datatype: a.datatype,
            required: a.required,
            datatype_description: a.datatypeDescription,
            position: a.order,
            description: a.description,
            choices: JSON.stringify(a.values),
          })),
        )
        .execute();
    }
    await audit(
      { ...ctx, db: trx },
      {
        action: 'georeport.attributes.set',
        target: `open311_service:${code}`,
        details: { codes: input.map((a) => a.code) },
      },
    );
  });
  return adminService(ctx, code);
}

export async function statusMap(ctx: Ctx) {
  requirePermission(ctx.actor, 'catalog.read');
  const rows = await ctx.db.selectFrom('open311_status_map').selectAll().execute();
  const order = new Map(CASE_STATES.map((s, i) => [s as string, i]));
  return rows
    .sort((a, b) => (order.get(a.state) ?? 0) - (order.get(b.state) ?? 0))
    .map((r) => ({
      state: r.state,
      status: r.status,
      extended: r.extended,
      notes: r.notes,
      updatedAt: r.updated_at.toISOString(),
    }));
}

export async function changeStatus(ctx: Ctx, state: string, input: z.infer<typeof statusBody>) {
  requirePermission(ctx.actor, 'catalog.write');
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('open311_status_map')
      .set({ ...input, updated_by: ctx.actor.userId > 0 ? ctx.actor.userId : null, updated_at: new Date() })
      .where('state', '=', state)
      .execute();
    await audit(
      { ...ctx, db: trx },
      { action: 'georeport.status.update', target: `open311_status:${state}`, details: input },
    );
  });
  return statusMap(ctx);
}

/** Updates clients posted on a case (servicerequestupdates), newest first, for the case view. */
export async function caseUpdates(ctx: Ctx, caseNumber: string) {
  requirePermission(ctx.actor, 'case.read');
  const rows = await ctx.db
    .selectFrom('open311_updates as u')
    .innerJoin('cases as c', 'c.id', 'u.case_id')
    .innerJoin('open311_clients as k', 'k.id', 'u.client_id')
    .select([
      'u.id',
      'u.update_id',
      'u.status',
      'u.description',
      'u.media_url',
      'u.updated_at',
      'u.received_at',
      'k.name',
      'c.grid_code',
    ])
    .where('c.number', '=', caseNumber)
    .orderBy('u.received_at', 'desc')
    .execute();
  return rows
    .filter((r) => r.grid_code.startsWith(ctx.actor.scopePrefix))
    .map((r) => ({
      id: r.id,
      client: r.name,
      updateId: r.update_id,
      status: r.status,
      description: r.description,
      mediaUrl: r.media_url,
      updatedAt: r.updated_at.toISOString(),
      receivedAt: r.received_at.toISOString(),
    }));
}
