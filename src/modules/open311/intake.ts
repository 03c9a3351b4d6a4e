/**
 * POST requests: an Open311 report becomes a case through the cases service (createCase: the
 * same validation, grid location, duplicate check and event log as the console), with source
 * 'open311', in one transaction with the client's link row. With an external id (the
 * `Idempotency-Key` header, or the attribute `external_id` / FixMyStreet's `fixmystreet_id`)
 * the same report sent again answers the same case instead of making another; without one, the
 * same client posting the same parameters again within REPEAT_WINDOW_MS (a retry after a lost
 * answer, a double tap) gets the first request's answer too. Either way the repeat's
 * service_notice says so.
 *
 * The answer carries service_request_id and no token: the spec has a server return one or the
 * other, a token only when it cannot make the request at once, and the case exists on return.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Ctx, RequestMeta } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import type { Store } from '../../platform/db/store.js';
import { openUnitOfWork } from '../../platform/db/unit-of-work.js';
import { AppError } from '../../platform/errors.js';
import { createCase } from '../cases/commands.js';
import type { DuplicateRules } from '../cases/duplicates.js';
import { reverseGeocode, searchAddress } from '../geocode/lookup.js';
import { checkAttributes } from './attributes.js';
import { type Client, caller } from './clients.js';
import { isoLocal } from './format.js';
import { invalid, number, type Params, required } from './params.js';
import { attributesOf, findService } from './services.js';

const CONTACT_FIELDS = ['email', 'first_name', 'last_name', 'phone', 'device_id', 'account_id'] as const;
const PHONE = /^\+?[0-9-]{5,20}$/;

export interface PostAnswer {
  service_request_id: string;
  service_notice: string;
  account_id: null;
}

/** How long the same parameters from the same client count as the same report. */
export const REPEAT_WINDOW_MS = 10 * 60_000;

/** The case's place: coordinates, a gazetteer address id, or an address to look up. */
async function placeOf(ctx: Ctx, params: Params): Promise<{ lng: number; lat: number; address: string }> {
  const lat = number(params, 'lat', -90, 90);
  const lng = number(params, 'long', -180, 180);
  const given = params.get('address_string');
  if (given && given.length > 200) throw invalid('address_string', 'at most 200 characters', '不超过 200 字');
  if ((lat === undefined) !== (lng === undefined)) throw required(lat === undefined ? 'lat' : 'long');
  if (lat !== undefined && lng !== undefined) {
    if (given) return { lng, lat, address: given };
    const found = await reverseGeocode(ctx, { lng, lat, crs: 'wgs84' }).catch(() => null);
    const label = found?.address?.label ?? found?.road?.name;
    return { lng, lat, address: label ?? `${lat.toFixed(6)}, ${lng.toFixed(6)}` };
  }
  const addressId = params.get('address_id');
  if (addressId) {
    if (!/^[0-9]{1,9}$/.test(addressId))
      throw invalid('address_id', 'a gazetteer address id', '应为地址库编号');
    const row = await ctx.db
      .selectFrom('gazetteer_addresses as a')
      .innerJoin('gazetteer_roads as r', 'r.id', 'a.road_id')
      .select((eb) => [
        eb.fn<number>('ST_X', ['a.geom']).as('lng'),
        eb.fn<number>('ST_Y', ['a.geom']).as('lat'),
        'r.name as road',
        'a.number',
      ])
      .where('a.id', '=', Number(addressId))
      .executeTakeFirst();
    if (!row) throw new AppError('OPEN311_ADDRESS_UNKNOWN', { details: { address_id: addressId } });
    return { lng: row.lng, lat: row.lat, address: given ?? `${row.road}${row.number}` };
  }
  if (given) {
    const found = await searchAddress(ctx, { q: given, limit: 1, crs: 'wgs84' });
    const at = found.candidates[0]?.position.wgs84;
    if (!at) throw new AppError('OPEN311_ADDRESS_UNKNOWN', { details: { address_string: given } });
    return { lng: at[0], lat: at[1], address: given };
  }
  throw new AppError('OPEN311_LOCATION_REQUIRED');
}

function externalIdOf(params: Params, header: string | undefined): string | null {
  const id =
    header?.trim() ||
    params.attributes.get('external_id')?.[0] ||
    params.attributes.get('fixmystreet_id')?.[0];
  if (!id) return null;
  if (id.length > 100) throw invalid('external_id', 'at most 100 characters', '不超过 100 字');
  return id;
}

function fingerprintOf(params: Params): string {
  const kept = params.entries
    .filter(([k]) => k !== 'api_key')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(kept)).digest('hex');
}

const repeatNotice = (number: string, at: Date) =>
  `重复提交：该报告已于 ${isoLocal(at)} 受理为 ${number}，未重复立单 (a repeat of request ${number}; no new request was made)`;

async function existing(db: Kysely<Database>, client: Client, externalId: string, fingerprint: string) {
  const row = await db
    .selectFrom('open311_requests as r')
    .innerJoin('cases as c', 'c.id', 'r.case_id')
    .select(['r.fingerprint', 'r.created_at', 'c.number'])
    .where('r.client_id', '=', client.id)
    .where('r.external_id', '=', externalId)
    .executeTakeFirst();
  if (!row) return null;
  if (row.fingerprint !== fingerprint) {
    throw new AppError('OPEN311_EXTERNAL_ID_REUSED', { details: { external_id: externalId } });
  }
  return answer(row.number, repeatNotice(row.number, row.created_at));
}

