/**
 * Running the anti-fraud rules over stored reports: the facts a set of reports needs (their
 * reporters' tracks and other reports around them, earlier photos within a few bits, the
 * month's pace), the rules (src/domain/antifraud), and the flags stored once each.
 *
 * Two ways in, one judge: `scanNew` after reports come in (a timer in the server, a small batch
 * of the reports filed since its cursor, off the request path: intake never waits for it), and
 * `scanPeriod` over any period (the batch job), day by day. Both judge a report against the same
 * context, so they raise the same flags; a flag raised twice is stored once.
 */
import { type Kysely, sql } from 'kysely';
import { detectFlags, fromSigned64, toSigned64 } from '../../domain/antifraud/index.js';
import {
  DEFAULT_THRESHOLDS,
  type Flag,
  type ReportFact,
  type Thresholds,
  type TrackFix,
} from '../../domain/antifraud/types.js';
import type { Database } from '../../platform/db/schema.js';
import { hashMissingPhotos } from './photo-hash.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface ReportRow {
  id: number;
  reported_by: number;
  reported_at: Date;
  lng: number;
  lat: number;
  category_code: string;
  hashes: string[] | null;
}

const factOf = (r: ReportRow): ReportFact => ({
  caseId: String(r.id),
  reporterId: String(r.reported_by),
  at: r.reported_at.getTime(),
  lng: r.lng,
  lat: r.lat,
  categoryCode: r.category_code,
  photoHashes: (r.hashes ?? []).map((h) => fromSigned64(h)),
});

/** Supervisors' reports matching `where`, with the hashes of their photos. */
async function reports(db: Kysely<Database>, where: ReturnType<typeof sql>): Promise<ReportFact[]> {
  const { rows } = await sql<ReportRow>`
    SELECT c.id, c.reported_by, c.reported_at, ST_X(c.location) AS lng, ST_Y(c.location) AS lat,
           k.code AS category_code,
           (SELECT array_agg(h.dhash::text ORDER BY h.sha256) FROM case_photos p
              JOIN photo_hashes h ON h.sha256 = p.sha256
             WHERE p.case_id = c.id AND p.phase = 'before') AS hashes
      FROM cases c JOIN categories k ON k.id = c.category_id
     WHERE c.source = 'supervisor' AND c.reported_by IS NOT NULL AND ${where}`.execute(db);
  return rows.map(factOf);
}

/** Reports with a photo within `maxBits` of one of `hashes`, reported in [from, to). */
async function reportsWithNearPhotos(
  db: Kysely<Database>,
  hashes: readonly bigint[],
  maxBits: number,
  from: Date,
  to: Date,
): Promise<ReportFact[]> {
  if (hashes.length === 0) return [];
  const signed = [...new Set(hashes.map((h) => toSigned64(h).toString()))];
  return reports(
    db,
    sql`c.reported_at >= ${from} AND c.reported_at < ${to} AND c.id IN (
      SELECT p.case_id FROM case_photos p JOIN photo_hashes h ON h.sha256 = p.sha256
       WHERE p.phase = 'before'
         AND EXISTS (SELECT 1 FROM unnest(${signed}::bigint[]) AS q(x)
                      WHERE bit_count((h.dhash # q.x)::bit(64)) <= ${maxBits}))`,
  );
}

async function fixes(
  db: Kysely<Database>,
  users: readonly number[],
  from: Date,
  to: Date,
): Promise<TrackFix[]> {
  if (users.length === 0) return [];
  const { rows } = await sql<{ user_id: number; at: Date; lng: number; lat: number }>`
    SELECT user_id, at, ST_X(geom) AS lng, ST_Y(geom) AS lat FROM patrol_positions
     WHERE user_id = ANY (${users}::int[]) AND at >= ${from} AND at <= ${to}`.execute(db);
  return rows.map((r) => ({ userId: String(r.user_id), at: r.at.getTime(), lng: r.lng, lat: r.lat }));
}

