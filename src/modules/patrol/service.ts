/**
 * Supervisor patrol: going on and off duty, uploading the position track from the field app,
 * and reading last positions and tracks for the command map (scoped like other division data).
 */
import type { Kysely } from 'kysely';
import { outOfChina, positionFor, toWgs84 } from '../../domain/geo/crs.js';
import { type Ctx, can, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import {
  type CityBounds,
  endShift,
  gridExtent,
  insertPositions,
  latestPositions,
  type NewPosition,
  openShift,
  type ShiftRow,
  shiftsCovering,
  shiftsOverlapping,
  startShift,
  supervisorInScope,
  trackPoints,
} from './repo.js';
import type { LatestQuery, PositionInput, TrackQuery } from './schema.js';

/** Phone clocks drift: a fix up to this far ahead of the server clock is still accepted. */
const CLOCK_SKEW_MS = 2 * 60_000;
/** Fixes just outside the outermost grids (a supervisor walking the city edge) still count. */
const BOUNDS_MARGIN_DEG = 0.02;
const BOUNDS_TTL_MS = 60_000;
const MAX_TRACK_RANGE_MS = 7 * 86_400_000;
const DEFAULT_TRACK_RANGE_MS = 86_400_000;
export const MAX_TRACK_POINTS = 50_000;

function presentShift(s: ShiftRow | null | undefined) {
  return s
    ? { id: s.id, startedAt: s.started_at.toISOString(), endedAt: s.ended_at?.toISOString() ?? null }
    : null;
}

export async function myDuty(ctx: Ctx) {
  requirePermission(ctx.actor, 'patrol.report');
  const shift = await openShift(ctx.db, ctx.actor.userId);
  return { onDuty: !!shift, shift: presentShift(shift) };
}

/** 上岗 / 下岗. Going on duty twice returns the shift already open; going off when not on is a 409. */
export async function setDuty(ctx: Ctx, on: boolean) {
  requirePermission(ctx.actor, 'patrol.report');
  const userId = ctx.actor.userId;
  const now = new Date();
  if (on) {
    return ctx.db.transaction().execute(async (trx) => {
      const current = await openShift(trx, userId);
      if (current) return { created: false, onDuty: true, shift: presentShift(current) };
      // A concurrent tap may have opened one in between: the unique index decides, we return it.
      const started = (await startShift(trx, userId, now)) ?? (await openShift(trx, userId));
      if (!started) throw new Error('no open shift after starting one');
      await audit({ ...ctx, db: trx }, { action: 'patrol.duty_on', target: `shift:${started.id}` });
      return { created: true, onDuty: true, shift: presentShift(started) };
    });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const ended = await endShift(trx, userId, now);
    if (!ended) throw new AppError('PATROL_NOT_ON_DUTY');
    await audit({ ...ctx, db: trx }, { action: 'patrol.duty_off', target: `shift:${ended.id}` });
    return { created: false, onDuty: false, shift: presentShift(ended) };
  });
}

const boundsCache = new WeakMap<Kysely<Database>, { at: number; bounds: CityBounds | null }>();

/** The city's extent (its unit grids plus a margin), cached briefly per store. */
async function cityBounds(db: Kysely<Database>): Promise<CityBounds | null> {
  const hit = boundsCache.get(db);
  if (hit && Date.now() - hit.at < BOUNDS_TTL_MS) return hit.bounds;
  const extent = await gridExtent(db);
  const bounds = extent && {
    west: extent.west - BOUNDS_MARGIN_DEG,
    south: extent.south - BOUNDS_MARGIN_DEG,
    east: extent.east + BOUNDS_MARGIN_DEG,
    north: extent.north + BOUNDS_MARGIN_DEG,
  };
  boundsCache.set(db, { at: Date.now(), bounds });
  return bounds;
}

type Problem = { index: number; reason: 'future' | 'outside_city' | 'off_duty' };

function reject(
  code: 'PATROL_POSITION_IN_FUTURE' | 'PATROL_POSITION_OUT_OF_BOUNDS' | 'PATROL_POSITION_OFF_DUTY',
  problems: Problem[],
) {
  return new AppError(code, { details: { problems: problems.slice(0, 50), count: problems.length } });
}

/**
 * A batch of fixes from the phone (GCJ-02 / BD-09 converted to WGS84). Each must fall within one
 * of the user's duty shifts (an offline outbox uploads after going off duty); the whole batch is
 * refused if any fix is bad, naming each by index. Fixes already stored are skipped.
 */
