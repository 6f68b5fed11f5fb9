import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { digestDeliveries, digestRuns, digestSubscribers } from './digests.table.ts';

export function createDigestsRepository({ db }: { db: Db }) {
  return {
    /** Adds a subscriber; false when they already were one. */
    async subscribe(userId: string, now: Date): Promise<boolean> {
      const rows = await db
        .insert(digestSubscribers)
        .values({ userId, subscribedAt: now })
        .onConflictDoNothing()
        .returning({ userId: digestSubscribers.userId });
      return rows.length === 1;
    },

    async unsubscribe(userId: string): Promise<boolean> {
      const rows = await db
        .delete(digestSubscribers)
        .where(eq(digestSubscribers.userId, userId))
        .returning({ userId: digestSubscribers.userId });
      return rows.length === 1;
    },

    subscribers: async () =>
      (
        await db
          .select({ userId: digestSubscribers.userId })
          .from(digestSubscribers)
          .orderBy(digestSubscribers.subscribedAt)
      ).map((r) => r.userId),

    /**
     * Claims a slot for this process: first come, or taking over an unfinished claim older than
     * `leaseMs` (its process died mid-send). Atomic, so two processes never both win.
     */
    async claimSlot(slot: Date, now: Date, leaseMs: number): Promise<boolean> {
      const staleBefore = new Date(now.getTime() - leaseMs);
      const rows = await db
        .insert(digestRuns)
        .values({ slot, claimedAt: now })
        .onConflictDoUpdate({
          target: digestRuns.slot,
          set: { claimedAt: now },
          setWhere: and(isNull(digestRuns.finishedAt), sql`${digestRuns.claimedAt} < ${staleBefore.toISOString()}`),
        })
        .returning({ slot: digestRuns.slot });
      return rows.length === 1;
    },

    async finishSlot(slot: Date, now: Date): Promise<void> {
      await db.update(digestRuns).set({ finishedAt: now }).where(eq(digestRuns.slot, slot));
    },

    async deliveredTargets(slot: Date): Promise<Set<string>> {
      const rows = await db
        .select({ target: digestDeliveries.target })
        .from(digestDeliveries)
        .where(eq(digestDeliveries.slot, slot));
      return new Set(rows.map((r) => r.target));
    },

    async recordDelivery(slot: Date, target: string, now: Date): Promise<void> {
      await db.insert(digestDeliveries).values({ slot, target, deliveredAt: now }).onConflictDoNothing();
    },
  };
}

export type DigestsRepository = ReturnType<typeof createDigestsRepository>;
