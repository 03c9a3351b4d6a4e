/**
 * Fixed-window rate limits of the public POST endpoints, counted in the database so several
 * server processes share one budget. (@fastify/rate-limit would count per process unless given
 * Redis, which this product does not run.)
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';

let lastCleanup = 0;

/**
 * Counts one hit on each bucket; throws RATE_LIMITED with `retryAfter` (seconds) when any is over
 * its limit. The hit counts even when refused, so hammering does not reopen the window.
 */
export async function hitRateLimits(
  db: Kysely<Database>,
  buckets: Array<{ bucket: string; limit: number }>,
  windowSeconds: number,
  now = Date.now(),
): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const start = new Date(Math.floor(now / windowMs) * windowMs);
  if (now - lastCleanup > 60_000) {
    lastCleanup = now;
    await sql`DELETE FROM public_rate_limits WHERE (bucket, window_start) IN (
        SELECT bucket, window_start FROM public_rate_limits
        WHERE window_start < ${new Date(start.getTime() - windowMs)} LIMIT 1000)`.execute(db);
  }
  for (const { bucket, limit } of buckets) {
    const row = await db
      .insertInto('public_rate_limits')
      .values({ bucket, window_start: start, hits: 1 })
      .onConflict((oc) =>
        oc
          .columns(['bucket', 'window_start'])
          .doUpdateSet({ hits: sql<number>`public_rate_limits.hits + 1` }),
      )
      .returning('hits')
      .executeTakeFirstOrThrow();
    if (row.hits > limit) {
      const retryAfter = Math.max(1, Math.ceil((start.getTime() + windowMs - now) / 1000));
      throw new AppError('RATE_LIMITED', {
        details: { retryAfter, limit, windowSeconds },
        message: {
          zh: `提交过于频繁，请 ${retryAfter} 秒后再试`,
          en: `Too many submissions; try again in ${retryAfter} s`,
        },
      });
    }
  }
}
