/** Gazetteer entries one at a time: read (geocode.read), create / edit / delete (gazetteer.write, audited). */
import type { Crs } from '../../domain/geo/crs.js';
import { type Entry, type FieldError, type GazetteerKind, readFeature } from '../../domain/geo/features.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { addressFeature, poiFeature, roadFeature } from './present.js';
import { addressesWhere, type BBox, poisWhere, roadsWhere } from './read-repo.js';
import {
  addressCountOfRoad,
  deleteEntry,
  insertAddresses,
  insertPois,
  insertRoads,
  updateAddress,
  updatePoi,
  updateRoad,
} from './repo.js';
import { checkEntries, toAddressInsert, toPoiInsert, toRoadInsert } from './resolve.js';

export interface ListQuery {
  bbox?: BBox | undefined;
  q?: string | undefined;
  category?: string | undefined;
  roadId?: number | undefined;
  limit: number;
  offset: number;
}

export async function listEntries(ctx: Ctx, kind: GazetteerKind, q: ListQuery) {
  requirePermission(ctx.actor, 'geocode.read');
  const features =
    kind === 'roads'
      ? (await roadsWhere(ctx.db, q)).map(roadFeature)
      : kind === 'addresses'
        ? (await addressesWhere(ctx.db, q)).map(addressFeature)
        : (await poisWhere(ctx.db, q)).map(poiFeature);
  return {
    type: 'FeatureCollection' as const,
    features,
    nextOffset: features.length === q.limit ? q.offset + q.limit : null,
  };
}

export async function getEntry(ctx: Ctx, kind: GazetteerKind, id: number) {
  requirePermission(ctx.actor, 'geocode.read');
  const page = { ids: [id], limit: 1, offset: 0 };
  const found =
    kind === 'roads'
      ? (await roadsWhere(ctx.db, page)).map(roadFeature)
      : kind === 'addresses'
        ? (await addressesWhere(ctx.db, page)).map(addressFeature)
        : (await poisWhere(ctx.db, page)).map(poiFeature);
  const feature = found[0];
  if (!feature) throw notFound(kind === 'roads' ? 'road' : kind === 'addresses' ? 'address' : 'poi');
  return feature;
}

function entryInvalid(errors: FieldError[]): AppError {
  const first = errors[0];
  return new AppError('GAZETTEER_ENTRY_INVALID', {
    details: { errors: errors.map(({ field, message }) => ({ field, message })) },
    ...(first ? { message: first.message } : {}),
  });
}

/** Validates one feature and everything the database must confirm (road exists, inside a grid …). */
async function validated<K extends GazetteerKind>(
  ctx: Ctx,
  kind: K,
  feature: unknown,
  crs: Crs,
  selfId?: number,
) {
  const { entry, errors } = readFeature(kind, feature, 0, crs);
  if (!entry) throw entryInvalid(errors);
  const checked = await checkEntries(ctx.db, kind, [{ index: 0, entry }], selfId);
  if (checked.errors.length) throw entryInvalid(checked.errors);
  return checked.entries[0] as NonNullable<(typeof checked.entries)[0]> & { entry: Entry<K> };
}

export async function createEntry(ctx: Ctx, kind: GazetteerKind, feature: unknown, crs: Crs) {
  requirePermission(ctx.actor, 'gazetteer.write');
  const v = await validated(ctx, kind, feature, crs);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const [created] =
      kind === 'roads'
        ? (await insertRoads(trx, [toRoadInsert(v.entry as Entry<'roads'>)])).map((r) => r.id)
        : kind === 'addresses'
          ? await insertAddresses(trx, [toAddressInsert(v.entry as Entry<'addresses'>, v.roadId)])
          : await insertPois(trx, [toPoiInsert(v.entry as Entry<'pois'>)]);
    if (created === undefined) throw new Error(`${kind}: nothing inserted`);
    await audit({ ...ctx, db: trx }, { action: `gazetteer.${kind}.create`, target: `${kind}:${created}` });
    return created;
  });
  return getEntry(ctx, kind, id);
}

/** PATCH: the stored entry as a Feature, its properties overlaid by the patch, validated as a whole. */
export async function updateEntry(
  ctx: Ctx,
  kind: GazetteerKind,
  id: number,
  patch: { properties?: Record<string, unknown>; geometry?: unknown },
  crs: Crs,
) {
  requirePermission(ctx.actor, 'gazetteer.write');
  const current = await getEntry(ctx, kind, id);
  const props = current.properties as Record<string, unknown>;
  const base: Record<string, unknown> =
    kind === 'roads'
      ? { name: props.name, aliases: props.aliases, districtCode: props.districtCode }
      : kind === 'addresses'
        ? { roadId: props.roadId, number: props.number }
        : { name: props.name, aliases: props.aliases, category: props.category, address: props.address };
  // Stored coordinates are WGS84; only a geometry in the patch is in the request's CRS.
  const geometryCrs: Crs = patch.geometry ? crs : 'wgs84';
  const feature = {
    type: 'Feature',
    geometry: patch.geometry ?? current.geometry,
    properties: { ...base, ...patch.properties },
  };
  const v = await validated(ctx, kind, feature, geometryCrs, id);
  await ctx.db.transaction().execute(async (trx) => {
    if (kind === 'roads') await updateRoad(trx, id, toRoadInsert(v.entry as Entry<'roads'>));
    else if (kind === 'addresses')
      await updateAddress(trx, id, toAddressInsert(v.entry as Entry<'addresses'>, v.roadId));
    else await updatePoi(trx, id, toPoiInsert(v.entry as Entry<'pois'>));
    await audit(
      { ...ctx, db: trx },
      {
        action: `gazetteer.${kind}.update`,
        target: `${kind}:${id}`,
        details: { fields: Object.keys(patch.properties ?? {}).concat(patch.geometry ? ['geometry'] : []) },
      },
    );
  });
  return getEntry(ctx, kind, id);
}

export async function deleteGazetteerEntry(ctx: Ctx, kind: GazetteerKind, id: number) {
  requirePermission(ctx.actor, 'gazetteer.write');
  await getEntry(ctx, kind, id);
  if (kind === 'roads') {
    const doors = await addressCountOfRoad(ctx.db, id);
    if (doors > 0) throw new AppError('GAZETTEER_ROAD_IN_USE', { details: { roadId: id, addresses: doors } });
  }
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await deleteEntry(trx, kind, id))) throw notFound(kind);
    await audit({ ...ctx, db: trx }, { action: `gazetteer.${kind}.delete`, target: `${kind}:${id}` });
  });
}
