/**
 * Citizen reports without an account: create (a case with source 'public' through the cases
 * service, acting as the public channel's service account), follow by tracking code, rate once
 * after closing.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { toWgs84 } from '../../domain/geo/crs.js';
import type { Ctx, RequestMeta } from '../../platform/auth/actor.js';
import type { PublicPortalConfig as PublicConfig } from '../../platform/config.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { createCase } from '../cases/commands.js';
import { caseEvents } from '../cases/repo.js';
import { reverseGeocode, searchAddress } from '../geocode/lookup.js';
import { filedCode } from './categories.js';
import { enqueueText } from './moderation.js';
import { consumePhoneCode } from './phone.js';
import { portalCtx } from './portal.js';
import { publicStatus, publicTimeline } from './presenter.js';
import type { ReportBody } from './schema.js';

/** Crockford base32 without I, L, O, U: 10 characters = 50 random bits, read over the phone. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function newTrackingCode(): string {
  return [...randomBytes(10)].map((b) => ALPHABET[b % 32]).join('');
}

export interface Origin {
  deviceId: string | null;
  ip: string | null;
}

async function resolveCategory(db: Kysely<Database>, input: ReportBody) {
  if (input.category) {
    const filed = await filedCode(db, input.category);
    if (!filed) throw new AppError('PUBLIC_CATEGORY_UNKNOWN', { details: { category: input.category } });
    return filed;
  }
  return { kind: input.kind as 'component' | 'event', code: input.categoryCode as string };
}

async function resolvePlace(
  ctx: Ctx,
  input: ReportBody,
): Promise<{ lng: number; lat: number; address: string }> {
  if (input.location) {
    const [lng, lat] = toWgs84(input.location.lng, input.location.lat, input.location.crs);
    if (input.address) return { lng, lat, address: input.address };
    const place = await reverseGeocode(ctx, { lng, lat, crs: 'wgs84' }).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'NOT_FOUND') throw new AppError('PUBLIC_LOCATION_OUTSIDE');
      throw err;
    });
    return { lng, lat, address: place.formatted };
  }
  if (!input.address) throw new AppError('PUBLIC_LOCATION_REQUIRED');
  const found = await searchAddress(ctx, { q: input.address, limit: 1, crs: 'wgs84' });
  const at = found.candidates[0]?.position.wgs84;
  if (!at) throw new AppError('PUBLIC_ADDRESS_NOT_FOUND', { details: { address: input.address } });
  return { lng: at[0], lat: at[1], address: input.address };
}

async function requireCitizenPhotos(db: Kysely<Database>, photos: string[]) {
  if (photos.length === 0) return;
  const known = await db
    .selectFrom('public_uploads')
    .select('sha256')
    .where('sha256', 'in', photos)
    .execute();
  const have = new Set(known.map((k) => k.sha256));
  const missing = photos.filter((p) => !have.has(p));
  if (missing.length > 0) throw new AppError('PUBLIC_PHOTO_UNKNOWN', { details: { photos: missing } });
}

export async function createPublicReport(
  db: Kysely<Database>,
  meta: RequestMeta,
  config: PublicConfig,
  input: ReportBody,
  origin: Origin,
) {
  const ctx = await portalCtx(db, meta);
  const photos = [...new Set(input.photos)];
  const category = await resolveCategory(db, input);
  const place = await resolvePlace(ctx, input);
  await requireCitizenPhotos(db, photos);
  const verify = config.phoneVerify && input.phone !== undefined;
  if (verify) {
    if (!input.phoneVerification) throw new AppError('PUBLIC_PHONE_CODE_REQUIRED');
    await consumePhoneCode(db, input.phone as string, input.phoneVerification);
  }
  const created = await createCase(ctx, {
    source: 'public',
    kind: category.kind,
    categoryCode: category.code,
    lng: place.lng,
    lat: place.lat,
    address: place.address,
    description: input.description,
    urgency: 'normal',
    photos,
    ...(input.phone ? { reporterPhone: input.phone } : {}),
  }).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'CASE_LOCATION_UNKNOWN') {
      throw new AppError('PUBLIC_LOCATION_OUTSIDE', { details: err.details });
    }
    throw err;
  });
  // The case is committed by the cases service; the portal's own rows follow in one transaction.
  // A collision of the 50-bit code is practically impossible, but is retried rather than failed.
  for (let attempt = 0; ; attempt++) {
    const trackingCode = newTrackingCode();
    try {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('public_reports')
          .values({
            case_id: created.id,
            tracking_code: trackingCode,
            device_id: origin.deviceId,
            ip: origin.ip,
            phone_verified: verify,
          })
          .execute();
        await enqueueText(trx, { caseId: created.id, kind: 'description', body: input.description });
      });
      return {
        trackingCode,
        ...statusOf(created.state),
        reportedAt: created.reportedAt,
        address: place.address,
      };
    } catch (err) {
      if ((err as { code?: string }).code !== '23505' || attempt >= 3) throw err;
    }
  }
}

function statusOf(state: string) {
  const { status, label } = publicStatus(state);
  return { status, statusLabel: label };
}

async function reportByCode(db: Kysely<Database>, code: string) {
  const row = await db
    .selectFrom('public_reports as p')
    .innerJoin('cases as c', 'c.id', 'p.case_id')
    .innerJoin('categories as k', 'k.id', 'c.category_id')
    .select([
      'c.id',
      'c.state',
      'c.merged_into_id',
      'c.address',
      'c.description',
      'c.reported_at',
      'c.closed_at',
      'k.name as category_name',
      'p.tracking_code',
    ])
    .where('p.tracking_code', '=', code)
    .executeTakeFirst();
  if (!row) throw new AppError('PUBLIC_TRACKING_CODE_UNKNOWN');
  return row;
}

/** GET /public/reports/:trackingCode — whoever holds the code is the reporter. */
export async function trackReport(db: Kysely<Database>, code: string) {
  const row = await reportByCode(db, code);
  // A merged report is handled as the case it was merged into: show that one's progress.
  const followed = row.merged_into_id ?? row.id;
  const [own, target, rating] = await Promise.all([
    caseEvents(db, row.id),
    row.merged_into_id
      ? db
          .selectFrom('cases')
          .select(['state', 'closed_at'])
          .where('id', '=', row.merged_into_id)
          .executeTakeFirst()
      : Promise.resolve(undefined),
    db.selectFrom('public_ratings').selectAll().where('case_id', '=', row.id).executeTakeFirst(),
  ]);
  const events = row.merged_into_id
    ? [...own, ...(await caseEvents(db, followed)).filter((e) => e.action !== 'report')]
    : own;
  const state = target?.state ?? row.state;
  return {
    trackingCode: row.tracking_code,
    ...statusOf(state),
    merged: row.merged_into_id !== null,
    category: row.category_name,
    address: row.address,
    description: row.description,
    reportedAt: row.reported_at.toISOString(),
    closedAt: (target?.closed_at ?? row.closed_at)?.toISOString() ?? null,
    timeline: publicTimeline(events.sort((a, b) => a.at.getTime() - b.at.getTime())),
    canRate: state === 'closed' && !rating,
    rating: rating
      ? { satisfaction: rating.satisfaction, comment: rating.comment, at: rating.created_at.toISOString() }
      : null,
  };
}

