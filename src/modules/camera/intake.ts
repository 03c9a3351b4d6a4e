/**
 * Camera AI events in. Each event is checked (a registered camera with a GB/T 28181 id, a
 * mapped event code), then, in one transaction for the whole batch: a replay (same platform,
 * same event id) is skipped; an event at or above its type's confidence threshold joins the
 * open case of its class within the merge radius, or files a new one through the cases service
 * (source 'video_ai'); one below the threshold waits in the review queue. A bad event refuses
 * the batch and nothing is kept. Repeats merged into a case go in its event log (repeat.ts).
 */
import { type Kysely, sql } from 'kysely';
import { isCameraDeviceId } from '../../domain/camera/device-id.js';
import { toWgs84 } from '../../domain/geo/crs.js';
import { TERMINAL_STATES } from '../../domain/workflow/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError, forbidden } from '../../platform/errors.js';
import { createCase } from '../cases/commands.js';
import { inUnit } from '../hotline/unit.js';
import { logRepeats } from './repeat.js';
import type { CameraEventInput, EventsBody } from './schema.js';
import { storeSnapshot } from './snapshot.js';

export interface CameraDeps {
  dataDir: string;
  /** Hosts snapshot URLs may name (config CAMERA_SNAPSHOT_HOSTS). */
  snapshotHosts: readonly string[];
  autonomous: Kysely<Database> | null;
}

/** Advisory-lock class of the merge check: one writer per category decides "new or repeat". */
const MERGE_LOCK = 28181;

export interface Mapping {
  id: number;
  vendor: string;
  event_code: string;
  label: string;
  category_id: number;
  kind: 'component' | 'event';
  code: string;
  min_confidence: string;
  merge_radius_m: number;
}

export interface Camera {
  device_id: string;
  name: string;
  lng: number;
  lat: number;
  view: string | null;
}

/** A mapping with its category's kind and code, as intake and review both read it. */
export function mappingQuery(db: Kysely<Database>) {
  return db
    .selectFrom('camera_event_mappings as m')
    .innerJoin('categories as k', 'k.id', 'm.category_id')
    .select([
      'm.id',
      'm.vendor',
      'm.event_code',
      'm.label',
      'm.category_id',
      'k.kind',
      'k.code',
      'm.min_confidence',
      'm.merge_radius_m',
    ]);
}

export async function mappingsFor(db: Kysely<Database>, vendor: string, codes: string[]) {
  const rows = await mappingQuery(db)
    .where('m.event_code', 'in', codes)
    .where('m.vendor', 'in', [vendor, '*'])
    .where('m.active', '=', true)
    .execute();
  const byCode = new Map<string, Mapping>();
  // The platform's own mapping wins over the '*' one.
  for (const r of rows.sort((a, b) => (a.vendor === '*' ? 0 : 1) - (b.vendor === '*' ? 0 : 1))) {
    byCode.set(r.event_code, r as Mapping);
  }
  return byCode;
}

function checkDevices(events: readonly CameraEventInput[]) {
  const bad = events.filter((e) => !isCameraDeviceId(e.deviceId));
  if (bad.length > 0) {
    throw new AppError('CAMERA_DEVICE_ID_INVALID', {
      details: { events: bad.slice(0, 20).map((e) => ({ eventId: e.eventId, deviceId: e.deviceId })) },
    });
  }
}

export interface EventOutcome {
  eventId: string;
  status: 'filed' | 'merged' | 'review' | 'duplicate';
  caseId: number | null;
}