export async function uploadPositions(ctx: Ctx, input: readonly PositionInput[]) {
  requirePermission(ctx.actor, 'patrol.report');
  const now = Date.now();
  const bounds = await cityBounds(ctx.db);
  const points = input.map((p) => {
    const [lng, lat] = toWgs84(p.lng, p.lat, p.crs);
    return { ...p, lng, lat };
  });
  const future = points.flatMap((p, index) =>
    Date.parse(p.at) > now + CLOCK_SKEW_MS ? [{ index, reason: 'future' as const }] : [],
  );
  if (future.length > 0) throw reject('PATROL_POSITION_IN_FUTURE', future);
  const outside = points.flatMap((p, index) => {
    const inside = bounds
      ? p.lng >= bounds.west && p.lng <= bounds.east && p.lat >= bounds.south && p.lat <= bounds.north
      : !outOfChina(p.lng, p.lat);
    return inside ? [] : [{ index, reason: 'outside_city' as const }];
  });
  if (outside.length > 0) throw reject('PATROL_POSITION_OUT_OF_BOUNDS', outside);
  const shifts = await shiftsCovering(
    ctx.db,
    ctx.actor.userId,
    points.map((p) => p.at),
  );
  const offDuty = shifts.flatMap((s, index) => (s === null ? [{ index, reason: 'off_duty' as const }] : []));
  if (offDuty.length > 0) throw reject('PATROL_POSITION_OFF_DUTY', offDuty);
  const rows: NewPosition[] = points.map((p, i) => ({
    at: p.at,
    shiftId: shifts[i]!,
    lng: p.lng,
    lat: p.lat,
    accuracyM: p.accuracyM ?? null,
    speed: p.speed ?? null,
    heading: p.heading ?? null,
  }));
  const stored = await insertPositions(ctx.db, ctx.actor.userId, rows);
  return { received: rows.length, stored, duplicates: rows.length - stored };
}

/** Last position of every supervisor in my scope, for the command map. */
export async function latest(ctx: Ctx, q: LatestQuery) {
  requirePermission(ctx.actor, 'patrol.read');
  const rows = await latestPositions(ctx.db, ctx.actor.scopePrefix, q.onDuty);
  const now = Date.now();
  return {
    items: rows.map((r) => ({
      user: { id: r.id, username: r.username, name: r.display_name, divisionCode: r.division_code },
      onDuty: r.shift_id !== null,
      shiftStartedAt: r.shift_started_at?.toISOString() ?? null,
      last:
        r.at && r.lng !== null && r.lat !== null
          ? {
              at: r.at.toISOString(),
              position: positionFor(r.lng, r.lat, q.crs),
              accuracyM: r.accuracy_m,
              speed: r.speed,
              heading: r.heading,
              minutesAgo: Math.max(0, Math.floor((now - r.at.getTime()) / 60_000)),
              gridCode: r.grid_code,
            }
          : null,
    })),
  };
}

/** One supervisor's track over [from, to] (default: the last 24 hours), for playback. */
export async function track(ctx: Ctx, q: TrackQuery) {
  // A supervisor may replay their own track; everyone else needs patrol.read and scope.
  const own = q.userId === ctx.actor.userId && can(ctx.actor, 'patrol.report');
  requirePermission(ctx.actor, own ? 'patrol.report' : 'patrol.read');
  // Fixes may run ahead of the server clock by the accepted skew; the default range shows them.
  const to = q.to ? new Date(q.to) : new Date(Date.now() + CLOCK_SKEW_MS);
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_TRACK_RANGE_MS);
  if (from >= to || to.getTime() - from.getTime() > MAX_TRACK_RANGE_MS) {
    throw new AppError('PATROL_RANGE_INVALID', {
      details: { from: from.toISOString(), to: to.toISOString() },
    });
  }
  const user = await supervisorInScope(ctx.db, q.userId, own ? '' : ctx.actor.scopePrefix);
  if (!user) throw notFound('supervisor');
  const [points, shifts] = await Promise.all([
    trackPoints(ctx.db, user.id, from, to, MAX_TRACK_POINTS + 1),
    shiftsOverlapping(ctx.db, user.id, from, to),
  ]);
  return {
    user: { id: user.id, username: user.username, name: user.display_name },
    from: from.toISOString(),
    to: to.toISOString(),
    shifts: shifts.map(presentShift),
    points: points.slice(0, MAX_TRACK_POINTS).map((p) => ({
      at: p.at.toISOString(),
      position: positionFor(p.lng, p.lat, q.crs),
      accuracyM: p.accuracy_m,
      speed: p.speed,
      heading: p.heading,
      shiftId: p.shift_id,
    })),
    truncated: points.length > MAX_TRACK_POINTS,
  };
}
