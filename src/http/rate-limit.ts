// A fixed-window request counter in PostgreSQL: one row per key, so every replica counts the same minute.
// Not rate-limiter-flexible: its in-memory limiter counts per process (N replicas, N times the limit)
// and its PostgreSQL store needs the `pg` driver beside our postgres.js; one upsert does the job.
import { sql } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { apiRateWindows } from './rate-limits.table.ts';

export interface RateLimit {
  /** Counts one request for `key`; when it is over the limit, how many seconds until the window resets. */
  take(key: string): Promise<{ allowed: true } | { allowed: false; retryAfterS: number }>;
}

/**
 * `limit` requests per `windowMs` and key. A fixed window may let up to twice the limit through
 * across a window's edge: good enough to stop a runaway integration, and one upsert per request.
 */
export function createRateLimit(
  { db, clock }: { db: Db; clock: Clock },
  { limit, windowMs }: { limit: number; windowMs: number },
): RateLimit {
  return {
    async take(key) {
      const now = clock.now().getTime();
      const windowStart = new Date(now - (now % windowMs));
      const [row] = await db
        .insert(apiRateWindows)
        .values({ key, windowStart, count: 1 })
        .onConflictDoUpdate({
          target: apiRateWindows.key,
          set: {
            count: sql`case when ${apiRateWindows.windowStart} = excluded.window_start then ${apiRateWindows.count} + 1 else 1 end`,
            windowStart: sql`excluded.window_start`,
          },
        })
        .returning({ count: apiRateWindows.count });
      if ((row?.count ?? 0) <= limit) return { allowed: true };
      return { allowed: false, retryAfterS: Math.ceil((windowStart.getTime() + windowMs - now) / 1000) };
    },
  };
}