export async function rateReport(
  db: Kysely<Database>,
  meta: RequestMeta,
  code: string,
  input: { satisfaction: number; comment?: string | undefined },
) {
  const row = await reportByCode(db, code);
  const state = row.merged_into_id
    ? (
        await db
          .selectFrom('cases')
          .select('state')
          .where('id', '=', row.merged_into_id)
          .executeTakeFirstOrThrow()
      ).state
    : row.state;
  if (state !== 'closed') throw new AppError('PUBLIC_RATING_NOT_CLOSED', { details: statusOf(state) });
  const ctx = await portalCtx(db, meta);
  await db.transaction().execute(async (trx) => {
    // The primary key makes "once" hold even for two ratings sent at the same instant.
    const inserted = await trx
      .insertInto('public_ratings')
      .values({ case_id: row.id, satisfaction: input.satisfaction, comment: input.comment ?? null })
      .onConflict((oc) => oc.column('case_id').doNothing())
      .returning('case_id')
      .executeTakeFirst();
    if (!inserted) throw new AppError('PUBLIC_RATING_EXISTS');
    if (input.comment) await enqueueText(trx, { caseId: row.id, kind: 'comment', body: input.comment });
    await audit(
      { ...ctx, db: trx },
      { action: 'public.rate', target: `case:${row.id}`, details: { satisfaction: input.satisfaction } },
    );
  });
  return {
    trackingCode: row.tracking_code,
    satisfaction: input.satisfaction,
    comment: input.comment ?? null,
  };
}
