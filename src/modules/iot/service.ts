/**
 * The device registry (设备台账) on components: who may read (component.read, in the data scope
 * of the component) and write (component.write: administrators), thresholds per device type,
 * the alarms and the raw messages for the console.
 */
import { type Kysely, sql } from 'kysely';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { getComponent } from '../component/service.js';
import type { DeviceInput, DevicePatch } from './schema.js';

type Db = Kysely<Database>;

const inScope = (prefix: string) =>
  sql<boolean>`(c.id LIKE ${`${prefix}%`} OR c.grid_code LIKE ${`${prefix}%`})`;

function devices(db: Db, prefix: string) {
  return db
    .selectFrom('iot_devices as d')
    .innerJoin('components as c', 'c.id', 'd.component_id')
    .innerJoin('iot_device_types as t', 't.code', 'd.type_code')
    .select([
      'd.id',
      'd.type_code',
      't.name as type_name',
      'd.model',
      'd.component_id',
      'c.name as component_name',
      'd.installed_on',
      'd.report_period_seconds',
      'd.battery_pct',
      'd.online',
      'd.last_seen_at',
      'd.readings',
      sql<number>`ST_X(c.geom)`.as('lng'),
      sql<number>`ST_Y(c.geom)`.as('lat'),
    ])
    .where(inScope(prefix));
}

type DeviceRow = Awaited<ReturnType<ReturnType<typeof devices>['executeTakeFirstOrThrow']>>;

const present = (r: DeviceRow) => ({
  id: r.id,
  typeCode: r.type_code,
  typeName: r.type_name,
  model: r.model,
  componentId: r.component_id,
  componentName: r.component_name,
  installedOn: r.installed_on === null ? null : String(r.installed_on).slice(0, 10),
  reportPeriodSeconds: r.report_period_seconds,
  batteryPct: r.battery_pct,
  online: r.online,
  lastSeenAt: r.last_seen_at,
  readings: r.readings,
  lng: r.lng,
  lat: r.lat,
});

export async function listDeviceTypes(ctx: Ctx) {
  requirePermission(ctx.actor, 'component.read');
  const rows = await ctx.db.selectFrom('iot_device_types').selectAll().orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, name: r.name, thresholds: r.thresholds, updatedAt: r.updated_at }));
}

export async function updateDeviceType(
  ctx: Ctx,
  code: string,
  patch: { name?: string; thresholds?: Record<string, number | undefined> },
) {
  requirePermission(ctx.actor, 'component.write');
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('iot_device_types')
      .set({
        ...(patch.name ? { name: patch.name } : {}),
        ...(patch.thresholds ? { thresholds: JSON.stringify(patch.thresholds) } : {}),
        updated_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
        updated_at: new Date(),
      })
      .where('code', '=', code)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) throw notFound('device type');
    await audit(
      { ...ctx, db: trx },
      { action: 'iot.type.update', target: `iot_type:${code}`, details: patch },
    );
  });
  return (await listDeviceTypes(ctx)).find((t) => t.code === code);
}

export async function listDevices(
  ctx: Ctx,
  q: { componentId?: string; online?: 'true' | 'false'; limit: number; offset: number },
) {
  requirePermission(ctx.actor, 'component.read');
  let query = devices(ctx.db, ctx.actor.scopePrefix);
  if (q.componentId) query = query.where('d.component_id', '=', q.componentId);
  if (q.online) query = query.where('d.online', '=', q.online === 'true');
  const rows = await query.orderBy('d.id').limit(q.limit).offset(q.offset).execute();
  return { items: rows.map(present) };
}

export async function getDevice(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'component.read');
  const row = await devices(ctx.db, ctx.actor.scopePrefix).where('d.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('device');
  return present(row);
}

async function checkType(db: Db, code: string | undefined) {
  if (code === undefined) return;
  const t = await db
    .selectFrom('iot_device_types')
    .select('code')
    .where('code', '=', code)
    .executeTakeFirst();
  if (!t) throw new AppError('IOT_DEVICE_TYPE_UNKNOWN', { details: { typeCode: code } });
}

export async function registerDevice(ctx: Ctx, input: DeviceInput) {
  requirePermission(ctx.actor, 'component.write');
  await checkType(ctx.db, input.typeCode);
  // The component must exist in the actor's scope (404 otherwise, as for components).
  await getComponent(ctx, input.componentId);
  await ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('iot_devices')
      .values({
        id: input.id,
        type_code: input.typeCode,
        model: input.model ?? null,
        component_id: input.componentId,
        installed_on: input.installedOn ?? null,
        report_period_seconds: input.reportPeriodSeconds,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw new AppError('IOT_DEVICE_TAKEN', { details: { id: input.id } });
    await audit({ ...ctx, db: trx }, { action: 'iot.device.register', target: `iot_device:${input.id}` });
  });
  return getDevice(ctx, input.id);
}

