/**
 * Offline by missed heartbeats: a device silent for MISSED_PERIODS_OFFLINE report periods is
 * marked offline and gets a maintenance task (never a public-space case). Safe with several
 * processes: rows are claimed with FOR UPDATE SKIP LOCKED.
 */
import { sql } from 'kysely';
import { MISSED_PERIODS_OFFLINE } from '../../domain/iot/readings.js';
import type { Store } from '../../platform/db/store.js';
import { raiseAlarm } from './alarms.js';

export async function markOffline(store: Store, now = new Date()): Promise<number> {
  return store.db.transaction().execute(async (trx) => {
    const silent = await sql<{ id: string; component_id: string }>`
      SELECT id, component_id FROM iot_devices
      WHERE online AND coalesce(last_seen_at, created_at)
            < ${now}::timestamptz - make_interval(secs => report_period_seconds * ${MISSED_PERIODS_OFFLINE})
      ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED`.execute(trx);
    for (const d of silent.rows) {
      await trx
        .updateTable('iot_devices')
        .set({ online: false, updated_at: now })
        .where('id', '=', d.id)
        .execute();
      await raiseAlarm(trx, d, 'offline', null, now);
    }
    return silent.rows.length;
  });
}
