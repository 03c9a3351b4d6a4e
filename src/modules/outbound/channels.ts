/** Notification channels (group robots, SMS recipients) for admins: list, add, test, the log. */
import { z } from 'zod';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { notify } from './notify.js';

export const channelBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(['wecom', 'dingtalk', 'sms']),
    url: z
      .string()
      .max(1000)
      .regex(/^https?:\/\/\S+$/)
      .nullable()
      .default(null),
    secret: z.string().min(1).max(200).nullable().default(null),
    phones: z
      .array(z.string().regex(/^\+?[0-9-]{5,20}$/))
      .max(50)
      .default([]),
    eventTypes: z.array(z.string().min(1).max(40)).max(50).default([]),
    districtCodes: z
      .array(z.string().regex(/^[0-9]{6}$/))
      .max(50)
      .default([]),
    digestDepartmentId: z.number().int().positive().nullable().default(null),
  })
  .refine((c) => (c.kind === 'sms') === (c.url === null), {
    message: 'a robot has a URL, an SMS channel has phones instead',
    path: ['url'],
  });

const manage = (ctx: Ctx) => requirePermission(ctx.actor, 'apikey.manage');

export async function listChannels(ctx: Ctx) {
  manage(ctx);
  const rows = await ctx.db
    .selectFrom('notify_channels')
    .select([
      'id',
      'name',
      'kind',
      'url',
      'phones',
      'event_types',
      'district_codes',
      'digest_department_id',
      'active',
    ])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    url: r.url,
    phones: r.phones,
    eventTypes: r.event_types,
    districtCodes: r.district_codes,
    digestDepartmentId: r.digest_department_id,
    active: r.active,
  }));
}

export async function createChannel(ctx: Ctx, input: z.infer<typeof channelBody>) {
  manage(ctx);
  if (input.digestDepartmentId !== null) {
    const dept = await ctx.db
      .selectFrom('departments')
      .select('id')
      .where('id', '=', input.digestDepartmentId)
      .executeTakeFirst();
    if (!dept) throw new AppError('NOT_FOUND', { details: { resource: 'department' } });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('notify_channels')
      .values({
        name: input.name,
        kind: input.kind,
        url: input.url,
        secret: input.secret,
        phones: input.phones,
        event_types: input.eventTypes,
        district_codes: input.districtCodes,
        digest_department_id: input.digestDepartmentId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      { ...ctx, db: trx },
      {
        action: 'notify.channel.create',
        target: `notify_channel:${row.id}`,
        details: { name: input.name, kind: input.kind },
      },
    );
    const { secret: _secret, ...shown } = input;
    return { id: row.id, ...shown, active: true };
  });
}

/** Sends a test message through a channel (and shows whether it arrived). */
export async function testChannel(ctx: Ctx, id: number, smsGatewayUrl: string | null) {
  manage(ctx);
  const c = await ctx.db
    .selectFrom('notify_channels')
    .select(['id', 'kind', 'url', 'secret', 'phones'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!c) throw new AppError('NOTIFY_CHANNEL_UNKNOWN', { details: { id } });
  return notify(ctx.db, c, { subject: 'test', text: 'CityLoop 通知渠道测试消息' }, smsGatewayUrl);
}

export async function notifyLog(ctx: Ctx, limit: number) {
  manage(ctx);
  const rows = await ctx.db.selectFrom('notify_log').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: String(r.id),
    channelId: r.channel_id,
    kind: r.kind,
    subject: r.subject,
    body: r.body,
    outcome: r.outcome,
    error: r.error,
    at: r.at.toISOString(),
  }));
}