/** Joins the open case of the class close by, or files one; `ctx` is who files it. */
export async function fileOrMerge(
  ctx: Ctx,
  e: {
    lng: number;
    lat: number;
    occurredAt: Date;
    confidence: number;
    deviceId: string;
    snapshot: string | null;
  },
  camera: Camera,
  mapping: Mapping,
): Promise<{ caseId: number; merged: boolean }> {
  await sql`SELECT pg_advisory_xact_lock(${MERGE_LOCK}, ${mapping.category_id})`.execute(ctx.db);
  // The box (degrees, generous at these latitudes) lets the spatial index narrow the search.
  const box = mapping.merge_radius_m / 50_000;
  const open = await ctx.db
    .selectFrom('cases as c')
    .select('c.id')
    .where('c.category_id', '=', mapping.category_id)
    .where('c.state', 'not in', TERMINAL_STATES)
    .where(sql<boolean>`c.location && ST_Expand(ST_SetSRID(ST_MakePoint(${e.lng}, ${e.lat}), 4326), ${box})`)
    .where(
      sql<boolean>`ST_DWithin(c.location::geography, ST_SetSRID(ST_MakePoint(${e.lng}, ${e.lat}), 4326)::geography, ${mapping.merge_radius_m})`,
    )
    .orderBy(sql`c.location <-> ST_SetSRID(ST_MakePoint(${e.lng}, ${e.lat}), 4326)`)
    .limit(1)
    .executeTakeFirst();
  if (open) return { caseId: open.id, merged: true };
  const at = e.occurredAt.toISOString();
  const filed = await createCase(ctx, {
    source: 'video_ai',
    kind: mapping.kind,
    categoryCode: mapping.code,
    lng: e.lng,
    lat: e.lat,
    address: `${camera.name}${camera.view ? `（${camera.view}）` : ''}`.slice(0, 200),
    description: `视频AI识别：${mapping.label}（设备 ${e.deviceId}，置信度 ${e.confidence}，${at}）`,
    urgency: 'normal',
    photos: e.snapshot ? [e.snapshot] : [],
  });
  return { caseId: filed.id, merged: false };
}

