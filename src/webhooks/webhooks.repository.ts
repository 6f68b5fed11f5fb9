// Queries on webhook subscriptions and their deliveries.
import { and, count, desc, eq, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { webhookDeliveries, webhookSubscriptions } from './webhooks.table.ts';

export type WebhookSubscription = typeof webhookSubscriptions.$inferSelect;
export type NewWebhookSubscription = typeof webhookSubscriptions.$inferInsert;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

export function createWebhooksRepository({ db }: { db: Db }) {
  return {
    async add(subscription: NewWebhookSubscription): Promise<WebhookSubscription> {
      const [row] = await db.insert(webhookSubscriptions).values(subscription).returning();
      return row!;
    },

    /** Adds or updates a subscription kept in FRONTLINE_CONFIG (its id comes from the file). */
    async upsertFromConfig(subscription: NewWebhookSubscription): Promise<void> {
      const { id: _id, createdAt: _createdAt, ...changes } = subscription;
      await db.insert(webhookSubscriptions).values(subscription).onConflictDoUpdate({
        target: webhookSubscriptions.id,
        set: changes,
      });
    },

    async get(id: string): Promise<WebhookSubscription | undefined> {
      const [row] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
      return row;
    },

    /** Every subscription, with how many deliveries wait for it, oldest first. */
    list: () =>
      db
        .select({
          subscription: webhookSubscriptions,
          waiting: sql<number>`(select count(*)::int from ${webhookDeliveries}
            where ${webhookDeliveries.subscriptionId} = ${webhookSubscriptions.id} and ${webhookDeliveries.status} = 'pending')`,
        })
        .from(webhookSubscriptions)
        .orderBy(webhookSubscriptions.createdAt, webhookSubscriptions.id),

    /** Subscriptions that existed when an event happened (a new one gets no older events). */
    subscribedAt: (at: Date) =>
      db
        .select()
        .from(webhookSubscriptions)
        .where(sql`${webhookSubscriptions.createdAt} <= ${at.toISOString()}::timestamptz`),

    /** Removes a subscription and what was waiting for it; false when it was gone already. */
    async remove(id: string): Promise<boolean> {
      const removed = await db
        .delete(webhookSubscriptions)
        .where(eq(webhookSubscriptions.id, id))
        .returning({ id: webhookSubscriptions.id });
      return removed.length > 0;
    },

    /** Resumes a paused subscription; its waiting deliveries are due at once. False when it was not paused. */
    async resume(id: string, now: Date): Promise<boolean> {
      const resumed = await db
        .update(webhookSubscriptions)
        .set({ status: 'active', failingSince: null, pausedAt: null })
        .where(and(eq(webhookSubscriptions.id, id), eq(webhookSubscriptions.status, 'paused')))
        .returning({ id: webhookSubscriptions.id });
      if (resumed.length === 0) return false;
      await db
        .update(webhookDeliveries)
        .set({ nextAttemptAt: now })
        .where(and(eq(webhookDeliveries.subscriptionId, id), eq(webhookDeliveries.status, 'pending')));
      return true;
    },

    /** The latest deliveries to a subscription, newest first. */
    log: (id: string, limit: number) =>
      db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.subscriptionId, id))
        .orderBy(desc(webhookDeliveries.seq))
        .limit(limit),

    /** Forgets sent and given-up deliveries written before `before`. */
    async pruneSettled(before: Date): Promise<void> {
      await db
        .delete(webhookDeliveries)
        .where(and(lt(webhookDeliveries.createdAt, before), ne(webhookDeliveries.status, 'pending')));
    },

    async waiting(id: string): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.subscriptionId, id), eq(webhookDeliveries.status, 'pending')));
      return row?.n ?? 0;
    },
  };
}

export type WebhooksRepository = ReturnType<typeof createWebhooksRepository>;
