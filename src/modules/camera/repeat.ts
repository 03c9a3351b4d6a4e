/**
 * A repeat camera event on an open case goes in the case's event log as `camera_event` (no state
 * change): the centre sees in the timeline that the camera saw it again, when, with which device
 * and picture. Repeats of one batch at one place make one entry (an event storm is one line, not
 * hundreds); the snapshot is kept among the case's photos.
 */
import { type Kysely, sql } from 'kysely';
import { type CaseState, decide } from '../../domain/workflow/index.js';
import type { Database } from '../../platform/db/schema.js';
import { advance } from '../cases/advance.js';
import { pendingOf } from '../cases/presenter.js';
import { caseQuery } from '../cases/repo.js';

export interface Repeat {
  eventId: string;
  deviceId: string;
  occurredAt: Date;
  confidence: number;
  snapshot: string | null;
}

export async function logRepeats(
  db: Kysely<Database>,
  caseId: number,
  camera: { device_id: string; name: string },
  mapping: { vendor: string; event_code: string; label: string },
  repeats: Repeat[],
): Promise<void> {
  if (repeats.length === 0) return;
  const row = await caseQuery(db)
    .where('c.id', '=', caseId)
    .modifyEnd(sql`FOR UPDATE OF c`)
    .executeTakeFirstOrThrow();
  const decision = decide(
    { state: row.state as CaseState, pending: pendingOf(row) },
    'camera_event',
    { role: 'service' },
    {},
  );
  // A case closed meanwhile takes no repeats (the merge looked for open cases under a lock).
  if (!decision.ok) return;
  const last = repeats.reduce((a, b) => (b.occurredAt > a.occurredAt ? b : a));
  const snapshots = [...new Set(repeats.map((r) => r.snapshot).filter((s): s is string => s !== null))];
  await advance(db, row, {
    actorId: null,
    actorRole: 'service',
    action: 'camera_event',
    decision,
    reason: null,
    payload: {
      device: { id: last.deviceId, name: camera.name },
      event: { vendor: mapping.vendor, code: mapping.event_code, label: mapping.label },
      at: last.occurredAt.toISOString(),
      confidence: last.confidence,
      count: repeats.length,
      eventIds: repeats.slice(0, 20).map((r) => r.eventId),
      snapshot: last.snapshot ?? snapshots[0] ?? null,
      photos: snapshots.slice(0, 5),
    },
    set: {},
    photos: snapshots.length > 0 ? { phase: 'before', shas: snapshots.slice(0, 5) } : null,
    extension: null,
    bumpVersion: false,
    now: new Date(),
  });
}