export async function receiveEvents(ctx: Ctx, deps: CameraDeps, body: EventsBody) {
  requirePermission(ctx.actor, 'case.report');
  // Events come from platforms (a service account's key), not from people at the console.
  if (ctx.actor.via !== 'api_key' || ctx.actor.role !== 'service') throw forbidden('case.report');
  const vendor = body.vendor ?? '*';
  checkDevices(body.events);
  const deviceIds = [...new Set(body.events.map((e) => e.deviceId))];
  const cameras = new Map(
    (
      await ctx.db
        .selectFrom('cameras')
        .select(['device_id', 'name', 'lng', 'lat', 'view'])
        .where('device_id', 'in', deviceIds)
        .where('active', '=', true)
        .execute()
    ).map((c) => [c.device_id, c]),
  );
  const unknownCameras = deviceIds.filter((d) => !cameras.has(d));
  if (unknownCameras.length > 0)
    throw new AppError('CAMERA_UNKNOWN', { details: { deviceIds: unknownCameras } });
  const codes = [...new Set(body.events.map((e) => e.eventType))];
  const mappings = await mappingsFor(ctx.db, vendor, codes);
  const unmapped = codes.filter((c) => !mappings.has(c));
  if (unmapped.length > 0) {
    throw new AppError('CAMERA_EVENT_CODE_UNKNOWN', { details: { vendor, eventTypes: unmapped } });
  }

  // Replays (and repeats inside the batch) are answered, not applied again.
  const seen = new Set(
    (
      await ctx.db
        .selectFrom('camera_events')
        .select('event_key')
        .where('source_user_id', '=', ctx.actor.userId)
        .where(
          'event_key',
          'in',
          body.events.map((e) => e.eventId),
        )
        .execute()
    ).map((r) => r.event_key),
  );
  const outcomes = new Map<string, EventOutcome>();
  const fresh: CameraEventInput[] = [];
  for (const e of body.events) {
    if (seen.has(e.eventId))
      outcomes.set(e.eventId, { eventId: e.eventId, status: 'duplicate', caseId: null });
    else {
      seen.add(e.eventId);
      fresh.push(e);
    }
  }
  // In category order: the merge locks of concurrent batches are taken in one order.
  fresh.sort(
    (a, b) => (mappings.get(a.eventType)?.category_id ?? 0) - (mappings.get(b.eventType)?.category_id ?? 0),
  );
  await inUnit(ctx.db, deps.autonomous, async (db) => {
    const unitCtx = { ...ctx, db };
    // The same picture sent with many events is stored once.
    const stored = new Map<string, string>();
    const rows = [];
    for (const e of fresh) {
      const camera = cameras.get(e.deviceId) as Camera;
      const mapping = mappings.get(e.eventType) as Mapping;
      const [lng, lat] = e.location
        ? toWgs84(e.location.lng, e.location.lat, e.location.crs)
        : [camera.lng, camera.lat];
      let snapshot: string | null = null;
      if (e.snapshot) {
        const source = 'url' in e.snapshot ? e.snapshot.url : e.snapshot.data;
        snapshot = stored.get(source) ?? (await storeSnapshot(unitCtx, deps, e.snapshot, e.eventId));
        stored.set(source, snapshot);
      }
      rows.push({ e, camera, mapping, lng, lat, snapshot });
    }
    // One statement per 500 events; a twin batch committed meanwhile leaves its events out.
    const ids = new Map<string, string>();
    for (let i = 0; i < rows.length; i += 500) {
      const inserted = await db
        .insertInto('camera_events')
        .values(
          rows.slice(i, i + 500).map((r) => ({
            source_user_id: ctx.actor.userId,
            event_key: r.e.eventId,
            device_id: r.e.deviceId,
            vendor,
            event_code: r.e.eventType,
            mapping_id: r.mapping.id,
            occurred_at: r.e.occurredAt,
            confidence: r.e.confidence,
            lng: r.lng,
            lat: r.lat,
            snapshot: r.snapshot,
            status: 'review' as const,
          })),
        )
        .onConflict((oc) => oc.columns(['source_user_id', 'event_key']).doNothing())
        .returning(['id', 'event_key'])
        .execute();
      for (const r of inserted) ids.set(r.event_key, r.id);
    }
    // Events of one class at one place decide together: the first files (or joins), the rest join.
    const groups = new Map<string, typeof rows>();
    for (const r of rows) {
      if (!ids.has(r.e.eventId)) {
        outcomes.set(r.e.eventId, { eventId: r.e.eventId, status: 'duplicate', caseId: null });
      } else if (r.e.confidence < Number(r.mapping.min_confidence)) {
        outcomes.set(r.e.eventId, { eventId: r.e.eventId, status: 'review', caseId: null });
      } else {
        const key = `${r.mapping.category_id}|${r.mapping.id}|${r.lng}|${r.lat}`;
        groups.set(key, [...(groups.get(key) ?? []), r]);
      }
    }
    for (const group of groups.values()) {
      const [head, ...rest] = group as [(typeof rows)[number], ...typeof rows];
      const { caseId, merged } = await fileOrMerge(
        unitCtx,
        {
          lng: head.lng,
          lat: head.lat,
          occurredAt: new Date(head.e.occurredAt),
          confidence: head.e.confidence,
          deviceId: head.e.deviceId,
          snapshot: group.find((r) => r.snapshot)?.snapshot ?? null,
        },
        head.camera,
        head.mapping,
      );
      const headStatus = merged ? 'merged' : 'filed';
      await db
        .updateTable('camera_events')
        .set({ status: headStatus, case_id: caseId })
        .where('id', '=', ids.get(head.e.eventId) as string)
        .execute();
      if (rest.length > 0) {
        await db
          .updateTable('camera_events')
          .set({ status: 'merged', case_id: caseId })
          .where(
            'id',
            'in',
            rest.map((r) => ids.get(r.e.eventId) as string),
          )
          .execute();
      }
      // What joined the case: the whole group when the case was open already, else the rest.
      const joined = merged ? group : rest;
      await logRepeats(
        db,
        caseId,
        head.camera,
        head.mapping,
        joined.map((r) => ({
          eventId: r.e.eventId,
          deviceId: r.e.deviceId,
          occurredAt: new Date(r.e.occurredAt),
          confidence: r.e.confidence,
          snapshot: r.snapshot,
        })),
      );
      outcomes.set(head.e.eventId, { eventId: head.e.eventId, status: headStatus, caseId });
      for (const r of rest) outcomes.set(r.e.eventId, { eventId: r.e.eventId, status: 'merged', caseId });
    }
  });
  const results = body.events.map((e) => outcomes.get(e.eventId) as EventOutcome);
  const count = (s: EventOutcome['status']) => results.filter((r) => r.status === s).length;
  return {
    received: results.length,
    filed: count('filed'),
    merged: count('merged'),
    review: count('review'),
    duplicate: count('duplicate'),
    results,
  };
}