function monthOf(at: number, t: Thresholds): { start: Date; end: Date } {
  const offset = t.utcOffsetMinutes * 60_000;
  const local = new Date(at + offset);
  return {
    start: new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - offset),
    end: new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - offset),
  };
}

/**
 * The flags of `targets` (supervisors' reports) against their context: every supervisor's
 * reports from a day before the first to a day after the last (bursts, copies, speed), their
 * reporters' tracks then, their reporters' reports of the months they fall in (the pace before
 * a deadline), and any earlier report with a photo within the threshold (the lookback).
 */
export async function judge(
  db: Kysely<Database>,
  targets: readonly ReportFact[],
  t: Thresholds,
): Promise<Flag[]> {
  if (targets.length === 0) return [];
  const first = Math.min(...targets.map((r) => r.at));
  const last = Math.max(...targets.map((r) => r.at));
  const users = [...new Set(targets.map((r) => Number(r.reporterId)))];
  const months = [monthOf(first, t), monthOf(last, t)];
  const [around, track, month, photos] = await Promise.all([
    reports(db, sql`c.reported_at >= ${new Date(first - DAY)} AND c.reported_at <= ${new Date(last + DAY)}`),
    fixes(db, users, new Date(first - DAY), new Date(last + DAY)),
    reports(
      db,
      sql`c.reported_by = ANY (${users}::int[]) AND c.reported_at >= ${months[0]?.start} AND c.reported_at < ${months[1]?.end}`,
    ),
    reportsWithNearPhotos(
      db,
      targets.flatMap((r) => r.photoHashes),
      t.photoMaxHamming,
      new Date(first - t.photoLookbackDays * DAY),
      new Date(last + 1),
    ),
  ]);
  const all = new Map<string, ReportFact>();
  for (const r of [...around, ...month, ...photos, ...targets]) all.set(r.caseId, r);
  return detectFlags({
    reports: [...all.values()],
    fixes: track,
    targets: new Set(targets.map((r) => r.caseId)),
    thresholds: t,
  });
}

