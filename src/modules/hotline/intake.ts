/**
 * 12345 work orders in: each one becomes a case through the cases service (validation, grid,
 * duplicate check, event log) with source 'hotline_12345', linked to the order by its 工单编号.
 * Delivered twice (the hotline retries when our answer was lost), it files one case: the link
 * row is written first in the same transaction, so a twin waits for it and finds it.
 */
import type { Kysely, Selectable } from 'kysely';
import { toWgs84 } from '../../domain/geo/crs.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { createCase } from '../cases/commands.js';
import type { DuplicateRules } from '../cases/duplicates.js';
import { searchAddress } from '../geocode/lookup.js';
import { storeMedia } from '../media/service.js';
import { orderDeadlines } from './limits.js';
import { presentOrder } from './presenter.js';
import type { WorkOrderBody } from './schema.js';
import type { HotlineSystemsTable, HotlineUrgency } from './tables.js';
import { inUnit } from './unit.js';

export interface HotlineDeps {
  dataDir: string;
  autonomous: Kysely<Database> | null;
  /** Called once a call to the hotline was written (wakes the outbox sender). */
  outboxWritten: () => void;
  /** The console's duplicate check (疑似重复): the answer lists open cases close by. */
  duplicates: DuplicateRules;
}

const URGENCY: Record<HotlineUrgency, 'normal' | 'urgent' | 'emergency'> = {
  一般: 'normal',
  紧急: 'urgent',
  特急: 'emergency',
};

/** The hotline system whose service account holds the request's API key. */
export async function systemOf(ctx: Ctx): Promise<Selectable<HotlineSystemsTable>> {
  const system = await ctx.db
    .selectFrom('hotline_systems')
    .selectAll()
    .where('service_user_id', '=', ctx.actor.userId)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!system || ctx.actor.via !== 'api_key') throw new AppError('HOTLINE_SYSTEM_UNKNOWN');
  return system;
}

async function placeOf(ctx: Ctx, body: WorkOrderBody) {
  if (body.location) {
    const [lng, lat] = toWgs84(body.location.lng, body.location.lat, body.location.crs);
    return { lng, lat };
  }
  const found = await searchAddress(ctx, { q: body.address, limit: 1, crs: 'wgs84' });
  const at = found.candidates[0]?.position.wgs84;
  if (!at) throw new AppError('HOTLINE_ADDRESS_NOT_FOUND', { details: { address: body.address } });
  return { lng: at[0], lat: at[1] };
}

async function existing(db: Kysely<Database>, systemId: number, orderNo: string) {
  return db
    .selectFrom('hotline_orders as o')
    .leftJoin('cases as c', 'c.id', 'o.case_id')
    .selectAll('o')
    .select(['c.number as case_number', 'c.state as case_state'])
    .where('o.system_id', '=', systemId)
    .where('o.order_no', '=', orderNo)
    .executeTakeFirst();
}

function answer(row: NonNullable<Awaited<ReturnType<typeof existing>>>) {
  const { case_number, case_state, ...order } = row;
  return presentOrder(
    order,
    case_number && case_state ? { number: case_number, state: case_state } : null,
    false,
  );
}

/** Receives one work order: `created` false when it was already here (same 工单编号). */
export async function receiveWorkOrder(ctx: Ctx, deps: HotlineDeps, body: WorkOrderBody) {
  requirePermission(ctx.actor, 'case.report');
  const system = await systemOf(ctx);
  const before = await existing(ctx.db, system.id, body.orderNo);
  if (before) return { created: false, order: answer(before) };
  const place = await placeOf(ctx, body);
  const category = body.category ?? {
    kind: system.default_category_kind,
    code: system.default_category_code,
  };
  const acceptedAt = new Date(body.acceptedAt);
  let possibleDuplicates: unknown = [];
  const created = await inUnit(ctx.db, deps.autonomous, async (db) => {
    const unitCtx = { ...ctx, db };
    // The claim on the 工单编号 comes first: a twin delivery waits here, then finds it taken.
    const claimed = await db
      .insertInto('hotline_orders')
      .values({
        system_id: system.id,
        order_no: body.orderNo,
        accepted_at: acceptedAt,
        appeal_type: body.appealType,
        appellant_name: body.appellant.name ?? null,
        appellant_phone: body.appellant.phone ?? null,
        content: body.content,
        address: body.address,
        organizer: body.organizer ?? null,
        hotline_due_at: body.dueAt ?? null,
        urgency: body.urgency,
        attachments: JSON.stringify(body.attachments.map((a) => ('url' in a ? a : { name: a.name }))),
      })
      .onConflict((oc) => oc.columns(['system_id', 'order_no']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!claimed) return false;
    const photos: string[] = [];
    const links: { name: string; url: string }[] = [];
    for (const a of body.attachments) {
      if ('url' in a) links.push(a);
      else {
        const stored = await storeMedia(unitCtx, deps.dataDir, a.contentType, Buffer.from(a.data, 'base64'));
        photos.push(stored.sha256);
      }
    }
    const filed = await createCase(
      unitCtx,
      {
        source: 'hotline_12345',
        kind: category.kind,
        categoryCode: category.code,
        lng: place.lng,
        lat: place.lat,
        address: body.address,
        description: `12345工单 ${body.orderNo}：${body.content}`.slice(0, 2000),
        urgency: URGENCY[body.urgency],
        photos: [...new Set(photos)].slice(0, 9),
        ...(body.appellant.name ? { reporterName: body.appellant.name } : {}),
        ...(body.appellant.phone ? { reporterPhone: body.appellant.phone } : {}),
      },
      undefined,
      deps.duplicates,
    );
    possibleDuplicates = 'possibleDuplicates' in filed ? filed.possibleDuplicates : [];
    const due = await orderDeadlines(db, system.id, body.appealType, acceptedAt);
    await db
      .updateTable('hotline_orders')
      .set({
        case_id: filed.id,
        sign_due_at: due.signDueAt,
        return_due_at: due.returnDueAt,
        // The hotline's own 办理时限 wins over the rule table's.
        reply_due_at: body.dueAt ? new Date(body.dueAt) : due.replyDueAt,
        attachments: JSON.stringify([
          ...photos.map((sha256, i) => ({
            name: body.attachments.filter((a) => !('url' in a))[i]?.name,
            sha256,
          })),
          ...links,
        ]),
      })
      .where('id', '=', claimed.id)
      .execute();
    await audit(unitCtx, {
      action: 'hotline.receive',
      target: `hotline:${system.code}:${body.orderNo}`,
      details: { caseId: filed.id },
    });
    return true;
  });
  const after = await existing(ctx.db, system.id, body.orderNo);
  if (!after) throw new Error('work order vanished after intake');
  return { created, order: answer(after), ...(created ? { possibleDuplicates } : {}) };
}