export async function updateDevice(ctx: Ctx, id: string, patch: DevicePatch) {
  requirePermission(ctx.actor, 'component.write');
  await getDevice(ctx, id);
  await checkType(ctx.db, patch.typeCode);
  if (patch.componentId) await getComponent(ctx, patch.componentId);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('iot_devices')
      .set({
        ...(patch.typeCode ? { type_code: patch.typeCode } : {}),
        ...(patch.model !== undefined ? { model: patch.model } : {}),
        ...(patch.componentId ? { component_id: patch.componentId } : {}),
        ...(patch.installedOn ? { installed_on: patch.installedOn } : {}),
        ...(patch.reportPeriodSeconds ? { report_period_seconds: patch.reportPeriodSeconds } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await audit({ ...ctx, db: trx }, { action: 'iot.device.update', target: `iot_device:${id}` });
  });
  return getDevice(ctx, id);
}

export async function listAlarms(ctx: Ctx, q: { active?: 'true' | 'false'; kind?: string; limit: number }) {
  requirePermission(ctx.actor, 'component.read');
  let query = ctx.db
    .selectFrom('iot_alarms as a')
    .innerJoin('components as c', 'c.id', 'a.component_id')
    .leftJoin('cases as k', 'k.id', 'a.case_id')
    .select([
      'a.id',
      'a.device_id',
      'a.component_id',
      'c.name as component_name',
      'a.kind',
      'a.value',
      'a.raised_at',
      'a.restored_at',
      'a.case_id',
      'k.number as case_number',
      'a.task_id',
      sql<number>`ST_X(c.geom)`.as('lng'),
      sql<number>`ST_Y(c.geom)`.as('lat'),
    ])
    .where(inScope(ctx.actor.scopePrefix));
  if (q.active) query = query.where('a.restored_at', q.active === 'true' ? 'is' : 'is not', null);
  if (q.kind) query = query.where('a.kind', '=', q.kind as never);
  const rows = await query.orderBy('a.id', 'desc').limit(q.limit).execute();
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      deviceId: r.device_id,
      componentId: r.component_id,
      componentName: r.component_name,
      kind: r.kind,
      value: r.value,
      raisedAt: r.raised_at,
      restoredAt: r.restored_at,
      caseId: r.case_id,
      caseNumber: r.case_number,
      taskId: r.task_id === null ? null : Number(r.task_id),
      lng: r.lng,
      lat: r.lat,
    })),
  };
}

/** Raw messages as they arrived (administrators: they may carry anything a device sent). */
export async function listRawMessages(ctx: Ctx, q: { status?: string; deviceId?: string; limit: number }) {
  requirePermission(ctx.actor, 'component.write');
  let query = ctx.db
    .selectFrom('iot_raw_messages')
    .select([
      'id',
      'received_at',
      'topic',
      'payload',
      'format',
      'device_id',
      'message_key',
      'status',
      'reason',
    ]);
  if (q.status) query = query.where('status', '=', q.status as never);
  if (q.deviceId) query = query.where('device_id', '=', q.deviceId);
  const rows = await query.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      receivedAt: r.received_at,
      topic: r.topic,
      format: r.format,
      payloadHex: Buffer.from(r.payload).toString('hex').slice(0, 2000),
      deviceId: r.device_id,
      messageKey: r.message_key,
      status: r.status,
      reason: r.reason,
    })),
  };
}

export async function listMaintenanceTasks(ctx: Ctx) {
  requirePermission(ctx.actor, 'component.read');
  const rows = await ctx.db
    .selectFrom('iot_maintenance_tasks as m')
    .innerJoin('iot_devices as d', 'd.id', 'm.device_id')
    .innerJoin('components as c', 'c.id', 'd.component_id')
    .select(['m.id', 'm.device_id', 'm.kind', 'm.opened_at', 'm.closed_at', 'd.component_id'])
    .where(inScope(ctx.actor.scopePrefix))
    .orderBy('m.id', 'desc')
    .limit(500)
    .execute();
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      deviceId: r.device_id,
      componentId: r.component_id,
      kind: r.kind,
      openedAt: r.opened_at,
      closedAt: r.closed_at,
    })),
  };
}
