/**
 * Monthly partitions of iot_raw_messages: the current and next month exist before messages
 * arrive (the default partition catches only a clock far off), and months older than the
 * retention setting are dropped whole, with the message keys of that age.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

const monthStart = (d: Date, plus = 0) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + plus, 1));
const suffix = (d: Date) => `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;

export async function ensureRawPartitions(db: Kysely<Database>, now = new Date()): Promise<void> {
  for (const plus of [0, 1]) {
    const from = monthStart(now, plus);
    const to = monthStart(now, plus + 1);
    const name = `iot_raw_messages_${suffix(from)}`;
    // Two processes may race to create the same month: the loser's error is harmless.
    await sql
      .raw(
        `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF iot_raw_messages FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
      )
      .execute(db)
      .catch((err: { code?: string }) => {
        if (err.code !== '42P07' && err.code !== '23505') throw err;
      });
  }
}

/** Drops the monthly partitions wholly older than `months` months; returns their names. */
export async function dropExpiredPartitions(db: Kysely<Database>, months: number, now = new Date()) {
  const cutoff = monthStart(now, -months);
  const parts = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = 'iot_raw_messages' AND c.relname ~ '^iot_raw_messages_[0-9]{6}$'`.execute(db);
  const dropped: string[] = [];
  for (const { name } of parts.rows) {
    const y = Number(name.slice(-6, -2));
    const m = Number(name.slice(-2));
    if (new Date(Date.UTC(y, m, 1)) <= cutoff) {
      await sql.raw(`DROP TABLE IF EXISTS ${name}`).execute(db);
      dropped.push(name);
    }
  }
  await db.deleteFrom('iot_message_keys').where('received_at', '<', cutoff).execute();
  await db.deleteFrom('iot_raw_messages').where('received_at', '<', cutoff).execute();
  return dropped;
}
