/** SQL of the patrol module: duty shifts and the position track. */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

export function openShift(db: Kysely<Database>, userId: number) {
  return db
    .selectFrom('patrol_shifts')
    .select(['id', 'started_at', 'ended_at'])
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
}

export type ShiftRow = NonNullable<Awaited<ReturnType<typeof openShift>>>;

/** Starts a shift; null when another request opened one first (unique open-shift index). */
export async function startShift(db: Kysely<Database>, userId: number, now: Date): Promise<ShiftRow | null> {
  const row = await db
    .insertInto('patrol_shifts')
    .values({ user_id: userId, started_at: now })
    .onConflict((oc) => oc.column('user_id').where('ended_at', 'is', null).doNothing())
    .returning(['id', 'started_at', 'ended_at'])
    .executeTakeFirst();
  return row ?? null;
}

export function endShift(db: Kysely<Database>, userId: number, now: Date) {
  return db
    .updateTable('patrol_shifts')
    .set({ ended_at: sql<Date>`greatest(started_at, ${now}::timestamptz)` })
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .returning(['id', 'started_at', 'ended_at'])
    .executeTakeFirst();
}

export interface CityBounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** The extent of the city's current unit grids (null before any grid exists). */
export async function gridExtent(db: Kysely<Database>): Promise<CityBounds | null> {
  const r = await sql<{
    west: number | null;
    south: number | null;
    east: number | null;
    north: number | null;
  }>`
    SELECT ST_XMin(e) AS west, ST_YMin(e) AS south, ST_XMax(e) AS east, ST_YMax(e) AS north
    FROM (SELECT ST_Extent(geom) AS e FROM grids WHERE valid_to IS NULL) x`.execute(db);
  const row = r.rows[0];
  if (!row || row.west === null || row.south === null || row.east === null || row.north === null) return null;
  return { west: row.west, south: row.south, east: row.east, north: row.north };
}

/** For each instant (by index), the user's shift covering it, or null. */
export async function shiftsCovering(
  db: Kysely<Database>,
  userId: number,
  instants: readonly string[],
): Promise<Array<number | null>> {
  const json = JSON.stringify(instants.map((at, i) => ({ i, at })));
  const r = await sql<{ i: number; shift_id: number | null }>`
    SELECT p.i, s.id AS shift_id
    FROM jsonb_to_recordset(${json}::jsonb) AS p(i int, at timestamptz)
    LEFT JOIN LATERAL (
      SELECT id FROM patrol_shifts s
      WHERE s.user_id = ${userId} AND s.started_at <= p.at AND (s.ended_at IS NULL OR s.ended_at >= p.at)
      ORDER BY s.started_at DESC LIMIT 1
    ) s ON true`.execute(db);
  const out: Array<number | null> = instants.map(() => null);
  for (const row of r.rows) out[row.i] = row.shift_id === null ? null : Number(row.shift_id);
  return out;
}

export interface NewPosition {
  at: string;
  shiftId: number;
  lng: number;
  lat: number;
  accuracyM: number | null;
  speed: number | null;
  heading: number | null;
}

/** Stores the fixes; one already stored for the same user and instant is skipped. Returns how many were new. */
export async function insertPositions(db: Kysely<Database>, userId: number, points: readonly NewPosition[]) {
  const rows = await db
    .insertInto('patrol_positions')
    .values(
      points.map((p) => ({
        user_id: userId,
        at: p.at,
        shift_id: p.shiftId,
        geom: sql<string>`ST_SetSRID(ST_MakePoint(${p.lng}, ${p.lat}), 4326)`,
        accuracy_m: p.accuracyM,
        speed: p.speed,
        heading: p.heading,
      })) as never,
    )
    .onConflict((oc) => oc.columns(['user_id', 'at']).doNothing())
    .returning('at')
    .execute();
  return rows.length;
}

/** Every active supervisor in the scope with the open shift and the last fix (and its grid). */
export async function latestPositions(db: Kysely<Database>, scopePrefix: string, onDuty?: boolean) {
  const r = await sql<{
    id: number;
    username: string;
    display_name: string;
    division_code: string | null;
    shift_id: number | null;
    shift_started_at: Date | null;
    at: Date | null;
    lng: number | null;
    lat: number | null;
    accuracy_m: number | null;
    speed: number | null;
    heading: number | null;
    grid_code: string | null;
  }>`
    SELECT u.id, u.username, u.display_name, u.division_code,
      s.id AS shift_id, s.started_at AS shift_started_at,
      p.at, ST_X(p.geom) AS lng, ST_Y(p.geom) AS lat, p.accuracy_m, p.speed, p.heading,
      g.code AS grid_code
    FROM users u
    LEFT JOIN patrol_shifts s ON s.user_id = u.id AND s.ended_at IS NULL
    LEFT JOIN LATERAL (
      SELECT pp.at, pp.geom, pp.accuracy_m, pp.speed, pp.heading FROM patrol_positions pp
      WHERE pp.user_id = u.id ORDER BY pp.at DESC LIMIT 1
    ) p ON true
    LEFT JOIN LATERAL (
      SELECT gg.code FROM grids gg
      WHERE p.geom IS NOT NULL AND gg.valid_to IS NULL AND ST_Covers(gg.geom, p.geom)
      ORDER BY gg.code LIMIT 1
    ) g ON true
    WHERE u.role = 'supervisor' AND NOT u.disabled AND u.division_code LIKE ${`${scopePrefix}%`}
      ${onDuty === undefined ? sql`` : onDuty ? sql`AND s.id IS NOT NULL` : sql`AND s.id IS NULL`}
    ORDER BY u.display_name, u.id`.execute(db);
  return r.rows;
}

export function supervisorInScope(db: Kysely<Database>, userId: number, scopePrefix: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'display_name'])
    .where('id', '=', userId)
    .where('role', '=', 'supervisor')
    .where('division_code', 'like', `${scopePrefix}%`)
    .executeTakeFirst();
}

export function trackPoints(db: Kysely<Database>, userId: number, from: Date, to: Date, limit: number) {
  return db
    .selectFrom('patrol_positions')
    .select([
      'at',
      'shift_id',
      'accuracy_m',
      'speed',
      'heading',
      sql<number>`ST_X(geom)`.as('lng'),
      sql<number>`ST_Y(geom)`.as('lat'),
    ])
    .where('user_id', '=', userId)
    .where('at', '>=', from)
    .where('at', '<=', to)
    .orderBy('at')
    .limit(limit)
    .execute();
}

export function shiftsOverlapping(db: Kysely<Database>, userId: number, from: Date, to: Date) {
  return db
    .selectFrom('patrol_shifts')
    .select(['id', 'started_at', 'ended_at'])
    .where('user_id', '=', userId)
    .where('started_at', '<=', to)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', from)]))
    .orderBy('started_at')
    .execute();
}
