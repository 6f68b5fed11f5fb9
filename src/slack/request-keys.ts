import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { requestKeys } from './request-keys.table.ts';

export interface RequestKeys {
  /**
   * True the first time `parts` is seen within `windowMs`; false for a retry or a double submit.
   * Atomic across processes: the row is inserted, or refreshed only when the old one has expired.
   */
  firstSeen(parts: readonly unknown[], windowMs: number): Promise<boolean>;
}

export function createRequestKeys({ db, clock }: { db: Db; clock: Clock }): RequestKeys {
  return {
    async firstSeen(parts, windowMs) {
      const key = createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
      const now = clock.now();
      const expiredBefore = new Date(now.getTime() - windowMs);
      const rows = await db
        .insert(requestKeys)
        .values({ key, seenAt: now })
        .onConflictDoUpdate({
          target: requestKeys.key,
          set: { seenAt: now },
          setWhere: sql`${requestKeys.seenAt} < ${expiredBefore.toISOString()}`,
        })
        .returning({ key: requestKeys.key });
      return rows.length === 1;
    },
  };
}
