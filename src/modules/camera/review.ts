/**
 * The review queue: events below their type's threshold wait for the centre, which clears
 * them one click each. Accept files (or joins) a case as the reviewer; reject keeps the event
 * as a false positive (误报), which the mapping's threshold can be tuned against.
 */
import type { Kysely } from 'kysely';
import type { Role } from '../../domain/access/permissions.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError, forbidden } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { inUnit } from '../hotline/unit.js';
import { type Camera, fileOrMerge, type Mapping, mappingQuery } from './intake.js';
import { logRepeats } from './repeat.js';

/** Who clears the queue: the centre's intake operators (受理员) and leaders, who may report. */
const REVIEWERS: readonly Role[] = ['intake', 'leader'];

function requireReviewer(ctx: Ctx) {
  requirePermission(ctx.actor, 'case.report');
  if (!REVIEWERS.includes(ctx.actor.role)) throw forbidden('case.report');
}

function eventQuery(db: Kysely<Database>, ctx: Ctx) {
  return db
    .selectFrom('camera_events as e')
    .innerJoin('cameras as cam', 'cam.device_id', 'e.device_id')
    .innerJoin('camera_event_mappings as m', 'm.id', 'e.mapping_id')
    .innerJoin('categories as k', 'k.id', 'm.category_id')
    .select([
      'e.id',
      'e.event_key',
      'e.device_id',
      'e.event_code',
      'e.occurred_at',
      'e.confidence',
      'e.lng',
      'e.lat',
      'e.snapshot',
      'e.status',
      'e.case_id',
      'e.received_at',
      'cam.name as camera_name',
      'cam.view as camera_view',
      'm.label',
      'm.min_confidence',
      'k.name as category_name',
    ])
    .where('cam.district_code', 'like', `${ctx.actor.scopePrefix.slice(0, 6)}%`);
}

type EventRow = Awaited<ReturnType<ReturnType<typeof eventQuery>['executeTakeFirstOrThrow']>>;

function present(r: EventRow) {
  return {
    id: Number(r.id),
    eventId: r.event_key,
    deviceId: r.device_id,
    camera: { name: r.camera_name, view: r.camera_view },
    eventType: r.event_code,
    label: r.label,
    category: r.category_name,
    occurredAt: r.occurred_at.toISOString(),
    confidence: Number(r.confidence),
    threshold: Number(r.min_confidence),
    lng: r.lng,
    lat: r.lat,
    snapshotUrl: r.snapshot ? `/api/v1/media/${r.snapshot}` : null,
    status: r.status,
    caseId: r.case_id,
    receivedAt: r.received_at.toISOString(),
  };
}

export async function reviewQueue(ctx: Ctx, q: { limit: number }) {
  requireReviewer(ctx);
  const rows = await eventQuery(ctx.db, ctx)
    .where('e.status', '=', 'review')
    .orderBy('e.received_at')
    .orderBy('e.id')
    .limit(q.limit)
    .execute();
  const total = await ctx.db
    .selectFrom('camera_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'review')
    .executeTakeFirstOrThrow();
  return { total: Number(total.n), items: rows.map(present) };
}

async function pending(db: Kysely<Database>, ctx: Ctx, id: number) {
  const row = await eventQuery(db, ctx).where('e.id', '=', String(id)).forUpdate('e').executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { details: { resource: 'camera_event' } });
  if (row.status !== 'review') {
    throw new AppError('CAMERA_EVENT_NOT_IN_REVIEW', { details: { id, status: row.status } });
  }
  return row;
}

export async function acceptEvent(ctx: Ctx, deps: { autonomous: Kysely<Database> | null }, id: number) {
  requireReviewer(ctx);
  await inUnit(ctx.db, deps.autonomous, async (db) => {
    const unitCtx = { ...ctx, db };
    const row = await pending(db, ctx, id);
    const event = await db
      .selectFrom('camera_events')
      .selectAll()
      .where('id', '=', String(id))
      .executeTakeFirstOrThrow();
    const camera = (await db
      .selectFrom('cameras')
      .select(['device_id', 'name', 'lng', 'lat', 'view'])
      .where('device_id', '=', event.device_id)
      .executeTakeFirstOrThrow()) as Camera;
    const mapping = (await mappingQuery(db)
      .where('m.id', '=', event.mapping_id)
      .executeTakeFirstOrThrow()) as Mapping;
    const { caseId, merged } = await fileOrMerge(
      unitCtx,
      {
        lng: row.lng,
        lat: row.lat,
        occurredAt: row.occurred_at,
        confidence: Number(row.confidence),
        deviceId: row.device_id,
        snapshot: row.snapshot,
      },
      camera,
      mapping,
    );
    if (merged) {
      await logRepeats(db, caseId, camera, mapping, [
        {
          eventId: row.event_key,
          deviceId: row.device_id,
          occurredAt: row.occurred_at,
          confidence: Number(row.confidence),
          snapshot: row.snapshot,
        },
      ]);
    }
    await db
      .updateTable('camera_events')
      .set({ status: 'accepted', case_id: caseId, reviewed_by: ctx.actor.userId, reviewed_at: new Date() })
      .where('id', '=', String(id))
      .execute();
    await audit(unitCtx, {
      action: 'camera.review.accept',
      target: `camera-event:${id}`,
      details: { caseId },
    });
  });
  return present(await eventQuery(ctx.db, ctx).where('e.id', '=', String(id)).executeTakeFirstOrThrow());
}

export async function rejectEvent(ctx: Ctx, id: number) {
  requireReviewer(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    await pending(trx, ctx, id);
    await trx
      .updateTable('camera_events')
      .set({ status: 'rejected', reviewed_by: ctx.actor.userId, reviewed_at: new Date() })
      .where('id', '=', String(id))
      .execute();
    await audit({ ...ctx, db: trx }, { action: 'camera.review.reject', target: `camera-event:${id}` });
  });
  return present(await eventQuery(ctx.db, ctx).where('e.id', '=', String(id)).executeTakeFirstOrThrow());
}
