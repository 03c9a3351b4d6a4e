/** Admin import of GeoJSON FeatureCollections: all rows valid, or nothing written. */
import type { Crs } from '../../domain/geo/crs.js';
import { type Entry, type FieldError, type GazetteerKind, readFeature } from '../../domain/geo/features.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { insertAddresses, insertPois, insertRoads } from './repo.js';
import { checkEntries, toAddressInsert, toPoiInsert, toRoadInsert } from './resolve.js';

export const MAX_IMPORT_FEATURES = 20_000;
/** Errors listed in one answer; the count says how many there were in all. */
const MAX_LISTED_ERRORS = 200;

export async function importFeatures(
  ctx: Ctx,
  q: { kind: GazetteerKind; dryRun: boolean; crs: Crs },
  features: readonly unknown[],
) {
  requirePermission(ctx.actor, 'gazetteer.write');
  const parsed = features.map((f, i) => readFeature(q.kind, f, i, q.crs));
  const errors: FieldError[] = parsed.flatMap((p) => p.errors);
  const valid = parsed.flatMap((p, index) =>
    p.entry ? [{ index, entry: p.entry as Entry<typeof q.kind> }] : [],
  );
  const checked = await checkEntries(ctx.db, q.kind, valid);
  errors.push(...checked.errors);
  if (errors.length > 0) {
    errors.sort((a, b) => a.index - b.index);
    throw new AppError('GAZETTEER_IMPORT_INVALID', {
      details: { kind: q.kind, errorCount: errors.length, errors: errors.slice(0, MAX_LISTED_ERRORS) },
      message: {
        zh: `导入数据有 ${errors.length} 处错误，未写入任何记录`,
        en: `The import has ${errors.length} error(s); nothing was written`,
      },
    });
  }
  if (q.dryRun) return { kind: q.kind, dryRun: true, valid: features.length, created: 0 };
  const created = await ctx.db.transaction().execute(async (trx) => {
    const entries = checked.entries;
    const n =
      q.kind === 'roads'
        ? (
            await insertRoads(
              trx,
              entries.map((e) => toRoadInsert(e.entry as Entry<'roads'>)),
            )
          ).length
        : q.kind === 'addresses'
          ? (
              await insertAddresses(
                trx,
                entries.map((e) => toAddressInsert(e.entry as Entry<'addresses'>, e.roadId)),
              )
            ).length
          : (
              await insertPois(
                trx,
                entries.map((e) => toPoiInsert(e.entry as Entry<'pois'>)),
              )
            ).length;
    await audit(
      { ...ctx, db: trx },
      {
        action: `gazetteer.${q.kind}.import`,
        target: `gazetteer:${q.kind}`,
        details: { created: n, crs: q.crs },
      },
    );
    return n;
  });
  return { kind: q.kind, dryRun: false, valid: features.length, created };
}