/** The same client's request with the same parameters (and no external id) in the repeat window. */
async function recentTwin(db: Kysely<Database>, client: Client, fingerprint: string) {
  const row = await db
    .selectFrom('open311_requests as r')
    .innerJoin('cases as c', 'c.id', 'r.case_id')
    .select(['r.created_at', 'c.number'])
    .where('r.client_id', '=', client.id)
    .where('r.fingerprint', '=', fingerprint)
    .where('r.external_id', 'is', null)
    .where('r.created_at', '>', new Date(Date.now() - REPEAT_WINDOW_MS))
    .orderBy('r.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? answer(row.number, repeatNotice(row.number, row.created_at)) : null;
}

const answer = (number: string, notice: string): PostAnswer => ({
  service_request_id: number,
  service_notice: notice,
  account_id: null,
});

export async function postRequest(
  store: Store,
  params: Params,
  meta: RequestMeta,
  options: { idempotencyKey: string | undefined; duplicates: DuplicateRules },
): Promise<PostAnswer> {
  const db = store.db;
  const client = (await caller(db, params, meta, true)) as Client;
  const code = params.get('service_code');
  if (!code) throw required('service_code');
  const service = await findService(db, code);
  if (!service) throw new AppError('OPEN311_SERVICE_CODE_INVALID', { details: { service_code: code } });
  const attributes = checkAttributes(await attributesOf(db, service.categoryId), params);
  // The place is looked up with the account's role: a lookup is part of reporting, not a read.
  const lookupCtx: Ctx = { db, actor: { ...client.actor, grants: undefined }, meta };
  const place = await placeOf(lookupCtx, params);
  const description = params.get('description') ?? service.service_name;
  if (description.length > 4000) throw invalid('description', 'at most 4000 characters', '不超过 4000 字');
  const mediaUrl = params.get('media_url');
  if (mediaUrl && (!/^https?:\/\/\S+$/.test(mediaUrl) || mediaUrl.length > 1000)) {
    throw invalid('media_url', 'an http(s) URL', '应为 http(s) 地址');
  }
  const contact: Record<string, string> = {};
  for (const f of CONTACT_FIELDS) {
    const v = params.get(f);
    if (v !== undefined) {
      if (v.length > 200) throw invalid(f, 'at most 200 characters', '不超过 200 字');
      contact[f] = v;
    }
  }
  const name = [contact.first_name, contact.last_name].filter(Boolean).join(' ').slice(0, 60);
  const externalId = externalIdOf(params, options.idempotencyKey);
  const fingerprint = fingerprintOf(params);
  const before = externalId
    ? await existing(db, client, externalId, fingerprint)
    : await recentTwin(db, client, fingerprint);
  if (before) return before;

  const unit = await openUnitOfWork(db, store.autonomous);
  try {
    const ctx: Ctx = { db: unit.db, actor: client.actor, meta };
    const created = await createCase(
      ctx,
      {
        source: 'open311',
        kind: service.kind,
        categoryCode: service.code,
        lng: place.lng,
        lat: place.lat,
        address: place.address.slice(0, 200),
        // The case keeps 2,000 characters (the console's limit); Open311 allows 4,000.
        description: description.length > 2000 ? `${description.slice(0, 1999)}…` : description,
        urgency: 'normal',
        photos: [],
        ...(name ? { reporterName: name } : {}),
        ...(contact.phone && PHONE.test(contact.phone) ? { reporterPhone: contact.phone } : {}),
      },
      undefined,
      options.duplicates,
    );
    const token = randomUUID();
    await unit.db
      .insertInto('open311_requests')
      .values({
        token,
        client_id: client.id,
        external_id: externalId,
        fingerprint,
        case_id: created.id,
        service_code: service.service_code,
        attributes: JSON.stringify(attributes),
        media_url: mediaUrl ?? null,
        contact: JSON.stringify(contact),
      })
      .execute();
    await unit.commit();
    const near = (created as { possibleDuplicates?: Array<{ number: string }> }).possibleDuplicates ?? [];
    const notice =
      near.length > 0
        ? `已受理；附近已有相似案卷 ${near.map((d) => d.number).join('、')}，将一并核实`
        : '已受理，将按时限处置';
    return answer(created.number, notice);
  } catch (err) {
    await unit.rollback().catch(() => {});
    // The same external id committed by a twin request meanwhile: its answer is this one's.
    if (externalId && (err as { code?: string }).code === '23505') {
      const twin = await existing(db, client, externalId, fingerprint);
      if (twin) return twin;
    }
    if (
      err instanceof AppError &&
      ['CASE_LOCATION_UNKNOWN', 'LOCATION_OUT_OF_SCOPE', 'NOT_FOUND'].includes(err.code)
    ) {
      throw new AppError('OPEN311_LOCATION_OUTSIDE', { details: err.details });
    }
    throw err;
  }
}
