/** The camera registry and the event-code mapping, edited by administrators (channel.manage). */
import { isCameraDeviceId } from '../../domain/camera/device-id.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { categoryByCode } from '../cases/repo.js';
import type { CameraBody, MappingBody } from './schema.js';

/** Reading the registry and the mapping: the centre's reviewers too (they see both on the page). */
function requireRead(ctx: Ctx) {
  requirePermission(ctx.actor, 'case.read');
}

export async function listCameras(ctx: Ctx) {
  requireRead(ctx);
  const rows = await ctx.db
    .selectFrom('cameras')
    .selectAll()
    .where('district_code', 'like', `${ctx.actor.scopePrefix.slice(0, 6)}%`)
    .orderBy('device_id')
    .execute();
  return {
    items: rows.map((r) => ({
      deviceId: r.device_id,
      name: r.name,
      lng: r.lng,
      lat: r.lat,
      view: r.view,
      districtCode: r.district_code,
      active: r.active,
    })),
  };
}

export async function saveCamera(ctx: Ctx, deviceId: string, input: CameraBody) {
  requirePermission(ctx.actor, 'channel.manage');
  if (!isCameraDeviceId(deviceId)) throw new AppError('CAMERA_DEVICE_ID_INVALID', { details: { deviceId } });
  const division = await ctx.db
    .selectFrom('divisions')
    .select('code')
    .where('code', '=', input.districtCode)
    .executeTakeFirst();
  if (!division) throw new AppError('DIVISION_INVALID', { details: { districtCode: input.districtCode } });
  const values = {
    name: input.name,
    lng: input.lng,
    lat: input.lat,
    view: input.view ?? null,
    district_code: input.districtCode,
    active: input.active,
    updated_at: new Date(),
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('cameras')
      .values({ device_id: deviceId, ...values })
      .onConflict((oc) => oc.column('device_id').doUpdateSet(values))
      .execute();
    await audit({ ...ctx, db: trx }, { action: 'camera.save', target: `camera:${deviceId}` });
  });
  return { deviceId, ...input, view: input.view ?? null };
}

export async function listMappings(ctx: Ctx) {
  requireRead(ctx);
  const rows = await ctx.db
    .selectFrom('camera_event_mappings as m')
    .innerJoin('categories as k', 'k.id', 'm.category_id')
    .select([
      'm.id',
      'm.vendor',
      'm.event_code',
      'm.label',
      'k.kind',
      'k.code',
      'k.name',
      'm.min_confidence',
      'm.merge_radius_m',
      'm.active',
    ])
    .orderBy('m.vendor')
    .orderBy('m.event_code')
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      vendor: r.vendor,
      eventCode: r.event_code,
      label: r.label,
      category: { kind: r.kind, code: r.code, name: r.name },
      minConfidence: Number(r.min_confidence),
      mergeRadiusM: r.merge_radius_m,
      active: r.active,
    })),
  };
}

/** Adds or changes the mapping of one (platform, event code). */
export async function saveMapping(ctx: Ctx, input: MappingBody) {
  requirePermission(ctx.actor, 'channel.manage');
  const category = await categoryByCode(ctx.db, input.category.kind, input.category.code);
  if (!category) throw new AppError('CASE_CATEGORY_UNKNOWN', { details: input.category });
  const values = {
    label: input.label,
    category_id: category.id,
    min_confidence: input.minConfidence,
    merge_radius_m: input.mergeRadiusM,
    active: input.active,
    updated_at: new Date(),
  };
  const row = await ctx.db.transaction().execute(async (trx) => {
    const saved = await trx
      .insertInto('camera_event_mappings')
      .values({ vendor: input.vendor, event_code: input.eventCode, ...values })
      .onConflict((oc) => oc.columns(['vendor', 'event_code']).doUpdateSet(values))
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      { ...ctx, db: trx },
      {
        action: 'camera.mapping.save',
        target: `camera-mapping:${input.vendor}:${input.eventCode}`,
        details: input,
      },
    );
    return saved;
  });
  return { id: row.id, ...input, category: { ...input.category, name: category.name } };
}