/** Stores flags; one already raised is left as it is (and keeps its review). Returns how many are new. */
export async function storeFlags(
  db: Kysely<Database>,
  flags: readonly Flag[],
  reportedAt: Map<string, number>,
) {
  if (flags.length === 0) return 0;
  let added = 0;
  for (let i = 0; i < flags.length; i += 500) {
    const rows = await db
      .insertInto('fraud_flags')
      .values(
        flags.slice(i, i + 500).map((f) => ({
          kind: f.kind,
          case_id: Number(f.caseId),
          reporter_id: Number(f.reporterId),
          related_case_id: f.relatedCaseId === null ? null : Number(f.relatedCaseId),
          evidence: JSON.stringify(f.evidence),
          reported_at: new Date(reportedAt.get(f.caseId) ?? Date.now()),
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute();
    added += rows.length;
  }
  return added;
}

async function photosOf(db: Kysely<Database>, caseIds: readonly number[]): Promise<string[]> {
  if (caseIds.length === 0) return [];
  const rows = await db
    .selectFrom('case_photos')
    .select('sha256')
    .where('case_id', 'in', [...caseIds])
    .where('phase', '=', 'before')
    .execute();
  return rows.map((r) => r.sha256);
}

export interface ScanOptions {
  readonly dataDir: string;
  readonly thresholds?: Thresholds;
  /** Reports younger than this wait for the next scan: a phone's outbox may bring its track later. */
  readonly settleMs?: number;
  /** Reports older than this when first seen are left to the batch (a history being written). */
  readonly maxAgeMs?: number;
  readonly batch?: number;
  readonly now?: Date;
}

export interface ScanResult {
  readonly judged: number;
  readonly flagsAdded: number;
  readonly photosHashed: number;
}

/**
 * One pass over the supervisors' reports filed since the cursor (a batch at most). Safe with
 * several server processes: the cursor moves only from the value read (compare and set), and a
 * flag raised twice is stored once.
 */
export async function scanNew(db: Kysely<Database>, o: ScanOptions): Promise<ScanResult> {
  const t = o.thresholds ?? DEFAULT_THRESHOLDS;
  const now = o.now ?? new Date();
  const settled = new Date(now.getTime() - (o.settleMs ?? 5 * 60_000));
  const cursor = await db
    .selectFrom('fraud_scan_cursor')
    .select('last_case_id')
    .where('id', '=', 1)
    .executeTakeFirst();
  const from = cursor?.last_case_id ?? 0;
  const candidates = await db
    .selectFrom('cases')
    .select(['id', 'source', 'reported_at', 'reported_by'])
    .where('id', '>', from)
    .orderBy('id')
    .limit(o.batch ?? 500)
    .execute();
  // Up to the first report still settling: the cursor never passes a report not judged.
  const upTo = candidates.findIndex((c) => c.source === 'supervisor' && c.reported_at > settled);
  const ready = upTo < 0 ? candidates : candidates.slice(0, upTo);
  if (ready.length === 0) return { judged: 0, flagsAdded: 0, photosHashed: 0 };
  const oldest = now.getTime() - (o.maxAgeMs ?? 2 * DAY);
  const ids = ready
    .filter((c) => c.source === 'supervisor' && c.reported_by !== null && c.reported_at.getTime() >= oldest)
    .map((c) => c.id);
  const photosHashed = await hashMissingPhotos(db, o.dataDir, await photosOf(db, ids));
  const targets = ids.length === 0 ? [] : await reports(db, sql`c.id = ANY (${ids}::int[])`);
  const flags = await judge(db, targets, t);
  const flagsAdded = await storeFlags(db, flags, new Map(targets.map((r) => [r.caseId, r.at])));
  const last = (ready[ready.length - 1] as { id: number }).id;
  await db
    .updateTable('fraud_scan_cursor')
    .set({ last_case_id: last, scanned_at: now })
    .where('id', '=', 1)
    .where('last_case_id', '=', from)
    .execute();
  return { judged: targets.length, flagsAdded, photosHashed };
}

/**
 * The batch: every supervisor's report of [from, to), a day at a time (its context read with
 * it), with the photos hashed first. `progress` is told the share done after each day.
 */
export async function scanPeriod(
  db: Kysely<Database>,
  o: { from: Date; to: Date; dataDir: string; thresholds?: Thresholds },
  progress: (done: number, total: number) => Promise<void> = async () => {},
): Promise<ScanResult> {
  const t = o.thresholds ?? DEFAULT_THRESHOLDS;
  const total = Math.max(1, Math.ceil((o.to.getTime() - o.from.getTime()) / DAY));
  let judged = 0;
  let flagsAdded = 0;
  let photosHashed = 0;
  for (let day = 0; day < total; day++) {
    const a = new Date(o.from.getTime() + day * DAY);
    const b = new Date(Math.min(o.to.getTime(), a.getTime() + DAY));
    const ids = (
      await db
        .selectFrom('cases')
        .select('id')
        .where('source', '=', 'supervisor')
        .where('reported_by', 'is not', null)
        .where('reported_at', '>=', a)
        .where('reported_at', '<', b)
        .execute()
    ).map((r) => r.id);
    if (ids.length > 0) {
      photosHashed += await hashMissingPhotos(db, o.dataDir, await photosOf(db, ids));
      const targets = await reports(db, sql`c.id = ANY (${ids}::int[])`);
      const flags = await judge(db, targets, t);
      flagsAdded += await storeFlags(db, flags, new Map(targets.map((r) => [r.caseId, r.at])));
      judged += targets.length;
    }
    await progress(day + 1, total);
  }
  return { judged, flagsAdded, photosHashed };
}

/** Starts the scan of new reports in this process; returns a function that stops it. */
export function startFraudScanner(
  db: Kysely<Database>,
  o: ScanOptions & { intervalMs?: number },
  log: (err: unknown) => void = () => {},
) {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = scanNew(db, o)
      .then(() => undefined, log)
      .finally(() => {
        running = null;
      });
  }, o.intervalMs ?? 30_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
